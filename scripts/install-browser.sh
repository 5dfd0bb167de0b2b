#!/usr/bin/env bash
# Installs what the web console's browser tests need and is missing, and says so: Debian's
# Chromium (/usr/bin/chromium), driven by playwright-core. Nothing is downloaded by npm packages.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "install-browser: chromium present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: /usr/bin/chromium is missing; install Debian's chromium package (needs root and apt-get)" >&2
  exit 1
fi
echo "install-browser: installing chromium (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
