#!/usr/bin/env bash
# One benchmark run: the baselines and the suite measured side by side, on this machine, now.
# The machine is shared and noisy, so the figures that matter are the ratios to the baselines
# measured in the same run:
#   echo      a bare gRPC echo (no worker pool, no Redis), 50 calls in flight
#   xadd      raw Redis XADD from 50 clients (redis-benchmark), on the suite's own Redis
#   gateway   GET /v1/regions/{code} through the gateway (wrk, 50 connections): HTTP -> JSON ->
#             gRPC -> registry -> Redis and back
# and the registry's write path (issue 3), each against its target:
#   create    gRPC CreateBeneficiary straight to the registry, 50 in flight (>= 0.6 x echo)
#   http      POST /v1/beneficiaries through the gateway (wrk, 50 connections) (>= 0.5 x XADD)
#   import    wahana-import-beneficiaries of N generated rows (>= 100,000 rows/s)
#   memory    Redis bytes per beneficiary after the import: MEMORY USAGE of a sample of record keys
#             plus every beneficiary index key over the record count, stream excluded (<= 600)
# and the case service (issue 5), straight over gRPC, 50 in flight (tests/bench/case_bench.cc):
#   case create     CreateCase naming a registry beneficiary (>= 0.5 x echo)
#   lifecycle       create, :assign, :assess, :plan, :approvePlan, :recordService, :terminate,
#                   :close, each a call: whole lifecycles per second
#   history         GET history of a case with 100 actions (p99 <= 5 x echo's p99)
# and the event service (issue 12), straight over gRPC (tests/bench/event_bench.cc):
#   register        RegisterParticipant of walk-ins, 50 in flight (>= 0.5 x echo), with the event
#                   service's and Redis's CPU per registration
#   check-in        CheckInByCode of the registered participants' codes, 50 in flight, with CPU
#                   per check-in (skipped while the service answers UNIMPLEMENTED)
#   capacity        200 registrations at once against 100 seats, 20 runs: exactly 100 each time
# and the reporting service (issue 13), straight over gRPC (tests/bench/reporting_bench.cc):
#   pivot           GetCaseReport of the deployment for a year (groupBy category, region, month in
#                   turn, one call at a time) with 1,000 and with WAHANA_BENCH_REPORT_CASES cases in
#                   that year: p99 at the big size <= 2 x p99 at 1,000. The cases are CaseChanged
#                   messages written straight onto the case stream (not CreateCase), then counted
#                   by the reporting consumer before the clock starts.
#   delay           creation-to-pivot delay of probe cases under a steady CreateCase load at half
#                   the measured capacity: p99 <= 50 x the echo's p50 at 1 call in flight
#                   (echo-1, measured here for this goal)
# and federation (issue 14), in its own process (tests/bench/federation_bench.cc), not the suite's:
#   federation      a backlog of WAHANA_BENCH_FEDERATION_MESSAGES outbox entries (case counter
#                   changes of a district, written during an "outage") drained by the relay over
#                   gRPC into the province and applied by its 4 reporting consumers: messages/s
#                   from the relay's start until the province has applied all (>= 50,000), CPU
#                   per message (the bench process, each Redis), batch sizes 2000 and 5000, beside
#                   XRANGE and pipelined XADD of the same entries on the district's Redis; the
#                   province's counters must equal the district's ("same numbers: yes").
# WAHANA_BENCH_SECONDS (default 10) sets each measurement's length; WAHANA_BENCH_IMPORT_ROWS
# (default 1000000) the rows imported (0 skips the import); WAHANA_BENCH_REPORT_CASES (default
# 1000000) the pivot's big size (0 skips the pivot and the delay); WAHANA_BENCH_FEDERATION_MESSAGES
# (default 1000000) the federation backlog (0 skips it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${WAHANA_BENCH_BUILD_DIR:-$root/build-bench}
seconds=${WAHANA_BENCH_SECONDS:-10}
import_rows=${WAHANA_BENCH_IMPORT_ROWS:-1000000}
report_cases=${WAHANA_BENCH_REPORT_CASES:-1000000}
federation_messages=${WAHANA_BENCH_FEDERATION_MESSAGES:-1000000}
region=${WAHANA_REGION:-16.06}
memory_sample=1000
[[ $import_rows =~ ^[0-9]+$ ]] || { echo "WAHANA_BENCH_IMPORT_ROWS must be a number" >&2; exit 2; }
[[ $report_cases =~ ^[0-9]+$ ]] || { echo "WAHANA_BENCH_REPORT_CASES must be a number" >&2; exit 2; }
[[ $federation_messages =~ ^[0-9]+$ ]] ||
  { echo "WAHANA_BENCH_FEDERATION_MESSAGES must be a number" >&2; exit 2; }
jobs=$(nproc 2>/dev/null || echo 2)

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target wahana-registry wahana-case wahana-event \
  wahana-reporting wahana-gateway wahana-import-beneficiaries wahana-api-keys wahana_echo_bench \
  wahana_case_bench wahana_event_bench wahana_reporting_bench wahana_federation_bench >/dev/null

# Seven distinct ports that bind now, below the kernel's ephemeral range (a port from bind(0) may
# be handed out twice in a row, and outgoing connections take theirs from that range too) and
# above 19450, where run.sh puts the services' metrics ports (9450 + 10 x the HTTP port's slot).
read -r http_port redis_port registry_port case_port event_port reporting_port echo_port < <(python3 - <<'PY'
import random, socket
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except OSError:
    low = 32768
picked = []
while len(picked) < 7:
    port = random.randrange(20000, low)
    if port in picked:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    picked.append(port)
print(*picked)
PY
)
work=$(mktemp -d /tmp/wahana-bench.XXXXXX)
echo_pid=""
cleanup() {
  [ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null && wait "$echo_pid" 2>/dev/null || true
  WAHANA_DATA_DIR="$work" "$root/deploy/local/run.sh" --stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: starting the suite (data in $work)"
WAHANA_DATA_DIR="$work" WAHANA_HTTP_PORT="$http_port" WAHANA_REDIS_PORT="$redis_port" \
  WAHANA_REGISTRY_PORT="$registry_port" WAHANA_CASE_PORT="$case_port" \
  WAHANA_EVENT_PORT="$event_port" WAHANA_REPORTING_PORT="$reporting_port" WAHANA_BUILD_DIR="$build" WAHANA_SKIP_INSTALL=1 WAHANA_SKIP_BUILD=1 WAHANA_DEMO=0 \
  WAHANA_LOG_LEVEL=warn WAHANA_RATE_LIMIT_PER_SECOND=0 \
  "$root/deploy/local/run.sh" --detach >/dev/null

# Authentication as in the suite: run.sh made the token secret and the admin key.
export WAHANA_TOKEN_SECRET_FILE="$work/token.secret" WAHANA_REGION="$region"
export WAHANA_TOKEN_SIGNING_KEY_FILE="$work/secrets/token_signing_key.pem"  # the benches' ADMIN token
# Redis's default user has a password (deploy/redis/users.acl.in): redis-cli reads it from here,
# redis-benchmark takes it as -a.
export REDISCLI_AUTH
REDISCLI_AUTH=$(cat "$work/secrets/redis_default_password")
auth_header="Authorization: Bearer $(cat "$work/admin.token")"
"$build/tests/bench/wahana_echo_bench" --serve --port="$echo_port" &
echo_pid=$!
sleep 0.5

echo "bench: gRPC echo, 50 in flight, ${seconds}s"
echo_line=$("$build/tests/bench/wahana_echo_bench" --target="127.0.0.1:$echo_port" \
  --concurrency=50 --seconds="$seconds")
echo_rate=$(sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$echo_line")
# The baseline of a latency goal: one call at a time, no queueing behind 49 others.
echo "bench: gRPC echo, 1 in flight, ${seconds}s"
echo1_line=$("$build/tests/bench/wahana_echo_bench" --target="127.0.0.1:$echo_port" \
  --concurrency=1 --seconds="$seconds")

echo "bench: Redis XADD, 50 clients"
xadd_requests=$((seconds * 40000))
xadd_line=$(redis-benchmark -p "$redis_port" -a "$REDISCLI_AUTH" -c 50 -n "$xadd_requests" -q \
  XADD wahana:bench:stream '*' field value 2>/dev/null | tr '\r' '\n' | grep 'requests per second' | tail -1)
xadd_rate=$(grep -oE '[0-9.]+ requests per second' <<<"$xadd_line" | cut -d' ' -f1)
redis-cli -p "$redis_port" DEL wahana:bench:stream >/dev/null

echo "bench: GET /v1/regions/16.06.01.2001 through the gateway, 50 connections, ${seconds}s"
curl -fsS -H "$auth_header" "http://127.0.0.1:$http_port/v1/regions/16.06.01.2001" >/dev/null
wrk_out=$(wrk -t2 -c50 -d"${seconds}s" --latency -H "$auth_header" \
  "http://127.0.0.1:$http_port/v1/regions/16.06.01.2001")
gateway_rate=$(awk '/Requests\/sec/ {print $2}' <<<"$wrk_out")
gateway_p99=$(awk '$1=="99%" {print $2}' <<<"$wrk_out")
gateway_errors=$(grep -E 'Non-2xx|Socket errors' <<<"$wrk_out" || true)

# CPU seconds a process has used (utime + stime of /proc/<pid>/stat), and Redis's (INFO cpu):
# steadier than rates on a shared machine, so a change of the write path is judged by them.
process_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz }' \
    "/proc/$1/stat"
}
redis_cpu() {
  redis-cli -p "$redis_port" INFO cpu | tr -d '\r' |
    awk -F: '$1 == "used_cpu_sys" || $1 == "used_cpu_user" { t += $2 } END { printf "%.3f", t }'
}
beneficiaries() { redis-cli -p "$redis_port" HLEN "registry:{$region}:index:beneficiary:unique-ids:nik" 2>/dev/null || echo 0; }

echo "bench: gRPC CreateBeneficiary straight to the registry, 50 in flight, ${seconds}s"
registry_pid=$(cat "$work/run/registry.pid")
create_before=$(beneficiaries)
registry_cpu_before=$(process_cpu "$registry_pid")
redis_cpu_before=$(redis_cpu)
create_line=$("$build/tests/bench/wahana_echo_bench" --method=create-beneficiary \
  --target="127.0.0.1:$registry_port" --concurrency=50 --seconds="$seconds")
create_rate=$(sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$create_line")
created=$(($(beneficiaries) - create_before))
registry_us_per_create=$(awk -v a="$registry_cpu_before" -v b="$(process_cpu "$registry_pid")" \
  -v n="$created" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1e6 / n : 0) }')
redis_us_per_create=$(awk -v a="$redis_cpu_before" -v b="$(redis_cpu)" -v n="$created" \
  'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1e6 / n : 0) }')

echo "bench: POST /v1/beneficiaries through the gateway, 50 connections, ${seconds}s"
wrk_create_out=$(wrk -t2 -c50 -d"${seconds}s" --latency -H "$auth_header" \
  -s "$root/tests/bench/create_beneficiary.lua" \
  "http://127.0.0.1:$http_port")
http_create_rate=$(awk '/Requests\/sec/ {print $2}' <<<"$wrk_create_out")
http_create_p99=$(awk '$1=="99%" {print $2}' <<<"$wrk_create_out")
http_create_errors=$(grep -E 'Non-2xx|Socket errors|create error' <<<"$wrk_create_out" || true)

import_rate=""
if ((import_rows > 0)); then
  echo "bench: import of $import_rows generated rows"
  "$build/services/registry/beneficiaries/wahana-import-beneficiaries" --generate="$import_rows" \
    --seed=7 --out="$work/import.csv"
  import_start=$(date +%s.%N)
  import_rc=0
  import_out=$("$build/services/registry/beneficiaries/wahana-import-beneficiaries" --quiet \
    --target="127.0.0.1:$registry_port" "$work/import.csv" 2>&1) || import_rc=$?
  import_end=$(date +%s.%N)
  import_seconds=$(awk -v a="$import_start" -v b="$import_end" 'BEGIN { printf "%.2f", b - a }')
  import_rate=$(awk -v n="$import_rows" -v s="$import_seconds" 'BEGIN { printf "%.0f", n / s }')
  rm -f "$work/import.csv"
fi

echo "bench: Redis memory per beneficiary (sample of $memory_sample records)"
# MEMORY USAGE ... SAMPLES 0 counts every element of a key, not an estimate from 5 of them.
memory_usage() {  # keys on stdin -> sum and count of their MEMORY USAGE
  awk '{ print "MEMORY USAGE " $0 " SAMPLES 0" }' | redis-cli -p "$redis_port" |
    awk '{ sum += $1; n++ } END { printf "%d %d\n", sum, n }'
}
records=$(redis-cli -p "$redis_port" --scan --pattern "registry:{$region}:beneficiary:*" | wc -l)
# SCAN walks the hash table, so its first keys are a sample in no particular order.
read -r sample_bytes sample_count < <(redis-cli -p "$redis_port" --scan \
  --pattern "registry:{$region}:beneficiary:*" | head -n "$memory_sample" | memory_usage)
read -r index_bytes index_keys < <(redis-cli -p "$redis_port" --scan \
  --pattern "registry:{$region}:index:beneficiary:*" | memory_usage)
memory_line=$(awk -v sb="$sample_bytes" -v sn="$sample_count" -v ib="$index_bytes" -v n="$records" \
  -v ik="$index_keys" 'BEGIN {
    rec = sn ? sb / sn : 0; idx = n ? ib / n : 0
    printf "%.0f bytes (record %.0f + indexes %.0f; %d records, %d index keys)", rec + idx, rec, idx, n, ik
  }')
memory_per_beneficiary=$(cut -d' ' -f1 <<<"$memory_line")

# The case service, after the registry's figures: its setup adds beneficiaries and workers.
case_bench() {  # mode -> the bench's line; a failed run (reason on stderr) keeps the table
  "$build/tests/bench/wahana_case_bench" --method="$1" --target="127.0.0.1:$case_port" \
    --registry="127.0.0.1:$registry_port" --concurrency=50 --seconds="$seconds" ||
    echo "$1 rate=0 p50_us=0 p99_us=0 errors=failed"
}
field() { sed -E "s/.*[ ]$1=([0-9.]+).*/\1/" <<<"$2"; }  # name, line -> the value
echo "bench: gRPC CreateCase straight to the case service, 50 in flight, ${seconds}s"
case_create_line=$(case_bench create-case)
echo "bench: case lifecycles (8 calls each), 50 in flight, ${seconds}s"
case_lifecycle_line=$(case_bench case-lifecycle)
echo "bench: history of a case with 100 actions, 50 in flight, ${seconds}s"
case_history_line=$(case_bench case-history)

# The event service: registrations, then check-ins by code of the participants registered.
event_pid=$(cat "$work/run/event.pid")
event_bench() { "$build/tests/bench/wahana_event_bench" --target="127.0.0.1:$event_port" "$@"; }
per_call_us() {  # CPU seconds before, after, calls -> microseconds per call
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1e6 / n : 0) }'
}
echo "bench: gRPC RegisterParticipant (walk-ins) straight to the event service, 50 in flight, ${seconds}s"
event_cpu_before=$(process_cpu "$event_pid")
redis_cpu_before=$(redis_cpu)
register_line=$(event_bench --method=register --concurrency=50 --seconds="$seconds" \
  --out="$work/participants.txt") || register_line="register rate=0 p50_us=0 p99_us=0 errors=failed calls=0"
register_event_us=$(per_call_us "$event_cpu_before" "$(process_cpu "$event_pid")" "$(field calls "$register_line")")
register_redis_us=$(per_call_us "$redis_cpu_before" "$(redis_cpu)" "$(field calls "$register_line")")
echo "bench: check-in codes of the registered participants (GetCheckInCode), 50 in flight"
checkin_line="" checkin_note=""
code_rc=0
code_line=$(event_bench --method=prepare-check-in --concurrency=50 --in="$work/participants.txt" \
  --out="$work/codes.txt") || code_rc=$?
if ((code_rc == 3)); then
  checkin_note=$code_line
elif ((code_rc != 0)); then
  checkin_note="failed: preparing the codes exited $code_rc"
else
  echo "bench: gRPC CheckInByCode, 50 in flight, at most ${seconds}s"
  event_cpu_before=$(process_cpu "$event_pid")
  redis_cpu_before=$(redis_cpu)
  checkin_rc=0
  checkin_line=$(event_bench --method=check-in --concurrency=50 --seconds="$seconds" \
    --in="$work/codes.txt") || checkin_rc=$?
  checkin_event_us=$(per_call_us "$event_cpu_before" "$(process_cpu "$event_pid")" "$(field calls "$checkin_line")")
  checkin_redis_us=$(per_call_us "$redis_cpu_before" "$(redis_cpu)" "$(field calls "$checkin_line")")
  ((checkin_rc == 3)) && { checkin_note=$checkin_line; checkin_line=""; }
  ((checkin_rc != 0 && checkin_rc != 3)) && { checkin_note="failed: check-in exited $checkin_rc"; checkin_line=""; }
fi
echo "bench: 200 registrations at once against 100 seats, 20 runs"
capacity_line=$(event_bench --method=capacity --runs=20 --people=200 --capacity=100) || true

# The reporting service, last: its big load puts a million messages on the case stream.
reporting_bench() {  # mode, flags -> the bench's line; a failed run keeps the table
  WAHANA_REDIS_PORT="$redis_port" WAHANA_REDIS_PASSWORD_FILE="$work/secrets/redis_default_password" \
    "$build/tests/bench/wahana_reporting_bench" --method="$1" --target="127.0.0.1:$reporting_port" \
    --registry="127.0.0.1:$registry_port" --seconds="$seconds" "${@:2}" ||
    echo "$1 failed"
}
pivot_small_line="" pivot_big_line="" delay_line="" delay_idle_line=""
if ((report_cases > 0)); then
  reporting_pid=$(cat "$work/run/reporting.pid")
  echo "bench: GetCaseReport of a year with 1000 cases (written to the case stream), ${seconds}s"
  pivot_small_line=$(reporting_bench pivot --cases=1000 --reporting-pid="$reporting_pid")
  echo "bench: GetCaseReport of a year with $report_cases cases (written to the case stream), ${seconds}s"
  pivot_big_line=$(reporting_bench pivot --cases="$report_cases" --reporting-pid="$reporting_pid")
  echo "bench: creation-to-pivot delay: 50 probes idle, CreateCase capacity (${seconds}s), 200 probes at half of it"
  delay_out=$(reporting_bench delay --case="127.0.0.1:$case_port" --probes=200)
  delay_idle_line=$(grep '^delay-idle ' <<<"$delay_out" || true)
  delay_line=$(grep -E '^delay (capacity|failed)' <<<"$delay_out" | head -1 || true)
fi

# Federation, last: its own two Redis servers and a province in the bench's process, so the suite
# above is idle while it runs.
federation_out="" federation_rc=0
if ((federation_messages > 0)); then
  echo "bench: federation backlog of $federation_messages messages drained, batches of 2000 and 5000"
  federation_out=$("$build/tests/bench/wahana_federation_bench" --messages="$federation_messages" \
    --batch-sizes=2000,5000) || federation_rc=$?
fi

echo
echo "=== Wahana benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${seconds}s each) ==="
printf '%-44s %12s\n' "measurement" "rate (/s)"
printf '%-44s %12.0f   %s\n' "gRPC echo (baseline), 50 in flight" "$echo_rate" "$(cut -d' ' -f3-4 <<<"$echo_line")"
printf '%-44s %12.0f\n' "Redis XADD (baseline), 50 clients" "$xadd_rate"
printf '%-44s %12.0f   p99=%s\n' "gateway GET /v1/regions/{code}, 50 conns" "$gateway_rate" "$gateway_p99"
[ -n "$gateway_errors" ] && echo "gateway errors: $gateway_errors"
printf '%-44s %12.0f   %s\n' "gRPC CreateBeneficiary, 50 in flight" "$create_rate" "$(cut -d' ' -f3-6 <<<"$create_line")"
echo "  CPU per create: registry ${registry_us_per_create} us, Redis ${redis_us_per_create} us ($created creates)"
printf '%-44s %12.0f   p99=%s %s\n' "gateway POST /v1/beneficiaries, 50 conns" "$http_create_rate" \
  "$http_create_p99" "$(grep -oE 'flagged: [0-9]+' <<<"$wrk_create_out" | tr -d ' ' | sed 's/:/=/')"
[ -n "$http_create_errors" ] && echo "gateway create errors: $http_create_errors"
if [ -n "$import_rate" ]; then
  printf '%-44s %12.0f   %s rows in %ss, exit %s\n' "bulk import (rows/s)" "$import_rate" "$import_rows" \
    "$import_seconds" "$import_rc"
  [ "$import_rc" -ne 0 ] && echo "import output: $(tail -5 <<<"$import_out")"
fi
printf '%-44s %12.0f   %s\n' "gRPC CreateCase, 50 in flight" "$(field rate "$case_create_line")" \
  "$(cut -d' ' -f3- <<<"$case_create_line")"
printf '%-44s %12.0f   %s\n' "case lifecycles (8 calls each), 50 in flight" \
  "$(field rate "$case_lifecycle_line")" "$(cut -d' ' -f3- <<<"$case_lifecycle_line")"
printf '%-44s %12.0f   %s\n' "case history (100 actions), 50 in flight" \
  "$(field rate "$case_history_line")" "$(cut -d' ' -f3- <<<"$case_history_line")"
echo "Redis memory per beneficiary: $memory_line"
awk -v g="$gateway_rate" -v e="$echo_rate" 'BEGIN { printf "ratio gateway / echo: %.2f\n", g / e }'
awk -v c="$create_rate" -v e="$echo_rate" 'BEGIN {
  printf "ratio gRPC create / echo: %.2f (target >= 0.60)\n", c / e }'
awk -v h="$http_create_rate" -v x="$xadd_rate" 'BEGIN {
  printf "ratio gateway create / XADD: %.2f (target >= 0.50)\n", h / x }'
if [ -n "$import_rate" ]; then
  awk -v r="$import_rate" 'BEGIN { printf "bulk import: %.0f rows/s (target >= 100000)\n", r }'
fi
echo "memory per beneficiary: $memory_per_beneficiary bytes (target <= 600)"
awk -v c="$(field rate "$case_create_line")" -v e="$echo_rate" 'BEGIN {
  printf "ratio gRPC case create / echo: %.2f (target >= 0.50)\n", c / e }'
awk -v h="$(field p99_us "$case_history_line")" -v e="$(field p99_us "$echo_line")" 'BEGIN {
  printf "ratio case history p99 / echo p99: %.2f (target <= 5.00)\n", h / e }'
printf '%-44s %12.0f   %s\n' "gRPC RegisterParticipant (walk-in), 50 in fl." \
  "$(field rate "$register_line")" "$(cut -d' ' -f3- <<<"$register_line")"
echo "  CPU per registration: event ${register_event_us} us, Redis ${register_redis_us} us"
[ -n "$code_line" ] && [ -z "$checkin_note" ] && echo "  codes fetched: $code_line"
if [ -n "$checkin_line" ]; then
  printf '%-44s %12.0f   %s\n' "gRPC CheckInByCode, 50 in flight" "$(field rate "$checkin_line")" \
    "$(cut -d' ' -f3- <<<"$checkin_line")"
  echo "  CPU per check-in: event ${checkin_event_us} us, Redis ${checkin_redis_us} us"
else
  echo "gRPC CheckInByCode: ${checkin_note:-not run}"
fi
echo "200 registrations at once, 100 seats: ${capacity_line:-failed}"
awk -v r="$(field rate "$register_line")" -v e="$echo_rate" 'BEGIN {
  printf "ratio gRPC registration / echo: %.2f (target >= 0.50)\n", r / e }'
printf '%-44s %12.0f   %s\n' "gRPC echo (baseline), 1 in flight" "$(field rate "$echo1_line")" \
  "$(cut -d' ' -f3-4 <<<"$echo1_line")"
if [ -n "$pivot_small_line" ]; then
  echo "reporting pivot, 1 call at a time (cases written straight to the case stream):"
  echo "  $pivot_small_line"
  echo "  $pivot_big_line"
  echo "reporting creation-to-pivot delay, without load, then under CreateCase at half capacity:"
  echo "  $delay_idle_line"
  echo "  $delay_line"
  awk -v b="$(field p99_us "$pivot_big_line")" -v s="$(field p99_us "$pivot_small_line")" \
    -v n="$report_cases" 'BEGIN {
    printf "ratio pivot p99 at %d cases / at 1000: %.2f (target <= 2.00)\n", n, (s > 0 ? b / s : 0) }'
  # A probe that never showed, or a lag left after the load, means the consumer fell behind:
  # the delay then grows with the run's length, and no ratio describes it.
  awk -v d="$(field p99_us "$delay_line")" -v e="$(field p50_us "$echo1_line")" \
    -v f="$(field failed "$delay_line")" -v lag="$(field lag_after "$delay_line")" 'BEGIN {
    printf "ratio delay p99 / echo p50 (1 in flight): "
    if (f + 0 > 0 || lag + 0 > 0)
      printf "not met: the consumer fell behind (%d probes not shown within 10 s, lag %d after the load)\n", f, lag
    else if (d + 0 > 0 && e + 0 > 0) printf "%.1f (target <= 50)\n", d / e
    else print "not measured (see the delay line)" }'
fi
if ((federation_messages > 0)); then
  echo "federation backlog drain (relay -> gRPC -> province receiver -> 4 reporting consumers):"
  sed 's/^/  /' <<<"$federation_out"
  awk '$1 == "federation" {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "federation batch %s: %.0f messages/s (target >= 50000), %.2f x XRANGE, %.2f x XADD, same numbers: %s\n",
      v["batch"], v["rate"], v["ratio_to_xrange"], v["ratio_to_xadd"], v["same_numbers"] }' <<<"$federation_out"
  ((federation_rc == 0)) || echo "federation bench exited $federation_rc (numbers differ or a step failed)"
fi
