#!/usr/bin/env bash
# Builds Fleetyard's base appliance image: a busybox root filesystem as a tarball.
#
#   scripts/build-base-image.sh OUT.tar
#
# The image's default command is ["/bin/sh","/etc/fleetyard/init"]: a PID 1 that applies the
# seed the driver left in /etc/fleetyard/seed (see src/drivers/seed.ts: hostname, the user's
# login and the configuration-management key root accepts), starts dropbear on port 22 when a
# login or that key was asked for, announces itself on stdout,
# serves /www with busybox httpd on port 80 and exits 0 on TERM/INT.
#
# The SSH server is Debian's dropbear (package dropbear-bin), copied in with exactly the shared
# libraries `ldd` lists and the dynamic loader, so the image stays a few MB. Without dropbear the
# image is still built, with a warning, and an appliance asked for a login reports
# `fleetyard-login USER failed: ...` instead of `... ready`.
#
# Idempotent and fast: OUT is rebuilt only when it is older than this script, busybox or
# dropbear, or was built without dropbear that is now installed; it is written to a temporary
# name and renamed, so a reader never sees half a tarball.
set -euo pipefail

out="${1:?usage: $0 OUT.tar}"
busybox=/bin/busybox

# ldd exits 0 only for a dynamic executable; busybox must be static (it is the image's libc-free core).
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

find_bin() {
  local b
  for b in "/usr/sbin/$1" "/usr/bin/$1" "/sbin/$1" "/bin/$1" "$(command -v "$1" 2>/dev/null || true)"; do
    if [ -n "$b" ] && [ -x "$b" ]; then echo "$b"; return 0; fi
  done
  return 1
}

dropbear="$(find_bin dropbear || true)"
dropbearkey="$(find_bin dropbearkey || true)"
if { [ -z "$dropbear" ] || [ -z "$dropbearkey" ]; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "build-base-image: no dropbear; installing dropbear-bin with apt-get" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dropbear-bin >&2; then
    echo "build-base-image: apt-get could not install dropbear-bin" >&2
  fi
  dropbear="$(find_bin dropbear || true)"
  dropbearkey="$(find_bin dropbearkey || true)"
fi
if [ -z "$dropbear" ] || [ -z "$dropbearkey" ]; then
  dropbear= dropbearkey=
  echo "build-base-image: WARNING: dropbear is not installed (apt-get install dropbear-bin);" \
    "building the image without an SSH server, so appliances cannot honour a login" >&2
fi

fresh=1
for dep in "$0" "$busybox" $dropbear $dropbearkey; do
  [ -f "$out" ] && [ "$out" -nt "$dep" ] || fresh=0
done
if [ "$fresh" = 1 ] && [ -n "$dropbear" ] && ! tar -tf "$out" ./usr/sbin/dropbear >/dev/null 2>&1; then
  fresh=0 # built while dropbear was missing
fi
[ "$fresh" = 1 ] && exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/fleetyard,tmp,root,home,www,proc,sys,dev,var/log,run}
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$busybox" "$root/bin/busybox"

# What `busybox --install -s` would do inside the image, done from the host into the target dir.
"$busybox" --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] && continue
  ln -sf /bin/busybox "$root/$applet"
done

# Copies a dynamic executable and what it loads: each library `ldd` resolves, and the loader,
# at the same absolute paths (dereferenced: the image has no /lib -> usr/lib symlinks).
copy_with_libs() {
  local bin="$1" dest="$2" lib
  install -D -m 755 "$bin" "$root/$dest"
  LC_ALL=C ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
    while read -r lib; do
      [ -e "$root/$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$root/$lib"
    done
}
if [ -n "$dropbear" ]; then
  copy_with_libs "$dropbear" usr/sbin/dropbear
  copy_with_libs "$dropbearkey" usr/bin/dropbearkey
  # Host keys are made per appliance at first boot, never shipped in the shared image.
  mkdir -p -m 700 "$root/etc/dropbear"
fi

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
# '*' matches no password: root and nobody cannot log in with one.
cat > "$root/etc/shadow" <<'SHADOW'
root:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
SHADOW
chmod 600 "$root/etc/shadow"
printf '/bin/sh\n/bin/ash\n' > "$root/etc/shells"
# glibc (dropbear's libc) looks users up through NSS; "files" is built into libc.so.6.
printf 'passwd: files\ngroup: files\nshadow: files\n' > "$root/etc/nsswitch.conf"
echo appliance > "$root/etc/hostname"
echo '<html><body><h1>fleetyard appliance</h1></body></html>' > "$root/www/index.html"

cat > "$root/etc/fleetyard/init" <<'INIT'
#!/bin/sh
# PID 1 of a Fleetyard base appliance. PID 1 gets no default signal handlers, so TERM and INT
# are trapped explicitly: stop the servers, exit 0.
name="$(hostname)"
httpd_pid=
sshd_pid=
stop() {
  for p in $sshd_pid $httpd_pid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  echo "fleetyard-appliance $name down"
  exit 0
}
# The handler goes in before anything else starts, so a stop that arrives at once is honoured.
trap stop TERM INT

# The seed (format: src/drivers/seed.ts) is written by the driver before every start, root-only,
# with values single-quoted for sh. It never holds a password, only its SHA-512 crypt hash; it
# is read into this shell and deleted before anything else happens with it.
seed=/etc/fleetyard/seed
hostname= login_user= login_ssh_key= login_password_hash= config_ssh_key=
if [ -f "$seed" ]; then
  . "$seed"
  rm -f "$seed"
fi
if [ -n "$hostname" ] && [ "$hostname" != "$name" ]; then
  hostname "$hostname" 2>/dev/null && name="$hostname"
fi

field() { awk -F: -v k="$2" -v n="$3" '$1 == k { print $n; exit }' "$1"; }

# Creates the user if missing and makes the seed's password hash (or none: '*') and key current.
# The hash goes into /etc/shadow as it came: SHA-512 crypt, whose characters ([A-Za-z0-9./$=])
# can neither end a shadow field nor mean anything to awk's -v.
apply_login() {
  u="$login_user"
  [ -x /usr/sbin/dropbear ] || { why="this image has no SSH server"; return 1; }
  if [ -z "$(field /etc/passwd "$u" 1)" ]; then
    id=$(awk -F: 'BEGIN { m = 999 } $3 > m && $3 < 60000 { m = $3 } END { print m + 1 }' /etc/passwd /etc/group)
    echo "$u:x:$id:$id::/home/$u:/bin/sh" >> /etc/passwd
    [ -n "$(field /etc/group "$u" 1)" ] || echo "$u:x:$id:" >> /etc/group
  fi
  uid=$(field /etc/passwd "$u" 3) gid=$(field /etc/passwd "$u" 4) home=$(field /etc/passwd "$u" 6)
  shell=$(field /etc/passwd "$u" 7)
  grep -qxF "$shell" /etc/shells || { why="$u exists with the shell '$shell', which cannot log in"; return 1; }
  [ -n "$(field /etc/shadow "$u" 1)" ] || echo "$u:*:19000:0:99999:7:::" >> /etc/shadow
  hash='*'
  if [ -n "$login_password_hash" ]; then
    case "$login_password_hash" in
      *[!A-Za-z0-9./\$=]*) why="the password hash holds characters no crypt hash has"; return 1 ;;
      '$6$'*) hash="$login_password_hash" ;;
      *) why="the password hash is not SHA-512 crypt (\$6\$)"; return 1 ;;
    esac
  fi
  awk -F: -v OFS=: -v u="$u" -v h="$hash" '$1 == u { $2 = h } { print }' /etc/shadow > /etc/shadow.new &&
    chmod 600 /etc/shadow.new && mv /etc/shadow.new /etc/shadow || { why="cannot update /etc/shadow"; return 1; }
  mkdir -p "$home/.ssh" && touch "$home/.ssh/authorized_keys" || { why="cannot make $home/.ssh"; return 1; }
  if [ -n "$login_ssh_key" ] && ! grep -qxF "$login_ssh_key" "$home/.ssh/authorized_keys"; then
    printf '%s\n' "$login_ssh_key" >> "$home/.ssh/authorized_keys"
  fi
  chown "$uid:$gid" "$home" "$home/.ssh" "$home/.ssh/authorized_keys"
  chmod 700 "$home/.ssh" && chmod 600 "$home/.ssh/authorized_keys"
}

# Starts dropbear in the foreground of its own process (so stop() can end it), logging to the
# console, and returns once port 22 listens, so "ready" means a client can connect.
start_sshd() {
  key=/etc/dropbear/dropbear_ed25519_host_key
  mkdir -p /etc/dropbear
  [ -s "$key" ] || dropbearkey -t ed25519 -f "$key" >/dev/null 2>&1 || { why="cannot make a host key"; return 1; }
  # On the console so a user (or a test) can check the host key before trusting the server.
  echo "fleetyard-ssh-host-key $(dropbearkey -y -f "$key" | grep '^ssh-')"
  nopw=-s
  [ -n "$login_password_hash" ] && nopw=
  dropbear -F -E -p 22 -r "$key" $nopw -P /run/dropbear.pid 2>&1 &
  sshd_pid=$!
  i=0
  until grep -qE ':0016 [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
    kill -0 "$sshd_pid" 2>/dev/null || { why="dropbear exited"; sshd_pid=; return 1; }
    i=$((i + 1))
    [ "$i" -lt 500 ] || { why="dropbear does not listen on port 22"; return 1; }
    usleep 10000
  done
}

if [ -n "$login_user" ]; then
  why=
  if apply_login && start_sshd; then
    echo "fleetyard-login $login_user ready"
  else
    echo "fleetyard-login $login_user failed: $why"
  fi
fi
login_password_hash=

# The configuration-management key (src/identity/config-ssh-key.ts): root accepts it, so that
# Fleetyard's Ansible runs (which need no Python here: `raw` only) can reach the appliance.
apply_config_key() {
  [ -x /usr/sbin/dropbear ] || { why="this image has no SSH server"; return 1; }
  mkdir -p /root/.ssh && touch /root/.ssh/authorized_keys || { why="cannot make /root/.ssh"; return 1; }
  grep -qxF "$config_ssh_key" /root/.ssh/authorized_keys || printf '%s\n' "$config_ssh_key" >> /root/.ssh/authorized_keys
  chown 0:0 /root /root/.ssh /root/.ssh/authorized_keys
  chmod 700 /root /root/.ssh && chmod 600 /root/.ssh/authorized_keys
}
if [ -n "$config_ssh_key" ]; then
  why=
  if apply_config_key && { [ -n "$sshd_pid" ] || start_sshd; }; then
    echo "fleetyard-config-ssh ready"
  else
    echo "fleetyard-config-ssh failed: $why"
  fi
fi

echo "<html><body><h1>$name</h1></body></html>" > /www/index.html
httpd -f -p 80 -h /www &
httpd_pid=$!
echo "fleetyard-appliance $name up"
# `wait` returns when a trapped signal arrives; keep waiting if a server dies on its own.
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
echo "build-base-image: wrote $out ($(du -k "$out" | cut -f1) KiB)" >&2
