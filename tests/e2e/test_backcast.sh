#!/usr/bin/env bash
# The Minsk II back-cast: scenarios/backcast/minsk2.cfg loads with the
# settings it claims, runs, and docs/backcast.md's generated numbers are up
# to date with it (tools/docblocks, docs/backcast.blocks). The document's runs
# use build/reassure even under ASan, as tests/e2e/test_docs.sh does
# (staleness is a property of the document); REASSURE=path overrides it, and
# $R is used when build/reassure is not built.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
S=scenarios/backcast/minsk2.cfg
PY=/usr/bin/python3

expect_exit 0 "check $S" $R check $S
check "no force" grep -qE '^  force\.troops +0 ' "$T/out"
check "no US backstop" grep -qE '^  us_backstop\.enabled +false ' "$T/out"
check "15 Feb 2015 to 24 Feb 2022: 2566 days" grep -qE '^  horizon_days +2566 ' "$T/out"
check "starts in the high violation regime" grep -qE '^  violations\.initial_regime +high ' "$T/out"
check "one point" grep -qF 'total replications: 20000 (1 point' "$T/out"

# A short run: it completes, and the horizon cut keeps the replications
# nested (an offensive by day 365 is one by day 2566, replication for
# replication), which docs/backcast.md relies on.
expect_exit 0 "a short run of $S" $R run $S --sweep horizon_days=365,2566 -n 500 -q -o "$T/m.h5"
check "the horizon cut nests the replications" $PY - "$T/m.h5" <<'PY'
import sys, h5py, numpy as np
d = h5py.File(sys.argv[1], "r")["/replications"][...]
a, b = d[d["point"] == 0], d[d["point"] == 1]
assert (a["rep"] == b["rep"]).all()
assert (a["offensive_attempted"] <= b["offensive_attempted"]).all()
assert (a["probes"] <= b["probes"]).all()
assert (a["high_regime_days"] <= b["high_regime_days"] + 1e-9).all()
PY

DOCBIN=${REASSURE:-build/reassure}
[ -x "$DOCBIN" ] || DOCBIN=$R
if REASSURE=$DOCBIN tools/docblocks --check docs/backcast.md >"$T/doc.diff" 2>"$T/doc.err"; then
    ok "docs/backcast.md's generated numbers are up to date"
else
    notok "docs/backcast.md is stale or its blocks are broken: run make docs"
    head -20 "$T/doc.diff" | sed 's/^/    /'
    sed 's/^/    /' "$T/doc.err" | head -5
fi
check "docs/backcast.md has no unfilled value" bash -c "! grep -q -- '-->x<!-- /v -->' docs/backcast.md"
[ $fails -eq 0 ]
