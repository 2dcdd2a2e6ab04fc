#!/usr/bin/env bash
# bench/scale.sh: cost against the number of sweep points (part of make
# bench; figures, never pass/fail). Each figure at 10^4 and 10^5 points of
# a cheap model (mm1, 2 replications of 5 customers), so a cost that grows
# faster than the points shows as a ratio well above 10:
#   summary seconds, run peak memory per point, check seconds of a sweep
#   listing 2 * 10^5 values, and tools/plot seconds and peak memory on a
#   10^4-point reassurance grid.
set -eu
cd "$(dirname "$0")/.."
R=${R:-build/reassure}
T=$(mktemp -d /tmp/reassure-scale-XXXXXX)
trap 'rm -rf "$T"' EXIT
seconds_kb() { /usr/bin/time -f "%e %M" -o "$T/time" "$@" >/dev/null && cat "$T/time"; }

mm1_grid() { # mm1_grid N FILE: N points, a 1000 x N/1000 grid
    /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
lam = ",".join("%.6f" % (0.1 + i * 0.0005) for i in range(1000))
mu = ",".join("%.6f" % (2.0 + i * 0.001) for i in range(n // 1000))
open(path, "w").write('model = "mm1";\nreplications = 2;\nseed = 1;\n'
    'mm1 = { lambda = 0.5; mu = 1.0; customers = 5; };\nsweep = { design = "grid"; '
    'parameters = ({ key = "mm1.lambda"; values = [%s]; }, '
    '{ key = "mm1.mu"; values = [%s]; }); };\n' % (lam, mu))
PY
}

echo "== scale: cost against sweep points (mm1, 2 replications of 5 customers)"
for n in 10000 100000; do
    mm1_grid $n "$T/g$n.cfg"
    read -r s kb < <(seconds_kb $R run "$T/g$n.cfg" -j 1 -q -o "$T/g$n.h5")
    echo "scale_run_${n}_points_seconds $s"
    echo "scale_run_${n}_points_peak_rss_kb $kb"
    echo "scale_run_${n}_points_bytes_per_point $((kb * 1024 / n))"
    read -r s kb < <(seconds_kb $R summary "$T/g$n.h5")
    echo "scale_summary_${n}_points_seconds $s"
done
/usr/bin/python3 -c "
v = ','.join('%.9f' % (0.1 + i * 1e-6) for i in range(200000))
open('$T/v.cfg', 'w').write('model = \"mm1\";\nmm1 = { lambda = 0.05; };\nsweep = { parameters = '
    '({ key = \"mm1.lambda\"; values = [%s]; }); };\n' % v)"
read -r s kb < <(seconds_kb $R check "$T/v.cfg")
echo "scale_check_200000_sweep_values_seconds $s"
/usr/bin/python3 -c "
t = ','.join(str(1000 + 100 * i) for i in range(50))
d = ','.join('%g' % (10 + 5 * i) for i in range(50))
open('$T/r.cfg', 'w').write('model = \"reassurance\";\nreplications = 2;\nseed = 1;\nhorizon_days = 30.0;\n'
    'sweep = { parameters = ({ key = \"force.troops\"; values = [%s]; }, '
    '{ key = \"force.basing_distance_km\"; values = [%s]; }, '
    '{ key = \"us_backstop.enabled\"; values = [false, true]; }, '
    '{ key = \"force.mandate\"; values = [\"deterrence\", \"monitoring\"]; }); };\n' % (t, d))"
$R run "$T/r.cfg" -q -o "$T/r.h5"
read -r s kb < <(seconds_kb /usr/bin/python3 tools/plot "$T/r.h5" -o "$T/png")
echo "scale_plot_10000_points_seconds $s"
echo "scale_plot_10000_points_peak_rss_kb $kb"
