#!/usr/bin/env python3
"""Runs, against a running suite, every command a user is told to type, and checks each works.

Two sources:
  --runner-output FILE  what deploy/local/run.sh printed after starting: the indented commands
                        under "Try:" (up to "Logs:"), run in order in one shell session as printed
                        (the `export WAHANA_KEY=...` line they start with included).
  --readme FILE         every `curl` command in README.md's ```sh blocks. The README tells the
                        user to set W (the gateway URL) and K (the "Authorization: Bearer ..."
                        header) and leaves `-H "$K"` out of most examples: W and K are set to this
                        suite's, K is added where a command sends no credentials, and README
                        placeholders (<id>, <beneficiary id>, 01JD..., ...) become the ids of
                        records made earlier in the README or by the demo data; `var/` is the
                        suite's data dir. A command sending its own credentials (-H
                        Authorization, X-Api-Key, or -u for HTTP Basic) gets no K.

Each curl must answer HTTP 2xx with a sensible body: JSON (or Prometheus text for /metrics), and
for a request naming a record by id, a body that holds the id. Every other command must exit 0.
Usage: check_printed_commands.py --url URL --data-dir DIR (--runner-output FILE | --readme FILE)
Exit 0 when all pass; 1 naming each failure."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# Replaces curl within the commands: same arguments, plus where the answer goes.
CURL_WRAPPER = r'''
curl() {
  local extra=()
  if [[ -n ${CHECK_ADD_AUTH:-} ]] && ! printf '%s\n' "$@" | grep -qiE '^(authorization|x-api-key):|^(-u|--user)$'; then
    extra=(-H "$CHECK_ADD_AUTH")
  fi
  command curl -sS --max-time 20 -o "$CHECK_DIR/body" -w '%{http_code}' "${extra[@]}" "$@" \
    >"$CHECK_DIR/code"
}
'''


def bash_reads_whole(text):
    """Whether bash reads `text` to its end: no quote, $( or pipe left open. bash itself is asked,
    since shlex knows no $( ): in "$(curl ... | sed 's/"x"/y/')" it pairs the quotes wrongly."""
    run = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
    return not re.search(r"unexpected (EOF|end of file)", run.stderr)


def logical_lines(text):
    """Shell commands of a block: continuation lines joined, quoted newlines kept, comments and
    blank lines dropped."""
    commands, pending = [], ""
    for line in text.splitlines():
        pending = f"{pending}\n{line}" if pending else line
        if pending.rstrip().endswith("\\") or not bash_reads_whole(pending):
            continue
        if re.sub(r"^\s*#.*$", "", pending, flags=re.M).strip():  # not only comments
            commands.append(pending.strip())
        pending = ""
    if pending.strip():
        commands.append(pending.strip())
    return commands


def runner_commands(output):
    lines = output.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == "Try:") + 1
    except StopIteration:
        return None
    block = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        block.append(line[2:])
    return logical_lines("\n".join(block))


def readme_curl_commands(readme):
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", readme, flags=re.S | re.M):
        commands += [c for c in logical_lines(block) if c.split()[0] == "curl"]
    return commands


class Ids:
    """The ids a check may need: the demo data's (run.sh's marker file) and the last record of
    each collection the commands made."""

    def __init__(self, data_dir):
        self.demo = {}
        marker = os.path.join(data_dir, "demo-loaded")
        if os.path.exists(marker):
            for line in open(marker, encoding="utf-8"):
                parts = line.split()
                if len(parts) == 3:
                    self.demo[parts[1]] = parts[2]
        self.last = {}

    def of(self, collection):
        fallback = {"beneficiaries": "demo-case-person-1", "workers": "demo-worker-1",
                    "cases": "demo-case-1", "events": "demo-event-1",
                    "institutions": "demo-inst-1", "networks": "demo-network-1"}
        found = self.last.get(collection) or self.demo.get(fallback.get(collection, ""))
        if not found:
            raise KeyError(f"no {collection} id known to substitute")
        return found

    def learn(self, command, body):
        """After a create (POST to a collection), its id is the collection's last."""
        # A collection, or one under a record: /v1/events/<id>/participants.
        m = re.search(r"/v1/(?:[A-Za-z]+/[^/\s'\"?]+/)?([A-Za-z]+)(?=[?'\"\s]|$)", command)
        if not m or not re.search(r"-X\s*POST", command) or not isinstance(body, dict):
            return
        record = body.get("key", body) if m.group(1) == "apiKeys" else body
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            self.last[m.group(1)] = record["id"]


def substitute(command, ids, url, used):
    """README placeholders -> real ids; `used` collects them (the answer should name them)."""
    def put(value):
        used.append(value)
        return value

    command = re.sub(r"(https?://)?(localhost|127\.0\.0\.1):8080", url, command)
    # A record in a path, /v1/<collection>/<placeholder>: the answer is the record (or, after
    # a custom method, the record changed), except for a sub-collection (/history, /duplicates).
    command = re.sub(r"/v1/([A-Za-z]+)/(<[^>]+>|01JD\.\.\.)(/?)",
                     lambda m: f"/v1/{m.group(1)}/"
                     f"{ids.of(m.group(1)) if m.group(3) else put(ids.of(m.group(1)))}{m.group(3)}",
                     command)
    command = re.sub(r"subject=([A-Za-z]+)/01JD\.\.\.",
                     lambda m: f"subject={m.group(1)}/{put(ids.of(m.group(1)))}", command)
    named = {"beneficiary id": "beneficiaries", "worker id": "workers",
             "institution id": "institutions", "case id": "cases", "event id": "events",
             "participant id": "participants"}
    command = re.sub(r"<(beneficiary id|worker id|institution id|case id|event id|participant id)>",
                     lambda m: ids.of(named[m.group(1)]), command)
    # Bare ids in a body: "workerId":"01JD...", "beneficiaryId":"<id>"
    command = re.sub(r'"(workerId|beneficiaryId|institutionId)"(\s*:\s*)"(<[^>]+>|01JD\.\.\.)"',
                     lambda m: f'"{m.group(1)}"{m.group(2)}"'
                     f'{ids.of(m.group(1)[:-2].replace("beneficiary", "beneficiaries").replace("worker", "workers").replace("institution", "institutions"))}"',
                     command)
    return command


def check_answer(command, code, body, used):
    """None when the answer is a success with a sensible body, else the reason."""
    if not re.fullmatch(r"2\d\d", code):
        return f"HTTP {code or '(no answer)'}: {body[:500]}"
    if "/metrics" in command:
        return None if "# TYPE " in body else f"not Prometheus text: {body[:300]}"
    if "format=csv" in command:  # a report as a file (the output may come with CRs dropped)
        # Header key,label,count (and the report's totals), the rows, the total last.
        ok = re.match(r"key,label,count[^\n]*\r?\n(.*\n)?total,Total,", body, re.S)
        return None if ok else f"not the report's CSV: {body[:300]}"
    try:
        parsed = json.loads(body) if body.strip() else None
    except ValueError:
        return f"not JSON: {body[:300]}"
    if parsed is None and " DELETE " not in f" {command} ":
        return "empty body"
    for value in used:
        if value not in body:
            return f"the answer does not name {value}: {body[:300]}"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="the gateway, http://127.0.0.1:PORT")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runner-output")
    parser.add_argument("--readme")
    opts = parser.parse_args()

    ids = Ids(opts.data_dir)
    admin_key = open(os.path.join(opts.data_dir, "admin.token"), encoding="utf-8").read().strip()
    work = tempfile.mkdtemp(prefix="printed-commands-")
    env = dict(os.environ, CHECK_DIR=work)
    prelude = CURL_WRAPPER
    if opts.runner_output:
        commands = runner_commands(open(opts.runner_output, encoding="utf-8").read())
        if not commands:
            print(f"FAIL: no commands under 'Try:' in {opts.runner_output}")
            return 1
        source = "run.sh"
    else:
        commands = readme_curl_commands(open(opts.readme, encoding="utf-8").read())
        if not commands:
            print(f"FAIL: no curl command in a ```sh block of {opts.readme}")
            return 1
        source = "README"
        # What the README tells the user to set; K is added where a command leaves it out.
        env.update(W=opts.url, K=f"Authorization: Bearer {admin_key}",
                   CHECK_ADD_AUTH=f"Authorization: Bearer {admin_key}")

    failures = 0
    for printed in commands:
        used = []
        try:
            command = substitute(printed, ids, opts.url, used) if source == "README" else printed
            # var/ (the data dir the README's paths name) is this suite's.
            command = re.sub(r"(?<![\w/.-])var/", opts.data_dir.rstrip("/") + "/", command)
        except KeyError as e:
            print(f"FAIL {source}: {printed}\n     {e}")
            failures += 1
            continue
        is_curl = command.split()[0] == "curl"
        for name in ("code", "body"):
            path = os.path.join(work, name)
            if os.path.exists(path):
                os.remove(path)
        run = subprocess.run(["bash", "-c", f"set -o pipefail\n{prelude}\n{command}"], env=env,
                             capture_output=True, text=True, timeout=60)
        one_line = " ".join(command.split())
        if run.returncode != 0:
            print(f"FAIL {source}: {one_line}\n     exit {run.returncode}: {run.stderr.strip()[:500]}")
            failures += 1
            continue
        if not is_curl:
            # A setting (export WAHANA_KEY=...) stays for the commands after it.
            prelude += f"\n{command}"
            print(f"ok   {source}: {one_line}")
            continue
        code = open(os.path.join(work, "code"), encoding="utf-8").read().strip()
        body_path = os.path.join(work, "body")
        body = open(body_path, encoding="utf-8").read() if os.path.exists(body_path) else ""
        reason = check_answer(command, code, body, used)
        if reason:
            print(f"FAIL {source}: {one_line}\n     {reason}")
            failures += 1
            continue
        try:
            ids.learn(command, json.loads(body) if body.strip().startswith("{") else None)
        except ValueError:
            pass
        print(f"ok   {source}: {one_line[:150]} -> {code}")
    print(f"{source}: {len(commands)} commands, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
