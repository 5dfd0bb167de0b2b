#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, starts PostgreSQL and NATS JetStream if
# they are not running (the store and bus suites run on both engines), builds the test image,
# compiles the CLI (its client commands then start without compiling TypeScript; the CLI tests run
# it as users do), builds the web console and installs Chromium for its browser tests, type-checks the server and
# the console, lints, runs the console's component tests (Vitest), then every test file (node:test
# needs explicit files; the browser tests are among them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/ensure-services.sh
bash scripts/install-browser.sh
bash scripts/build-web.sh
node --import tsx scripts/build-cli.ts
echo "test: type-checking"
npx --no-install tsc --noEmit
npx --no-install tsc --noEmit -p web
echo "test: linting (no promise left unhandled)"
npx --no-install eslint
echo "test: web console component tests (vitest)"
npx --no-install vitest run --config web/vite.config.ts --reporter=dot
shopt -s globstar nullglob
files=(test/**/*.test.ts)
if [ "${#files[@]}" -eq 0 ]; then
  echo "test: no test files found" >&2
  exit 1
fi
echo "test: running ${#files[@]} test files"
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
