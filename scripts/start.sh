#!/usr/bin/env bash
# Quick start: installs what is missing, builds the web console, starts Fleetyard with its embedded
# defaults (SQLite, the in-process bus, this machine as a host), uploads the demo image and runs a
# demo appliance; prints the console's URL and the admin's first password.
# Ctrl-C stops Fleetyard; the demo appliance is stopped and its runtime released with it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build-web.sh   # the web console, rebuilt only when its sources changed
node --import tsx scripts/build-cli.ts   # the compiled CLI, likewise
export FLEETYARD_DATA_DIR="${FLEETYARD_DATA_DIR:-$PWD/.fleetyard}"
mkdir -p "$FLEETYARD_DATA_DIR"
image="$FLEETYARD_DATA_DIR/demo-base.tar"
bash scripts/build-base-image.sh "$image"   # rebuilt only when out of date
exec node --import tsx src/cli/demo.ts "$image"
