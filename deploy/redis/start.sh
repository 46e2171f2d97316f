#!/usr/bin/env bash
# wahana-redis: Redis for a container of the suite. Writes Redis's ACL file from the password
# secrets (acl.sh: one user per process, each kept to its own keys), then runs redis-server with the
# suite's settings on port 6379, data in /data. A missing or empty secret stops it with the file's
# name. Arguments are passed to redis-server.
set -euo pipefail
share=/usr/local/share/wahana/redis
secrets=/run/secrets
acl_file="${TMPDIR:-/tmp}/wahana-users.acl"
"$share/acl.sh" write "$secrets" "$acl_file" || {
  echo "wahana-redis: cannot start: the Redis passwords are missing (grant every redis_*_password secret to this service)" >&2
  exit 1
}
exec redis-server "$share/redis.conf" --port 6379 --bind 0.0.0.0 --protected-mode no --dir /data \
  --aclfile "$acl_file" "$@"
