#!/usr/bin/env bash
# The whole test suite, as CI runs it (`npm test`): lint and format, type check, then every vitest
# suite with a throwaway PostgreSQL (store tests run on SQLite and PostgreSQL), a throwaway Redis
# (distributed cohort tests) and Debian's Chromium (browser tests), installed and started by the
# project's own scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
npx biome check .
npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p web/tsconfig.json
bash scripts/ensure-chromium.sh
bash scripts/with-postgres.sh bash scripts/with-redis.sh npx vitest run "$@"
