#!/usr/bin/env bash
# Checks deploy/docker/docker-compose.yml (alone, and with province.yml or district.yml over it) and
# deploy/docker/Dockerfile against the code, so the deployment cannot silently drift from it:
#   - every Wahana `command` is a binary the CMake build defines (add_executable), and every wahana-*
#     binary defined in services/<svc>/ or gateway/ is run by exactly one compose service (tools
#     defined deeper down only need to be in the image);
#   - every WAHANA_* name in the compose file is a setting of services/common/config/settings.cc;
#   - every WAHANA_<SVC>_ADDR setting is given to each process that reads it (settings.cc's "used
#     by"; optional when its default is empty) and points at the compose service that runs
#     wahana-<svc>, on the port that service listens on (its WAHANA_GRPC_PORT in compose, else the
#     default in its main.cc), as name:port or dns:///name:port (the name resolves to every
#     replica); services listen on 0.0.0.0 and reach Redis by its service name;
#   - no service of the suite but the gateway has a container_name or publishes a port, so
#     `up --scale <service>=N` can start N replicas of it;
#   - the gateway's published container port is its WAHANA_HTTP_PORT (compose, else settings.cc);
#   - the Dockerfile copies every binary to /usr/local/bin, and the region data to the
#     WAHANA_REGIONS_DIR it sets (which compose, if it sets one, agrees with);
#   - a wahana-* command that is no CMake binary is a script the Dockerfile installs (wahana-redis);
#   - every secret a service's settings point at (/run/secrets/<name>) is granted to that service
#     and declared at the top level, and Redis and every process of the suite have a health check;
#   - the token signing key is granted to the gateway and to no service (the demo loader aside);
#   - deploy/docker/make-secrets.sh, run into a temporary folder, makes every secret declared at
#     the top level, and the token public key it makes is the signing key's public half.
# The same checks run on each deployment: the compose file alone, and with each override file
# (deploy/docker/province.yml, district.yml) over it, as `-f docker-compose.yml -f <override>`
# runs them (its environment entries replace the base's, its secrets and ports add to them). For
# those also:
#   - WAHANA_PROVINCE_ADDR (the province: outside the project) is host:port, and every process
#     reading WAHANA_ROLE or WAHANA_PROVINCE_ADDR (settings.cc's "used by") gets the same value when
#     one does: a district's reporting service not told it is linked would write no outbox;
#   - the federation service may publish a port (the other side calls it), its WAHANA_GRPC_PORT;
#   - the secrets the operator exchanges are made by the scripts README names: federation_districts
#     by register-district.sh, province_public_key is the other side's federation_public_key.
# Usage: check_compose.sh [--repo DIR] [--compose FILE [--override FILE]...] [--dockerfile FILE]
# Exit 0 when everything agrees; 1 with one line per problem otherwise.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
compose=""
overrides=()
dockerfile=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repo) repo="$2"; shift 2 ;;
    --compose) compose="$2"; shift 2 ;;
    --override) overrides+=("$2"); shift 2 ;;
    --dockerfile) dockerfile="$2"; shift 2 ;;
    *) echo "check_compose.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# Deployments checked, each "base[ override]": by default the compose file alone and with each
# override file beside it.
deployments=()
if [[ -n $compose ]]; then
  deployments+=("$compose")
  for o in "${overrides[@]}"; do deployments+=("$compose $o"); done
else
  compose="$repo/deploy/docker/docker-compose.yml"
  deployments+=("$compose")
  for o in province district; do
    [[ -f $repo/deploy/docker/$o.yml ]] && deployments+=("$compose $repo/deploy/docker/$o.yml")
  done
fi
dockerfile="${dockerfile:-$repo/deploy/docker/Dockerfile}"
settings_cc="$repo/services/common/config/settings.cc"

problems=0
deployment=""  # the override file checked over the compose file, if any
problem() { echo "DRIFT: ${deployment:+[with $deployment] }$*"; problems=$((problems + 1)); }

for f in "$compose" "${overrides[@]}" "$dockerfile" "$settings_cc"; do
  [[ -f $f ]] || { echo "check_compose.sh: missing $f" >&2; exit 1; }
done

# --- Facts from the code ----------------------------------------------------------------------

# Settings: name -> default, name -> used by ("all", "services", "gateway", "case,event", ...).
declare -A setting_default setting_used_by
while IFS='|' read -r name default used_by; do
  setting_default[$name]="$default"
  setting_used_by[$name]="$used_by"
done < <(tr '\n' ' ' <"$settings_cc" |
  grep -oE '\{"WAHANA_[A-Z0-9_]+",[[:space:]]*"[^"]*",[[:space:]]*"[^"]*"' |
  sed -E 's/^\{"([A-Z0-9_]+)",[[:space:]]*"([^"]*)",[[:space:]]*"([^"]*)"$/\1|\2|\3/')
((${#setting_default[@]} > 0)) || { echo "check_compose.sh: no settings found in $settings_cc" >&2; exit 1; }

# Executables the build defines, and the wahana-* ones that make up the suite.
mapfile -t cmake_files < <(find "$repo" \( -path "$repo/build*" -o -path "$repo/var" -o -path "$repo/.git" \) -prune \
  -o -name CMakeLists.txt -print)
declare -A executable
suite_binaries=()
tool_binaries=()
for f in "${cmake_files[@]}"; do
  while read -r exe; do
    executable[$exe]=1
    # Processes of the suite are defined in services/<svc>/ or gateway/; wahana-* binaries deeper
    # down are command-line tools: shipped in the image, but no compose service of their own.
    if [[ $exe == wahana-* ]]; then
      if [[ $f =~ ^$repo/(services/[^/]+|gateway)/CMakeLists\.txt$ ]]; then
        suite_binaries+=("$exe")
      else
        tool_binaries+=("$exe")
      fi
    fi
  done < <(grep -oE 'add_executable\([[:space:]]*[A-Za-z0-9_.+-]+' "$f" | sed -E 's/add_executable\([[:space:]]*//')
done
((${#suite_binaries[@]} > 0)) || problem "no wahana-* executable defined under services/ or gateway/"

# The gRPC port a service binary listens on by default: RunService(argc, argv, "<name>", <port>, ...).
default_grpc_port() {
  local name=${1#wahana-}
  cat "$repo/services/$name"/*.cc 2>/dev/null | tr '\n' ' ' |
    grep -oE "RunService\([^;]*\"$name\",[[:space:]]*[0-9]+" | grep -oE '[0-9]+$' | head -n 1
}

# What make-secrets.sh makes, for real (openssl included), in a folder of our own; then what the
# operator adds as README says: a district registered with register-district.sh (a province's
# federation_districts) and the province's federation_public_key installed as province_public_key.
make_secrets="$repo/deploy/docker/make-secrets.sh"
made="$(mktemp -d)"
trap 'rm -rf "$made"' EXIT
made_ok=0
if ! "$make_secrets" "$made/secrets" >"$made/out" 2>&1; then
  problem "deploy/docker/make-secrets.sh failed: $(tail -n 1 "$made/out")"
else
  made_ok=1
  if [[ -s $made/secrets/token_signing_key && -s $made/secrets/token_public_key ]]; then
    openssl pkey -in "$made/secrets/token_signing_key" -pubout 2>/dev/null |
      cmp -s - "$made/secrets/token_public_key" ||
      problem "make-secrets.sh's token_public_key is not the public half of its token_signing_key"
  fi
  if [[ -f $repo/deploy/docker/register-district.sh && -s $made/secrets/federation_public_key ]]; then
    WAHANA_SECRETS_DIR="$made/secrets" "$repo/deploy/docker/register-district.sh" 16.06 \
      "$made/secrets/federation_public_key" district:20055 >"$made/out" 2>&1 ||
      problem "deploy/docker/register-district.sh failed: $(tail -n 1 "$made/out")"
  fi
  [[ ! -s $made/secrets/federation_public_key ]] ||
    cp "$made/secrets/federation_public_key" "$made/secrets/province_public_key"
fi

# --- Each deployment: its files' facts, then every check ------------------------------------------

# Lines "service<TAB>kind<TAB>value" of one compose file.
parse_compose() {
  awk '
  function indent(s) { match(s, /^ */); return RLENGTH }
  function unquote(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); gsub(/^["\047]|["\047]$/, "", s); return s }
  # A secrets list, as a flow list ("[a, b" ... "c]") or block items ("- a").
  function print_secrets(svc, text,   n, i, words) {
    gsub(/[\[\]-]/, " ", text); n = split(text, words, /[ ,]+/)
    for (i = 1; i <= n; i++) if (words[i] != "") print svc "\tsecret\t" unquote(words[i])
  }
  /^[ \t]*(#|$)/ { next }
  {
    ind = indent($0); line = $0; sub(/^ +/, "", line); sub(/[ \t]+#.*$/, "", line)
    if (ind == 0) { in_services = (line ~ /^services:/); in_secrets = (line ~ /^secrets:/); svc = ""; svc_ind = -1; next }
    if (in_secrets) { if (line ~ /^[A-Za-z0-9_.-]+:[ \t]*$/) { sub(/:.*$/, "", line); print "-\tdeclared-secret\t" line }; next }
    if (!in_services) next
    if (svc_ind < 0) svc_ind = ind
    if (ind == svc_ind) { svc = line; sub(/:.*$/, "", svc); key_ind = -1; section = ""; next }
    if (key_ind < 0) key_ind = ind
    if (ind == key_ind) {
      section = line; sub(/:.*$/, "", section)
      value = line; sub(/^[^:]*:[ \t]*/, "", value)
      if (section == "command" || section == "image") {
        gsub(/[\[\]]/, "", value); split(value, words, /[ ,]+/)
        print svc "\t" section "\t" unquote(words[1])
      }
      if (section == "healthcheck") print svc "\thealthcheck\t1"
      if (section == "container_name") print svc "\tcontainer_name\t" unquote(value)
      if (section == "secrets") print_secrets(svc, value)
      next
    }
    if (section == "secrets") { print_secrets(svc, line); next }
    if (section == "environment") {
      if (line ~ /^- /) { sub(/^- /, "", line); line = unquote(line); k = line; sub(/=.*$/, "", k); v = line; sub(/^[^=]*=?/, "", v) }
      else { k = line; sub(/:.*$/, "", k); v = line; sub(/^[^:]*:[ \t]*/, "", v) }
      print svc "\tenv\t" unquote(k) "=" unquote(v)
    } else if (section == "ports" && line ~ /^- /) {
      sub(/^- /, "", line); print svc "\tport\t" unquote(line)
    }
  }' "$1"
}

# Every check below on one deployment: the compose file, then an override file, merged as compose
# merges them (later environment entries win, secrets and ports add). The body runs to the "}"
# before the Dockerfile checks, unindented as it was when the script checked one file.
check_deployment() {
local files=("$@") f
local parsed=""
for f in "${files[@]}"; do parsed+="$(parse_compose "$f")"$'\n'; done
local -A command_of env_of granted healthchecked declared_secret service_running
local services=()
while IFS=$'\t' read -r svc kind value; do
  [[ -n $svc ]] || continue
  case "$kind" in
    command) command_of[$svc]="$value"; services+=("$svc") ;;
    env) env_of[$svc:${value%%=*}]="${value#*=}" ;;
    secret) granted[$svc:$value]=1 ;;
    healthcheck) healthchecked[$svc]=1 ;;
    declared-secret) declared_secret[$value]=1 ;;
  esac
done <<<"$parsed"

# Scripts the Dockerfile installs as commands (COPY <script> /usr/local/bin/wahana-<name>).
declare -A installed_script
while read -r script; do installed_script[$script]=1; done < <(
  grep -oE '^COPY[[:space:]]+deploy/[^[:space:]]+[[:space:]]+/usr/local/bin/wahana-[a-z-]+' "$dockerfile" |
    sed -E 's#.*/usr/local/bin/##')

# Which compose service runs each binary.
for svc in "${services[@]}"; do
  cmd="${command_of[$svc]}"
  [[ $cmd == wahana-* ]] || continue
  [[ -n ${installed_script[$cmd]:-} ]] && continue
  if [[ -z ${executable[$cmd]:-} ]]; then
    problem "compose service '$svc' runs '$cmd', which no add_executable in the CMake build defines"
  fi
  if [[ -n ${service_running[$cmd]:-} ]]; then
    problem "compose services '${service_running[$cmd]}' and '$svc' both run $cmd"
  fi
  service_running[$cmd]="$svc"
done
for b in "${suite_binaries[@]}"; do
  [[ -n ${service_running[$b]:-} ]] || problem "no compose service runs $b (defined by the CMake build)"
done
gateway_svc="${service_running[wahana-gateway]:-}"

# --- Every WAHANA_* name in compose exists ----------------------------------------------------------

while read -r name; do
  [[ -n ${setting_default[$name]+x} ]] ||
    problem "compose uses $name, which is not a setting in services/common/config/settings.cc"
done < <(cat "${files[@]}" | grep -v '^[[:space:]]*#' | grep -oE 'WAHANA_[A-Z0-9_]+' | sort -u |
  # The compose files' own variables: where the secret files are, the federation port published.
  grep -vxE 'WAHANA_SECRETS_DIR|WAHANA_FEDERATION_PORT')

# --- Every secret a process reads is granted to it; every process has a health check -------------

for key in "${!env_of[@]}"; do
  svc="${key%%:*}"
  value="${env_of[$key]}"
  [[ $value == /run/secrets/* ]] || continue
  name="${value#/run/secrets/}"
  [[ -n ${granted[$svc:$name]:-} ]] ||
    problem "service '$svc' reads $value (${key#*:}) but is not granted the secret '$name' (secrets: under the service)"
  [[ -n ${declared_secret[$name]:-} ]] || problem "secret '$name' is used by '$svc' but not declared under the top-level secrets:"
done
# The token issuer's private key: the gateway's alone (and the operator's one-shot demo loader);
# the services get only its public half, so none of them can mint a token for a person.
for key in "${!granted[@]}"; do
  [[ ${key#*:} == token_signing_key ]] || continue
  svc="${key%%:*}"
  case "${command_of[$svc]}" in
    wahana-gateway | wahana-demo) ;;
    *) problem "service '$svc' (${command_of[$svc]}) is granted token_signing_key: only the gateway signs tokens" ;;
  esac
done
for svc in "${services[@]}"; do
  [[ ${command_of[$svc]} == wahana-gateway ]] || continue
  [[ -n ${granted[$svc:token_signing_key]:-} ]] || problem "the gateway ('$svc') is not granted token_signing_key"
done
# Every secret declared is made (make-secrets.sh, register-district.sh, the key exchange above).
if ((made_ok)); then
  for name in "${!declared_secret[@]}"; do
    [[ -s $made/secrets/$name ]] ||
      problem "secret '$name' is declared at the top level, but deploy/docker/make-secrets.sh (or register-district.sh) does not make it"
  done
fi
for svc in "${services[@]}"; do
  cmd="${command_of[$svc]}"
  [[ " ${suite_binaries[*]} " == *" $cmd "* || $cmd == wahana-redis || $cmd == redis-server* ]] || continue
  [[ -n ${healthchecked[$svc]:-} ]] || problem "service '$svc' ($cmd) has no healthcheck: depends_on cannot wait for it"
done

# --- Every process reaches the services it calls where they listen ---------------------------------

# True when the process `name` (registry, case, ..., gateway) reads a setting used by `used_by`.
reads_setting() {
  local name=$1 entry
  IFS=',' read -ra entries <<<"$2"
  for entry in "${entries[@]}"; do
    entry="${entry// /}"
    [[ $entry == all || $entry == "$name" ]] && return 0
    [[ $entry == services && $name != gateway ]] && return 0
  done
  return 1
}

# The province is no service of the project: WAHANA_PROVINCE_ADDR is checked below.
for addr_setting in $(printf '%s\n' "${!setting_default[@]}" | grep -E '^WAHANA_[A-Z]+_ADDR$' |
  grep -vx WAHANA_PROVINCE_ADDR | sort); do
  target_bin="wahana-$(echo "${addr_setting#WAHANA_}" | sed 's/_ADDR$//' | tr '[:upper:]' '[:lower:]')"
  for svc in "${services[@]}"; do
    cmd="${command_of[$svc]}"
    [[ $cmd == wahana-* ]] || continue
    reads_setting "${cmd#wahana-}" "${setting_used_by[$addr_setting]}" || continue
    addr="${env_of[$svc:$addr_setting]:-}"
    if [[ -z $addr ]]; then
      # An address whose default is empty is optional (the feature is off unless it is set).
      [[ -z ${setting_default[$addr_setting]} ]] ||
        problem "'$svc' ($cmd) does not set $addr_setting (its default, ${setting_default[$addr_setting]}, is wrong in containers)"
      continue
    fi
    target="${addr#dns:///}"
    host="${target%:*}"
    port="${target##*:}"
    target_svc="${service_running[$target_bin]:-}"
    if [[ -z $target_svc ]]; then
      problem "'$svc' sets $addr_setting=$addr but no compose service runs $target_bin"
      continue
    fi
    [[ $host == "$target_svc" ]] ||
      problem "'$svc' sets $addr_setting=$addr, pointing at '$host', but $target_bin runs in compose service '$target_svc'"
    listen="${env_of[$target_svc:WAHANA_GRPC_PORT]:-}"
    [[ -n $listen ]] || listen="${setting_default[WAHANA_GRPC_PORT]:-}"
    [[ -n $listen ]] || listen="$(default_grpc_port "$target_bin")"
    if [[ -z $listen ]]; then
      problem "cannot tell which port $target_bin listens on (no WAHANA_GRPC_PORT in compose, no default in its main)"
    elif [[ $port != "$listen" ]]; then
      problem "'$svc' sets $addr_setting=$addr, but '$target_svc' ($target_bin) listens on port $listen"
    fi
  done
done

# --- Services listen where the gateway looks ------------------------------------------------------

setting_value() {  # service setting -> value in compose, else the code default
  local key="$1:$2"
  if [[ -n ${env_of[$key]+x} ]]; then echo "${env_of[$key]}"; else echo "${setting_default[$2]:-}"; fi
}

redis_svc=""
for svc in "${services[@]}"; do
  [[ ${command_of[$svc]} == redis-server* || ${command_of[$svc]} == wahana-redis ]] && redis_svc="$svc"
done
for b in "${suite_binaries[@]}"; do
  svc="${service_running[$b]:-}"
  [[ -n $svc && $b != wahana-gateway ]] || continue
  [[ $(setting_value "$svc" WAHANA_GRPC_HOST) == 0.0.0.0 ]] ||
    problem "service '$svc' must set WAHANA_GRPC_HOST: 0.0.0.0 to be reachable from other containers"
  if [[ -n $redis_svc ]]; then
    [[ $(setting_value "$svc" WAHANA_REDIS_HOST) == "$redis_svc" ]] ||
      problem "service '$svc' must set WAHANA_REDIS_HOST: $redis_svc (the compose Redis service)"
  fi
  # `up --scale` starts replicas under names and ports of their own. The federation service alone
  # may publish its gRPC port: the other side of the link calls it (and it is not scaled).
  while IFS=$'\t' read -r owner kind value; do
    [[ $owner == "$svc" ]] || continue
    [[ $kind != container_name ]] ||
      problem "service '$svc' sets container_name '$value': 'up --scale $svc=N' cannot start a second replica"
    [[ $kind == port ]] || continue
    if [[ $b == wahana-federation ]]; then
      container="${value##*:}"
      container="${container%/tcp}"
      [[ $container == "$(setting_value "$svc" WAHANA_GRPC_PORT)" ]] ||
        problem "the federation service publishes '$value', but listens on WAHANA_GRPC_PORT $(setting_value "$svc" WAHANA_GRPC_PORT)"
    else
      problem "service '$svc' publishes port '$value': a second replica ('up --scale $svc=N') could not bind it"
    fi
  done <<<"$parsed"
done

# --- The federation link: one role and one province for the whole deployment ----------------------

for link_setting in WAHANA_ROLE WAHANA_PROVINCE_ADDR; do
  given="" readers=""
  for b in "${suite_binaries[@]}"; do
    svc="${service_running[$b]:-}"
    [[ -n $svc ]] || continue
    reads_setting "${b#wahana-}" "${setting_used_by[$link_setting]:-}" || continue
    readers+="$svc=${env_of[$svc:$link_setting]:-<unset>} "
    [[ -n ${env_of[$svc:$link_setting]:-} ]] && given=1
  done
  if [[ -n $given ]]; then
    [[ $(tr ' ' '\n' <<<"$readers" | sed -n 's/^[^=]*=//p' | sort -u | wc -l) == 1 ]] ||
      problem "every process reading $link_setting must get the same value: $readers"
  fi
done
# A value compose interpolates (${WAHANA_PROVINCE_ADDR:?...}) is the operator's, checked by the code.
for svc in "${services[@]}"; do
  addr="${env_of[$svc:WAHANA_PROVINCE_ADDR]:-}"
  # shellcheck disable=SC2016  # the literal text of a compose interpolation
  [[ -z $addr || $addr =~ ^[A-Za-z0-9._-]+:[0-9]+$ || $addr == '${WAHANA_PROVINCE_ADDR'* ]] ||
    problem "'$svc' sets WAHANA_PROVINCE_ADDR=$addr: the province's federation service is host:port"
done

for svc in "${services[@]}"; do
  v="${env_of[$svc:WAHANA_REGIONS_DIR]:-}"
  [[ -z $v || -z $regions_dir || $v == "$regions_dir" ]] ||
    problem "compose service '$svc' sets WAHANA_REGIONS_DIR=$v, but the image holds the data in $regions_dir"
done

if [[ -n $gateway_svc ]]; then
  [[ $(setting_value "$gateway_svc" WAHANA_HTTP_HOST) == 0.0.0.0 ]] ||
    problem "the gateway must set WAHANA_HTTP_HOST: 0.0.0.0 to be reachable through its published port"
  # Published port: the container side must be the gateway's HTTP port.
  http_port="$(setting_value "$gateway_svc" WAHANA_HTTP_PORT)"
  published=0
  while IFS=$'\t' read -r svc kind value; do
    [[ $svc == "$gateway_svc" && $kind == port ]] || continue
    published=1
    container="${value##*:}"
    container="${container%/tcp}"
    [[ $container == "$http_port" ]] ||
      problem "the gateway publishes '$value', but listens on WAHANA_HTTP_PORT $http_port"
  done <<<"$parsed"
  ((published)) || problem "the gateway publishes no port"
fi
}

# --- The Dockerfile ships every binary and the region data ------------------------------------------

for b in "${suite_binaries[@]}" "${tool_binaries[@]}"; do
  grep -qE "^COPY[[:space:]]+--from=[^[:space:]]+[[:space:]]+([^[:space:]]*/)?${b}[[:space:]]+/usr/local/bin(/|/${b})?[[:space:]]*$" "$dockerfile" ||
    problem "the Dockerfile does not copy $b to /usr/local/bin"
done
regions_dir="$(grep -oE 'WAHANA_REGIONS_DIR=[^[:space:]\\]+' "$dockerfile" | head -n 1 | cut -d= -f2)"
if [[ -z $regions_dir ]]; then
  problem "the Dockerfile does not set WAHANA_REGIONS_DIR"
else
  grep -qE "^COPY[[:space:]].*services/registry/data/idn-area/?[[:space:]]+${regions_dir}/?[[:space:]]*$" "$dockerfile" ||
    problem "the Dockerfile does not copy services/registry/data/idn-area to WAHANA_REGIONS_DIR ($regions_dir)"
fi

# --- Every deployment ---------------------------------------------------------------------------------

checked=()
join_checked() { local IFS=,; local text="${checked[*]}"; echo "${text//,/, }"; }
for d in "${deployments[@]}"; do
  read -ra files <<<"$d"
  deployment=""
  ((${#files[@]} == 1)) || deployment="$(basename "${files[1]}")"
  check_deployment "${files[@]}"
  checked+=("$(basename "${files[0]}")${deployment:+ + $deployment}")
done
deployment=""

if ((problems > 0)); then
  echo "check_compose.sh: $problems problem(s) in $compose ($(join_checked)) / $dockerfile"
  exit 1
fi
echo "check_compose.sh: compose ($(join_checked)) and Dockerfile agree with the code (${#suite_binaries[@]} binaries: ${suite_binaries[*]})"
