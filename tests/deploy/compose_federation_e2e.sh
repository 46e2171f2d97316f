#!/usr/bin/env bash
# A province and a district, each its own compose project over deploy/docker/docker-compose.yml
# (with province.yml and district.yml), set up as README.md "Docker Compose" tells an operator:
# make-secrets.sh on each side, the province's federation_public_key installed as the district's
# province_public_key, the district registered with register-district.sh (first without its
# address, then with it and the federation service recreated, as README says). Both run the image
# wahana:local (the one compose_e2e.sh builds, reused when present, built otherwise) and meet
# through the host, as two machines would through the network: the district reaches the
# province's published federation port at host.docker.internal. Checks: district.yml refuses to
# start without WAHANA_PROVINCE_ADDR; both healthy; GET /v1/federation/status shows the link on
# both sides; a case created in the district shows in the province's report by region; the
# province's NIK look-up finds a beneficiary of the district; with the province stopped the
# district takes a case, relayed once the province is up again; `down -v` removes both.
#
# Needs a Docker engine (as root, Debian's dockerd is started when none runs): exits 77 (CTest:
# skipped) with the reason when Docker cannot be had.
# Usage: compose_federation_e2e.sh [--keep]   (--keep: leave both projects up for a look)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
docker_dir="$repo/deploy/docker"
keep=0
[[ ${1:-} == --keep ]] && keep=1

skip() { echo "SKIP: $*"; exit 77; }
say() { echo "compose_federation_e2e: $*"; }

# shellcheck source-path=SCRIPTDIR source=docker_lib.sh
source "$here/docker_lib.sh"
docker_find_compose

work="$(mktemp -d)"
tag="$$"
# Four host ports in a row: the province's gateway and federation service, the district's.
base=$((30100 + 4 * (RANDOM % 500)))
province_http=$base province_federation=$((base + 1))
district_http=$((base + 2)) district_federation=$((base + 3))
unset WAHANA_REGION WAHANA_HTTP_PORT WAHANA_FEDERATION_PORT WAHANA_PROVINCE_ADDR WAHANA_SECRETS_DIR

# Each side's settings, as that machine's operator would have them in the shell or an .env file.
province() {
  WAHANA_REGION=16 WAHANA_SECRETS_DIR="$work/province" WAHANA_HTTP_PORT=$province_http \
    WAHANA_FEDERATION_PORT=$province_federation \
    "${compose_cmd[@]}" -p "wahana-province-$tag" -f "$docker_dir/docker-compose.yml" \
    -f "$docker_dir/province.yml" "$@"
}
district() {
  WAHANA_REGION=16.06 WAHANA_SECRETS_DIR="$work/district" WAHANA_HTTP_PORT=$district_http \
    WAHANA_FEDERATION_PORT=$district_federation \
    WAHANA_PROVINCE_ADDR="host.docker.internal:$province_federation" \
    "${compose_cmd[@]}" -p "wahana-district-$tag" -f "$docker_dir/docker-compose.yml" \
    -f "$docker_dir/district.yml" "$@"
}

cleanup() {
  if ((keep == 0)); then
    district down -v --remove-orphans >/dev/null 2>&1 || true
    province down -v --remove-orphans >/dev/null 2>&1 || true
    docker_stop_engine
    rm -rf "$work"
  else
    say "kept: projects wahana-province-$tag (gateway $province_http) and wahana-district-$tag" \
      "(gateway $district_http), secrets and tokens in $work"
  fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for side in province district; do
    echo "----- $side"
    "$side" ps 2>&1 || true
    "$side" logs --no-color --tail=20 federation reporting gateway 2>&1 || true
  done
  exit 1
}

docker_engine
docker_base_image
if docker image inspect wahana:local >/dev/null 2>&1; then
  say "reusing the image wahana:local ($(docker image inspect -f '{{.Created}}' wahana:local))"
else
  docker_build_image "$repo"
fi

# --- Secrets and keys, exchanged as the README says ----------------------------------------------
"$docker_dir/make-secrets.sh" "$work/province" >/dev/null
"$docker_dir/make-secrets.sh" "$work/district" >/dev/null
install -m 644 "$work/province/federation_public_key" "$work/district/province_public_key"
# Registered first without its address (no look-ups): the address is added later, as README says.
WAHANA_SECRETS_DIR="$work/province" "$docker_dir/register-district.sh" 16.06 \
  "$work/district/federation_public_key" >/dev/null || fail "register-district.sh failed"

# district.yml names what is missing rather than start a district linked to nowhere.
out="$(WAHANA_PROVINCE_ADDR='' "${compose_cmd[@]}" -f "$docker_dir/docker-compose.yml" \
  -f "$docker_dir/district.yml" config 2>&1)" && fail "district.yml without WAHANA_PROVINCE_ADDR: config passed"
[[ $out == *WAHANA_PROVINCE_ADDR* ]] || fail "district.yml without WAHANA_PROVINCE_ADDR: $out"
say "ok   district.yml without WAHANA_PROVINCE_ADDR: refused, naming it"

# Waits until every container of one side is healthy, and checks there are seven.
wait_healthy() {
  local side=$1 deadline=$((SECONDS + 240)) id states
  while :; do
    states=""
    for id in $("$side" ps -q); do
      states+="$(docker inspect -f '{{.Name}}={{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id") "
    done
    [[ -n $states && $states != *starting* && $states != *unhealthy* && $states != *exited* && $states != *restarting* ]] && break
    ((SECONDS < deadline)) || fail "the $side not healthy in 240 s: $states"
    sleep 2
  done
  [[ $("$side" ps -q | wc -l) == 7 ]] || fail "the $side: expected 7 containers, got: $("$side" ps)"
}

SECONDS=0
province up -d >"$work/province-up.log" 2>&1 || { cat "$work/province-up.log"; fail "province up failed"; }
wait_healthy province
say "ok   the province (16) healthy in ${SECONDS}s"
SECONDS=0
district up -d >"$work/district-up.log" 2>&1 || { cat "$work/district-up.log"; fail "district up failed"; }
wait_healthy district
say "ok   the district (16.06) healthy in ${SECONDS}s"

for side in province district; do
  "$side" run --rm -T gateway wahana-api-keys bootstrap --out=- >"$work/$side.token" 2>"$work/$side-bootstrap.err" ||
    fail "$side bootstrap: $(cat "$work/$side-bootstrap.err")"
done
province_url="http://127.0.0.1:$province_http"
district_url="http://127.0.0.1:$district_http"
pauth="Authorization: Bearer $(cat "$work/province.token")"
dauth="Authorization: Bearer $(cat "$work/district.token")"

# --- The link, seen from both sides --------------------------------------------------------------
# Prints "<role> <direction>:<peer>:<contact?> ..." for GET /v1/federation/status.
link_summary() {
  curl -s --max-time 5 -H "$2" "$1/v1/federation/status" | python3 -c '
import json, sys
try:
    s = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
print(s.get("role", ""), " ".join(sorted(
    "%s:%s:%s" % (l.get("direction"), l.get("peer"), "contact" if l.get("lastContactTime") else "none")
    for l in s.get("links", []))))'
}
SECONDS=0
# Waits until both sides show $1 (the district) and $2 (the province).
wait_links() {
  SECONDS=0
  until [[ $(link_summary "$district_url" "$dauth") == "$1" &&
           $(link_summary "$province_url" "$pauth") == "$2" ]]; do
    ((SECONDS < 60)) || fail "no link in 60 s: district '$(link_summary "$district_url" "$dauth")', province '$(link_summary "$province_url" "$pauth")'"
    sleep 1
  done
}
# The province's answers to the district's referrals (inbound at the district) wait for the
# district's address, registered below.
wait_links "district inbound:16:none outbound:16:contact outbound:16:contact" \
  "province inbound:16.06:contact inbound:16.06:contact"
say "ok   GET /v1/federation/status: the district's two channels reach 16, the province's come from 16.06 (${SECONDS}s)"

# --- A case of the district in the province's report ----------------------------------------------
code="$(curl -s -o "$work/case.json" -w '%{http_code}' --max-time 10 -X POST -H "$dauth" \
  -H 'Content-Type: application/json' "$district_url/v1/cases?requestId=compose-federation-1" \
  -d '{"villageCode":"16.06.01.2001","category":"ANAK_JALANAN","kind":"INDIVIDUAL","summary":"Anak jalanan di pasar"}')"
[[ $code == 200 ]] || fail "creating a case in the district answered $code: $(cat "$work/case.json")"
year="$(TZ=Asia/Jakarta date +%Y)"
# Waits (up to $2 s) until the province's report counts $1 cases in row 16.06.
wait_province_count() {
  local seen="" deadline=$((SECONDS + $2))
  until [[ $seen == "$1" ]]; do
    ((SECONDS < deadline)) || fail "the province's report: row 16.06 is '$seen' after $2 s, not $1"
    sleep 0.5
    seen="$(curl -s --max-time 5 -H "$pauth" "$province_url/v1/reports/cases?region=16&period=$year&groupBy=region" |
      python3 -c 'import json,sys
try: r = json.load(sys.stdin)
except ValueError: sys.exit(0)
print(next((x["count"] for x in r.get("rows", []) if x["key"] == "16.06"), ""))')"
  done
}
SECONDS=0
wait_province_count 1 60
say "ok   a case created in the district counts in the province's report (row 16.06) in ${SECONDS}s"

# --- The province looks a NIK up in the district (its key, the district's published port) -----------
code="$(curl -s -o "$work/beneficiary.json" -w '%{http_code}' --max-time 10 -X POST -H "$dauth" \
  -H 'Content-Type: application/json' "$district_url/v1/beneficiaries?requestId=compose-federation-2" \
  -d '{"nik":"1606015708790001","fullName":"Siti Aminah","sex":"FEMALE","birthDate":"1979-08-17","villageCode":"16.06.01.2001","ppksCategories":["ANAK_JALANAN"]}')"
[[ $code == 200 ]] || fail "creating a beneficiary in the district answered $code: $(cat "$work/beneficiary.json")"
lookup() { curl -s --max-time 10 -H "$pauth" "$province_url/v1/federation/beneficiaries:lookup?nik=1606015708790001"; }
body="$(lookup)"
[[ $body != *Siti* ]] || fail "the province looked the NIK up in a district registered with no address: $body"
# The district's address registered (the same district, replaced), the province's federation
# service recreated to read it.
WAHANA_SECRETS_DIR="$work/province" "$docker_dir/register-district.sh" 16.06 \
  "$work/district/federation_public_key" "host.docker.internal:$district_federation" >/dev/null ||
  fail "register-district.sh (with the address) failed"
[[ $(grep -c '"region"' "$work/province/federation_districts") == 1 ]] ||
  fail "register-district.sh registered 16.06 twice: $(cat "$work/province/federation_districts")"
province up -d --no-deps --force-recreate federation >"$work/province-recreate.log" 2>&1 ||
  { cat "$work/province-recreate.log"; fail "province up -d --no-deps --force-recreate federation failed"; }
wait_healthy province
body="$(lookup)"
[[ $body == *'"region":"16.06"'*'"fullName":"Siti Aminah"'* && $body == *'"unanswered":[]'* ]] ||
  fail "the province's look-up of the district's NIK: $body"
say "ok   registered with its address (federation recreated), the district answers the province's NIK look-up: $body"
wait_links "district inbound:16:contact outbound:16:contact outbound:16:contact" \
  "province inbound:16.06:contact inbound:16.06:contact outbound:16.06:contact"
say "ok   with the district's address the province's answers channel reaches 16.06 (${SECONDS}s)"

# --- The province away: the district works on, and relays what it kept once the province is back ----
province stop >"$work/province-stop.log" 2>&1 || { cat "$work/province-stop.log"; fail "province stop failed"; }
code="$(curl -s -o "$work/case2.json" -w '%{http_code}' --max-time 10 -X POST -H "$dauth" \
  -H 'Content-Type: application/json' "$district_url/v1/cases?requestId=compose-federation-3" \
  -d '{"villageCode":"16.06.01.2003","category":"ANAK_TELANTAR","kind":"INDIVIDUAL","summary":"Anak tanpa pengasuh"}')"
[[ $code == 200 ]] || fail "with the province stopped, creating a case in the district answered $code: $(cat "$work/case2.json")"
SECONDS=0
province up -d >"$work/province-up2.log" 2>&1 || { cat "$work/province-up2.log"; fail "province up (again) failed"; }
wait_healthy province
wait_province_count 2 90
say "ok   the province stopped: the district took a case; the province back (kept its volume), the case arrived (${SECONDS}s)"

((keep == 0)) || exit 0
district down -v >"$work/district-down.log" 2>&1 || { cat "$work/district-down.log"; fail "district down failed"; }
province down -v >"$work/province-down.log" 2>&1 || { cat "$work/province-down.log"; fail "province down failed"; }
[[ -z $(district ps -q) && -z $(province ps -q) ]] || fail "containers left after down -v"
left="$(docker volume ls -q | grep -E "^wahana-(province|district)-$tag" || true)"
[[ -z $left ]] || fail "volumes left after down -v: $left"
say "ok   down -v: both projects removed, volumes too"
echo "compose_federation_e2e: all checks passed"
