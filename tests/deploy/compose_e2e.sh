#!/usr/bin/env bash
# The compose deployment, really run: build the image once from deploy/docker/Dockerfile, `up` the
# suite of deploy/docker/docker-compose.yml with Debian's docker-compose 1.29 (or Compose v2 where
# only that is present) with two case replicas (--scale case=2), wait for every health check, bootstrap the admin key, exchange it for a
# token (POST /v1/tokens) signed with the published key, create and read an institution through
# the gateway, load the demo district (the `demo` service, twice), read a case through both case
# replicas and on after one is killed, check
# that `up` with the gateway's port taken fails naming it, that a wrong Redis password stops a process with a clear
# message, `down` and `up` again and read the institution back (the volume kept it).
#
# Needs a Docker engine: as root it starts Debian's dockerd itself when none runs. Where no base
# image can be pulled it makes debian:12 with `debootstrap --variant=minbase bookworm` and
# `docker import`. Exits 77 (CTest: skipped) with the reason when Docker cannot be had.
# Usage: compose_e2e.sh [--keep]   (--keep: leave the suite and the image for a look afterwards)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
compose_file="$repo/deploy/docker/docker-compose.yml"
keep=0
[[ ${1:-} == --keep ]] && keep=1

skip() { echo "SKIP: $*"; exit 77; }
say() { echo "compose_e2e: $*"; }

# shellcheck source-path=SCRIPTDIR source=docker_lib.sh
source "$here/docker_lib.sh"
docker_find_compose

work="$(mktemp -d)"
project="wahana-e2e-$$"
export WAHANA_SECRETS_DIR="$work/secrets"
export WAHANA_HTTP_PORT=$((28100 + RANDOM % 2000))
export WAHANA_REGION=16.06
compose() { "${compose_cmd[@]}" -p "$project" -f "$compose_file" "$@"; }

cleanup() {
  if ((keep == 0)); then
    compose --profile tools down -v --remove-orphans >/dev/null 2>&1 || true
    docker_stop_engine
    rm -rf "$work"
  else
    say "kept: project $project, secrets in $work/secrets, gateway on port $WAHANA_HTTP_PORT"
  fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  compose ps 2>&1 || true
  compose logs --no-color --tail=40 2>&1 || true
  exit 1
}

# --- A Docker engine, the base image (pulled, or made from Debian's mirror), the image built once ---
docker_engine
docker_base_image
docker_build_image "$repo"

"$repo/deploy/docker/make-secrets.sh" "$WAHANA_SECRETS_DIR" >/dev/null
[[ $(stat -c %a "$WAHANA_SECRETS_DIR") == 700 ]] || fail "the secrets folder is not mode 0700"

# Waits until every running container of the project is healthy.
wait_healthy() {
  local deadline=$((SECONDS + 240)) id states
  while :; do
    states=""
    for id in $(compose ps -q); do
      states+="$(docker inspect -f '{{.Name}}={{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id") "
    done
    [[ -n $states && $states != *starting* && $states != *unhealthy* && $states != *exited* && $states != *restarting* ]] && return 0
    ((SECONDS < deadline)) || fail "not healthy in 240 s: $states"
    sleep 2
  done
}

up() {
  compose up -d --scale case=2 >"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "up failed"; }
  wait_healthy
  [[ $(compose ps -q | wc -l) == 8 ]] || fail "expected 8 containers (case twice), got: $(compose ps)"
}

# The gateway's port taken on the host: `up` fails, naming it (then the port is freed and `up` goes on).
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(); time.sleep(600)' \
  "$WAHANA_HTTP_PORT" &
squatter=$!
sleep 0.5
if compose up -d >"$work/up-taken.log" 2>&1; then kill "$squatter"; fail "up succeeded with port $WAHANA_HTTP_PORT taken"; fi
kill "$squatter"
wait "$squatter" 2>/dev/null || true
grep -qE "$WAHANA_HTTP_PORT.*(already|in use)|(already|in use).*$WAHANA_HTTP_PORT" "$work/up-taken.log" ||
  fail "up with the gateway's port taken: no message naming it: $(cat "$work/up-taken.log")"
say "ok   port $WAHANA_HTTP_PORT taken: up exits non-zero: $(grep -m1 -E "$WAHANA_HTTP_PORT" "$work/up-taken.log" | cut -c1-240)"

SECONDS=0
up
say "ok   up: redis, registry, case (two replicas), event, reporting, federation and gateway healthy in ${SECONDS}s"

url="http://127.0.0.1:$WAHANA_HTTP_PORT"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/readyz")"
[[ $code == 200 ]] || fail "GET /readyz answered $code"

compose run --rm -T gateway wahana-api-keys bootstrap --out=- >"$work/admin.token" 2>"$work/bootstrap.err" ||
  fail "bootstrap failed: $(cat "$work/bootstrap.err")"
auth="Authorization: Bearer $(cat "$work/admin.token")"
say "ok   bootstrap key made"

# The key buys a token at POST /v1/tokens (client credentials), signed with the key the gateway
# publishes: the gateway was given the signing key, and its public half matches what it serves.
body="$(curl -s --max-time 10 -u "$(cut -d_ -f2 "$work/admin.token"):$(cat "$work/admin.token")" \
  -d grant_type=client_credentials "$url/v1/tokens")"
token="$(sed -nE 's/.*"access_token":"([^"]+)".*/\1/p' <<<"$body")"
[[ -n $token ]] || fail "POST /v1/tokens: $body"
kid="$(curl -s --max-time 10 "$url/.well-known/jwks.json" | sed -nE 's/.*"kid":"([^"]+)".*/\1/p')"
token_kid="$(python3 -c 'import base64, json, sys
h = sys.argv[1].split(".")[0]
print(json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4))).get("kid", ""))' "$token")"
[[ -n $kid && $token_kid == "$kid" ]] || fail "the token's kid '$token_kid' is not the JWKS's '$kid'"
say "ok   POST /v1/tokens: a token signed with the published key ($kid)"

body="$(curl -s --max-time 10 -X POST -H "$auth" -H 'Content-Type: application/json' \
  "$url/v1/institutions?requestId=compose-e2e" \
  -d '{"kind":"PKK","name":"TP PKK Desa Bailangu","villageCode":"16.06.01.2003"}')"
id="$(sed -nE 's/.*"id":"([^"]+)".*/\1/p' <<<"$body")"
[[ -n $id ]] || fail "create institution: $body"
body="$(curl -s --max-time 10 -H "$auth" "$url/v1/institutions/$id")"
[[ $body == *'"TP PKK Desa Bailangu"'* ]] || fail "read institution $id: $body"
say "ok   institution $id created and read through the gateway"

# The demo district, loaded by the one-shot demo service; a second run makes nothing twice.
out="$(compose run --rm -T demo 2>&1)" || fail "the demo service failed: $out"
demo_case="$(awk '$1 == "case" && $2 == "demo-case-4" { print $3 }' <<<"$out")"
[[ -n $demo_case ]] || fail "the demo service listed no demo-case-4: $out"
body="$(curl -s --max-time 10 -H "$auth" "$url/v1/cases/$demo_case")"
[[ $body == *'"SOCIAL_CONFLICT"'* ]] || fail "demo case $demo_case: $body"
out="$(compose run --rm -T demo 2>&1)" || fail "the demo service failed on its second run: $out"
[[ $(awk '$1 == "case" && $2 == "demo-case-4" { print $3 }' <<<"$out") == "$demo_case" ]] ||
  fail "the second demo run made another demo-case-4: $out"
say "ok   demo loaded by 'run --rm demo' (case $demo_case); a second run made nothing new"

# The gateway reaches both case replicas (each counts the GetCase calls it served on its own
# /metrics), and reads go on when one is killed.
read_demo_case() {
  local i body
  for ((i = 1; i <= $1; i++)); do
    body="$(curl -s --max-time 10 -H "$auth" "$url/v1/cases/$demo_case")"
    [[ $body == *'"SOCIAL_CONFLICT"'* ]] || fail "read $i of demo case $demo_case ($2): $body"
  done
}
get_case_served() {
  compose exec -T --index="$1" case curl -s --max-time 5 http://127.0.0.1:9452/metrics |
    sed -n 's#^wahana_grpc_server_calls_total{code="OK",method="/wahana.cases.v1.CaseService/GetCase"} ##p'
}
read_demo_case 10 "two replicas"
served_1="$(get_case_served 1)"
served_2="$(get_case_served 2)"
[[ ${served_1:-0} != 0 && ${served_2:-0} != 0 ]] ||
  fail "GetCase served by case replica 1: '${served_1}', replica 2: '${served_2}' (both should serve)"
docker kill "$(compose ps -q case | head -n 1)" >/dev/null
read_demo_case 10 "one replica killed"
say "ok   reads reach both case replicas ($served_1 and $served_2 GetCase), and go on with one killed"

# Redis takes no connection without a password, and keeps each process to its own keys.
[[ $(compose exec -T redis redis-cli ping 2>&1) == *NOAUTH* ]] || fail "Redis answered without a password"
# A wrong password: the process stops at once with a message naming the user and the setting.
set +e
out="$(compose run --rm -T -e WAHANA_REDIS_PASSWORD_FILE=/run/secrets/token_secret registry 2>&1)"
rc=$?
set -e
[[ $rc != 0 && $out == *'refused the password of user "registry"'*WAHANA_REDIS_PASSWORD_FILE* ]] ||
  fail "a wrong Redis password: exit $rc, output: $out"
say "ok   a wrong Redis password stops the registry: $(grep -o 'cannot start.*' <<<"$out" | head -n 1)"

compose down >"$work/down.log" 2>&1 || { cat "$work/down.log"; fail "down failed"; }
[[ -z $(compose ps -q) ]] || fail "containers left after down"
SECONDS=0
up
body="$(curl -s --max-time 10 -H "$auth" "$url/v1/institutions/$id")"
[[ $body == *'"TP PKK Desa Bailangu"'* ]] || fail "after down and up, institution $id: $body"
say "ok   down, up again (${SECONDS}s): institution $id is still there (the volume kept it)"

out="$(compose run --rm -T tools 2>&1)" || fail "wahana-audit verify in the tools service: $out"
[[ $out == *'registry: '* && $out == *'gateway: '* ]] || fail "wahana-audit verify: $out"
say "ok   wahana-audit verify (audit user, read-only): $(tr '\n' ' ' <<<"$out")"
echo "compose_e2e: all checks passed"
