#!/usr/bin/env python3
"""Runs clang's thread-safety analysis over every .cc file of services/ and gateway/, and finds
any standard-library lock (std::mutex, std::lock_guard, std::condition_variable, ...) left in
services/, gateway/ or tests/: clang can only check absl::Mutex and the state it guards.

The compile commands come from the build's compile_commands.json (CMAKE_EXPORT_COMPILE_COMMANDS),
so clang sees exactly the include paths and defines the build uses; the compiler is swapped for
clang++ with -fsyntax-only, every other warning is turned off and thread-safety warnings are
errors (-Wthread-safety -Werror=thread-safety). Generated code (the build tree) is skipped, and
so is a file that cannot touch a lock: one that neither names a lock or a thread-safety annotation
nor includes, directly or through other project headers, a header that does. Guarded state and
annotated functions are declared in the headers a file includes, so the analysis would have
nothing to check there; skipping them halves the run (--all checks every file).

Usage: check_thread_safety.py --repo DIR --build-dir DIR [--jobs N] [--clang clang++] [--all]
                              [FILE...]
Exit 0 when every file is clean; 1 with clang's diagnostics for each file that is not; 2 when the
check cannot run (no clang++, no compile_commands.json, no file to check)."""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

# Flags GCC accepts and clang rejects or misreads; none is needed for a syntax-only check.
GCC_ONLY_PREFIXES = ("-fno-semantic-interposition", "-fconcepts", "-fno-gnu-unique",
                     "-fmax-errors", "-fdiagnostics-color", "-flto", "-fuse-linker-plugin",
                     "-fno-fat-lto-objects", "-fstack-clash-protection", "-fcf-protection")

# The standard library's locks carry no thread-safety annotations in libstdc++, so state they guard
# is invisible to the analysis: use absl::Mutex, absl::MutexLock, absl::CondVar or Mutex::Await.
STD_LOCKS = re.compile(r"\bstd::(mutex|timed_mutex|recursive_mutex|recursive_timed_mutex|"
                       r"shared_mutex|shared_timed_mutex|lock_guard|unique_lock|shared_lock|"
                       r"scoped_lock|condition_variable|condition_variable_any)\b")


def std_lock_uses(repo):
    found = []
    for top in ("services", "gateway", "tests"):
        for dirpath, _, names in os.walk(os.path.join(repo, top)):
            for name in sorted(names):
                if not name.endswith((".cc", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        if STD_LOCKS.search(line.split("//", 1)[0]):
                            found.append(f"{os.path.relpath(path, repo)}:{number}: {line.strip()}")
    return found

# What makes a file worth analysing: a lock, or a thread-safety annotation.
LOCKING = re.compile(r"\b(absl::Mutex|MutexLock|ReaderMutexLock|WriterMutexLock|CondVar|"
                     r"ABSL_[A-Z_]*(GUARDED_BY|LOCKS_REQUIRED|LOCKS_EXCLUDED|LOCK_FUNCTION|"
                     r"UNLOCK_FUNCTION|TRYLOCK_FUNCTION|LOCK_RETURNED|ACQUIRE|RELEASE|"
                     r"ASSERT_[A-Z_]*LOCK|CAPABILITY|SCOPED_LOCKABLE|LOCKABLE))\b")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def reaches_a_lock(path, include_dirs, memo):
    """True when `path` or a project header it includes (transitively) names a lock or an
    annotation. `memo` caches the answer per header for whole include closures."""
    todo, seen = [path], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in memo:
            if memo[current]:
                return True
            continue
        try:
            with open(current, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        if LOCKING.search(text):
            return True
        for name in INCLUDE.findall(text):
            for base in [os.path.dirname(current)] + include_dirs:
                candidate = os.path.realpath(os.path.join(base, name))
                if os.path.isfile(candidate):
                    todo.append(candidate)
                    break
    return False


def include_dirs_of(entry):
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    dirs = []
    for i, arg in enumerate(args):
        if arg in ("-I", "-iquote") and i + 1 < len(args):
            dirs.append(args[i + 1])
        elif arg.startswith("-I") and len(arg) > 2:
            dirs.append(arg[2:])
    return [os.path.realpath(os.path.join(entry["directory"], d)) for d in dirs]


def clang_args(entry, clang):
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    out = [clang]
    skip = False
    for arg in args[1:]:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if arg in ("-c", "-MD", "-MMD") or arg == entry["file"]:
            continue
        if arg.startswith(("-W", "-O", "-g")) or arg.startswith(GCC_ONLY_PREFIXES):
            continue
        out.append(arg)
    out += ["-fsyntax-only", "-Wno-everything", "-Wthread-safety", "-Werror=thread-safety",
            entry["file"]]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--clang", default="clang++")
    parser.add_argument("--all", action="store_true",
                        help="also the files that cannot reach a lock")
    parser.add_argument("files", nargs="*", help="only these files (default: all)")
    opts = parser.parse_args()

    clang = shutil.which(opts.clang)
    if not clang:
        print(f"check_thread_safety: {opts.clang} not found (deploy/install-deps.sh installs clang)")
        return 2
    db_path = os.path.join(opts.build_dir, "compile_commands.json")
    try:
        with open(db_path, encoding="utf-8") as f:
            database = json.load(f)
    except OSError as e:
        print(f"check_thread_safety: cannot read {db_path}: {e}")
        return 2

    repo = os.path.realpath(opts.repo)
    build = os.path.realpath(opts.build_dir)
    roots = tuple(os.path.join(repo, d) + os.sep for d in ("services", "gateway"))
    wanted = {os.path.realpath(f) for f in opts.files}
    entries = {}
    for entry in database:
        path = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
        if not path.endswith(".cc") or not path.startswith(roots) or path.startswith(build + os.sep):
            continue
        if wanted and path not in wanted:
            continue
        entry = dict(entry, file=path)
        entries[path] = entry
    on_disk = sorted(os.path.join(dirpath, name)
                     for root in roots for dirpath, _, names in os.walk(root)
                     for name in names if name.endswith(".cc"))
    missing = [p for p in on_disk if p not in entries and (not wanted or p in wanted)]
    if not entries:
        print("check_thread_safety: no services/ or gateway/ file in compile_commands.json")
        return 2

    def check(path):
        entry = entries[path]
        run = subprocess.run(clang_args(entry, clang), cwd=entry["directory"],
                             capture_output=True, text=True)
        return path, run.returncode, run.stdout + run.stderr

    skipped = []
    if not opts.all and not wanted:
        for path in list(entries):
            # A project header is read once per file; a closure without a lock is not cached,
            # since a header's answer depends only on itself and its includes (cheap to redo).
            if not reaches_a_lock(path, include_dirs_of(entries[path]), {}):
                skipped.append(path)
                del entries[path]

    std_locks = [] if wanted else std_lock_uses(repo)
    for use in std_locks:
        print(f"std lock (use absl::Mutex with ABSL_GUARDED_BY): {use}")

    started = time.monotonic()
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        for path, code, output in pool.map(check, sorted(entries)):
            if code != 0:
                failed.append(path)
                print(f"FAIL {os.path.relpath(path, repo)}\n{output}")
    seconds = time.monotonic() - started
    for path in missing:
        # A file the build does not compile cannot be checked; say so rather than pass silently.
        print(f"note: {os.path.relpath(path, repo)} is not in compile_commands.json (not built?)")
    print(f"check_thread_safety: {len(entries)} files analysed ({len(skipped)} reach no lock), "
          f"{len(failed)} with thread-safety errors, "
          f"{seconds:.0f} s; {len(std_locks)} standard-library locks")
    return 1 if failed or std_locks else 0


if __name__ == "__main__":
    sys.exit(main())
