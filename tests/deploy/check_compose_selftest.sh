#!/usr/bin/env bash
# Proves check_compose.sh catches drift: copies the files it reads into a temporary tree, checks the
# copy passes, then breaks the copy one way at a time (as a careless edit of the compose file, the
# Dockerfile or the code would) and expects the checker to fail each time.
# Usage: check_compose_selftest.sh [--repo DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[[ ${1:-} == --repo ]] && repo="$2"
checker="$here/check_compose.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The files the checker reads: settings, every CMakeLists.txt, the services' sources (for their
# default ports), the deploy files (make-secrets.sh runs deploy/redis/acl.sh).
copy_tree() {
  local dest=$1 f
  (cd "$repo" && find . \( -path './build*' -o -path ./var -o -path ./.git \) -prune -o -type f \
    \( -name CMakeLists.txt -o -path './services/*.cc' -o -path './deploy/docker/*' \
    -o -path './deploy/redis/*' \) -print) |
    while read -r f; do
      mkdir -p "$dest/$(dirname "$f")"
      cp "$repo/$f" "$dest/$f"
    done
}

failures=0
run_checker() { "$checker" --repo "$1" >"$work/out" 2>&1; }

baseline="$work/baseline"
copy_tree "$baseline"
if ! run_checker "$baseline"; then
  echo "FAIL: the unmodified copy does not pass (fix check_compose.sh's findings first):"
  cat "$work/out"
  exit 1
fi
echo "ok   unmodified copy passes"

# mutate DESCRIPTION "FILE-GLOB..." SED-EXPRESSION: the edit must change a file of every glob, and
# the checker must then fail.
mutate() {
  local description=$1 expr=$3 tree="$work/mutant" glob target changed
  local -a globs
  read -ra globs <<<"$2"
  rm -rf "$tree"
  cp -a "$baseline" "$tree"
  for glob in "${globs[@]}"; do
    changed=0
    for target in "$tree"/$glob; do
      [[ -f $target ]] || continue
      cp "$target" "$work/before"
      sed -i -E "$expr" "$target"
      cmp -s "$target" "$work/before" || changed=1
    done
    if ((changed == 0)); then
      echo "FAIL: mutation '$description' did not change $glob (update this self-test)"
      failures=$((failures + 1))
      return
    fi
  done
  if run_checker "$tree"; then
    echo "FAIL: check_compose.sh passed although $description"
    failures=$((failures + 1))
  else
    echo "ok   caught: $description -> $(grep -m1 DRIFT "$work/out" || head -n1 "$work/out")"
  fi
}

compose=deploy/docker/docker-compose.yml
dockerfile=deploy/docker/Dockerfile
mutate "a compose command names a binary the build does not define" \
  "$compose" 's/command: \["wahana-registry"\]/command: ["wahana-registri"]/'
mutate "compose uses a WAHANA_ name settings.cc does not have" \
  "$compose" '0,/WAHANA_REDIS_HOST:/s/WAHANA_REDIS_HOST:/WAHANA_REDIS_HOSTNAME:/'
mutate "the gateway's case address has the wrong port" \
  "$compose" 's#(WAHANA_CASE_ADDR: dns:///case):[0-9]+#\1:20062#'
mutate "the event service listens on another port than the gateway calls" \
  "$compose" 's/WAHANA_GRPC_PORT: "20053"/WAHANA_GRPC_PORT: "20063"/'
mutate "the gateway's event address names the reporting service" \
  "$compose" 's#WAHANA_EVENT_ADDR: dns:///event:#WAHANA_EVENT_ADDR: dns:///reporting:#'
mutate "the case service has a fixed container_name (no second replica with --scale)" \
  "$compose" 's/(command: \["wahana-case"\])/\1\n    container_name: wahana-case/'
mutate "the case service publishes its gRPC port (no second replica with --scale)" \
  "$compose" 's/(command: \["wahana-case"\])/\1\n    ports:\n      - "20052:20052"/'
mutate "the published container port is not the gateway's HTTP port" \
  "$compose" 's/:-8080\}:8080"/:-8080}:8081"/'
mutate "a service binds 127.0.0.1 in its container" \
  "$compose" '0,/WAHANA_GRPC_HOST: 0.0.0.0/s/WAHANA_GRPC_HOST: 0.0.0.0/WAHANA_GRPC_HOST: 127.0.0.1/'
mutate "the case service is not told where the registry is" \
  "$compose" '0,/WAHANA_REGISTRY_ADDR: dns:\/\/\/registry:20051/{/WAHANA_REGISTRY_ADDR: dns:\/\/\/registry:20051/d}'
mutate "the case service is not granted its Redis password" \
  "$compose" 's/secrets: \[token_secret, token_public_key, redis_case_password\]/secrets: [token_secret, token_public_key]/'
mutate "the case service is granted the token signing key" \
  "$compose" 's/secrets: \[token_secret, token_public_key, redis_case_password\]/secrets: [token_secret, token_public_key, token_signing_key, redis_case_password]/'
mutate "the gateway is not granted the token signing key" \
  "$compose" 's/secrets: \[token_secret, token_signing_key, redis_gateway_password\]/secrets: [token_secret, redis_gateway_password]/'
mutate "no service is granted the token secret it reads (the crash loop of issue 15)" \
  "$compose" 's/secrets: \[token_secret, (token_public_key, )?(redis_[a-z]+_password)\]/secrets: [\1\2]/'
mutate "a secret is used but not declared at the top level" \
  "$compose" '/^  redis_gateway_password:$/,+1d'
mutate "make-secrets.sh does not make the token public key compose mounts" \
  deploy/docker/make-secrets.sh 's#mv "\$dir/token_public_key.tmp" "\$dir/token_public_key"#mv "$dir/token_public_key.tmp" "$dir/token_verify_key"#'
mutate "make-secrets.sh's token public key is another key's" \
  deploy/docker/make-secrets.sh 's#openssl pkey -in "\$dir/token_signing_key" -pubout#openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 | openssl pkey -pubout#'
mutate "the event service has no health check" \
  "$compose" '/wahana-healthcheck", "grpc", "127.0.0.1:20053"/d; /^  event:$/,/^  reporting:$/{/healthcheck:/d}'
mutate "the Dockerfile no longer copies wahana-event" \
  "$dockerfile" '/^COPY .*wahana-event /d'
mutate "the Dockerfile puts the region data elsewhere than WAHANA_REGIONS_DIR" \
  "$dockerfile" 's#(idn-area/ )/usr/local/share/wahana/idn-area/#\1/opt/idn-area/#'
mutate "the code renames a setting compose still uses" \
  services/common/config/settings.cc 's/"WAHANA_REPORTING_ADDR"/"WAHANA_REPORTS_ADDR"/'
mutate "the code renames a binary compose still runs" \
  'services/case/CMakeLists.txt' \
  's/add_executable\(wahana-case([[:space:]])/add_executable(wahana-cases\1/'
mutate "the case service's default port changes while compose relies on it" \
  "$compose services/case/*.cc" \
  '/WAHANA_GRPC_PORT: "20052"/d; s/("case",[[:space:]]*)20052/\120062/'
province=deploy/docker/province.yml
district=deploy/docker/district.yml
mutate "the district's reporting service is not told it is linked (no outbox written)" \
  "$district" '/^  reporting:$/,/^  federation:$/{/WAHANA_PROVINCE_ADDR/d}'
mutate "the district's federation service is not granted the province's public key it reads" \
  "$district" 's/secrets: \[federation_key, province_public_key\]/secrets: [federation_key]/'
mutate "the province publishes another port than its federation service listens on" \
  "$province" 's/:-20055\}:20055"/:-20055}:20056"/'
mutate "the province's federation service reads a setting settings.cc does not have" \
  "$province" 's/WAHANA_FEDERATION_DISTRICTS_FILE:/WAHANA_FEDERATION_DISTRICT_FILE:/'
mutate "the province's case service is given another role than its federation service" \
  "$province" '0,/WAHANA_ROLE: province/s/WAHANA_ROLE: province/WAHANA_ROLE: district/'
mutate "the district's registry service publishes a port (no --scale)" \
  "$district" 's/^services:$/services:\n  registry:\n    ports:\n      - "20051:20051"/'
mutate "register-district.sh no longer writes the file province.yml mounts" \
  deploy/docker/register-district.sh 's#^file="\$dir/federation_districts"#file="$dir/districts.json"#'

if ((failures > 0)); then
  echo "check_compose_selftest.sh: $failures failure(s)"
  exit 1
fi
echo "check_compose_selftest.sh: every drift was caught"
