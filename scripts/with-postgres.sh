#!/usr/bin/env bash
# Runs a command (default: the store test suite) against a throwaway PostgreSQL cluster (SQLite runs in every case).
# Installs Debian's `postgresql` package when no server binaries are found, starts a cluster in a
# temporary directory on a loopback port as the `postgres` user, exports EXOMI_TEST_PG_URL and runs
# the command given (default `npx vitest run test/store`). The cluster and its directory are removed on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT="${EXOMI_PG_PORT:-55432}"

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN="$(find_bin || true)"
if [ -z "${BIN}" ] || [ ! -x "${BIN}/initdb" ]; then
  echo "pg-test: PostgreSQL server not found; installing Debian's postgresql package" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  BIN="$(find_bin)"
fi

# initdb refuses to run as root: run the cluster as the postgres user when we are root
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUN_AS=(runuser -u postgres --)
fi

DATA="$(mktemp -d /tmp/exomi-pg.XXXXXX)"
chmod 755 "${DATA}"
[ "${#RUN_AS[@]}" -gt 0 ] && chown postgres "${DATA}"

cleanup() {
  "${RUN_AS[@]}" "${BIN}/pg_ctl" -D "${DATA}/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "${DATA}"
}
trap cleanup EXIT

"${RUN_AS[@]}" "${BIN}/initdb" -D "${DATA}/db" -U postgres --auth=trust -E UTF8 >/dev/null
"${RUN_AS[@]}" "${BIN}/pg_ctl" -D "${DATA}/db" -l "${DATA}/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p ${PORT} -k ${DATA} -c fsync=off" start >/dev/null

export EXOMI_TEST_PG_URL="postgres://postgres@127.0.0.1:${PORT}/postgres"
echo "pg-test: PostgreSQL $("${BIN}/postgres" --version | awk '{print $3}') on ${EXOMI_TEST_PG_URL}" >&2
if [ "$#" -gt 0 ]; then "$@"; else npx vitest run test/store; fi
