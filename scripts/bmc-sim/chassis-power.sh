#!/bin/sh
# The chassis of a simulated bare-metal server: ipmi_sim runs this for chassis control as
#
#   chassis-power.sh MACHINE_DIR get power|boot ...   prints power:0|1, boot:pxe|default
#   chassis-power.sh MACHINE_DIR set power 1|0        starts | stops the machine
#   chassis-power.sh MACHINE_DIR set reset 1          hard reset: stop and start again
#   chassis-power.sh MACHINE_DIR set boot pxe|...     the next boot's device (remembered only:
#                                                     the machine has no disk, it always PXE-boots)
#
# MACHINE_DIR/machine.env says which machine (sourced; written by the test's helper):
#   NETNS=name        network namespace its tap lives in (empty: the host's)
#   TAP=name          the tap device it is attached to (made beforehand, on a bridge)
#   MAC=52:54:…       its NIC's MAC
#   MEMORY_MIB=256
#
# The machine is a diskless QEMU (TCG; KVM is not used) with a virtio NIC whose option ROM is
# iPXE, booting from the network (-boot n). Its serial console goes to MACHINE_DIR/serial.log,
# its pid to MACHINE_DIR/qemu.pid. Powered on means: that pid is a live QEMU of this machine.
set -eu
dir="$1"
shift
. "$dir/machine.env"
pidfile="$dir/qemu.pid"

# A live (not zombie) process whose command line names this machine's pid file.
running_pid() {
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -r "/proc/$pid/stat" ] || return 1
  state="$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [ "$state" != Z ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pidfile" || return 1
  echo "$pid"
}

power_on() {
  running_pid >/dev/null && return 0
  rm -f "$pidfile"
  set -- qemu-system-x86_64 -name "fleetyard-sim-$(basename "$dir")" -accel tcg -m "${MEMORY_MIB:-256}" \
    -display none -vga none -serial "file:$dir/serial.log" -monitor none -boot n \
    -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=$MAC" \
    -daemonize -pidfile "$pidfile"
  if [ -n "${NETNS:-}" ]; then set -- ip netns exec "$NETNS" "$@"; fi
  # The machine must not keep the BMC's sockets open (ipmi_sim's descriptors 3 and up; dash
  # keeps this script on 10 and above, which must stay open while it runs).
  "$@" </dev/null >>"$dir/qemu.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
}

power_off() {
  pid="$(running_pid)" || { rm -f "$pidfile"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  i=0
  while running_pid >/dev/null; do
    i=$((i + 1))
    if [ "$i" -eq 100 ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    [ "$i" -lt 200 ] || break
    sleep 0.02
  done
  rm -f "$pidfile"
}

echo "$(date '+%F %T') $*" >>"$dir/chassis.log"
case "$1" in
  get)
    shift
    for what in "$@"; do
      case "$what" in
        power) if running_pid >/dev/null; then echo power:1; else echo power:0; fi ;;
        boot) echo "boot:$(cat "$dir/bootdev" 2>/dev/null || echo default)" ;;
      esac
    done
    ;;
  set)
    case "$2 ${3:-}" in
      "power 1") power_on ;;
      "power 0") power_off ;;
      "reset 1") power_off; power_on ;;
      "boot "*) echo "$3" >"$dir/bootdev" ;;
    esac
    ;;
esac
exit 0
