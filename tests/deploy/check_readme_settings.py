#!/usr/bin/env python3
"""Checks that README.md's configuration table lists exactly the settings of
services/common/config/settings.cc, with the same defaults and the same "used by".

Usage: check_readme_settings.py REPO_DIR. Exit 0 when they agree, 1 with one line per difference."""
import re
import sys

repo = sys.argv[1] if len(sys.argv) > 1 else "."
source = open(f"{repo}/services/common/config/settings.cc", encoding="utf-8").read()
readme = open(f"{repo}/README.md", encoding="utf-8").read()

# {"WAHANA_X", "default", "used by", "meaning..."} (the meaning may span lines).
code = {
    m.group(1): (m.group(2), m.group(3))
    for m in re.finditer(r'\{"(WAHANA_[A-Z0-9_]+)",\s*"([^"]*)",\s*"([^"]*)"', source)
}
# | WAHANA_X | default | used by | meaning |, in the "## Configuration" section only (other tables,
# such as the local runner's variables, name WAHANA_* variables that are not process settings).
section = readme.split("\n## Configuration", 1)[-1].split("\n## ", 1)[0] if "\n## Configuration" in readme else ""
table = {}
for line in section.splitlines():
    m = re.match(r"\|\s*`?(WAHANA_[A-Z0-9_]+)`?\s*\|\s*`?([^|`]*?)`?\s*\|\s*([^|]*?)\s*\|", line)
    if m:
        table[m.group(1)] = (m.group(2).strip(), m.group(3).strip())

problems = []
if not code:
    problems.append("no settings found in settings.cc (has its format changed?)")
for name, (default, used_by) in code.items():
    if name not in table:
        problems.append(f"{name}: in settings.cc but not in the README's configuration table")
    elif table[name] != (default, used_by):
        problems.append(f"{name}: README says default={table[name][0]!r} used by={table[name][1]!r}, "
                        f"settings.cc says default={default!r} used by={used_by!r}")
for name in table:
    if name not in code:
        problems.append(f"{name}: in the README's configuration table but not a setting")
for p in problems:
    print(p)
print(f"checked {len(code)} settings: {'ok' if not problems else str(len(problems)) + ' problems'}")
sys.exit(1 if problems else 0)
