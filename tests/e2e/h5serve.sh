# Sourced by end-to-end scripts after lib.sh: their HDF5 checks through one
# Python process (tests/e2e/h5serve.py, which lists the requests) instead
# of one per check. Not from a ( subshell ) or another process (bash -c):
# the coprocess's pipes are the calling shell's (h5q then fails, status 2).
coproc H5SERVE { exec /usr/bin/python3 "$PWD/tests/e2e/h5serve.py"; }
h5q() { # h5q REQUEST ARGS...: status 0 when the check holds; a value in $H5VAL
    local IFS=$'\t' rc
    H5VAL=
    printf '%s\n' "$*" >&"${H5SERVE[1]}" || return 2
    read -r rc H5VAL <&"${H5SERVE[0]}" || return 2
    return "$rc"
}
h5same_each() { h5q same "$@"; }             # A B OBJ...: each the same, bit for bit
same_as() { h5q same "$1" "$2" /replications /summary /histograms /points; }
py_check() { h5q call "$T/checks.py" "$@"; }  # FUNC ARG...: of the script's $T/checks.py
rows_are() { h5q rows "$1" && [ "$H5VAL" = "$2" ]; }  # FILE N: /replications has N rows
