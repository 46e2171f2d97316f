#!/usr/bin/env bash
# The outside gRPC client (grpc_client.py) against a suite started by deploy/local/run.sh (no demo
# data) from this build: an API key (the bootstrap admin key run.sh wrote) exchanged for a token at
# POST /v1/tokens, the registry and the case service called with it, a forged token refused.
# Usage: grpc_client_e2e.sh --build-dir DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build_dir=""
[[ ${1:-} == --build-dir ]] && build_dir="$2"
[[ -n $build_dir ]] || { echo "usage: grpc_client_e2e.sh --build-dir DIR" >&2; exit 2; }
runner="$repo/deploy/local/run.sh"

data_dir="$(mktemp -d)"
export WAHANA_DATA_DIR="$data_dir" WAHANA_BUILD_DIR="$build_dir" WAHANA_SKIP_INSTALL=1 WAHANA_SKIP_BUILD=1
export WAHANA_REGION=16.06 WAHANA_DEMO=0
unset WAHANA_REDIS_PORT WAHANA_REGISTRY_PORT WAHANA_CASE_PORT WAHANA_EVENT_PORT WAHANA_REPORTING_PORT \
  WAHANA_METRICS_PORT

cleanup() {
  "$runner" --stop >/dev/null 2>&1 || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for log in "$data_dir"/logs/*.log; do
    [[ -f $log ]] || continue
    echo "----- tail of $log"
    tail -n 20 "$log"
  done
  exit 1
}

# Random HTTP ports from 30100-32699, as tests/deploy/run_sh_e2e.sh picks them (see there).
started=0
for ((attempt = 1; attempt <= 8; attempt++)); do
  export WAHANA_HTTP_PORT="$((30100 + RANDOM % 2600))"
  if timeout 180 "$runner" --detach >"$data_dir/start.out" 2>&1; then
    started=1
    break
  fi
  grep -q 'already in use' "$data_dir/start.out" && continue
  cat "$data_dir/start.out"
  fail "run.sh --detach failed"
done
((started)) || fail "no free port found"

# shellcheck disable=SC1091
source "$data_dir/run/suite.env"
[[ -s $data_dir/admin.token ]] || fail "run.sh wrote no admin key"
# The signing key is the gateway's alone; the services were given the public half.
[[ $(stat -c %a "$data_dir/secrets/token_signing_key.pem") == 600 ]] || fail "the signing key is not mode 0600"
for svc in registry case event reporting; do
  pid="$(cat "$data_dir/run/$svc.pid")"
  if tr '\0' '\n' <"/proc/$pid/environ" | grep -q '^WAHANA_TOKEN_SIGNING_KEY_FILE='; then
    fail "$svc was given the signing key"
  fi
done
# The public half is no secret: no service warns that others may read it.
if grep -l 'WAHANA_TOKEN_PUBLIC_KEY_FILE.*readable' "$data_dir"/logs/*.log; then
  fail "a service warns about the public key file's mode"
fi
echo "ok   only the gateway holds the signing key"

# Debian's python3 explicitly: python3-grpcio, python3-protobuf and python3-cryptography are
# installed for it.
/usr/bin/python3 "$here/grpc_client.py" --url "http://127.0.0.1:$WAHANA_HTTP_PORT" \
  --registry "127.0.0.1:$port_registry" --case "127.0.0.1:$port_case" \
  --key-file "$data_dir/admin.token" --build-dir "$build_dir" || fail "the gRPC client failed"
