#!/usr/bin/env bash
# Makes the secrets deploy/docker/docker-compose.yml mounts, once, in deploy/docker/secrets/ (or the
# folder given): token_secret (the HS256 secret the processes share for their own calls to each
# other), token_signing_key and token_public_key (the token issuer's RSA key pair: the gateway signs
# with the private half, the services verify with the public one; openssl makes it), checkin_key,
# federation_key and federation_public_key (Ed25519: the federation link's key and the public half
# to give the other side, see province.yml and district.yml) and redis_<user>_password for every Redis user of deploy/redis/users.acl.in. Existing files are kept:
# run it again after adding a user. The folder is mode 0700, so only its owner reaches the files on
# the host. Compose bind-mounts each file into the containers, where the image's user (uid 10001)
# must read it: run as root, the files go to uid 10001, mode 0400; otherwise they stay yours, mode
# 0444 (readable in the containers; the processes then warn that the token secret is not 0600).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:-$here/secrets}"
(umask 077 && mkdir -p "$dir")
chmod 700 "$dir"
if [[ ! -s $dir/token_secret ]]; then
  (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$dir/token_secret.tmp") &&
    mv "$dir/token_secret.tmp" "$dir/token_secret"
fi
if [[ ! -s $dir/token_signing_key ]]; then
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$dir/token_signing_key.tmp" 2>/dev/null) ||
    { echo "make-secrets.sh: openssl cannot make the token signing key (is it installed?)" >&2; exit 1; }
  mv "$dir/token_signing_key.tmp" "$dir/token_signing_key"
  rm -f "$dir/token_public_key"
fi
if [[ ! -s $dir/token_public_key ]]; then
  openssl pkey -in "$dir/token_signing_key" -pubout -out "$dir/token_public_key.tmp" ||
    { echo "make-secrets.sh: openssl cannot read $dir/token_signing_key" >&2; exit 1; }
  mv "$dir/token_public_key.tmp" "$dir/token_public_key"
fi
# Ed25519 keys: the check-in codes' and the federation link's (province.yml and district.yml
# mount federation_key; its public half, federation_public_key, is what the other side is given).
for name in checkin_key federation_key; do
  if [[ ! -s $dir/$name ]]; then
    (umask 077 && openssl genpkey -algorithm ed25519 -out "$dir/$name.tmp" 2>/dev/null) ||
      { echo "make-secrets.sh: openssl cannot make $name" >&2; exit 1; }
    mv "$dir/$name.tmp" "$dir/$name"
    [[ $name != federation_key ]] || rm -f "$dir/federation_public_key"
  fi
done
if [[ ! -s $dir/federation_public_key ]]; then
  openssl pkey -in "$dir/federation_key" -pubout -out "$dir/federation_public_key.tmp" ||
    { echo "make-secrets.sh: openssl cannot read $dir/federation_key" >&2; exit 1; }
  mv "$dir/federation_public_key.tmp" "$dir/federation_public_key"
fi
"$here/../redis/acl.sh" passwords "$dir" 600
if [[ $(id -u) == 0 ]]; then
  chown 10001:10001 "$dir"/*
  chmod 400 "$dir"/*
else
  chmod 444 "$dir"/*
  echo "make-secrets.sh: not root: the secrets are mode 0444 (sudo $0 gives them to uid 10001, mode 0400)" >&2
fi
echo "make-secrets.sh: secrets in $dir: $(cd "$dir" && ls | tr '\n' ' ')"
