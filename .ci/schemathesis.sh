#!/usr/bin/env bash
# Schemathesis against the emulator's own OpenAPI document: starts
# `reseller serve --in-memory` (demo seed) on a free port, and checks that no
# generated request gets a 5xx and that every answer matches the documented schema
# of its status. The operations that would destroy the run's credentials (reset,
# state import) and the fault injection (whose 5xx are on purpose) are excluded.
#
# Environment: SCHEMATHESIS_MAX_EXAMPLES (default 25 per operation),
# SCHEMATHESIS_SEED (default 1, so a run is reproducible),
# SCHEMATHESIS_VENV (default: $CARGO_TARGET_DIR/schemathesis-venv, target/ by
# default), PYTHON (default python3).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION="4.32.5"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
SEED="${SCHEMATHESIS_SEED:-1}"
mkdir -p "${CARGO_TARGET_DIR:-target}"
TARGET_DIR="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)"
VENV="${SCHEMATHESIS_VENV:-$TARGET_DIR/schemathesis-venv}"
PYTHON="${PYTHON:-python3}"
# The demo seed's API key and main account (crates/reseller-emulator/src/seed.rs).
DEMO_KEY="emk_demo_acme_hosting_0001"
DEMO_ACCOUNT="a1000000-0000-4000-8000-000000000001"

started=$(date +%s)

echo "==> schemathesis $SCHEMATHESIS_VERSION (venv $VENV)"
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
"$VENV/bin/schemathesis" --version

echo "==> cargo build -p reseller-cli"
cargo build --quiet -p reseller-cli

# A free port: bind port 0, read it back, release it.
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
log="$TARGET_DIR/schemathesis-emulator.log"

echo "==> reseller serve --in-memory --listen 127.0.0.1:$port"
"$TARGET_DIR/debug/reseller" serve --in-memory --listen "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
stop_server() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap stop_server EXIT

ready=""
for _ in $(seq 1 100); do
    if "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
        "$base/_emulator/health" 2>/dev/null; then
        ready=1
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [ -z "$ready" ]; then
    echo "error: the emulator did not answer $base/_emulator/health; its log:" >&2
    cat "$log" >&2
    exit 1
fi

echo "==> schemathesis run $base/_emulator/openapi.json (max $MAX_EXAMPLES examples per operation)"
# Run from the target directory: Schemathesis keeps a `.schemathesis/` cache in
# its working directory.
status=0
(cd "$TARGET_DIR" && "$VENV/bin/schemathesis" run "$base/_emulator/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --generation-database none \
    --workers 2 \
    --header "Authorization: $DEMO_KEY" \
    --header "wix-account-id: $DEMO_ACCOUNT" \
    --exclude-operation-id reset \
    --exclude-operation-id importState \
    --exclude-operation-id addFaults \
    --report junit \
    --report-dir "$TARGET_DIR/schemathesis-report" \
    --no-color) || status=$?

echo "==> schemathesis finished in $(($(date +%s) - started))s (exit $status)"
if [ "$status" -ne 0 ]; then
    echo "emulator log: $log" >&2
fi
exit "$status"
