#!/usr/bin/env bash
# End to end through deploy/local/run.sh against an already-built tree: start the suite detached in a
# temporary data dir on a free port, read a region and the demo data through the gateway, run every
# command run.sh printed and every curl command of README.md (check_printed_commands.py), make every
# grpcurl call of README.md's gRPC block with a token from POST /v1/tokens
# (grpc_examples.py, with Debian's /usr/bin/python3 and its python3-grpcio), refuse a
# second start, stop it and check no process is left; start again with two case replicas
# (WAHANA_REPLICAS_CASE=2) and find the same case (the data survived in Redis' append-only file),
# served by both replicas, stop again.
# Usage: run_sh_e2e.sh --build-dir DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build_dir=""
[[ ${1:-} == --build-dir ]] && build_dir="$2"
[[ -n $build_dir ]] || { echo "usage: run_sh_e2e.sh --build-dir DIR" >&2; exit 2; }
runner="$repo/deploy/local/run.sh"

data_dir="$(mktemp -d)"
export WAHANA_DATA_DIR="$data_dir" WAHANA_BUILD_DIR="$build_dir" WAHANA_SKIP_INSTALL=1 WAHANA_SKIP_BUILD=1
export WAHANA_REGION=16.06
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

# Starts the suite detached; run.sh refuses taken ports, so try a few random HTTP ports. They come
# from 30100-32699: below the kernel's ephemeral range and above every port run.sh derives from an
# HTTP port (gRPC and Redis 20051-30049, metrics 9451-19448), so two suites never collide there.
start_suite() {
  local attempt
  for ((attempt = 1; attempt <= 8; attempt++)); do
    WAHANA_HTTP_PORT="${http_port:-$((30100 + RANDOM % 2600))}"
    export WAHANA_HTTP_PORT
    if timeout 180 "$runner" --detach >"$data_dir/start.out" 2>&1; then
      http_port="$WAHANA_HTTP_PORT"
      return 0
    fi
    if grep -q 'already in use' "$data_dir/start.out" && [[ -z ${fixed_port:-} ]]; then
      unset http_port
      continue
    fi
    cat "$data_dir/start.out"
    fail "run.sh --detach failed"
  done
  fail "no free port found"
}

# GET path [curl options] -> sets $status and $body. Sends the bootstrap admin key run.sh wrote.
get() {
  local path=$1
  shift
  local auth=()
  [[ -s $data_dir/admin.token ]] && auth=(-H "Authorization: Bearer $(cat "$data_dir/admin.token")")
  (($# > 0)) && auth=("$@")
  body="$(curl -s -w '\n%{http_code}' --max-time 10 "${auth[@]}" "http://127.0.0.1:$http_port$path" || true)"
  status="${body##*$'\n'}"
  body="${body%$'\n'*}"
}

expect_get() {  # path, text the body must contain
  get "$1"
  [[ $status == 200 ]] || fail "GET $1 answered HTTP $status: $body"
  [[ $body == *"$2"* ]] || fail "GET $1: body lacks '$2': $body"
  echo "ok   GET $1 -> 200, has '$2'"
}

# Pids from this data dir's pid files.
suite_pids() { cat "$data_dir"/run/*.pid 2>/dev/null || true; }

expect_all_gone() {
  local pid
  for pid in $1; do
    if [[ -e /proc/$pid ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then
      fail "process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) is still running after --stop"
    fi
  done
  ls "$data_dir"/run/*.pid >/dev/null 2>&1 && fail "pid files left: $(ls "$data_dir"/run/*.pid)"
  if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then
    fail "port $http_port still accepts connections after --stop"
  fi
  echo "ok   --stop left no process, pid file or open gateway port"
}

# --- First start: demo data loaded -----------------------------------------------------------------
start_suite
echo "ok   run.sh --detach is ready on port $http_port"
"$runner" --status >/dev/null || fail "--status does not report all seven processes running"
echo "ok   --status: all running"
pids="$(suite_pids)"
[[ $(wc -w <<<"$pids") == 7 ]] || fail "expected 7 pid files, got: $pids"

expect_get /healthz ""
expect_get /readyz ""
expect_get /v1/regions/16.06 '"Kabupaten Musi Banyuasin"'
[[ $(stat -c %a "$data_dir/admin.token") == 600 ]] || fail "admin.token is not mode 0600"
[[ $(stat -c %a "$data_dir/token.secret") == 600 ]] || fail "token.secret is not mode 0600"
get /v1/regions/16.06 -H "X-Nothing: 1"
[[ $status == 401 ]] || fail "GET /v1/regions/16.06 without credentials answered HTTP $status"
echo "ok   admin.token and token.secret are 0600; no credentials -> 401"

# Redis enforces "each service owns its keys": one ACL user per process (deploy/redis/users.acl.in).
redis_port="$(sed -n 's/^port_redis=//p' "$data_dir/run/suite.env")"
secrets="$data_dir/secrets"
for f in "$secrets"/redis_*_password; do
  [[ $(stat -c %a "$f") == 600 ]] || fail "$f is not mode 0600"
done
as_user() { REDISCLI_AUTH="$(cat "$secrets/redis_$1_password")" redis-cli --user "$1" -p "$redis_port" "${@:2}" 2>&1; }
[[ $(redis-cli -p "$redis_port" get anything 2>&1) == *NOAUTH* ]] || fail "Redis answered without credentials"
registry_key="$(as_user default --scan --pattern 'registry:{16.06}:institution:*' | head -n 1)"
[[ -n $registry_key ]] || fail "no institution record in Redis to probe the ACL with"
[[ $(as_user registry type "$registry_key") == hash ]] || fail "the registry cannot read its own record $registry_key"
[[ $(as_user case hgetall "$registry_key") == *NOPERM* ]] || fail "the case user read the registry's record $registry_key"
[[ $(as_user gateway del "$registry_key") == *NOPERM* ]] || fail "the gateway user could delete $registry_key"
[[ $(as_user case flushall) == *NOPERM* ]] || fail "the case user may FLUSHALL"
[[ $(as_user audit hset 'registry:{16.06}:audit:head' seq 0) == *NOPERM* ]] || fail "the audit user may write"
[[ $(as_user audit xlen 'registry:{16.06}:audit') =~ ^[0-9]+$ ]] || fail "the audit user cannot read the registry's trail"
echo "ok   Redis: no access without a password; each service's user is kept to its own keys"

# A wrong password stops a process at once, with a message that names the user and the settings.
echo "not-the-password" >"$data_dir/wrong_password"
api_keys="$(find "$build_dir" -name wahana-api-keys -type f -perm -u+x | head -n 1)"
set +e
wrong="$(WAHANA_REDIS_PORT="$redis_port" WAHANA_REDIS_USER=gateway WAHANA_REDIS_PASSWORD_FILE="$data_dir/wrong_password" \
  timeout 20 "$api_keys" list 2>&1)"
rc=$?
set -e
[[ $rc != 0 && $rc != 124 ]] || fail "wahana-api-keys with a wrong Redis password exited $rc"
[[ $wrong == *'refused the password of user "gateway"'*WAHANA_REDIS_PASSWORD_FILE* ]] ||
  fail "wrong Redis password: unclear message: $wrong"
registry_bin="$(find "$build_dir" -name wahana-registry -type f -perm -u+x | head -n 1)"
set +e
wrong="$(WAHANA_REDIS_PORT="$redis_port" WAHANA_REDIS_USER=registry WAHANA_REDIS_PASSWORD_FILE="$data_dir/wrong_password" \
  WAHANA_TOKEN_SECRET_FILE="$data_dir/token.secret" WAHANA_TOKEN_PUBLIC_KEY_FILE="$data_dir/secrets/token_public_key.pem" \
  WAHANA_GRPC_PORT=32761 WAHANA_METRICS_PORT=0 \
  timeout 20 "$registry_bin" 2>&1)"
rc=$?
set -e
[[ $rc == 1 && $wrong == *'cannot start'*'refused the password of user "registry"'* ]] ||
  fail "wahana-registry with a wrong Redis password: exit $rc, output: $wrong"
echo "ok   a wrong Redis password: exit 1 at once, naming the user and WAHANA_REDIS_PASSWORD_FILE"
expect_get '/v1/regions?parent=16.06' '"16.06.01"'

marker="$data_dir/demo-loaded"
[[ -f $marker ]] || fail "demo data not loaded: $(cat "$data_dir/start.out")"
case_id="$(awk '$1 == "case" && $2 == "demo-case-4" { print $3 }' "$marker")"
event_id="$(awk '$1 == "event" && $2 == "demo-event-1" { print $3 }' "$marker")"
[[ -n $case_id && -n $event_id ]] || fail "demo marker lacks ids: $(cat "$marker")"
[[ $(awk '$1 == "case"' "$marker" | wc -l) -ge 3 ]] || fail "fewer than 3 demo cases: $(cat "$marker")"
expect_get "/v1/cases/$case_id" '"SOCIAL_CONFLICT"'
expect_get "/v1/cases/$case_id" '"16.06.05.2002"'
expect_get "/v1/events/$event_id" '"Sosialisasi Penumbuhan WKSBM"'
expect_get "/v1/events/$event_id" '"status":"DONE"'  # the seed's event happened: taken to DONE
# Its 35 participants, all but every eighth checked in.
expect_get "/v1/events/$event_id/attendance" '"registered":"35","checkedIn":"31"'

# Each service serves /metrics on the port run.sh gave it (run/suite.env): reporting its calls and
# the lag of its group on the case stream the demo cases went through.
metrics_port="$(sed -n 's/^metrics_reporting=//p' "$data_dir/run/suite.env")"
[[ $metrics_port =~ ^[0-9]+$ && $metrics_port != 0 ]] || fail "no metrics port for reporting in suite.env"
metrics="$(curl -s --max-time 10 "http://127.0.0.1:$metrics_port/metrics" || true)"
[[ $metrics == *'wahana_stream_group_pending{group="reporting",stream="case:{16.06}:stream"}'* ]] ||
  fail "reporting's /metrics on $metrics_port lacks its consumer group: $metrics"
[[ $metrics == *'wahana_grpc_server_calls_total{code="OK",method="/grpc.health.v1.Health/'* ]] ||
  fail "reporting's /metrics on $metrics_port lacks its health checks: $metrics"
echo "ok   reporting serves /metrics on port $metrics_port"

# --- Every command run.sh printed, and every curl command of the README, works as printed --------
python3 "$here/check_printed_commands.py" --url "http://127.0.0.1:$http_port" --data-dir "$data_dir" \
  --runner-output "$data_dir/start.out" || fail "a command run.sh printed does not work as printed"
echo "ok   every command run.sh printed works"
python3 "$here/check_printed_commands.py" --url "http://127.0.0.1:$http_port" --data-dir "$data_dir" \
  --readme "$repo/README.md" || fail "a curl command of README.md does not work"
echo "ok   every curl command of README.md works"
# Debian's python3 explicitly: python3-grpcio and python3-protobuf are installed for it.
/usr/bin/python3 "$here/grpc_examples.py" --readme "$repo/README.md" --data-dir "$data_dir" \
  --build-dir "$build_dir" || fail "a grpcurl call of README.md does not work as printed"
echo "ok   every grpcurl call of README.md works (its twin in grpc_examples.py)"

# --- A second start of the same data dir is refused, and leaves the suite alone -------------------
if "$runner" --detach >"$data_dir/second.out" 2>&1; then fail "a second start of a running suite was accepted"; fi
grep -q 'already running' "$data_dir/second.out" || fail "second start: unexpected message: $(cat "$data_dir/second.out")"
expect_get /readyz ""
echo "ok   second start refused"

# --- Stop ----------------------------------------------------------------------------------------
"$runner" --stop >/dev/null || fail "--stop failed"
expect_all_gone "$pids"
if "$runner" --status >/dev/null; then fail "--status reports running after --stop"; fi

# --- Restart on the same port, the case service twice: the data is still there ---------------------
fixed_port=1
export WAHANA_REPLICAS_CASE=2
start_suite
pids="$(suite_pids)"
[[ $(wc -w <<<"$pids") == 8 ]] || fail "expected 8 pid files (case twice), got: $pids"
"$runner" --status >"$data_dir/status.out" || fail "--status with two case replicas: $(cat "$data_dir/status.out")"
grep -qE '^case-2 +running' "$data_dir/status.out" || fail "--status shows no case-2: $(cat "$data_dir/status.out")"
for _ in 1 2 3 4; do expect_get "/v1/cases/$case_id" "\"$case_id\""; done
# The gateway spreads its calls: the second replica (its own metrics port) served some of them.
metrics_port="$(sed -n 's/^metrics_case_2=//p' "$data_dir/run/suite.env")"
served="$(curl -s --max-time 10 "http://127.0.0.1:$metrics_port/metrics" |
  sed -n 's#^wahana_grpc_server_calls_total{code="OK",method="/wahana.cases.v1.CaseService/GetCase"} ##p')"
[[ ${served:-0} != 0 ]] || fail "case-2 (metrics port $metrics_port) served no GetCase of the gateway's four"
echo "ok   WAHANA_REPLICAS_CASE=2: case-2 runs (--status) and serves the gateway's calls ($served GetCase)"
[[ $(awk '$1 == "case"' "$marker" | wc -l) == $(awk '$1 == "case"' "$marker" | sort -u | wc -l) ]] ||
  fail "demo data loaded twice"
# Redis replayed its append-only file whole: with ACL users, a restricted default user would have
# made it drop every transaction (each Lua script's effects) with a CRITICAL line, keeping the rest.
! grep -q 'CRITICAL' "$data_dir/logs/redis.log" || fail "Redis: $(grep -m1 CRITICAL "$data_dir/logs/redis.log")"
echo "ok   restart kept the data (Redis replayed its append-only file without a refusal)"
"$runner" --stop >/dev/null || fail "--stop failed"
expect_all_gone "$pids"
unset WAHANA_REPLICAS_CASE
echo "PASS"
