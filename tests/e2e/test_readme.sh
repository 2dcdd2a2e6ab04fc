#!/usr/bin/env bash
# Every command that README.md and docs/*.md show in a code block is run, as
# written, from the root of a fresh copy of the project, so a command that
# stops working fails `make test`.
#
# Which blocks are commands. A fenced block tagged sh, bash, shell or
# console is; an untagged fenced block or an indented block is when its
# first line (after any "$ " prompt) starts with a command this project's
# documents use (make, reassure, build/..., tools/..., ./..., mpirun, srun,
# sbatch, module, apt-get, sudo, python3, bash, sh, cd, git, h5dump, h5ls,
# h5diff, export, cp, mkdir, rm, env). Scenario text, formulas, output and
# Python are not commands.
#
# What runs. Each command block runs in one bash (set -e, pipefail), with a
# 120 s limit; it must exit 0. In a block with "$ " prompts only the prompt
# lines run, and every other line of it but "..." is output that the
# command must print (a shown output that went stale fails). A block is not
# run only when its document says so, visibly, in an HTML comment on the
# line before it (a blank line may separate them):
#     <!-- not run: why, and which test covers it instead -->
# or when it lies inside a <!-- docblock: NAME --> region: tools/docblocks
# --check reruns exactly those commands (tests/e2e/test_docs.sh for
# docs/model.md, tests/e2e/test_backcast.sh for docs/backcast.md). A
# command block with neither is run; so a new command in a document is
# picked up by this test with nobody touching it, and a slow one is a
# deliberate, reviewed marker. A marker without a reason, or on a block
# that is not a command, fails.
#
# Where it runs: a copy of the files git knows in this working tree
# (tracked and not ignored; what a clone has once they are committed, so a
# document can be checked before its commit, which a clone of HEAD would
# not see), without build/ or results/; build/reassure is this build's
# binary ($R), the only built file the documents' commands use, so nothing
# is rebuilt (the build itself is tests/e2e/test_build.sh's). `reassure`
# on the PATH is that binary, as the README says (`reassure` is
# build/reassure from the clone's root, or the installed command). Results
# are written inside the copy, which is removed at the end.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
SELF=$PWD/tests/e2e/test_readme.sh
# DOC_ROOT: another tree to check (the self-test below), copied whole.
SRC=${DOC_ROOT:-$PWD}
RBIN=$(cd "$(dirname "$R")" && pwd)/$(basename "$R")
check "the binary under test is built" [ -x "$RBIN" ]

# The copy.
C=$T/clone
mkdir -p "$C/build" "$T/bin"
if [ -z "${DOC_ROOT:-}" ] && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null -T - -cf - | tar -xf - -C "$C"
else # a tarball, or DOC_ROOT: everything but what a build or a run made
    (cd "$SRC" && tar --exclude=./build --exclude='./results/*' -cf - .) | tar -xf - -C "$C"
fi
if [ -z "${DOC_ROOT:-}" ]; then
    check "a fresh copy of the project (README.md, docs/, scenarios/; no results)" \
        [ -f "$C/README.md" -a -d "$C/docs" -a -f "$C/scenarios/debate.cfg" -a ! -e "$C/results/debate.h5" ]
fi
ln -s "$RBIN" "$C/build/reassure"
ln -s "$RBIN" "$T/bin/reassure"

# The blocks, one file each: T/blocks/N.{where,how,cmd,expect}.
mkdir -p "$T/blocks"
(cd "$C" && $PY - "$T/blocks" README.md docs/*.md) <<'PY'
import os, re, sys

out_dir, docs = sys.argv[1], sys.argv[2:]
COMMANDS = {"make", "reassure", "mpirun", "srun", "sbatch", "module", "apt-get", "sudo",
            "python3", "bash", "sh", "cd", "git", "h5dump", "h5ls", "h5diff", "export", "cp",
            "mkdir", "rm", "env"}
SHELL_TAGS = {"sh", "bash", "shell", "console"}
MARK = re.compile(r"^\s*<!--\s*not run:(.*?)-->\s*$")


def blocks(lines):
    """(first line number, tag or None for indented, the block's lines)."""
    i, n = 0, len(lines)
    while i < n:
        m = re.match(r"^(\s*)(```+|~~~+)\s*([^\s`]*)", lines[i])
        if m:
            ind, fence, tag = m.groups()
            j = i + 1
            while j < n and not lines[j].strip().startswith(fence):
                j += 1
            yield i, tag, [l[len(ind):] if l.startswith(ind) else l.lstrip() for l in lines[i + 1:j]]
            i = j + 1
            continue
        if re.match(r"^ {4,}\S", lines[i]) and (i == 0 or not lines[i - 1].strip()):
            j = i
            while j < n and (re.match(r"^ {4,}", lines[j]) or
                             (not lines[j].strip() and j + 1 < n and re.match(r"^ {4,}\S", lines[j + 1]))):
                j += 1
            body = lines[i:j]
            ind = min(len(l) - len(l.lstrip()) for l in body if l.strip())
            yield i, None, [l[ind:] for l in body]
            i = j
            continue
        i += 1


def is_command(tag, body):
    if tag:
        return tag in SHELL_TAGS
    first = next((l.strip() for l in body if l.strip() and not l.strip().startswith("#")), "")
    if first.startswith("$ "):
        return True
    word = first.split()[0] if first.split() else ""
    return word in COMMANDS or word.startswith(("build/", "tools/", "./"))


k = 0
for doc in docs:
    lines = open(doc, encoding="utf-8").read().split("\n")
    # docblock regions: [start, end) line indices
    regions, start = [], None
    for i, l in enumerate(lines):
        if re.match(r"^\s*<!--\s*docblock:", l):
            start = i
        elif re.match(r"^\s*<!--\s*/docblock\s*-->", l) and start is not None:
            regions.append((start, i))
            start = None
    for i, tag, body in blocks(lines):
        where = f"{doc}:{i + 1}"
        p = i - 1
        if p >= 0 and not lines[p].strip():
            p -= 1
        m = MARK.match(lines[p]) if p >= 0 else None
        command = is_command(tag, body)
        k += 1
        base = os.path.join(out_dir, f"{k:03d}")
        with open(base + ".where", "w") as f:
            f.write(where)
        if m:
            how = ("marked " + m.group(1).strip()) if command else "marker on a non-command block"
            if command and not m.group(1).strip():
                how = "marker without a reason"
        elif not command:
            how = "not a command"
        elif any(a < i < b for a, b in regions):
            region = next(lines[a] for a, b in regions if a < i < b).strip()
            how = f"docblock {region}"
        else:
            how = "run"
        with open(base + ".how", "w") as f:
            f.write(how)
        if how != "run":
            continue
        prompts = [l for l in body if l.strip().startswith("$ ")]
        if prompts:
            cmd = [l.strip()[2:] for l in prompts]
            expect = [l.rstrip() for l in body
                      if l.strip() and not l.strip().startswith("$ ") and l.strip() != "..."]
        else:
            cmd, expect = body, []
        with open(base + ".cmd", "w") as f:
            f.write("\n".join(cmd) + "\n")
        with open(base + ".expect", "w") as f:
            f.write("\n".join(expect) + ("\n" if expect else ""))
PY
check "the documents' code blocks were read" [ -n "$(ls "$T/blocks")" ]

runs=0 marked=0 docblocks=0
for w in "$T"/blocks/*.where; do
    b=${w%.where}
    where=$(cat "$w") how=$(cat "$b.how")
    case $how in
    "not a command") ;;
    "marker on a non-command block" | "marker without a reason") notok "$where: $how" ;;
    marked*) marked=$((marked + 1)); ok "$where: not run, as marked: ${how#marked }" ;;
    docblock*) docblocks=$((docblocks + 1)); ok "$where: run by tools/docblocks --check (${how#docblock })" ;;
    run)
        runs=$((runs + 1))
        (cd "$C" && PATH="$T/bin:$PATH" timeout 120 bash -e -o pipefail "$b.cmd") >"$b.out" 2>&1
        rc=$?
        if [ $rc -eq 0 ]; then
            ok "$where: ran as written: $(head -1 "$b.cmd")"
        else
            notok "$where: exit $rc: $(head -1 "$b.cmd")"
            sed 's/^/    /' "$b.out" | tail -5
            continue
        fi
        missing=0
        while IFS= read -r line; do
            [ -n "$line" ] || continue
            grep -qxF -- "$line" <(sed 's/[[:space:]]*$//' "$b.out") || {
                missing=$((missing + 1)); echo "    not in the output: $line" | cut -c1-160; }
        done <"$b.expect"
        [ -s "$b.expect" ] && check "$where: prints the output shown ($(grep -c . "$b.expect") lines)" \
            [ $missing -eq 0 ]
        ;;
    *) notok "$where: $how" ;;
    esac
done
[ -n "${DOC_ROOT:-}" ] && exit $((fails > 0))
check "$runs blocks run, $marked marked not to run, $docblocks run by docblocks" \
    [ $runs -ge 2 -a $((runs + marked + docblocks)) -ge 10 ]

# The check itself, on a scratch tree: a good block passes, and an unmarked
# command that fails, a marker without a reason, a marker on a block that
# is not a command and a stale shown output each fail it.
S=$T/self
mkdir -p "$S/docs" "$S/scenarios"
cp scenarios/debate.cfg scenarios/baseline.cfg "$S/scenarios/"
cat >"$S/README.md" <<'MD'
# scratch

    build/reassure check scenarios/debate.cfg

<!-- not run: slow -->

    make bench

A stale output:

    $ reassure --version
    reassure 0.0.0-not-this-version
MD
cat >"$S/docs/a.md" <<'MD'
```
reassure run scenarios/missing.cfg -n 10
```

<!-- not run: -->
```sh
make test
```

<!-- not run: a scenario, not a command -->

    model = "mm1";
MD
DOC_ROOT=$S bash "$SELF" >"$T/self.out" 2>&1
check "the check fails on the scratch tree" [ $? -ne 0 ]
self_has() { # self_has "ok|not ok" TEXT
    if grep -q "^$1 - .*$2" "$T/self.out"; then ok "self-test: $1 - ...$2"; else
        notok "self-test: expected \"$1 - ...$2\""; sed 's/^/    /' "$T/self.out" | head -20; fi
}
self_has "ok" "README.md:3: ran as written: build/reassure check"
self_has "ok" "README.md:7: not run, as marked: slow"
self_has "not ok" "README.md:11: prints the output shown"
self_has "not ok" "docs/a.md:1: exit 2: reassure run scenarios/missing.cfg"
self_has "not ok" "docs/a.md:6: marker without a reason"
self_has "not ok" "docs/a.md:12: marker on a non-command block"
[ $fails -eq 0 ]
