#!/usr/bin/env bash
# End to end through deploy/local/run-federation.sh against an already-built tree: a province and
# a district started detached on free ports in a temporary data dir, linked; a case created in the
# district shows in the province's report by region; every command the script printed works as
# printed (check_printed_commands.py); --status, then --stop leaves no process behind.
# Usage: run_federation_e2e.sh --build-dir DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build_dir=""
[[ ${1:-} == --build-dir ]] && build_dir="$2"
[[ -n $build_dir ]] || { echo "usage: run_federation_e2e.sh --build-dir DIR" >&2; exit 2; }
runner="$repo/deploy/local/run-federation.sh"

data_dir="$(mktemp -d)"
export WAHANA_DATA_DIR="$data_dir" WAHANA_BUILD_DIR="$build_dir" WAHANA_SKIP_INSTALL=1 WAHANA_SKIP_BUILD=1
export WAHANA_DEMO=0
unset WAHANA_REGION WAHANA_REDIS_PORT WAHANA_REGISTRY_PORT WAHANA_CASE_PORT WAHANA_EVENT_PORT \
  WAHANA_REPORTING_PORT WAHANA_FEDERATION_PORT WAHANA_METRICS_PORT

cleanup() {
  "$runner" --stop >/dev/null 2>&1 || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for log in "$data_dir"/*.log "$data_dir"/*/logs/*.log; do
    [[ -f $log ]] || continue
    echo "----- tail of $log"
    tail -n 20 "$log"
  done
  exit 1
}

# Free ports as run_sh_e2e.sh picks them (30100-32699), two in a row: province and district.
started=0
for ((attempt = 1; attempt <= 8; attempt++)); do
  export WAHANA_HTTP_PORT=$((30100 + RANDOM % 2598))
  if timeout 300 "$runner" --detach >"$data_dir/start.out" 2>&1; then
    started=1
    break
  fi
  grep -q 'already in use' "$data_dir"/*.log "$data_dir/start.out" 2>/dev/null || break
  "$runner" --stop >/dev/null 2>&1 || true
done
[[ $started == 1 ]] || { cat "$data_dir/start.out"; fail "run-federation.sh --detach failed"; }
grep -q 'linked' "$data_dir/start.out" || fail "no 'linked' in the output"
province="http://127.0.0.1:$WAHANA_HTTP_PORT"
district="http://127.0.0.1:$((WAHANA_HTTP_PORT + 1))"
pkey="Authorization: Bearer $(cat "$data_dir/province/admin.token")"
dkey="Authorization: Bearer $(cat "$data_dir/district/admin.token")"

"$runner" --status >/dev/null || fail "--status did not exit 0 with both suites running"

code="$(curl -s -o "$data_dir/case.json" -w '%{http_code}' -X POST -H "$dkey" \
  -H 'Content-Type: application/json' "$district/v1/cases?requestId=federation-e2e-1" \
  -d '{"villageCode":"16.06.01.2001","category":"ANAK_JALANAN","kind":"INDIVIDUAL","summary":"Anak jalanan di pasar"}')"
[[ $code == 200 ]] || fail "creating a case in the district answered $code: $(cat "$data_dir/case.json")"
year="$(TZ=Asia/Jakarta date +%Y)"
seen=""
for ((i = 0; i < 100; i++)); do
  seen="$(curl -s -H "$pkey" "$province/v1/reports/cases?region=16&period=$year&groupBy=region" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print(next((x["count"] for x in r.get("rows",[]) if x["key"]=="16.06"), ""))')"
  [[ $seen == 1 ]] && break
  sleep 0.2
done
[[ $seen == 1 ]] || fail "the district's case did not reach the province's report (row 16.06: '$seen')"

python3 "$here/check_printed_commands.py" --url "$province" --data-dir "$data_dir/province" \
  --runner-output "$data_dir/start.out" || fail "a printed command failed"

"$runner" --stop >"$data_dir/stop.out" 2>&1 || { cat "$data_dir/stop.out"; fail "--stop failed"; }
rc=0
"$runner" --status >/dev/null 2>&1 || rc=$?
[[ $rc == 3 ]] || fail "--status after --stop exited $rc, not 3"
for dir in "$data_dir/province" "$data_dir/district"; do
  for pid_file in "$dir"/run/*.pid; do
    [[ -f $pid_file ]] || continue
    pid="$(cat "$pid_file")"
    ! kill -0 "$pid" 2>/dev/null || fail "process $pid ($pid_file) still runs after --stop"
  done
done
echo "PASS"
