#!/usr/bin/env bash
# Redis users and passwords of a Wahana deployment, from deploy/redis/users.acl.in (one table for
# the local runner and the compose file).
#   acl.sh users                 the user names, one a line
#   acl.sh passwords DIR [MODE]  makes DIR/redis_<user>_password for every user that has none
#                                (32 random bytes, base64, no newline; MODE 600 unless given)
#   acl.sh write DIR OUT         writes Redis's ACL file OUT from the table and DIR's passwords
# Exit 1 with a message naming the file when a password is missing or empty.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
table="${WAHANA_ACL_TABLE:-$here/users.acl.in}"

die() { printf 'acl.sh: %s\n' "$*" >&2; exit 1; }
[[ -r $table ]] || die "cannot read the user table $table"

# Commands per rule set, after "resetkeys resetchannels -@all". A service may read and write its
# keys, run its Lua scripts and transactions, read the server's clock (+time: the audit trail's
# turn claims expire by Redis's TIME, one clock for every replica); -@dangerous drops FLUSHALL,
# KEYS, CONFIG, DEBUG, SHUTDOWN, MIGRATE, RESTORE...; -function keeps it off server-wide function
# libraries. The end-to-end suite (tests/support/suite.cc) runs every process as these users.
rules_for() {
  case "$1" in
    service) echo "+@read +@write +@transaction +@scripting +@connection -@dangerous -@admin -@pubsub -function +time" ;;
    reader) echo "+@read +@connection -@dangerous -@admin -@pubsub" ;;
    admin) echo "+@all &*" ;;
    *) die "unknown rule set '$1' in $table" ;;
  esac
}

# The table's rows, without comments (whole lines or after a row).
table_rows() { sed -E 's/[[:space:]]+#.*$//' "$table" | grep -vE '^[[:space:]]*(#|$)'; }

users() { table_rows | awk '{ print $1 }'; }

password_of() {
  local file="$1/redis_$2_password" password
  [[ -r $file ]] || die "missing secret $file (the Redis password of user $2; deploy/docker/make-secrets.sh makes it)"
  password="$(cat "$file")"
  [[ -n $password ]] || die "secret $file is empty"
  printf '%s' "$password"
}

write_acl() {
  local dir="$1" out="$2" user set keys hash tmp
  tmp="$(mktemp "$out.XXXXXX")"
  trap 'rm -f "$tmp"' EXIT
  : >"$tmp"
  while read -r user set keys; do
    hash="$(password_of "$dir" "$user" | sha256sum | cut -d' ' -f1)"
    echo "user $user on #$hash resetkeys resetchannels -@all $(rules_for "$set") $keys" >>"$tmp"
  done < <(table_rows)
  chmod 600 "$tmp"
  mv "$tmp" "$out"
  trap - EXIT
}

make_passwords() {
  local dir="$1" mode="${2:-600}" user file
  mkdir -p "$dir"
  for user in $(users); do
    file="$dir/redis_${user}_password"
    [[ -s $file ]] && continue
    (umask 077 && head -c 32 /dev/urandom | base64 -w0 >"$file.tmp") && mv "$file.tmp" "$file"
    chmod "$mode" "$file"
  done
}

case "${1:-}" in
  users) users ;;
  passwords) [[ $# -ge 2 ]] || die "usage: acl.sh passwords DIR [MODE]"; make_passwords "$2" "${3:-600}" ;;
  write) [[ $# -eq 3 ]] || die "usage: acl.sh write DIR OUT"; write_acl "$2" "$3" ;;
  *) die "usage: acl.sh users | passwords DIR [MODE] | write DIR OUT" ;;
esac
