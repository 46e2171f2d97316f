#!/usr/bin/env bash
# wahana-demo: loads the demo district into the compose suite (deploy/demo/load.sh), as
# deploy/local/run.sh does for a local suite:
#   docker-compose -p wahana -f deploy/docker/docker-compose.yml run --rm demo
# It signs itself a 15-minute ADMIN token with the gateway's signing key (nothing is stored) and
# prints the list of what it made. Running it again makes nothing twice.
set -euo pipefail
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
region="${WAHANA_REGION:-16.06}"
wahana-api-keys token --role=ADMIN --scope="$region" --subject=demo-loader --lifetime=900 \
  >"$work/token" 2>"$work/token.err" || { cat "$work/token.err" >&2; exit 1; }
rc=0
/usr/local/share/wahana/demo/load.sh --url "${DEMO_GATEWAY_URL:-http://gateway:8080}" \
  --token-file "$work/token" --registry "${DEMO_REGISTRY_ADDR:-registry:20051}" \
  --marker "$work/demo-loaded" --importer "$(command -v wahana-import-beneficiaries)" || rc=$?
[[ -f $work/demo-loaded ]] && cat "$work/demo-loaded"
exit "$rc"
