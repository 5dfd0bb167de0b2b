#!/usr/bin/env bash
# Refreshes src/drivers/container/seccomp-default.json, the appliances' seccomp profile: the
# default profile of container runtimes, moby's profiles/seccomp/default.json (Apache-2.0), taken
# verbatim from Debian's package golang-github-docker-docker-dev, which ships moby's source.
#
#   scripts/update-seccomp-profile.sh
#
# Run it by hand when Debian updates that package, read the diff (syscalls added or moved behind
# a capability), run test/drivers/seccomp.test.ts and test/drivers/least-privilege.test.ts, and
# commit the file with the package version this prints.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=golang-github-docker-docker-dev
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
(cd "$work" && apt-get download "$pkg" >/dev/null 2>&1) || {
  echo "update-seccomp-profile: apt-get download $pkg failed (run apt-get update first?)" >&2
  exit 1
}
deb="$(ls "$work"/*.deb)"
dpkg-deb -x "$deb" "$work/x"
cp "$work/x/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json" \
  src/drivers/container/seccomp-default.json
echo "update-seccomp-profile: wrote src/drivers/container/seccomp-default.json from $pkg $(dpkg-deb -f "$deb" Version)"
