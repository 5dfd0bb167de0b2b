#!/bin/sh
# The chassis of a simulated host (a machine that runs a Fleetyard agent): ipmi_sim runs this for
# chassis control as
#
#   host-chassis.sh HOST_DIR get power        prints power:0|1
#   host-chassis.sh HOST_DIR set power 0|1    powers the host off | on
#
# HOST_DIR/power holds the state (1 when absent); every action is appended to HOST_DIR/actions.log
# with its time. Powering off runs HOST_DIR/power-off.sh when it exists: what "the power is cut"
# means for this host (the test's helper writes it: stop the agent's processes and appliances).
# Powering on runs HOST_DIR/power-on.sh when it exists (a test's slow power supply, say).
set -eu
dir="$1"
shift
state() { cat "$dir/power" 2>/dev/null || echo 1; }
case "$1 $2" in
  "get power") echo "power:$(state)" ;;
  "get "*) ;;
  "set power")
    echo "$3 $(date +%s.%N)" >> "$dir/actions.log"
    if [ "$3" = 0 ] && [ -x "$dir/power-off.sh" ]; then "$dir/power-off.sh" </dev/null >>"$dir/power-off.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- || true; fi
    if [ "$3" = 1 ] && [ -x "$dir/power-on.sh" ]; then "$dir/power-on.sh" </dev/null >>"$dir/power-on.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- || true; fi
    echo "$3" > "$dir/power"
    ;;
  *) ;;
esac
