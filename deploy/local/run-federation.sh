#!/usr/bin/env bash
# Runs a province deployment and one of its district deployments side by side on one machine,
# linked as in production: the district's reports are relayed to the province in signed batches.
# Each is a whole suite started by deploy/local/run.sh. Run with --help for the switches.
set -euo pipefail

usage() {
  cat <<'EOF_USAGE'
Usage: deploy/local/run-federation.sh [--detach | --stop | --status | --help]

  (no switch)  start the province and the district (each as deploy/local/run.sh does: install,
               build, Redis, services, gateway, demo data), wait until both are ready and the
               district has reached the province, and stay in the foreground: Ctrl-C stops both.
  --detach     the same, but return once both are ready and linked, leaving them running.
  --stop       stop both (district first) and wait for every process.
  --status     show what runs; exit 0 when both suites run whole, 3 otherwise.

Variables (all optional):
  WAHANA_HTTP_PORT   the province's gateway port (8080); the district's is the next one (8081).
                     Every other port follows from these as in run.sh --help.
  WAHANA_REGION      the district's region (16.06); the province is its province (16).
  WAHANA_DATA_DIR    data of both (<repo>/var/federation): the province's in WAHANA_DATA_DIR/province,
                     the district's in WAHANA_DATA_DIR/district, each with its admin.token.
  WAHANA_READY_TIMEOUT  seconds to wait for each suite, and then for the link (60).
Other variables (WAHANA_BUILD_DIR, WAHANA_SKIP_BUILD, WAHANA_DEMO, ...) go to both run.sh.
EOF_USAGE
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runner="$repo/deploy/local/run.sh"

mode=run
case "${1:-}" in
  "") ;;
  --detach) mode=detach ;;
  --stop) mode=stop ;;
  --status) mode=status ;;
  -h|--help) usage; exit 0 ;;
  *) echo "run-federation.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac
[[ $# -le 1 ]] || { echo "run-federation.sh: one switch at most" >&2; exit 2; }

say() { printf 'run-federation.sh: %s\n' "$*"; }
die() { printf 'run-federation.sh: %s\n' "$*" >&2; exit 1; }

data_root="${WAHANA_DATA_DIR:-$repo/var/federation}"
case "$data_root" in /*) ;; *) data_root="$PWD/$data_root" ;; esac
province_dir="$data_root/province"
district_dir="$data_root/district"
province_port="${WAHANA_HTTP_PORT:-8080}"
[[ $province_port =~ ^[0-9]+$ ]] && ((province_port >= 1 && province_port < 65535)) ||
  die "WAHANA_HTTP_PORT must be a port number below 65535, got '$province_port'"
district_port=$((province_port + 1))
district_region="${WAHANA_REGION:-16.06}"
[[ $district_region =~ ^[0-9]{2}\.[0-9]{2}$ ]] ||
  die "WAHANA_REGION must be a regency code such as 16.06, got '$district_region'"
province_region="${district_region%%.*}"
# The gRPC ports run.sh derives from a gateway port (run.sh --help): federation is B+5.
federation_port_of() { echo $((20050 + 10 * ((($1 - 8080) % 1000 + 1000) % 1000) + 5)); }

# Both suites see only what is theirs: the runner's own variables are set per suite below.
unset WAHANA_DATA_DIR WAHANA_HTTP_PORT WAHANA_REGION WAHANA_ROLE WAHANA_PROVINCE_ADDR \
  WAHANA_FEDERATION_KEY_FILE WAHANA_FEDERATION_DISTRICTS_FILE WAHANA_FEDERATION_PORT \
  WAHANA_PROVINCE_PUBLIC_KEY_FILE

stop_both() {
  local rc=0
  WAHANA_DATA_DIR="$district_dir" "$runner" --stop || rc=1
  WAHANA_DATA_DIR="$province_dir" "$runner" --stop || rc=1
  return $rc
}

case $mode in
  stop) stop_both; exit $? ;;
  status)
    rc=0
    say "province ($province_dir):"
    WAHANA_DATA_DIR="$province_dir" "$runner" --status || rc=3
    say "district ($district_dir):"
    WAHANA_DATA_DIR="$district_dir" "$runner" --status || rc=3
    exit $rc ;;
esac

command -v openssl >/dev/null || [[ ${WAHANA_SKIP_INSTALL:-0} == 1 ]] || bash "$repo/deploy/install-deps.sh"
command -v openssl >/dev/null || die "openssl is not on PATH (run deploy/install-deps.sh)"
mkdir -p "$province_dir" "$district_dir/secrets"

# The district's signing key (run.sh would make one too; made here so the province can register
# its public half first), and the province's register of its district.
district_key="$district_dir/secrets/federation_key.pem"
if [[ ! -s $district_key ]]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$district_key.tmp" 2>/dev/null &&
    mv "$district_key.tmp" "$district_key") || die "cannot write $district_key"
fi
public_pem="$(openssl pkey -in "$district_key" -pubout 2>/dev/null)" || die "cannot read $district_key"
# The province's key (run.sh would make it at the same place) signs its look-up questions; the
# district answers only questions its public half verifies.
mkdir -p "$province_dir/secrets"
province_key="$province_dir/secrets/federation_key.pem"
if [[ ! -s $province_key ]]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$province_key.tmp" 2>/dev/null &&
    mv "$province_key.tmp" "$province_key") || die "cannot write $province_key"
fi
province_public="$district_dir/secrets/province_public_key.pem"
openssl pkey -in "$province_key" -pubout -out "$province_public" 2>/dev/null ||
  die "cannot write $province_public"
districts_file="$province_dir/districts.json"
python3 - "$district_region" "$public_pem" "127.0.0.1:$(federation_port_of "$district_port")" \
  >"$districts_file" <<'EOF_PY'
import json, sys
print(json.dumps([{"region": sys.argv[1], "publicKey": sys.argv[2], "address": sys.argv[3]}], indent=2))
EOF_PY

started=()
cleanup() {
  local rc=$?
  if [[ $mode == run || $rc != 0 ]]; then
    for dir in "${started[@]}"; do WAHANA_DATA_DIR="$dir" "$runner" --stop >/dev/null 2>&1 || true; done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting the province $province_region (gateway $province_port, data $province_dir)"
WAHANA_DATA_DIR="$province_dir" WAHANA_HTTP_PORT="$province_port" WAHANA_REGION="$province_region" \
  WAHANA_ROLE=province WAHANA_FEDERATION_DISTRICTS_FILE="$districts_file" WAHANA_DEMO=0 \
  WAHANA_FEDERATION_KEY_FILE="$province_key" \
  "$runner" --detach >"$data_root/province-start.log" 2>&1 ||
  { cat "$data_root/province-start.log" >&2; die "the province did not start"; }
started+=("$province_dir")
say "starting the district $district_region (gateway $district_port, data $district_dir)"
WAHANA_DATA_DIR="$district_dir" WAHANA_HTTP_PORT="$district_port" WAHANA_REGION="$district_region" \
  WAHANA_ROLE=district WAHANA_PROVINCE_ADDR="127.0.0.1:$(federation_port_of "$province_port")" \
  WAHANA_FEDERATION_KEY_FILE="$district_key" WAHANA_PROVINCE_PUBLIC_KEY_FILE="$province_public" \
  WAHANA_SKIP_INSTALL=1 WAHANA_SKIP_BUILD=1 \
  "$runner" --detach >"$data_root/district-start.log" 2>&1 ||
  { cat "$data_root/district-start.log" >&2; die "the district did not start"; }
started+=("$district_dir")

# Linked: the district's relay has had an answer from the province (a batch or a heartbeat).
say "waiting for the district to reach the province"
district_url="http://127.0.0.1:$district_port"
province_url="http://127.0.0.1:$province_port"
deadline=$((SECONDS + ${WAHANA_READY_TIMEOUT:-60}))
until curl -s --max-time 2 -H "Authorization: Bearer $(cat "$district_dir/admin.token")" \
  "$district_url/v1/federation/status" | grep -q '"lastContactTime"'; do
  ((SECONDS < deadline)) || die "the district did not reach the province in time: $(curl -s -H "Authorization: Bearer $(cat "$district_dir/admin.token")" "$district_url/v1/federation/status")"
  sleep 0.5
done
say "linked"

year="$(TZ=Asia/Jakarta date +%Y)"
cat <<EOF

The province $province_region runs at $province_url, the district $district_region at $district_url
(data and each admin.token under $data_root/province and $data_root/district).
Try:
  export PROVINCE_KEY="\$(cat $province_dir/admin.token)" DISTRICT_KEY="\$(cat $district_dir/admin.token)"
  curl -s -H "Authorization: Bearer \$DISTRICT_KEY" $district_url/v1/federation/status
  curl -s -H "Authorization: Bearer \$PROVINCE_KEY" $province_url/v1/federation/status
  curl -s -H "Authorization: Bearer \$PROVINCE_KEY" '$province_url/v1/reports/cases?region=$province_region&period=$year&groupBy=region'
  curl -s -H "Authorization: Bearer \$PROVINCE_KEY" '$province_url/v1/federation/beneficiaries:lookup?nik=1606015708790001'
Logs: $province_dir/logs/<process>.log and $district_dir/logs/<process>.log
EOF

if [[ $mode == detach ]]; then
  echo "Stop: WAHANA_DATA_DIR=$data_root $0 --stop"
  exit 0
fi
echo "Stop: Ctrl-C"
while WAHANA_DATA_DIR="$province_dir" "$runner" --status >/dev/null 2>&1 &&
  WAHANA_DATA_DIR="$district_dir" "$runner" --status >/dev/null 2>&1; do
  sleep 2 &
  wait $! || true
done
say "a suite stopped; stopping the other" >&2
exit 1
