#!/usr/bin/env bash
# Builds Fleetyard's boot kernel set for VMs and network-booted machines, from Debian packages only:
#
#   scripts/build-test-kernel.sh OUT_DIR
#
# writes OUT_DIR/vmlinuz (Debian's cloud kernel, from the package linux-image-cloud-amd64 depends
# on), OUT_DIR/initrd.gz (busybox-static, the few kernel modules a VM needs, and an /init) and
# OUT_DIR/cmdline (the base kernel command line). `fleetyard kernel import` registers the set.
#
# The /init reads these kernel parameters (all optional):
#   fy.marker            print `fleetyard-initramfs ok` on the console first thing
#   fy.ip=ADDR/PREFIX    eth0's address (or fy.ip=dhcp); fy.gw=GATEWAY adds a default route
#   fy.hostname=NAME     the hostname
#   fy.root=/dev/vda     mount this disk (ext4) as the root and switch_root into it
#   fy.root=http://H/X.tar.gz   fetch a root filesystem tarball into RAM (tmpfs) and switch_root
#   fy.init=PATH         what to run in the root (default /etc/fleetyard/init)
#   fy.seed=BASE64       the seed (src/drivers/seed.ts), written to /etc/fleetyard/seed in the root;
#                        the QEMU fw_cfg file opt/fleetyard/seed does the same without putting
#                        the seed on a command line anyone can read
#   fy.poweroff          power off right after the marker (a boot smoke test)
# From the seed it also reads `more_interfaces` (a VM's further NICs, eth1=ADDR/PREFIX …) and
# gives each its address, without a route.
# Without fy.root the machine idles in the initramfs until it is powered down.
#
# PID 1 after switch_root is a small supervisor run from a tmpfs on /run (busybox copied there),
# not the image's init: it starts the init as its child, watches the ACPI power button through
# evdev (/dev/input/event*), and on a press sends TERM to the init, waits for it (10 s, then
# KILL), syncs, remounts the root read-only and calls `poweroff -f`. So QMP `system_powerdown`
# ends in a clean guest power-off, and an init that exits powers the machine off too.
#
# Installs busybox-static, qemu-system-x86, qemu-utils and e2fsprogs with apt-get when missing
# and running as root, saying so. Idempotent: the outputs are rebuilt only when this script or
# busybox changed (a stamp holds both hashes), written under temporary names and renamed. Set
# FY_KERNEL_DEB=/path/to/linux-image-*.deb to use a package file instead of downloading one.
set -euo pipefail

out="${1:?usage: $0 OUT_DIR}"
busybox=/bin/busybox
say() { echo "build-test-kernel: $*" >&2; }

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing: $* (install them with apt-get as root)"
    return 1
  fi
  say "installing $* with apt-get"
  # Another apt-get may be running on a shared machine: wait for its lock instead of failing.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2
}

missing=()
{ [ -x "$busybox" ] && ! LC_ALL=C ldd "$busybox" >/dev/null 2>&1; } || missing+=(busybox-static)
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v qemu-img >/dev/null 2>&1 || missing+=(qemu-utils)
command -v mkfs.ext4 >/dev/null 2>&1 || missing+=(e2fsprogs)
command -v dpkg-deb >/dev/null 2>&1 || missing+=(dpkg)
# Only busybox and dpkg-deb are needed to build; the others are needed to boot what is built.
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}" || true; fi
if [ ! -x "$busybox" ] || LC_ALL=C ldd "$busybox" >/dev/null 2>&1; then
  say "$busybox is missing or not static; apt-get install busybox-static"
  exit 1
fi

stamp="$(sha256sum "$0" | cut -c1-64) $(sha256sum "$busybox" | cut -c1-64)"
if [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.gz" ] && [ -f "$out/cmdline" ] &&
  [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

deb="${FY_KERNEL_DEB:-}"
if [ -z "$deb" ]; then
  # linux-image-cloud-amd64 is a metapackage; the kernel is the linux-image-*-cloud-amd64 it depends on.
  pkg="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ { print $2; exit }')"
  if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
    say "no package lists know linux-image-cloud-amd64; running apt-get update"
    apt-get update -qq >&2
    pkg="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ { print $2; exit }')"
  fi
  [ -n "$pkg" ] || { say "cannot find the package linux-image-cloud-amd64 depends on"; exit 1; }
  say "downloading $pkg"
  # As root, apt warns that its _apt user cannot write to the private work dir and downloads
  # as root instead; that warning is noise here.
  (cd "$work" && apt-get download -qq "$pkg" 2>&1 | grep -v 'unsandboxed' >&2 || true)
  deb="$(ls "$work"/linux-image-*.deb 2>/dev/null | head -n 1)"
  [ -n "$deb" ] || { say "apt-get download $pkg failed"; exit 1; }
fi
dpkg-deb -x "$deb" "$work/kpkg"
kver="$(ls "$work/kpkg/lib/modules" | head -n 1)"
moddir="$work/kpkg/lib/modules/$kver"
[ -f "$work/kpkg/boot/vmlinuz-$kver" ] || { say "no vmlinuz in $deb"; exit 1; }
# The package leaves modules.dep to its postinst; busybox's depmod makes it without kmod.
"$busybox" depmod -b "$work/kpkg" "$kver"

# Each wanted module and its dependencies, dependencies first (modules.dep lists them per line).
order=()
declare -A seen=()
add_module() { # $1 = path relative to $moddir
  local rel="$1" line dep
  [ -n "${seen[$rel]:-}" ] && return 0
  seen[$rel]=1
  line="$(grep -m1 "^$rel:" "$moddir/modules.dep" || true)"
  for dep in ${line#*:}; do add_module "$dep"; done
  order+=("$rel")
}
want() { # $1 = module name, $2 = required|optional
  local rel
  rel="$(grep -m1 -E "(^|/)$1\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | cut -d: -f1 || true)"
  if [ -n "$rel" ]; then add_module "$rel"; return 0; fi
  grep -qE "(^|/)$1\.ko" "$moddir/modules.builtin" && return 0 # built into the kernel
  if [ "$2" = required ]; then say "kernel $kver has no module $1"; exit 1; fi
  say "kernel $kver has no module $1 (optional, skipped)"
}
want virtio_pci required
want virtio_blk required
want virtio_net required
want ext4 required
want crc32c_generic optional # ext4's metadata checksums
want evdev required          # the power button's events on /dev/input/event*
want button required         # the ACPI power button
want af_packet optional      # udhcpc for fy.ip=dhcp
want qemu_fw_cfg optional    # the seed as a QEMU fw_cfg file
want virtio-rng optional     # the host's entropy: without it getrandom() blocks and SSH host keys cannot be made

root="$work/initramfs"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,run,newroot,etc,lib/modules,fleetyard}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
for rel in "${order[@]}"; do
  name="$(basename "$rel")"
  case "$name" in
    *.ko) cp "$moddir/$rel" "$root/lib/modules/$name" ;;
    *.ko.xz) xz -dc "$moddir/$rel" > "$root/lib/modules/${name%.xz}" ;;
    *.ko.zst) zstd -qdc "$moddir/$rel" > "$root/lib/modules/${name%.zst}" ;;
    *) say "unknown module file $rel"; exit 1 ;;
  esac
  echo "${name%.ko*}.ko" >> "$root/lib/modules/load-order"
done
touch "$root/lib/modules/load-order"
echo "$kver" > "$root/etc/kernel-release"

cat > "$root/init" <<'INIT'
#!/bin/busybox sh
# Fleetyard initramfs /init (made by scripts/build-test-kernel.sh; parameters documented there).
export PATH=/bin:/sbin
set -f # kernel parameters are words, never globs
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

fy_root= fy_ip= fy_gw= fy_hostname= fy_seed= fy_init=/etc/fleetyard/init fy_marker= fy_poweroff=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    fy.root=*) fy_root="${arg#fy.root=}" ;;
    fy.ip=*) fy_ip="${arg#fy.ip=}" ;;
    fy.gw=*) fy_gw="${arg#fy.gw=}" ;;
    fy.hostname=*) fy_hostname="${arg#fy.hostname=}" ;;
    fy.seed=*) fy_seed="${arg#fy.seed=}" ;;
    fy.init=*) fy_init="${arg#fy.init=}" ;;
    fy.marker) fy_marker=1 ;;
    fy.poweroff) fy_poweroff=1 ;;
  esac
done
[ -n "$fy_marker" ] && echo "fleetyard-initramfs ok"
[ -n "$fy_poweroff" ] && poweroff -f

fail() {
  echo "fleetyard-initramfs: $*"
  sync
  poweroff -f
}

while read -r m; do
  insmod "/lib/modules/$m" 2>/dev/null || echo "fleetyard-initramfs: cannot load $m"
done < /lib/modules/load-order

[ -n "$fy_hostname" ] && hostname "$fy_hostname"
ip link set lo up
if [ -n "$fy_ip" ]; then
  i=0
  while [ ! -e /sys/class/net/eth0 ]; do
    i=$((i + 1)); [ "$i" -le 250 ] || fail "no eth0"
    usleep 20000
  done
  ip link set eth0 up
  if [ "$fy_ip" = dhcp ]; then
    udhcpc -i eth0 -q -n -t 10 -s /fleetyard/udhcpc.script >/dev/null 2>&1 || fail "no DHCP answer on eth0"
  else
    ip addr add "$fy_ip" dev eth0 || fail "cannot set eth0 to $fy_ip"
    [ -z "$fy_gw" ] || ip route add default via "$fy_gw" || fail "cannot route via $fy_gw"
  fi
fi

[ -n "$fy_root" ] || exec /bin/busybox sh /fleetyard/pid1 /bin/busybox idle

case "$fy_root" in
  /dev/*)
    i=0
    while [ ! -b "$fy_root" ]; do
      i=$((i + 1)); [ "$i" -le 250 ] || fail "no disk $fy_root"
      usleep 20000
    done
    mount -t ext4 -o rw "$fy_root" /newroot 2>/dev/null || mount -o rw "$fy_root" /newroot || fail "cannot mount $fy_root"
    ;;
  http://*)
    mount -t tmpfs -o mode=0755 root /newroot || fail "cannot make a tmpfs root"
    set -o pipefail
    case "$fy_root" in
      *.tar) wget -q -O - "$fy_root" | tar -x -C /newroot ;;
      *) wget -q -O - "$fy_root" | tar -xz -C /newroot ;;
    esac || fail "cannot fetch the root from $fy_root"
    ;;
  *) fail "fy.root must be /dev/... or http://...: $fy_root" ;;
esac

# The seed: from fw_cfg (preferred, not on any command line) or fy.seed; root-only, replaced whole.
seed_fw=/sys/firmware/qemu_fw_cfg/by_name/opt/fleetyard/seed/raw
if [ -r "$seed_fw" ] || [ -n "$fy_seed" ]; then
  umask 077
  mkdir -p /newroot/etc/fleetyard
  if [ -r "$seed_fw" ]; then cat "$seed_fw"; else echo "$fy_seed" | base64 -d; fi > /newroot/etc/fleetyard/.seed.tmp ||
    fail "cannot write the seed"
  chmod 600 /newroot/etc/fleetyard/.seed.tmp
  mv /newroot/etc/fleetyard/.seed.tmp /newroot/etc/fleetyard/seed
  umask 022
fi

# A VM's further NICs (the seed's more_interfaces: eth1=ADDR/PREFIX …, in order): each gets its
# address and comes up; no route goes via any of them (the default route is eth0's, fy.gw).
if [ -r /newroot/etc/fleetyard/seed ]; then
  more_interfaces=$(. /newroot/etc/fleetyard/seed && echo "${more_interfaces:-}")
  for nic in $more_interfaces; do
    dev="${nic%%=*}"
    i=0
    while [ ! -e "/sys/class/net/$dev" ]; do
      i=$((i + 1)); [ "$i" -le 250 ] || fail "no $dev"
      usleep 20000
    done
    ip link set "$dev" up
    ip addr add "${nic#*=}" dev "$dev" || fail "cannot set $dev to ${nic#*=}"
  done
fi

# The supervisor and its busybox live on a tmpfs at /run, so they need nothing from the image.
mkdir -p /newroot/run /newroot/dev /newroot/proc /newroot/sys
mount -t tmpfs -o mode=0755 run /newroot/run
mkdir -p /newroot/run/fleetyard
cp /bin/busybox /fleetyard/pid1 /newroot/run/fleetyard/
mount --move /dev /newroot/dev
mount --move /sys /newroot/sys
mount --move /proc /newroot/proc
exec switch_root /newroot /run/fleetyard/busybox sh /run/fleetyard/pid1 /run/fleetyard/busybox "$fy_init"
INIT

cat > "$root/fleetyard/pid1" <<'PID1'
# PID 1 of a Fleetyard VM: runs the init ($2) as a child, turns the ACPI power button into a
# clean shutdown, and powers the machine off when the init ends. $1 is a static busybox.
bb="$1"
init="$2"
stopping=
# The init inherits this environment: the usual one of a Linux system, not the initramfs's.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=linux
cd /

power_off() {
  kill -TERM -1 2>/dev/null
  "$bb" usleep 200000
  kill -KILL -1 2>/dev/null
  "$bb" sync
  "$bb" mount -o remount,ro / 2>/dev/null
  echo "fleetyard-vm: power off"
  "$bb" poweroff -f
}

# TERM (or KILL after 10 s) to the init, wait for it, power off. Runs once.
shut_down() {
  [ -z "$stopping" ] || return 0
  stopping=1
  echo "fleetyard-vm: power button: stopping $init"
  kill -TERM "$child" 2>/dev/null
  ("$bb" sleep 10; kill -KILL "$child" 2>/dev/null) &
  # `wait` also returns when another signal is trapped; the reaped child fails `kill -0`.
  while kill -0 "$child" 2>/dev/null; do wait "$child"; done
  power_off
}
trap shut_down USR1 TERM

if [ "$init" = idle ]; then
  "$bb" sleep 2147483647 &
elif [ -x "$init" ]; then
  "$init" &
elif [ -f "$init" ]; then
  /bin/sh "$init" &
else
  echo "fleetyard-vm: no init $init"
  power_off
fi
child=$!

# The ACPI power button's input device sends events only when the button is pressed, so the
# first event read from it (one struct input_event, 24 bytes on x86_64) is the request. dd reads
# it with one read(2); stdio tools would wait for a full buffer. The device may register a moment
# after its module loads, so it is looked for for up to 5 s.
(
  i=0
  while [ "$i" -lt 50 ]; do
    found=
    for ev in /sys/class/input/event*; do
      [ "$("$bb" cat "$ev/device/name" 2>/dev/null)" = "Power Button" ] || continue
      ("$bb" dd if="/dev/input/${ev##*/}" of=/dev/null bs=24 count=1 2>/dev/null && kill -USR1 1) &
      found=1
    done
    [ -z "$found" ] || break
    i=$((i + 1))
    "$bb" usleep 100000
  done
) &

wait "$child"
status=$?
[ -n "$stopping" ] && exit 0
echo "fleetyard-vm: $init ended with status $status"
power_off
PID1

cat > "$root/fleetyard/udhcpc.script" <<'DHCP'
#!/bin/busybox sh
# udhcpc's hook for fy.ip=dhcp: apply the lease to eth0, nothing else.
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -z "$router" ] || ip route replace default via "${router%% *}"
    ;;
esac
DHCP
chmod 755 "$root/init" "$root/fleetyard/udhcpc.script"

mkdir -p "$out"
cp "$work/kpkg/boot/vmlinuz-$kver" "$out/.vmlinuz.tmp"
(cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -9 > "$out/.initrd.gz.tmp"
echo "console=ttyS0 quiet panic=-1" > "$out/.cmdline.tmp"
mv "$out/.vmlinuz.tmp" "$out/vmlinuz"
mv "$out/.initrd.gz.tmp" "$out/initrd.gz"
mv "$out/.cmdline.tmp" "$out/cmdline"
echo "$kver" > "$out/kernel-release"
echo "$stamp" > "$out/.stamp"
say "wrote $out: kernel $kver, vmlinuz $(du -k "$out/vmlinuz" | cut -f1) KiB," \
  "initrd.gz $(du -k "$out/initrd.gz" | cut -f1) KiB (modules: $(tr '\n' ' ' < "$root/lib/modules/load-order"))"
