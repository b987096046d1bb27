#!/usr/bin/env bash
# Runs a command (default: the distributed test suite) against a throwaway Redis on loopback.
# Installs Debian's `redis-server` when missing, starts it on 127.0.0.1:${EXOMI_REDIS_PORT:-56379}
# without persistence in a temporary directory, exports EXOMI_TEST_REDIS_URL and runs the command;
# the server and its directory are removed on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
PORT="${EXOMI_REDIS_PORT:-56379}"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-test: redis-server not found; installing Debian's redis-server package" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

DIR="$(mktemp -d /tmp/exomi-redis.XXXXXX)"
redis-server --bind 127.0.0.1 --port "${PORT}" --dir "${DIR}" --save "" --appendonly no \
  --daemonize yes --pidfile "${DIR}/redis.pid" --logfile "${DIR}/redis.log"

cleanup() {
  if [ -f "${DIR}/redis.pid" ]; then
    pid="$(cat "${DIR}/redis.pid")"
    kill "${pid}" 2>/dev/null || true
    # wait until it is gone, so a following run can bind the port
    for _ in $(seq 1 50); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "${DIR}"
}
trap cleanup EXIT

# ready = our server answers: a ping alone could be answered by another server still holding the
# port (it would refuse ours and then go away)
for _ in $(seq 1 50); do
  if [ -f "${DIR}/redis.pid" ] && kill -0 "$(cat "${DIR}/redis.pid")" 2>/dev/null &&
    redis-cli -h 127.0.0.1 -p "${PORT}" ping >/dev/null 2>&1; then
    break
  fi
  sleep 0.1
done
if ! { [ -f "${DIR}/redis.pid" ] && kill -0 "$(cat "${DIR}/redis.pid")" 2>/dev/null; }; then
  echo "redis-test: redis-server did not start on 127.0.0.1:${PORT} (port in use?):" >&2
  cat "${DIR}/redis.log" >&2 || true
  exit 1
fi
redis-cli -h 127.0.0.1 -p "${PORT}" ping >/dev/null

export EXOMI_TEST_REDIS_URL="redis://127.0.0.1:${PORT}"
echo "redis-test: $(redis-server --version | awk '{print $3}') on ${EXOMI_TEST_REDIS_URL}" >&2
if [ "$#" -gt 0 ]; then "$@"; else npx vitest run test/distributed; fi
