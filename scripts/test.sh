#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, starts PostgreSQL and NATS JetStream if
# they are not running (the store and bus suites run on both engines), builds the test image,
# type-checks, lints, then runs every test file (node:test needs explicit files).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/ensure-services.sh
echo "test: type-checking"
npx --no-install tsc --noEmit
echo "test: linting (no promise left unhandled)"
npx --no-install eslint
shopt -s globstar nullglob
files=(test/**/*.test.ts)
if [ "${#files[@]}" -eq 0 ]; then
  echo "test: no test files found" >&2
  exit 1
fi
echo "test: running ${#files[@]} test files"
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
