#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks the relay with wrk: small-bundle GETs and PUTs, on SQLite and on
# PostgreSQL (a throwaway cluster from scripts/with-postgres). Not a test:
# it prints requests/s and latency percentiles for docs/performance.md.
#
#   bench/relay.sh              # uses build/ and build-wasm/
#   CHARTLOCK_BUILD=build-relay CHARTLOCK_WASM_BUILD=build-relay-wasm bench/relay.sh
#
# Every request is signed beforehand (bench/relay-prepare.mjs) with its own
# nonce and is sent once (bench/relay.lua), so the relay does all its work:
# signature, skew window, nonce insert, grant lookup, bundle read or write.
# Settings: DURATION (10s), CONNECTIONS (16), GETS and PUTS (signed requests
# per wrk thread: enough for the duration, or the thread stops early).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHARTLOCK_BUILD=${CHARTLOCK_BUILD:-build}
export CHARTLOCK_WASM_BUILD=${CHARTLOCK_WASM_BUILD:-build-wasm}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
gets=${GETS:-30000}
puts=${PUTS:-12000}
wrk_threads=2

if [ -z "${CHARTLOCK_TEST_POSTGRES:-}" ]; then
  exec scripts/with-postgres "$0" "$@"
fi
relay="$CHARTLOCK_BUILD/chartlock-relay"
[ -x "$relay" ] || { echo "bench: $relay not built" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk not installed (apt-get install wrk)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chartlock-bench.XXXXXX")
relay_pid=
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# run BACKEND DB: starts a relay on DB, benches GET then PUT, stops it.
run() {
  local backend=$1 db=$2
  : >"$tmp/relay.log"
  "$relay" --listen 127.0.0.1:0 --db "$db" --threads 16 --address-rate 0 --key-rate 0 2>"$tmp/relay.log" &
  relay_pid=$!
  local port=
  for _ in $(seq 100); do
    port=$(grep -o '"port":[0-9]*' "$tmp/relay.log" | head -1 | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$tmp/relay.log" >&2; exit 1; }
  local url="http://127.0.0.1:$port"
  for kind in get put; do
    local count=$gets
    [ "$kind" = put ] && count=$puts
    rm -rf "$tmp/$kind"
    node bench/relay-prepare.mjs "$url" "$tmp/$kind" "$kind" "$wrk_threads" "$count"
    echo "== $backend ${kind^^} ($connections connections, $duration)"
    RELAY_BENCH_DIR="$tmp/$kind" wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency \
      -s bench/relay.lua "$url" | grep -E 'Requests/sec|requests in|Non-2xx|Socket errors|^p50'
  done
  kill -TERM "$relay_pid"
  wait "$relay_pid" || true
  relay_pid=
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB"
run sqlite "$tmp/relay.db"
run postgres "$CHARTLOCK_TEST_POSTGRES"
