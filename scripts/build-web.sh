#!/usr/bin/env bash
# Builds the web console (web/) into web/dist with Vite, only when its sources changed since the
# last build: a hash of every input is kept in web/dist/.source-hash.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=(web/src web/public web/index.html web/vite.config.ts web/tsconfig.json src/domain package-lock.json)
hash=$(find "${inputs[@]}" -type f ! -name '*.test.ts' ! -name '*.test.tsx' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ -f web/dist/.source-hash ] && [ "$(cat web/dist/.source-hash)" = "$hash" ]; then
  echo "build-web: the web console is up to date"
  exit 0
fi
echo "build-web: building the web console (vite build into web/dist)"
npx --no-install vite build --config web/vite.config.ts --logLevel warn
echo "$hash" > web/dist/.source-hash
