#!/usr/bin/env bash
# Runs the whole Wahana suite on one machine: Redis, the five gRPC services and the HTTP gateway,
# each a separate process, logs under $WAHANA_DATA_DIR/logs, pid files under $WAHANA_DATA_DIR/run.
# Several suites can run side by side when each has its own WAHANA_DATA_DIR and WAHANA_HTTP_PORT.
# Run with --help for the switches and variables.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/local/run.sh [--detach | --stop | --status | --help]

  (no switch)  install the Debian packages, build Release, start Redis, the five services and the
               gateway, wait until GET /readyz answers 200, load the demo data once, and stay in
               the foreground: Ctrl-C (SIGINT/SIGTERM) stops everything, gateway first, Redis last.
  --detach     the same, but return once the suite is ready and leave it running.
  --stop       stop the suite of WAHANA_DATA_DIR (detached or foreground) and wait for every process.
  --status     show what runs for WAHANA_DATA_DIR; exit 0 when all its processes run, 3 otherwise.

Variables (all optional):
  WAHANA_HTTP_PORT        gateway port (8080). The other ports follow from it unless set:
                          B = 20050 + 10 * ((WAHANA_HTTP_PORT - 8080) mod 1000), registry B+1,
                          case B+2, event B+3, reporting B+4, federation B+5, Redis B+9
                          (8080 -> 20051..20055, 20059).
  WAHANA_REGISTRY_PORT, WAHANA_CASE_PORT, WAHANA_EVENT_PORT, WAHANA_REPORTING_PORT,
  WAHANA_FEDERATION_PORT, WAHANA_REDIS_PORT
                          set one port explicitly.
                          Each service serves GET /metrics (Prometheus) on its own port too:
                          M = 9450 + 10 * ((WAHANA_HTTP_PORT - 8080) mod 1000), registry M+1, case
                          M+2, event M+3, reporting M+4, federation M+5 (8080 -> 9451..9455).
  WAHANA_REPLICAS_REGISTRY, WAHANA_REPLICAS_CASE, WAHANA_REPLICAS_EVENT, WAHANA_REPLICAS_REPORTING,
  WAHANA_REPLICAS_FEDERATION
                          processes of that service (1). The first listens on the service's port,
                          each further one on the next spare port, B+6 ... B+8 (metrics M+6 ...
                          M+8), in the order registry, case, event, reporting, federation: three
                          extra replicas at most in all. Every client of the service (the gateway, the
                          other services) is given all of its addresses and spreads its calls.
  WAHANA_METRICS_PORT     0: the services serve no metrics (any other value is refused: the
                          ports above are per service).
  WAHANA_REGION           the deployment's region (16.06); the demo data is loaded only when it
                          contains Musi Banyuasin (16.06 or 16).
  WAHANA_DATA_DIR         Redis data, logs, pid files, the token secret and admin.token (<repo>/var).
  WAHANA_BUILD_DIR        build tree holding the binaries (<repo>/build).
  WAHANA_SKIP_INSTALL=1   do not run deploy/install-deps.sh.
  WAHANA_SKIP_BUILD=1     do not configure or build; use the binaries already in WAHANA_BUILD_DIR.
  WAHANA_DEMO=0           do not load the demo data.
  WAHANA_READY_TIMEOUT    seconds to wait for readiness (60).
  WAHANA_STOP_TIMEOUT     seconds to wait for each process to exit before SIGKILL (30).
Every other WAHANA_* setting (WAHANA_LOG_LEVEL, WAHANA_REGIONS_DIR, ...) is passed to the processes.
EOF
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

mode=run
case "${1:-}" in
  "") ;;
  --detach) mode=detach ;;
  --stop) mode=stop ;;
  --status) mode=status ;;
  -h|--help) usage; exit 0 ;;
  *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac
if [[ $# -gt 1 ]]; then
  echo "run.sh: one switch at most" >&2
  exit 2
fi

say() { printf 'run.sh: %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Where things live.

data_dir="${WAHANA_DATA_DIR:-$repo/var}"
case "$data_dir" in /*) ;; *) data_dir="$PWD/$data_dir" ;; esac
run_dir="$data_dir/run"
log_dir="$data_dir/logs"
build_dir="${WAHANA_BUILD_DIR:-$repo/build}"
case "$build_dir" in /*) ;; *) build_dir="$PWD/$build_dir" ;; esac

# Start order; stops run in reverse (gateway first, Redis last). A start adds the replicas asked for
# (WAHANA_REPLICAS_<SERVICE>: "case-2", "case-3", ... after "case") and records the list in
# run/suite.env, which --stop and --status read.
components=(redis registry case event reporting federation gateway)

# The components of the suite last started in this data dir, or the default ones.
recorded_components() {
  local line
  line="$(sed -n 's/^suite_components="\(.*\)"$/\1/p' "$run_dir/suite.env" 2>/dev/null || true)"
  echo "${line:-${components[*]}}"
}

# A replica "case-2" runs wahana-case.
process_name() {
  local service="${1%-[0-9]*}"
  if [[ $service == redis ]]; then echo redis-server; else echo "wahana-$service"; fi
}

# The shell variable suffix of a component: port_case_2 holds the port of "case-2".
var_name() { printf '%s' "${1//-/_}"; }

# True when `pid` is a live (not zombie) process named `name`. The name check keeps a stale pid
# file from ever pointing a signal at an unrelated process that reused the pid.
pid_alive() {
  local pid=$1 name=$2 comm state rest
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
  [[ $comm == "${name:0:15}" ]] || return 1
  { read -r _ _ state rest <"/proc/$pid/stat"; } 2>/dev/null || return 1
  [[ $state != Z ]]
}

# The pid of a running component of this data dir, or nothing.
component_pid() {
  local file="$run_dir/$1.pid" pid
  [[ -f $file ]] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if pid_alive "$pid" "$(process_name "$1")"; then echo "$pid"; fi
}

# The pid of a foreground run.sh serving this data dir, or nothing.
runner_pid() {
  local file="$run_dir/runner.pid" pid
  [[ -f $file ]] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  [[ $pid =~ ^[0-9]+$ && $pid != "$$" ]] || return 0
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'run\.sh'; then
    echo "$pid"
  fi
}

# Sends SIGTERM and waits (bounded) for the process to exit; SIGKILL as the last resort.
stop_component() {
  local name=$1 pid deadline
  pid="$(component_pid "$name")"
  if [[ -n $pid ]]; then
    printf 'run.sh: stopping %-10s (pid %s) ... ' "$name" "$pid"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + ${WAHANA_STOP_TIMEOUT:-30}))
    while pid_alive "$pid" "$(process_name "$name")"; do
      if ((SECONDS >= deadline)); then
        kill -KILL "$pid" 2>/dev/null || true
        printf 'did not exit in time: killed\n'
        break
      fi
      sleep 0.1
    done
    pid_alive "$pid" "$(process_name "$name")" || printf 'stopped\n'
  fi
  rm -f "$run_dir/$name.pid"
}

stop_all() {
  local i
  for ((i = ${#components[@]} - 1; i >= 0; i--)); do
    stop_component "${components[i]}"
  done
}

# ---------------------------------------------------------------------------------------------
# --stop and --status work from the files a start left behind.

if [[ $mode == stop ]]; then
  [[ -d $run_dir ]] || { say "nothing to stop in $data_dir"; exit 0; }
  read -r -a components <<<"$(recorded_components)"
  runner="$(runner_pid)"
  if [[ -n $runner ]]; then
    # A foreground run.sh owns this suite: let it stop its processes in order, then wait for it.
    say "asking the foreground run.sh (pid $runner) to stop the suite"
    kill -TERM "$runner" 2>/dev/null || true
    deadline=$((SECONDS + 6 * ${WAHANA_STOP_TIMEOUT:-30}))
    while [[ -n $(runner_pid) ]] && ((SECONDS < deadline)); do sleep 0.2; done
  fi
  any=0
  for name in "${components[@]}"; do [[ -n $(component_pid "$name") ]] && any=1; done
  if ((any == 0)); then
    rm -f "$run_dir"/*.pid
    say "nothing running in $data_dir"
    exit 0
  fi
  stop_all
  say "suite in $data_dir stopped"
  exit 0
fi

if [[ $mode == status ]]; then
  read -r -a components <<<"$(recorded_components)"
  if [[ -f $run_dir/suite.env ]]; then
    # shellcheck disable=SC1091
    source "$run_dir/suite.env"
  fi
  running=0
  for name in "${components[@]}"; do
    pid="$(component_pid "$name")"
    port_var="port_$(var_name "$name")"
    port="${!port_var:-?}"
    metrics_var="metrics_$(var_name "$name")"
    metrics=""
    [[ ${!metrics_var:-0} == 0 ]] || metrics="  metrics ${!metrics_var}"
    if [[ -n $pid ]]; then
      printf '%-10s running  pid %-8s port %s%s\n' "$name" "$pid" "$port" "$metrics"
      running=$((running + 1))
    else
      printf '%-10s stopped\n' "$name"
    fi
  done
  if ((running > 0)) && [[ -n ${port_gateway:-} ]]; then
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 \
      "http://${http_connect_host:-127.0.0.1}:$port_gateway/readyz" || true)"
    printf 'readyz     HTTP %s\n' "$code"
  fi
  ((running == ${#components[@]})) && exit 0
  exit 3
fi

# ---------------------------------------------------------------------------------------------
# Starting: settings and ports.

http_port="${WAHANA_HTTP_PORT:-8080}"
if ! [[ $http_port =~ ^[0-9]+$ ]] || ((http_port < 1 || http_port > 65535)); then
  die "WAHANA_HTTP_PORT must be a port number, got '$http_port'"
fi
region="${WAHANA_REGION:-16.06}"
slot=$((((http_port - 8080) % 1000 + 1000) % 1000))
base=$((20050 + 10 * slot))
port_redis="${WAHANA_REDIS_PORT:-$((base + 9))}"
port_registry="${WAHANA_REGISTRY_PORT:-$((base + 1))}"
port_case="${WAHANA_CASE_PORT:-$((base + 2))}"
port_event="${WAHANA_EVENT_PORT:-$((base + 3))}"
port_reporting="${WAHANA_REPORTING_PORT:-$((base + 4))}"
port_federation="${WAHANA_FEDERATION_PORT:-$((base + 5))}"
port_gateway="$http_port"
# The services' Prometheus endpoints (WAHANA_METRICS_PORT of each); 8080 gives their own defaults.
case "${WAHANA_METRICS_PORT:-}" in
  "") metrics_base=$((9450 + 10 * slot)) ;;
  0) metrics_base="" ;;
  *) die "WAHANA_METRICS_PORT must be unset (each service gets its own port, see --help) or 0 (no metrics)" ;;
esac
metrics_services=(registry case event reporting federation)
metrics_ports=()
for i in "${!metrics_services[@]}"; do
  port_var="metrics_${metrics_services[i]}"
  if [[ -n $metrics_base ]]; then printf -v "$port_var" '%s' "$((metrics_base + i + 1))"; else printf -v "$port_var" 0; fi
  [[ ${!port_var} == 0 ]] || metrics_ports+=("${!port_var}")
done
# Replicas: the first of a service listens on its port, each further one (of any service) on the
# next of the slot's spare ports, B+6 ... B+8 and M+6 ... M+8, which no suite derives otherwise.
# `addresses[service]` is what its clients are given: every replica's address.
declare -A addresses
components=(redis)
extra_replicas=0
for svc in "${metrics_services[@]}"; do
  count_var="WAHANA_REPLICAS_${svc^^}"
  count="${!count_var:-1}"
  [[ $count =~ ^[1-9][0-9]*$ ]] || die "$count_var must be a number of processes (1 or more), got '$count'"
  port_var="port_$svc"
  addresses[$svc]="127.0.0.1:${!port_var}"
  components+=("$svc")
  for ((k = 2; k <= count; k++)); do
    extra_replicas=$((extra_replicas + 1))
    ((extra_replicas <= 3)) ||
      die "WAHANA_REPLICAS_*: at most three replicas beyond each service's first, over all services (the spare ports B+6 ... B+8)"
    printf -v "port_${svc}_$k" '%s' "$((base + 5 + extra_replicas))"
    metrics_var="metrics_${svc}_$k"
    if [[ -n $metrics_base ]]; then printf -v "$metrics_var" '%s' "$((metrics_base + 5 + extra_replicas))"; else printf -v "$metrics_var" 0; fi
    [[ ${!metrics_var} == 0 ]] || metrics_ports+=("${!metrics_var}")
    addresses[$svc]+=",127.0.0.1:$((base + 5 + extra_replicas))"
    components+=("$svc-$k")
  done
done
components+=(gateway)
all_ports=("${metrics_ports[@]}")
for name in "${components[@]}"; do
  port_var="port_$(var_name "$name")"
  if ! [[ ${!port_var} =~ ^[0-9]+$ ]] || ((${!port_var} < 1 || ${!port_var} > 65535)); then
    die "the $name port must be a port number, got '${!port_var}'"
  fi
  all_ports+=("${!port_var}")
done
if [[ $(printf '%s\n' "${all_ports[@]}" | sort -u | wc -l) != "${#all_ports[@]}" ]]; then
  die "two processes would share a port: ${all_ports[*]}"
fi
http_host="${WAHANA_HTTP_HOST:-127.0.0.1}"
http_connect_host="$http_host"
[[ $http_connect_host == 0.0.0.0 || $http_connect_host == "::" ]] && http_connect_host=127.0.0.1
url="http://$http_connect_host:$http_port"

mkdir -p "$run_dir" "$log_dir" "$data_dir/redis"
data_dir="$(cd "$data_dir" && pwd)"
run_dir="$data_dir/run"
log_dir="$data_dir/logs"

# One starter per data dir at a time; a foreground runner holds the lock for its whole life.
exec 9>"$run_dir/runner.lock"
flock -n 9 || die "another run.sh is starting or running the suite in $data_dir"
runner="$(runner_pid)"
[[ -z $runner ]] || die "the suite in $data_dir is already running (run.sh pid $runner); stop it first"
for name in $(recorded_components) "${components[@]}"; do
  pid="$(component_pid "$name")"
  [[ -z $pid ]] ||
    die "the suite in $data_dir is already running ($name pid $pid); use: WAHANA_DATA_DIR=$data_dir $0 --stop"
  rm -f "$run_dir/$name.pid"
done

for name in "${components[@]}"; do
  port_var="port_$(var_name "$name")"
  if (exec 3<>"/dev/tcp/127.0.0.1/${!port_var}") 2>/dev/null; then
    die "port ${!port_var} (for $name) is already in use; choose another WAHANA_HTTP_PORT or set the port (see --help)"
  fi
  port_var="metrics_$(var_name "$name")"
  [[ ${!port_var:-0} != 0 ]] || continue
  if (exec 3<>"/dev/tcp/127.0.0.1/${!port_var}") 2>/dev/null; then
    die "port ${!port_var} (metrics of $name) is already in use; choose another WAHANA_HTTP_PORT or set WAHANA_METRICS_PORT=0"
  fi
done

{
  echo "suite_components=\"${components[*]}\""
  for name in "${components[@]}"; do
    port_var="port_$(var_name "$name")"
    echo "$port_var=${!port_var}"
    metrics_var="metrics_$(var_name "$name")"
    [[ $name == redis || $name == gateway ]] || echo "$metrics_var=${!metrics_var}"
  done
  echo "http_connect_host=$http_connect_host"
} >"$run_dir/suite.env"

say "data dir  $data_dir"
say "region    $region"
say "ports     gateway $port_gateway  registry $port_registry  case $port_case  event $port_event  reporting $port_reporting  federation $port_federation  redis $port_redis"
if [[ -n $metrics_base ]]; then
  say "metrics   registry $metrics_registry  case $metrics_case  event $metrics_event  reporting $metrics_reporting  federation $metrics_federation  (GET /metrics)"
fi
for name in "${components[@]}"; do
  [[ $name == *-[0-9]* ]] || continue
  port_var="port_$(var_name "$name")"
  metrics_var="metrics_$(var_name "$name")"
  say "replica   $name  port ${!port_var}  metrics ${!metrics_var}"
done

# ---------------------------------------------------------------------------------------------
# Clean-up: whatever this script started is stopped when it leaves, unless it detached on purpose.

started=()
keep_running=0
runner_written=0
ready=0

stop_started() {
  local i name
  for ((i = ${#components[@]} - 1; i >= 0; i--)); do
    name="${components[i]}"
    for s in "${started[@]}"; do
      if [[ $s == "$name" ]]; then stop_component "$name"; fi
    done
  done
  started=()
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  if ((keep_running == 0 && ${#started[@]} > 0)); then stop_started; fi
  if ((runner_written)); then rm -f "$run_dir/runner.pid"; fi
  exit "$rc"
}

on_signal() {
  trap '' INT TERM  # a second Ctrl-C must not interrupt the orderly stop
  echo
  say "signal received: stopping the suite"
  stop_started
  say "stopped"
  # A stop asked for after start-up is a normal end; during start-up the start failed.
  if ((ready)); then exit 0; else exit 130; fi
}

trap on_exit EXIT
trap on_signal INT TERM
# Lets --stop find and stop a run.sh that is still starting, or running in the foreground.
echo "$$" >"$run_dir/runner.pid"
runner_written=1

# ---------------------------------------------------------------------------------------------
# Packages and build.

if [[ ${WAHANA_SKIP_INSTALL:-0} != 1 ]]; then
  "$repo/deploy/install-deps.sh"
fi
command -v redis-server >/dev/null || die "redis-server is not on PATH (run deploy/install-deps.sh)"
command -v curl >/dev/null || die "curl is not on PATH (run deploy/install-deps.sh)"
command -v openssl >/dev/null || die "openssl is not on PATH (run deploy/install-deps.sh)"

binaries=(wahana-registry wahana-case wahana-event wahana-reporting wahana-federation wahana-gateway)
tools=(wahana-import-beneficiaries wahana-api-keys wahana-audit)
if [[ ${WAHANA_SKIP_BUILD:-0} != 1 ]]; then
  if [[ ! -f $build_dir/CMakeCache.txt ]]; then
    say "configuring a Release build in $build_dir"
    cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
  fi
  say "building ${binaries[*]}"
  cmake --build "$build_dir" --parallel "$(nproc)" --target "${binaries[@]}" "${tools[@]}"
fi

find_binary() {
  local name=$1 candidate
  for candidate in "$build_dir/services/${name#wahana-}/$name" "$build_dir/$name" \
    "$build_dir/gateway/$name" "$build_dir/bin/$name"; do
    if [[ -f $candidate && -x $candidate ]]; then echo "$candidate"; return 0; fi
  done
  find "$build_dir" -maxdepth 4 -name CMakeFiles -prune -o -type f -name "$name" -perm -u+x -print -quit
}

declare -A binary
for b in "${binaries[@]}"; do
  binary[$b]="$(find_binary "$b")"
  [[ -n ${binary[$b]} ]] || die "$b not found under $build_dir (build it, or set WAHANA_BUILD_DIR)"
done

# ---------------------------------------------------------------------------------------------
# Processes. Each runs in its own session (setsid) so a Ctrl-C in the terminal reaches only this
# script, which then stops the processes in order. The lock descriptor is not handed down.

launch() {
  local name=$1
  shift
  local log="$log_dir/$name.log"
  printf '==== %s run.sh starting %s\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$name" >>"$log"
  env "$@" >>"$log" 2>&1 </dev/null 9>&- &
  echo "$!" >"$run_dir/$name.pid"
  started+=("$name")
}

# The end of a process's log, from this run's start line only (logs are appended across runs).
print_tail() {
  local name=$1 lines=${2:-25}
  echo "----- $log_dir/$name.log (last $lines lines of this run)"
  awk '/^==== .* run.sh starting / { n = 0 } { buf[n++] = $0 } END { for (i = 0; i < n; i++) print buf[i] }' \
    "$log_dir/$name.log" 2>/dev/null | tail -n "$lines" || true
}

# Fails the start, naming the first started process that died.
check_started_alive() {
  local name pid
  for name in "${started[@]}"; do
    pid="$(cat "$run_dir/$name.pid" 2>/dev/null || true)"
    # Just after launch the pid may still be `env` or `setsid` on their way to exec the binary
    # (a loaded machine makes that window long): those count as alive.
    if ! pid_alive "$pid" "$(process_name "$name")" && ! pid_alive "$pid" env &&
      ! pid_alive "$pid" setsid; then
      say "$name exited unexpectedly" >&2
      print_tail "$name" 40 >&2
      return 1
    fi
  done
}

deadline=$((SECONDS + ${WAHANA_READY_TIMEOUT:-60}))

# Redis users: one per process, each limited to its own keys (deploy/redis/users.acl.in), with
# passwords made once per data dir (secrets/redis_<user>_password, mode 0600).
secrets_dir="$data_dir/secrets"
(umask 077 && mkdir -p "$secrets_dir")
"$repo/deploy/redis/acl.sh" passwords "$secrets_dir" 600 || die "cannot write the Redis passwords in $secrets_dir"
"$repo/deploy/redis/acl.sh" write "$secrets_dir" "$data_dir/redis/users.acl" || die "cannot write $data_dir/redis/users.acl"
# WAHANA_REDIS_USER and WAHANA_REDIS_PASSWORD_FILE of `user`, into the array `login` (an array, not
# echoed words, so a data dir with spaces stays one argument).
redis_login() { login=("WAHANA_REDIS_USER=$1" "WAHANA_REDIS_PASSWORD_FILE=$secrets_dir/redis_$1_password"); }
redis_cli() { REDISCLI_AUTH="$(cat "$secrets_dir/redis_default_password")" redis-cli -h 127.0.0.1 -p "$port_redis" "$@"; }

launch redis setsid redis-server "$repo/deploy/redis/redis.conf" --port "$port_redis" \
  --bind 127.0.0.1 --protected-mode yes --dir "$data_dir/redis" --aclfile "$data_dir/redis/users.acl" \
  --daemonize no
# The services wait for Redis themselves, but a Redis still loading a large AOF is better reported
# here, by name.
until [[ $(redis_cli ping 2>/dev/null || true) == PONG ]]; do
  sleep 0.1
  check_started_alive || exit 1
  ((SECONDS < deadline)) || { print_tail redis >&2; die "Redis did not answer PING in time"; }
done

# Authentication: the token secret every process shares, made once per data dir (mode 0600), and
# on first start an ADMIN API key for the region, written to admin.token (mode 0600).
token_secret="$data_dir/token.secret"
if [[ ! -s $token_secret ]]; then
  (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$token_secret.tmp" &&
    mv "$token_secret.tmp" "$token_secret") || die "cannot write $token_secret"
fi
chmod 600 "$token_secret"
# The token issuer's RSA key pair, made once per data dir: the gateway alone gets the private half
# (it signs every token it issues), the services the public half (they only verify).
signing_key="$secrets_dir/token_signing_key.pem"
public_key="$secrets_dir/token_public_key.pem"
if [[ ! -s $signing_key ]]; then
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$signing_key.tmp" 2>/dev/null && mv "$signing_key.tmp" "$signing_key") ||
    die "cannot write $signing_key"
  rm -f "$public_key"
fi
chmod 600 "$signing_key"
if [[ ! -s $public_key ]]; then
  openssl pkey -in "$signing_key" -pubout -out "$public_key.tmp" 2>/dev/null &&
    mv "$public_key.tmp" "$public_key" || die "cannot write $public_key"
fi
admin_token="$data_dir/admin.token"
if [[ ! -s $admin_token ]]; then
  api_keys="$(find_binary wahana-api-keys)"
  [[ -n $api_keys ]] || die "wahana-api-keys not found under $build_dir (build it, or set WAHANA_BUILD_DIR)"
  rm -f "$admin_token"
  bootstrap_rc=0
  redis_login gateway
  env WAHANA_REGION="$region" WAHANA_REDIS_HOST=127.0.0.1 WAHANA_REDIS_PORT="$port_redis" \
    "${login[@]}" "$api_keys" bootstrap --out="$admin_token" >>"$log_dir/api-keys.log" 2>&1 || bootstrap_rc=$?
  case $bootstrap_rc in
    0) say "admin API key written to $admin_token (mode 0600)" ;;
    3) say "no $admin_token, and a bootstrap key was made before: create keys with an ADMIN key" \
      "(wahana-api-keys create --help)" >&2 ;;
    *) die "bootstrap of the admin API key failed: $(tail -n 3 "$log_dir/api-keys.log")" ;;
  esac
fi
auth_header="Authorization: Bearer $(cat "$admin_token" 2>/dev/null || true)"

# The event service signs participants' check-in codes with its own Ed25519 key.
checkin_key="$secrets_dir/checkin_key.pem"
if [[ ! -s $checkin_key ]]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$checkin_key.tmp" 2>/dev/null &&
    mv "$checkin_key.tmp" "$checkin_key") || die "cannot write $checkin_key"
fi
chmod 600 "$checkin_key"

# The federation service signs what a district sends its province with this deployment's own
# Ed25519 key (the province registers its public half: deploy/local/run-federation.sh).
federation_key="${WAHANA_FEDERATION_KEY_FILE:-$secrets_dir/federation_key.pem}"
if [[ ! -s $federation_key ]]; then
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$federation_key.tmp" 2>/dev/null &&
    mv "$federation_key.tmp" "$federation_key") || die "cannot write $federation_key"
fi

# Every replica of `service` ("case", then "case-2", ...) with the environment `$@`, each on its own
# gRPC and metrics port.
launch_replicas() {
  local service=$1 name port_var metrics_var
  shift
  for name in "${components[@]}"; do
    [[ $name == "$service" || $name == "$service"-[0-9]* ]] || continue
    port_var="port_$(var_name "$name")"
    metrics_var="metrics_$(var_name "$name")"
    launch "$name" "$@" WAHANA_GRPC_PORT="${!port_var}" WAHANA_METRICS_PORT="${!metrics_var}" \
      setsid "${binary[wahana-$service]}"
  done
}

# WAHANA_REGISTRY_ADDR: case and event check region codes with the registry, reporting names them.
# Each *_ADDR lists every replica of the service.
service_env=(WAHANA_REGION="$region" WAHANA_REDIS_HOST=127.0.0.1 WAHANA_REDIS_PORT="$port_redis"
  WAHANA_REGISTRY_ADDR="${addresses[registry]}" WAHANA_TOKEN_SECRET_FILE="$token_secret"
  WAHANA_TOKEN_PUBLIC_KEY_FILE="$public_key")
# The registry reads the region files from the source tree unless told otherwise, so a build tree
# needs no install step.
# WAHANA_CASE_ADDR: the registry's personal-data export reads the person's cases.
registry_env=(WAHANA_CASE_ADDR="${addresses[case]}")
if [[ -z ${WAHANA_REGIONS_DIR:-} && -d $repo/services/registry/data/idn-area ]]; then
  registry_env+=(WAHANA_REGIONS_DIR="$repo/services/registry/data/idn-area")
fi
redis_login registry
launch_replicas registry "${service_env[@]}" "${registry_env[@]}" "${login[@]}"
# WAHANA_EVENT_ADDR: the case service checks the event a mediation session names.
# WAHANA_CASE_ADDR, WAHANA_EVENT_ADDR: `wahana-reporting --rebuild` reads the cases, events and
# participants through their services (the registry's records through WAHANA_REGISTRY_ADDR).
for svc in case event reporting federation; do
  own_env=()
  [[ $svc == case ]] && own_env=(WAHANA_EVENT_ADDR="${addresses[event]}")
  [[ $svc == event ]] && own_env=(WAHANA_CHECKIN_KEY_FILE="$checkin_key")
  [[ $svc == reporting ]] &&
    own_env=(WAHANA_CASE_ADDR="${addresses[case]}" WAHANA_EVENT_ADDR="${addresses[event]}")
  [[ $svc == federation ]] && own_env=(WAHANA_FEDERATION_KEY_FILE="$federation_key")
  redis_login "$svc"
  launch_replicas "$svc" "${service_env[@]}" "${own_env[@]}" "${login[@]}"
done
redis_login gateway
launch gateway WAHANA_REGION="$region" WAHANA_HTTP_PORT="$port_gateway" "${login[@]}" \
  WAHANA_TOKEN_SECRET_FILE="$token_secret" WAHANA_TOKEN_SIGNING_KEY_FILE="$signing_key" \
  WAHANA_REDIS_HOST=127.0.0.1 WAHANA_REDIS_PORT="$port_redis" \
  WAHANA_REGISTRY_ADDR="${addresses[registry]}" WAHANA_CASE_ADDR="${addresses[case]}" \
  WAHANA_EVENT_ADDR="${addresses[event]}" WAHANA_REPORTING_ADDR="${addresses[reporting]}" \
  WAHANA_FEDERATION_ADDR="${addresses[federation]}" setsid "${binary[wahana-gateway]}"

say "waiting for $url/readyz (at most ${WAHANA_READY_TIMEOUT:-60} s)"
while :; do
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/readyz" || true)"
  [[ $code == 200 ]] && break
  check_started_alive || exit 1
  if ((SECONDS >= deadline)); then
    say "not ready in time; GET /readyz answered: $code" >&2
    curl -s --max-time 2 "$url/readyz" >&2 || true
    echo >&2
    for name in "${components[@]}"; do print_tail "$name" 15 >&2; done
    exit 1
  fi
  sleep 0.2
done
say "ready"
ready=1

# ---------------------------------------------------------------------------------------------
# Demo data: once per data dir (marker file, listing what was made: kind requestId id), by
# deploy/demo/load.sh with the admin key; a repeat after an interrupted load creates nothing twice.

demo_marker="$data_dir/demo-loaded"
if [[ ${WAHANA_DEMO:-1} == 1 && ! -f $demo_marker ]]; then
  demo_rc=0
  WAHANA_REGION="$region" WAHANA_TOKEN_SECRET_FILE="$token_secret" "$repo/deploy/demo/load.sh" \
    --url "$url" --token-file "$admin_token" --registry "127.0.0.1:$port_registry" \
    --marker "$demo_marker" --importer "$(find_binary wahana-import-beneficiaries)" || demo_rc=$?
  case $demo_rc in
    0 | 3) ;;
    *) say "demo data NOT loaded; it is retried at the next start" >&2 ;;
  esac
fi

# ---------------------------------------------------------------------------------------------
# Tell the user what to do with it.

demo_id() { [[ -f $demo_marker ]] && awk -v k="$1" '$1 == k && $3 != "" { print $3; exit }' "$demo_marker"; }
case_id="$(demo_id case || true)"
event_id="$(demo_id event || true)"
metrics_hint=""
if [[ -n $metrics_base ]]; then
  metrics_hint="   # the services': http://127.0.0.1:$metrics_registry/metrics ... :$metrics_federation"
fi
cat <<EOF

Wahana is running at $url  (region $region; data, logs and pid files in $data_dir)
Every API call needs a key: the admin key is in $admin_token (keep it private).
Try:
  export WAHANA_KEY="\$(cat $admin_token)"
  curl -s -H "Authorization: Bearer \$WAHANA_KEY" $url/v1/regions/16.06
  curl -s -H "Authorization: Bearer \$WAHANA_KEY" '$url/v1/regions?parent=16.06'
EOF
# Commands naming a demo record only when there is one: every printed command runs as printed
# (tests/deploy/run_sh_e2e.sh runs them all).
if [[ -n $case_id ]]; then
  echo "  curl -s -H \"Authorization: Bearer \$WAHANA_KEY\" $url/v1/cases/$case_id"
  echo "  curl -s -H \"Authorization: Bearer \$WAHANA_KEY\" $url/v1/cases/$case_id/history"
fi
if [[ -n $event_id ]]; then
  echo "  curl -s -H \"Authorization: Bearer \$WAHANA_KEY\" $url/v1/events/$event_id"
fi
cat <<EOF
  curl -s -H "Authorization: Bearer \$WAHANA_KEY" '$url/v1/reports/caseCounts?region=16.06'
  curl -s -H "Authorization: Bearer \$WAHANA_KEY" -X POST $url/v1/apiKeys -H 'Content-Type: application/json' \\
    -d '{"name":"Operator Sekayu","role":"OPERATOR","regionScope":"16.06.01"}'
  curl -s -H "Authorization: Bearer \$WAHANA_KEY" -X POST '$url/v1/cases?requestId=my-first-case' -H 'Content-Type: application/json' \\
    -d '{"villageCode":"16.06.01.2002","category":"FAKIR_MISKIN","kind":"FAMILY","summary":"..."}'
  curl -s -H "Authorization: Bearer \$WAHANA_KEY" '$url/v1/cases?status=INTERVENTION&overdue=true'
  # gRPC, with grpcurl (installed separately): grpcurl -plaintext 127.0.0.1:$port_registry list
  curl -s $url/metrics$metrics_hint
Logs: $log_dir/<process>.log
EOF

if [[ $mode == detach ]]; then
  keep_running=1
  echo "Stop: WAHANA_DATA_DIR=$data_dir $0 --stop"
  exit 0
fi

echo "Stop: Ctrl-C"
# Foreground: watch the processes; one dying takes the suite down (with its log) rather than
# leaving a half-working suite behind.
while :; do
  if ! check_started_alive; then
    say "stopping the rest of the suite" >&2
    exit 1
  fi
  sleep 1 &
  wait $! || true
done
