# Shared helpers for the end-to-end scripts: TAP-style "ok - ..." lines.
R=${R:-build/reassure}
T=$(mktemp -d /tmp/reassure-e2e-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fails=$((fails + 1)); }
check() { # check "what" command...
    local what=$1; shift
    if "$@"; then ok "$what"; else notok "$what"; fi
}
# expect_exit CODE "what" command...: runs the command, stderr to $T/err.
expect_exit() {
    local code=$1 what=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" -eq "$code" ]; then ok "$what (exit $code)"; else
        notok "$what: exit $rc, expected $code"; sed 's/^/    /' "$T/err" | head -5; fi
}
err_has() { # err_has "text": the last command's stderr contains text
    if grep -qF -- "$1" "$T/err"; then ok "message: $1"; else
        notok "message should contain: $1"; sed 's/^/    got: /' "$T/err" | head -3; fi
}
attr() { # attr FILE NAME: the value of a root attribute
    h5dump -a "/$2" "$1" 2>/dev/null | sed -n 's/^ *(0): *//p' | head -1 | tr -d '"'
}

# h5same A B OBJ [OBJ2]: the object is the same in both files, bit for bit
# (tests/e2e/h5same.py: type, shape, every byte, attributes, groups
# recursively). Not h5diff: it exits 0 for tables it cannot compare (a
# table cut short, saying so only in its output), and compares value by
# value, several times slower on a table of rows.
H5SAME="$PWD/tests/e2e/h5same.py"
export H5SAME
h5same() { /usr/bin/python3 "$H5SAME" "$@"; }
export -f h5same
# same_as A B: /replications, /summary, /histograms and /points the same.
same_as() {
    /usr/bin/python3 "$H5SAME" --each "$1" "$2" /replications /summary /histograms /points
}
