#!/usr/bin/env bash
# One benchmark run: the baselines and the suite measured side by side, on this machine, now.
# The machine is shared and noisy, so the figures that matter are the ratios to the baselines
# measured in the same run:
#   echo      a bare gRPC echo (no worker pool, no Redis), 50 calls in flight
#   xadd      raw Redis XADD from 50 clients (redis-benchmark), on the suite's own Redis
#   gateway   GET /v1/regions/{code} through the gateway (wrk, 50 connections): HTTP -> JSON ->
#             gRPC -> registry -> Redis and back
# WAHANA_BENCH_SECONDS (default 10) sets each measurement's length.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${WAHANA_BENCH_BUILD_DIR:-$root/build-bench}
seconds=${WAHANA_BENCH_SECONDS:-10}
jobs=$(nproc 2>/dev/null || echo 2)

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target wahana-registry wahana-case wahana-event \
  wahana-reporting wahana-gateway wahana_echo_bench >/dev/null

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

work=$(mktemp -d /tmp/wahana-bench.XXXXXX)
http_port=$(free_port)
redis_port=$(free_port)
echo_port=$(free_port)
echo_pid=""
cleanup() {
  [ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null && wait "$echo_pid" 2>/dev/null || true
  WAHANA_DATA_DIR="$work" "$root/deploy/local/run.sh" --stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench: starting the suite (data in $work)"
WAHANA_DATA_DIR="$work" WAHANA_HTTP_PORT="$http_port" WAHANA_REDIS_PORT="$redis_port" \
  WAHANA_BUILD_DIR="$build" WAHANA_SKIP_INSTALL=1 WAHANA_SKIP_BUILD=1 WAHANA_DEMO=0 \
  WAHANA_LOG_LEVEL=warn "$root/deploy/local/run.sh" --detach >/dev/null

"$build/tests/bench/wahana_echo_bench" --serve --port="$echo_port" &
echo_pid=$!
sleep 0.5

echo "bench: gRPC echo, 50 in flight, ${seconds}s"
echo_line=$("$build/tests/bench/wahana_echo_bench" --target="127.0.0.1:$echo_port" \
  --concurrency=50 --seconds="$seconds")
echo_rate=$(sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$echo_line")

echo "bench: Redis XADD, 50 clients"
xadd_requests=$((seconds * 40000))
xadd_line=$(redis-benchmark -p "$redis_port" -c 50 -n "$xadd_requests" -q \
  XADD wahana:bench:stream '*' field value 2>/dev/null | tr '\r' '\n' | grep 'requests per second' | tail -1)
xadd_rate=$(grep -oE '[0-9.]+ requests per second' <<<"$xadd_line" | cut -d' ' -f1)
redis-cli -p "$redis_port" DEL wahana:bench:stream >/dev/null

echo "bench: GET /v1/regions/16.06.01.2001 through the gateway, 50 connections, ${seconds}s"
curl -fsS "http://127.0.0.1:$http_port/v1/regions/16.06.01.2001" >/dev/null
wrk_out=$(wrk -t2 -c50 -d"${seconds}s" --latency "http://127.0.0.1:$http_port/v1/regions/16.06.01.2001")
gateway_rate=$(awk '/Requests\/sec/ {print $2}' <<<"$wrk_out")
gateway_p99=$(awk '$1=="99%" {print $2}' <<<"$wrk_out")
gateway_errors=$(grep -E 'Non-2xx|Socket errors' <<<"$wrk_out" || true)

echo
echo "=== Wahana benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${seconds}s each) ==="
printf '%-44s %12s\n' "measurement" "rate (/s)"
printf '%-44s %12.0f   %s\n' "gRPC echo (baseline), 50 in flight" "$echo_rate" "$(cut -d' ' -f3-4 <<<"$echo_line")"
printf '%-44s %12.0f\n' "Redis XADD (baseline), 50 clients" "$xadd_rate"
printf '%-44s %12.0f   p99=%s\n' "gateway GET /v1/regions/{code}, 50 conns" "$gateway_rate" "$gateway_p99"
[ -n "$gateway_errors" ] && echo "gateway errors: $gateway_errors"
awk -v g="$gateway_rate" -v e="$echo_rate" 'BEGIN { printf "ratio gateway / echo: %.2f\n", g / e }'
