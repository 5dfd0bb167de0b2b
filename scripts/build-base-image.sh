#!/usr/bin/env bash
# Builds Fleetyard's base appliance image: a busybox root filesystem as a tarball.
#
#   scripts/build-base-image.sh OUT.tar
#
# The image's default command is ["/bin/sh","/etc/fleetyard/init"]: a PID 1 that announces
# itself on stdout, serves /www with busybox httpd on port 80 and exits 0 on TERM/INT.
# Idempotent and fast: OUT is rebuilt only when it is older than this script or busybox, and
# is written to a temporary name and renamed, so a reader never sees half a tarball.
set -euo pipefail

out="${1:?usage: $0 OUT.tar}"
busybox=/bin/busybox

# ldd exits 0 only for a dynamic executable; the image has no libc, so busybox must be static.
is_static_busybox() { [ -x "$busybox" ] && ! LC_ALL=C ldd "$busybox" >/dev/null 2>&1; }

if ! is_static_busybox; then
  if [ "$(id -u)" = 0 ]; then
    echo "build-base-image: no static busybox; installing busybox-static with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends busybox-static >&2
  fi
  if ! is_static_busybox; then
    echo "build-base-image: $busybox is missing or not static; apt-get install busybox-static" >&2
    exit 1
  fi
fi

if [ -f "$out" ] && [ "$out" -nt "$0" ] && [ "$out" -nt "$busybox" ]; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/fleetyard,tmp,root,www,proc,sys,dev,var/log,run}
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$busybox" "$root/bin/busybox"

# What `busybox --install -s` would do inside the image, done from the host into the target dir.
"$busybox" --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] && continue
  ln -sf /bin/busybox "$root/$applet"
done

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
echo appliance > "$root/etc/hostname"
echo '<html><body><h1>fleetyard appliance</h1></body></html>' > "$root/www/index.html"

cat > "$root/etc/fleetyard/init" <<'INIT'
#!/bin/sh
# PID 1 of a Fleetyard base appliance. PID 1 gets no default signal handlers, so TERM and INT
# are trapped explicitly: stop httpd, exit 0.
name="$(hostname)"
echo "<html><body><h1>$name</h1></body></html>" > /www/index.html
httpd_pid=
stop() {
  [ -n "$httpd_pid" ] && kill "$httpd_pid" 2>/dev/null && wait "$httpd_pid" 2>/dev/null
  echo "fleetyard-appliance $name down"
  exit 0
}
# The handler goes in before anything else starts, so a stop that arrives at once is honoured.
trap stop TERM INT
httpd -f -p 80 -h /www &
httpd_pid=$!
echo "fleetyard-appliance $name up"
# `wait` returns when a trapped signal arrives; keep waiting if httpd dies on its own.
while :; do
  wait
  sleep 3600 &
  wait $!
done
INIT
chmod 755 "$root/etc/fleetyard/init"

tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$work/image.tar" .
mkdir -p "$(dirname "$out")"
mv "$work/image.tar" "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "build-base-image: wrote $out" >&2
