#!/usr/bin/env bash
# tools/plot: the three charts of any reassurance result, as valid PNGs;
# clear refusals (exit 2) for anything else.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
need_plotting
expect_exit 0 "a debate result" $R run scenarios/debate.cfg -n 60 -q -o "$T/d.h5"
expect_exit 0 "plot the debate result into a new folder" tools/plot "$T/d.h5" -o "$T/png"
for c in risk outcomes first-breach; do
    check "debate: $c chart is a valid PNG" png_ok "$T/png/d-$c.png"
    check "debate: its path is printed" grep -qx "$T/png/d-$c.png" "$T/out"
done
expect_exit 0 "a one-point result" $R run scenarios/baseline.cfg -n 40 -q -o "$T/one.h5"
expect_exit 0 "plot it beside the result" tools/plot "$T/one.h5"
for c in risk outcomes first-breach; do
    check "one point: $c chart is a valid PNG" png_ok "$T/one-$c.png"
done
expect_exit 0 "a sweep of a choice key" $R run scenarios/baseline.cfg -n 40 -q \
    --sweep force.mandate=deterrence,monitoring,peacekeeping -o "$T/m.h5"
expect_exit 0 "plot it" tools/plot "$T/m.h5" -o "$T/png"
check "choice sweep: risk chart" png_ok "$T/png/m-risk.png"
expect_exit 0 "a 4-key grid with a --set" $R run scenarios/baseline.cfg -n 30 -q --set force.troops=15000 \
    --sweep force.mandate=deterrence,monitoring --sweep us_backstop.enabled=false,true \
    --sweep force.basing_distance_km=100,800 --sweep russia.deterrence=both,denial -o "$T/g4.h5"
expect_exit 0 "plot it" tools/plot "$T/g4.h5" -o "$T/png"
check "4-key grid: one risk chart with a panel per slice" png_ok "$T/png/g4-risk.png"
expect_exit 0 "two results of the same sweep" bash -c \
    "$R run scenarios/baseline.cfg -n 30 -q --sweep force.troops=0,10000 -o '$T/a.h5' && \
     $R run scenarios/baseline.cfg -n 30 -q --sweep force.troops=0,10000 \
        --set us_backstop.enabled=true -o '$T/b.h5'"
expect_exit 0 "plot them together" tools/plot "$T/a.h5" "$T/b.h5" -o "$T/png"
check "overlay: a-vs-b-risk.png" png_ok "$T/png/a-vs-b-risk.png"
check "overlay: each file's own charts too" png_ok "$T/png/b-outcomes.png"
expect_exit 2 "overlay refuses different sweeps" tools/plot "$T/a.h5" "$T/m.h5" -o "$T/png"
err_has "cannot overlay"
# Every chart carries its title as the PNG's Title text (tools/plot's save).
png_title() { # png_title FILE: the Title text chunk (tEXt or iTXt)
    $PY - "$1" <<'PY'
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
i = 8
while i < len(b):
    n, kind = struct.unpack(">I4s", b[i:i + 8])
    data = b[i + 8:i + 8 + n]
    i += 12 + n
    key, _, rest = data.partition(b"\0")
    if key != b"Title":
        continue
    if kind == b"tEXt":
        print(rest.decode("latin-1"))
    elif kind == b"iTXt":  # flag, method, language\0, translated keyword\0, text
        flag, text = rest[0], rest[2:].split(b"\0", 2)[2]
        print((zlib.decompress(text) if flag else text).decode("utf-8"))
PY
}
check "a chart's title is in its PNG" grep -qF "60 replications per point, seed" <(png_title "$T/png/d-risk.png")
# A --precision run's charts give the replications it used at each point
# (/replications_used: the fewest and the most), not the nominal -n.
expect_exit 0 "a --precision result" $R run scenarios/baseline.cfg -n 100 --precision 0.05 \
    --sweep force.troops=0,10000 -q -o "$T/prec.h5"
used=$(h5dump -d /replications_used "$T/prec.h5" | sed -n 's/^ *([0-9]*,0): *\([0-9]*\),*$/\1/p' | sort -n)
lo=$(echo "$used" | head -1); hi=$(echo "$used" | tail -1)
check "the run used different counts at its two points, none of them 100" \
    [ -n "$lo" ] && [ "$lo" != "$hi" ] && [ "$lo" != 100 ] && [ "$hi" != 100 ]
expect_exit 0 "plot it" tools/plot "$T/prec.h5" -o "$T/png"
want=$($PY -c "import sys; print(f'replications per point: {int(sys.argv[1]):,}–{int(sys.argv[2]):,} (--precision)')" "$lo" "$hi")
for c in risk outcomes first-breach; do
    png_title "$T/png/prec-$c.png" >"$T/title"
    check "--precision: the $c chart says \"$want\"" grep -qF "$want" "$T/title"
    check "--precision: the $c chart does not claim the nominal 100" \
        bash -c "! grep -qF '100 replications' '$T/title'"
done
expect_exit 2 "missing file" tools/plot "$T/none.h5"
err_has "$T/none.h5: no such file"
echo "not hdf5" >"$T/bad.h5"
expect_exit 2 "not an HDF5 file" tools/plot "$T/bad.h5"
err_has "not a readable HDF5 result"
expect_exit 0 "a validation-model result" $R run scenarios/validation/mm1.cfg -n 2 \
    --set mm1.customers=100 -q -o "$T/mm1.h5"
expect_exit 2 "plot refuses another model's result" tools/plot "$T/mm1.h5"
err_has "a result of the 'mm1' model"
# Cost grows with the points, not faster: a chart of many points draws a
# fixed number of artists (one band per outcome class, one collection of
# first-breach curves), not one bar or line per point, and /summary is read
# as columns. 48 points: more than the outcome chart labels (40) and the
# first-breach chart names (20).
expect_exit 0 "a 48-point grid" $R run scenarios/baseline.cfg -n 4 -q --set horizon_days=60 \
    --sweep force.troops=0,2000,4000,6000,8000,10000,12000,14000,16000,18000,20000,22000 \
    --sweep us_backstop.enabled=false,true --sweep force.mandate=deterrence,monitoring \
    -o "$T/many.h5"
artists() { # the most artists (patches, lines, collections) in any chart of the file
    $PY - "$1" <<'PY'
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("plot", "tools/plot")
spec = importlib.util.spec_from_loader("plot", loader)
plot = importlib.util.module_from_spec(spec)
loader.exec_module(plot)
seen = []
close = plot.plt.close
def counting_close(fig=None):
    if hasattr(fig, "axes"):
        seen.append(sum(len(ax.patches) + len(ax.lines) + len(ax.collections)
                        for ax in fig.axes))
    close(fig)
plot.plt.close = counting_close
res = plot.Result(sys.argv[1])
assert len(res.points) == 48
for chart in (plot.outcomes_chart, plot.breach_chart):
    chart(res, "/dev/null")
print(max(seen))
PY
}
n_artists=$(artists "$T/many.h5")
check "many points: charts draw a bounded number of artists ($n_artists)" [ "${n_artists:-999}" -le 20 ]
[ $fails -eq 0 ]
