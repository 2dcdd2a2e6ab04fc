# Python checks queued as a script goes and run together in one Python
# process (tests/e2e/h5batch.py), sourced after lib.sh. A Python with h5py
# costs about 0.12 CPU-seconds to start, more than most runs it checks.
# Each queued check still prints its own "ok -"/"not ok -" line (when
# run_later runs them: the files they read must stay until then).
#   later_same "what" A B OBJ...   OBJ... the same in A and B, bit for bit
#                                  (h5same's rule)
#   later_py "what" FUNC ARG...    FUNC(ARG...) of $T/checks.py passes (its
#                                  asserts hold); the script writes that file
#   run_later                      runs the queue; each "not ok" adds a fail,
#                                  as does a check that printed nothing
later_same() { (IFS=$'\t'; echo "same	$*") >>"$T/later.q"; }
later_py() { (IFS=$'\t'; echo "call	$*") >>"$T/later.q"; }
run_later() {
    [ -s "$T/later.q" ] || return 0
    /usr/bin/python3 tests/e2e/h5batch.py "$T/later.q" "$T/checks.py" >"$T/later.out" 2>&1
    local rc=$? queued done bad
    cat "$T/later.out"
    queued=$(grep -c . "$T/later.q")
    done=$(grep -cE '^(not )?ok - ' "$T/later.out")
    bad=$(grep -c '^not ok - ' "$T/later.out")
    fails=$((fails + bad))
    if [ "$done" -ne "$queued" ] || { [ $rc -ne 0 ] && [ "$bad" -eq 0 ]; }; then
        notok "tests/e2e/h5batch.py: $done of $queued checks reported (exit $rc)"
    fi
    rm -f "$T/later.q"
}
