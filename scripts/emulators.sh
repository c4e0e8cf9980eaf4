#!/usr/bin/env bash
# Start the local Google emulators the tests need, run a command, stop what was started.
#
#   scripts/emulators.sh run CMD...   start, export *_EMULATOR_HOST, run CMD, stop; CMD's exit code
#
# Firestore: the official emulator from the Cloud SDK if present, else the npm fallback
# (@firestore-emulator/server: no transaction conflicts; tests that need them skip).
# Pub/Sub: the official emulator if present (no fallback: those tests skip).
# Free ports are chosen each time, so several runs can share one machine.
# An emulator host already set in the environment is reused and not started again.
set -uo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
state="$here/.emulators"
mkdir -p "$state"
sessions=()

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {  # host:port, seconds, label
  local hp="$1" limit="$2" label="$3" i
  for ((i = 0; i < limit * 10; i++)); do
    if python3 -c "import socket,sys; socket.create_connection(('${hp%:*}', ${hp##*:}), 0.2)" 2>/dev/null; then
      echo "emulators: $label ready on $hp" >&2; return 0
    fi
    sleep 0.1
  done
  echo "emulators: $label did not start on $hp within ${limit}s (log: $state/$label.log)" >&2
  tail -n 20 "$state/$label.log" >&2 || true
  return 1
}

sdk_root() {
  command -v gcloud >/dev/null 2>&1 || return 1
  gcloud info --format='value(installation.sdk_root)' 2>/dev/null
}

start_bg() {  # label, command...: start in a new session, remember the session id
  local label="$1"; shift
  setsid "$@" >"$state/$label.log" 2>&1 < /dev/null &
  sessions+=("$!")
}

start_firestore() {
  [ -n "${FIRESTORE_EMULATOR_HOST:-}" ] && { echo "emulators: reusing Firestore at $FIRESTORE_EMULATOR_HOST" >&2; return 0; }
  local root port; root="$(sdk_root || true)"; port="$(free_port)"
  local official="$root/platform/cloud-firestore-emulator/cloud_firestore_emulator"
  if [ -n "$root" ] && [ -x "$official" ] && command -v java >/dev/null 2>&1; then
    start_bg firestore "$official" start --host=127.0.0.1 --port="$port"
    export AUTOAPPLY_FIRESTORE_EMULATOR_KIND=official
    wait_port "127.0.0.1:$port" 60 firestore || return 1
  else
    echo "emulators: official Firestore emulator not found; using the npm fallback" >&2
    if [ ! -d "$state/node/node_modules/@firestore-emulator/server" ]; then
      mkdir -p "$state/node" && (cd "$state/node" && npm install --silent --no-audit --no-fund @firestore-emulator/server@0 >/dev/null) || return 1
    fi
    start_bg firestore node -e "const {FirestoreServer}=require('$state/node/node_modules/@firestore-emulator/server'); new FirestoreServer().start($port)"
    export AUTOAPPLY_FIRESTORE_EMULATOR_KIND=fallback
    wait_port "127.0.0.1:$port" 60 firestore || return 1
  fi
  export FIRESTORE_EMULATOR_HOST="127.0.0.1:$port"
}

start_pubsub() {
  [ -n "${PUBSUB_EMULATOR_HOST:-}" ] && { echo "emulators: reusing Pub/Sub at $PUBSUB_EMULATOR_HOST" >&2; return 0; }
  local root port; root="$(sdk_root || true)"; port="$(free_port)"
  local official="$root/platform/pubsub-emulator/bin/cloud-pubsub-emulator"
  if [ -n "$root" ] && [ -x "$official" ] && command -v java >/dev/null 2>&1; then
    start_bg pubsub "$official" --host=127.0.0.1 --port="$port"
    wait_port "127.0.0.1:$port" 60 pubsub || return 1
    export PUBSUB_EMULATOR_HOST="127.0.0.1:$port"
  else
    echo "emulators: Pub/Sub emulator not found; Pub/Sub tests will skip" >&2
  fi
}

stop_all() {
  local sid
  for sid in "${sessions[@]}"; do
    pkill -s "$sid" 2>/dev/null || true
  done
  sleep 0.3
  for sid in "${sessions[@]}"; do
    pkill -9 -s "$sid" 2>/dev/null || true
  done
}

case "${1:-}" in
  run)
    shift
    trap stop_all EXIT INT TERM
    start_firestore || exit 1
    start_pubsub || exit 1
    "$@"
    ;;
  *)
    echo "usage: scripts/emulators.sh run CMD..." >&2; exit 2 ;;
esac
