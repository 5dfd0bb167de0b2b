#!/usr/bin/env bash
# Makes sure the services the test suites use are up on this machine:
#   PostgreSQL on 127.0.0.1:5432 accepting user postgres without a password (trust), and
#   NATS with JetStream on 127.0.0.1:4222.
# A service that already answers is left alone. One that is installed but stopped is started.
# One that is missing is installed with apt-get when running as root on Debian (the only case
# where this script changes the machine's packages). Idempotent and non-interactive; prints one
# line per service (plus one line naming any packages it installs) and exits non-zero with the
# reason when a service cannot be brought up within WAIT_SECONDS.
set -euo pipefail

readonly PG_HOST=127.0.0.1 PG_PORT=5432
readonly NATS_HOST=127.0.0.1 NATS_PORT=4222
readonly NATS_STORE=/var/lib/nats-server NATS_LOG=/var/log/nats-server.log
# The pid file makes start-stop-daemon look for our server only, not any nats-server running.
readonly NATS_PIDFILE=/run/nats-server-fleetyard.pid
readonly WAIT_SECONDS=30

fail() {
  echo "$1" >&2
  exit 1
}

# PostgreSQL answers and lets user postgres in without a password.
pg_trusts() {
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -w -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

pg_answers() {
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1
}

# NATS answers and its INFO line says JetStream is on.
nats_has_jetstream() {
  local info
  info=$( (exec 3<>"/dev/tcp/$NATS_HOST/$NATS_PORT" && read -r -t 3 line <&3 && echo "$line") 2>/dev/null) || return 1
  [[ "$info" == INFO* && "$info" == *'"jetstream":true'* ]]
}

nats_answers() {
  (exec 3<>"/dev/tcp/$NATS_HOST/$NATS_PORT") 2>/dev/null
}

# Runs `check` until it succeeds or WAIT_SECONDS pass.
wait_for() {
  local check=$1 deadline=$((SECONDS + WAIT_SECONDS))
  until "$check"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

pg_installed() { command -v pg_ctlcluster >/dev/null && command -v psql >/dev/null; }
nats_installed() { [[ -x /usr/sbin/nats-server ]]; }

# Installs whatever is missing, in one apt-get run.
install_missing() {
  local missing=()
  pg_answers || pg_installed || missing+=(postgresql)
  nats_answers || nats_installed || missing+=(nats-server)
  ((${#missing[@]} > 0)) || return 0
  if [[ $(id -u) -ne 0 || ! -f /etc/debian_version ]]; then
    fail "missing ${missing[*]}: install them (or run this script as root on Debian to have it do so)"
  fi
  echo "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Adds a trust rule for TCP from 127.0.0.1 ahead of the others (pg_hba is first-match) and reloads.
pg_trust_localhost() {
  local version=$1 hba="/etc/postgresql/$1/main/pg_hba.conf"
  [[ -w "$hba" ]] || fail "postgresql: $hba is not writable; allow 'host all all 127.0.0.1/32 trust' there"
  if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust  # added for the Fleetyard test suites' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
}

ensure_postgres() {
  if pg_trusts; then
    echo "postgresql: already running at $PG_HOST:$PG_PORT"
    return
  fi
  local version action=started
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$version" ]] || fail "postgresql: no cluster under /etc/postgresql"
  if [[ $(id -u) -ne 0 ]]; then
    pg_answers && fail "postgresql: user postgres needs a password at $PG_HOST:$PG_PORT; trusting 127.0.0.1 needs root"
    fail "postgresql: not running at $PG_HOST:$PG_PORT, and starting it needs root"
  fi
  if pg_answers; then
    action='configured to trust 127.0.0.1'
  else
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_for pg_answers || fail "postgresql: $version/main did not answer at $PG_HOST:$PG_PORT within ${WAIT_SECONDS}s"
  fi
  if ! pg_trusts; then
    pg_trust_localhost "$version"
    [[ "$action" == started ]] && action='started and configured to trust 127.0.0.1'
  fi
  wait_for pg_trusts || fail "postgresql: user postgres cannot connect without a password at $PG_HOST:$PG_PORT"
  echo "postgresql: $action ($version/main) at $PG_HOST:$PG_PORT"
}

ensure_nats() {
  if nats_has_jetstream; then
    echo "nats: already running with JetStream at $NATS_HOST:$NATS_PORT"
    return
  fi
  if nats_answers; then
    fail "nats: something answers at $NATS_HOST:$NATS_PORT without JetStream; restart it with -js"
  fi
  [[ $(id -u) -eq 0 ]] || fail "nats: not running at $NATS_HOST:$NATS_PORT, and starting it needs root"
  mkdir -p "$NATS_STORE"
  start-stop-daemon --start --oknodo --background --make-pidfile --pidfile "$NATS_PIDFILE" \
    --exec /usr/sbin/nats-server -- \
    -a "$NATS_HOST" -p "$NATS_PORT" -js -sd "$NATS_STORE" -l "$NATS_LOG" >/dev/null
  wait_for nats_has_jetstream ||
    fail "nats: did not answer with JetStream at $NATS_HOST:$NATS_PORT within ${WAIT_SECONDS}s (see $NATS_LOG)"
  echo "nats: started with JetStream at $NATS_HOST:$NATS_PORT"
}

install_missing
ensure_postgres
ensure_nats
