# Helpers of the plot tests (sourced after lib.sh): several tools/plot
# command lines run in one Python process (tests/e2e/plotjobs.py, which
# says what it leaves), then checked one by one as if each had been run.
J="$T/jobs"
mkdir -p "$J"
# plot_jobs "NAME ARG..." ...: runs tools/plot ARG... for each job. Without
# the charts' Python packages (the system's), or if plotjobs.py itself
# fails, the script stops there (no separate process checks for them first).
plot_jobs() {
    /usr/bin/python3 tests/e2e/plotjobs.py "$J" "$@" 2>"$J/plotjobs.err"
    local rc=$?
    [ $rc -eq 0 ] && return
    if [ $rc -eq 3 ]; then
        notok "python3-matplotlib or python3-h5py is not installed (tools/install-deps.sh installs them)"
    else
        notok "tests/e2e/plotjobs.py failed (exit $rc)"
    fi
    sed 's/^/    /' "$J/plotjobs.err" | tail -5
    exit 1
}
# plotted NAME: job NAME's stdout, stderr and exit status, as the command
# gave them (for expect_exit, which then puts them in $T/out and $T/err)
plotted() {
    cat "$J/$1.out"
    cat "$J/$1.err" >&2
    return "$(cat "$J/$1.rc")"
}
# png_good FILE: a PNG a job saved, a plausible chart (plotjobs.py's rule)
png_good() { grep -qxF "ok $1" "$J/pngs"; }
# png_title FILE: the Title text of a PNG a job saved (none: fails)
png_title() { cat "$J/titles/${1//\//_}"; }
# artists NAME FILE: the patches, lines and collections of chart FILE of job NAME
artists() { awk -v f="$2" '$2 == f { print $1 }' "$J/$1.artists"; }
