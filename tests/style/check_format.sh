#!/usr/bin/env bash
# Every C++ file git tracks under services/, gateway/ and tests/ is as clang-format (.clang-format
# at the top: Google style, 100 columns) writes it. Prints the files that are not and exits 1;
# `clang-format -i <file>` mends one.
set -euo pipefail
repo=${1:?usage: check_format.sh REPO}
cd "$repo"
mapfile -t files < <(git ls-files -- 'services/*.cc' 'services/*.h' 'gateway/*.cc' 'gateway/*.h' \
  'tests/*.cc' 'tests/*.h')
((${#files[@]} > 0)) || { echo "no C++ files found under $repo" >&2; exit 1; }
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]} > 0)); then
  printf 'not clang-formatted (%d of %d files):\n' "${#bad[@]}" "${#files[@]}"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "clang-format: ${#files[@]} files ok"
