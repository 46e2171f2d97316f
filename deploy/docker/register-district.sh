#!/usr/bin/env bash
# A province's register of its districts, for deploy/docker/province.yml: adds (or replaces) one
# district in federation_districts (JSON) in the province's secrets folder (deploy/docker/secrets/, or
# WAHANA_SECRETS_DIR), the file its federation service reads as WAHANA_FEDERATION_DISTRICTS_FILE.
#   REGION      the district's regency code (16.06)
#   PUBLIC_KEY  the district's federation_public_key (made by its make-secrets.sh), a PEM file
#   ADDRESS     optional: where the province reaches the district's federation service (host:port,
#               its published WAHANA_FEDERATION_PORT) for NIK look-ups; without it none are asked.
# The file holds no secret (regions, public keys, addresses): it is written mode 0644, readable in
# the container. The province's federation service reads it when it starts: after a change,
# `up -d --no-deps --force-recreate federation` on the province.
set -euo pipefail
usage() { echo "usage: register-district.sh REGION PUBLIC_KEY_PEM_FILE [ADDRESS]" >&2; exit 2; }
[[ $# == 2 || $# == 3 ]] || usage
region="$1"
key_file="$2"
address="${3:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${WAHANA_SECRETS_DIR:-$here/secrets}"
file="$dir/federation_districts"
die() { echo "register-district.sh: $*" >&2; exit 1; }

[[ $region =~ ^[0-9]{2}\.[0-9]{2}$ ]] || die "REGION must be a regency code such as 16.06, got '$region'"
[[ -d $dir ]] || die "no secrets folder $dir (run make-secrets.sh first)"
openssl pkey -pubin -in "$key_file" -noout 2>/dev/null ||
  die "$key_file is not a PEM public key (the district's federation_public_key)"
[[ -z $address || $address =~ ^[A-Za-z0-9._-]+:[0-9]+$ ]] ||
  die "ADDRESS must be host:port, got '$address'"

python3 - "$file" "$region" "$key_file" "$address" <<'EOF_PY'
import json, os, sys
path, region, key_file, address = sys.argv[1:]
districts = json.load(open(path)) if os.path.exists(path) else []
districts = [d for d in districts if d.get("region") != region]
entry = {"region": region, "publicKey": open(key_file).read()}
if address:
    entry["address"] = address
districts.append(entry)
with open(path + ".tmp", "w") as out:
    json.dump(sorted(districts, key=lambda d: d["region"]), out, indent=2)
    out.write("\n")
EOF_PY
chmod 644 "$file.tmp"
mv "$file.tmp" "$file"
echo "register-district.sh: $region registered in $file${address:+ (look-ups at $address)}"
