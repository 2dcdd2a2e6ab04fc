"""plot_uncertainty.py: tools/plot's charts of an uncertainty design (a result
with the root attribute `worlds`): options compared across worlds, each world a
draw of the judged assumptions. tools/plot calls charts() for such a file,
instead of its per-point charts (hundreds of points that are worlds, not a
grid to draw). Into the output folder, as PNG:

  <stem>-options.png        the objective (root attribute `objective`) per
                            option: its spread across the worlds (5-95% and
                            25-75% of the worlds' estimates, median marked;
                            "assumptions", /uncertainty/options) beside the
                            Monte Carlo 95% interval of one world's estimate
                            (the median half-width over worlds, mc_half, drawn
                            around the median)
  <stem>-options-shares.png the same for every other share row (p_...), a
                            panel per row (when the model has any)
  <stem>-regret.png         /uncertainty/regret: the options of each group
                            (grid cell) ranked by rank (least maximum regret
                            first): mean, 95th percentile and maximum regret,
                            and the share of worlds within the tolerance of
                            the best option, with its Wilson 95% interval
  <stem>-discovery-R-O.png  per question R of /discovery and option O (the
                            table's rule and option): the worlds over the two
                            box keys with the smallest quasi_p (with fewer
                            than two restricted, the next by |rank
                            correlation| with the question), coloured by
                            whether the question holds in that world, and the
                            PRIM box (lo..hi) drawn; coverage and density in
                            the title

Whether a question holds in a world is recomputed from /summary as the
simulator decides it: "A worse than B" compares the estimates of the
objective of A and B in that world (goal min: A's higher; max: A's lower);
"X of A above/below t" compares A's estimate of X with t. The recomputed
counts are checked against the table's of_interest (and the box's inside);
a mismatch is reported on stderr.

Tables are read by column name, so added columns do no harm.
"""
import os
import re
import sys

import h5py
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

ASSUMPTIONS = "#0072B2"   # Okabe & Ito: blue
MONTE_CARLO = "#E69F00"   # orange
HOLDS = "#D55E00"         # vermillion
NOT_HOLDS = "#56B4E9"     # sky blue
READABLE = {
    "p_rung_ge_4": "P(rung ≥ 4: a land grab or worse)",
    "p_rung_ge_7": "P(rung ≥ 7: large offensive or worse)",
    "p_rung_ge_9": "P(rung ≥ 9: NATO-Russia war)",
    "p_breakthrough": "P(breakthrough)",
    "p_held_quiet": "P(held, quiet)",
    "p_held_contested": "P(held, contested)",
    "p_offensive_repelled": "P(offensive repelled)",
    "p_outcome_coalition_collapse": "P(outcome: coalition collapse)",
    "p_nato_russia_war": "P(NATO-Russia war)",
}


def fail(msg):
    print(f"plot: {msg}", file=sys.stderr)
    sys.exit(2)


def text(x):
    return x.decode() if isinstance(x, (bytes, np.bytes_)) else str(x)


def is_uncertainty(path):
    """True for a readable HDF5 file with the root attribute `worlds`; any
    other file (missing, not HDF5, no worlds) is left to tools/plot."""
    try:
        with h5py.File(path, "r") as f:
            return "worlds" in f.attrs
    except OSError:
        return False


def readable(name):
    return READABLE.get(name, name)


def pct(v):
    return f"{100 * v:.0f}%" if np.isfinite(v) else "n/a"


class Worlds:
    """An uncertainty result: its attributes and tables, read by name."""

    def __init__(self, path, fmt=None):
        self.path = path
        self.stem = os.path.splitext(os.path.basename(path))[0]
        self.fmt = fmt or (lambda k, v: f"{text(v) if isinstance(v, bytes) else v}")
        try:
            self.f = h5py.File(path, "r")
        except OSError as e:
            fail(f"{path}: not a readable HDF5 result ({e})")
        a = self.f.attrs
        if int(a.get("complete", 0)) != 1:
            fail(f"{path}: the run is incomplete (complete = 0); finish it with --resume first")
        for name in ("/points", "/summary", "/uncertainty/options", "/uncertainty/regret"):
            if name not in self.f:
                fail(f"{path}: an uncertainty result (worlds = {a['worlds']}) without {name}")
        for attr in ("options", "objective", "assumption_keys"):
            if attr not in a:
                fail(f"{path}: an uncertainty result without the root attribute {attr}")
        self.model = text(a.get("model", "?"))
        self.worlds = int(a["worlds"])
        self.n_options = int(a["options"])
        self.objective = text(a["objective"])
        self.goal = text(a.get("goal", "min"))
        self.tolerance = float(a.get("tolerance", np.nan))
        self.sampling = text(a.get("world_sampling", "?"))
        self.baseline = text(a.get("baseline_case", ""))
        self.reps = int(a.get("replications", 0))
        self.seed = int(a.get("seed", 0))
        self.keys = [k for k in text(a["assumption_keys"]).split("\n") if k]
        pts = self.f["/points"][...]
        self.points = pts[np.argsort(pts["point"], kind="stable")]  # row p is point p
        names = self.points.dtype.names
        missing = [k for k in self.keys if k not in names]
        if missing:
            fail(f"{path}: /points has no column {missing[0]} (an assumption key)")
        self.grid_keys = [k for k in names if k not in ("point", "case") and k not in self.keys]
        self.summary = self.f["/summary"][...]
        self.options = self.f["/uncertainty/options"][...]
        self.regret = self.f["/uncertainty/regret"][...]
        self.discovery = self.f["/discovery"][...] if "/discovery" in self.f else None
        self._est = {}

    def first_point(self, o):
        return o * self.worlds

    def case(self, o):
        if "case" not in self.points.dtype.names:
            return f"option {o}"
        return text(self.points["case"][self.first_point(o)])

    def option_label(self, o):
        """The case name (baseline marked), then the grid keys' values (with
        no cases, the grid keys' values alone)."""
        p = self.points[self.first_point(o)]
        parts = [f"{k} = {self.fmt(k, p[k])}" for k in self.grid_keys]
        if "case" in self.points.dtype.names or not parts:
            lab = self.case(o)
            parts.insert(0, lab + (" (baseline)" if self.baseline and lab == self.baseline
                                   else ""))
        return ", ".join(parts)

    def group(self, o):
        """The option's group (grid cell), from /uncertainty/regret."""
        g = self.regret["group"][self.regret["option"] == o]
        return int(g[0]) if len(g) else 0

    def estimates(self, name):
        """/summary's estimate of `name` at every point (NaN where absent)."""
        if name not in self._est:
            v = np.full(len(self.points), np.nan)
            rows = self.summary[self.summary["name"] == name.encode()]
            v[rows["point"].astype(int)] = rows["estimate"]
            self._est[name] = v
        return self._est[name]

    def world_values(self, o, key):
        """The key's value in each world of option o (a choice key: the
        index of its value among the values the worlds take)."""
        p0 = self.first_point(o)
        v = self.points[key][p0:p0 + self.worlds]
        if v.dtype.kind in "iufb":
            return v.astype(float)
        levels = sorted(set(v.tolist()))
        return np.array([levels.index(x) for x in v.tolist()], float)

    def title(self):
        return (f"{self.model} model: {self.n_options} options × {self.worlds} worlds "
                f"({self.sampling}) × {self.reps:,} replications, seed {self.seed}")

    def better(self):
        return "lower is better" if self.goal == "min" else "higher is better"


# ---- 1. options: assumptions beside Monte Carlo ------------------------------

def interval_rows(w, name):
    """The options' rows of `name`, a grid cell's options together."""
    rows = w.options[w.options["name"] == name.encode()]
    order = sorted(range(len(rows)), key=lambda i: (w.group(int(rows["option"][i])),
                                                     int(rows["option"][i])))
    return rows[order]


def draw_intervals(ax, w, rows, small=False, names=True):
    """Per option (top to bottom in option order): the spread across worlds
    above, the Monte Carlo interval below, each named on the y axis; with
    names, the option's name to their left."""
    n = len(rows)
    y = np.arange(n)[::-1].astype(float)
    off = 0.17
    fs = 7.5 if small else 8.5
    for yi, r in zip(y, rows):
        ax.hlines(yi + off, r["q05"], r["q95"], color=ASSUMPTIONS, lw=1.6)
        ax.hlines(yi + off, r["q25"], r["q75"], color=ASSUMPTIONS, lw=5 if small else 8)
        ax.plot([r["q50"]], [yi + off], "D", color="white", mec="black", ms=4 if small else 6,
                zorder=3)
        ax.errorbar([r["q50"]], [yi - off], xerr=[[r["mc_half"]], [r["mc_half"]]], fmt="D",
                    color=MONTE_CARLO, mec="black", ms=4 if small else 6, capsize=3 if small else 5,
                    lw=2, zorder=3)
    ax.set_yticks(np.concatenate([y + off, y - off]))
    ax.set_yticklabels(["assumptions"] * n + ["Monte Carlo"] * n, fontsize=fs)
    for t, colour in zip(ax.get_yticklabels(), [ASSUMPTIONS] * n + [MONTE_CARLO] * n):
        t.set_color(colour)
    if names:
        for yi, r in zip(y, rows):
            ax.annotate(w.option_label(int(r["option"])), xy=(0, yi),
                        xycoords=("axes fraction", "data"), xytext=(-(6 * fs + 14), 0),
                        textcoords="offset points", ha="right", va="center",
                        fontsize=9 if small else 10.5, fontweight="bold")
    ax.set_ylim(-0.6, n - 0.4)
    ax.grid(axis="x", alpha=0.3)
    return y


def axis_limits(rows):
    lo = min(0.0, float(np.nanmin(rows["q05"])))
    hi = float(np.nanmax(np.maximum(rows["q95"], rows["q50"] + rows["mc_half"])))
    span = hi - lo if hi > lo else max(abs(hi), 0.01)
    return lo - 0.02 * span, hi + 0.05 * span


def legend_handles(w):
    return [
        Line2D([], [], color=ASSUMPTIONS, lw=8,
               label=f"assumptions: the middle half (25–75%) of the option's estimates in the "
                     f"{w.worlds} worlds ({w.sampling} draws of the judged priors)"),
        Line2D([], [], color=ASSUMPTIONS, lw=1.6,
               label="assumptions: 5–95% of those worlds"),
        Line2D([], [], marker="D", color="white", mec="black", ls="none", ms=6,
               label="median across the worlds"),
        Line2D([], [], marker="D", color=MONTE_CARLO, mec="black", lw=2, ms=6,
               label=f"Monte Carlo: the 95% interval of one world's estimate from its "
                     f"{w.reps:,} replications\n(median half-width over the worlds, drawn "
                     "around the median)"),
    ]


def options_chart(w, path):
    rows = interval_rows(w, w.objective)
    if len(rows) == 0:
        fail(f"{w.path}: /uncertainty/options has no row for the objective {w.objective}")
    n = len(rows)
    fig, ax = plt.subplots(figsize=(12, 2.6 + 0.95 * n), dpi=120)
    y = draw_intervals(ax, w, rows)
    ax.set_xlabel(f"{readable(w.objective)}  ({w.better()})" if readable(w.objective) ==
                  w.objective else f"{readable(w.objective)}  ({w.objective}, {w.better()})")
    for yi, r in zip(y, rows):
        ax.annotate(f"median {r['q50']:.3g}, 5–95%: {r['q05']:.3g}–{r['q95']:.3g}\n"
                    f"Monte Carlo ±{r['mc_half']:.2g}; mean {r['mean']:.3g}",
                    xy=(1.01, yi), xycoords=("axes fraction", "data"), va="center",
                    fontsize=8.5)
    ax.set_xlim(*axis_limits(rows))
    ax.legend(handles=legend_handles(w), loc="upper left", bbox_to_anchor=(0, -0.1 - 0.25 / n),
              ncol=1, fontsize=9, frameon=False)
    fig.suptitle(f"{w.objective} per option: what the assumptions leave open (blue) "
                 "beside the Monte Carlo noise (orange)\n" + w.title(), fontsize=11)
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def shares_chart(w, path):
    """Every share row but the objective, a panel each; None when there is none."""
    names = [n for n in dict.fromkeys(text(x) for x in w.options["name"])
             if n.startswith("p_") and n != w.objective]
    if not names:
        return False
    cols = min(4, len(names))
    nrow = (len(names) + cols - 1) // cols
    n = len(interval_rows(w, names[0]))
    fig, axes = plt.subplots(nrow, cols, figsize=(4.2 * cols + 2.5, 1.2 + nrow * (1.0 + 0.5 * n)),
                             dpi=120, sharey=True, squeeze=False)
    for i, (ax, name) in enumerate(zip(axes.flat, names)):
        rows = interval_rows(w, name)
        draw_intervals(ax, w, rows, small=True, names=i % cols == 0)
        ax.set_title(f"{readable(name)}" + (f"\n({name})" if readable(name) != name else ""),
                     fontsize=9)
        ax.set_xlim(*axis_limits(rows))  # each its own scale: rare events stay visible
        ax.tick_params(axis="x", labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(5))
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    fig.legend(handles=legend_handles(w), loc="lower center", ncol=2, fontsize=8.5,
               frameon=False)
    fig.suptitle("The other shares per option: assumptions (blue) beside Monte Carlo (orange)\n"
                 + w.title(), fontsize=11)
    fig.tight_layout(rect=(0, 0.055 if nrow > 2 else 0.1 if nrow > 1 else 0.16, 1, 1))
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return True


# ---- 2. regret ---------------------------------------------------------------

def regret_chart(w, path):
    rg = w.regret[w.regret["name"] == w.objective.encode()] if "name" in w.regret.dtype.names \
        else w.regret
    groups = sorted(set(int(g) for g in rg["group"]))
    per = max(int(np.sum(rg["group"] == g)) for g in groups)
    fig, axes = plt.subplots(len(groups), 2, figsize=(13, 1.6 + len(groups) * (1.2 + 0.75 * per)),
                             dpi=120, squeeze=False, gridspec_kw={"width_ratios": [2.2, 1]})
    bars = (("mean_regret", "mean regret over worlds", "#56B4E9"),
            ("q95_regret", "95th percentile of regret", "#0072B2"),
            ("max_regret", "maximum regret (ranked on this)", "#000000"))
    for (axr, axn), g in zip(axes, groups):
        rows = rg[rg["group"] == g]
        rows = rows[np.argsort(rows["rank"], kind="stable")]
        n = len(rows)
        y = np.arange(n)[::-1].astype(float)
        h = 0.26
        top = 0.0
        for i, (col, lab, colour) in enumerate(bars):
            if col not in rows.dtype.names:
                continue
            v = rows[col].astype(float)
            top = max(top, float(np.nanmax(v)) if n else 0)
            yy = y + (1 - i) * h
            axr.barh(yy, np.nan_to_num(v), height=h, color=colour, label=lab)
            for yi, vi in zip(yy, v):
                axr.text(vi, yi, f" {vi:.3g}", va="center", fontsize=8)
        names = [f"{int(r['rank'])}. {w.option_label(int(r['option']))}" for r in rows]
        axr.set_yticks(y)
        axr.set_yticklabels(names, fontsize=10)
        axr.set_xlim(0, max(top, 1e-9) * 1.18)
        axr.set_xlabel(f"regret: how far the option's {w.objective} falls behind the best "
                       f"option's in the same world ({w.better()} for {w.objective})", fontsize=9)
        axr.grid(axis="x", alpha=0.3)
        nb = rows["near_best"].astype(float)
        err = np.vstack([np.clip(nb - rows["near_low"], 0, None),
                         np.clip(rows["near_high"] - nb, 0, None)])
        axn.barh(y, np.nan_to_num(nb), height=0.5, color="#009E73", xerr=np.nan_to_num(err),
                 capsize=4, error_kw={"lw": 1})
        for yi, r in zip(y, rows):
            axn.text(1.02, yi, f"{pct(r['near_best'])}\n({pct(r['near_low'])}–"
                     f"{pct(r['near_high'])})", va="center", fontsize=8,
                     transform=axn.get_yaxis_transform())
        axn.set_yticks(y)
        axn.set_yticklabels([])
        axn.set_xlim(0, 1)
        axn.set_xlabel(f"share of worlds within {w.tolerance:g} of the best\n"
                       "(Wilson 95% interval over the worlds)", fontsize=9)
        axn.grid(axis="x", alpha=0.3)
        axn.set_title("near the best", fontsize=9)
        if len(groups) > 1:
            p = w.points[w.first_point(int(rows["option"][0]))]
            cell = ", ".join(f"{k} = {w.fmt(k, p[k])}" for k in w.grid_keys) or f"group {g}"
            axr.set_title(cell, fontsize=10, loc="left")
    axes[-1][0].legend(loc="upper left", bbox_to_anchor=(0, -0.22 if per > 2 else -0.35),
                       ncol=3, fontsize=8.5, frameon=False)
    fig.suptitle(f"Regret of each option on {w.objective}, ranked by maximum regret "
                 "(1 = least; less is better)\n" + w.title(), fontsize=11)
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


# ---- 3. discovery ------------------------------------------------------------

WORSE = re.compile(r'^"(.*)" worse than "(.*)" on (\S+)$')
THRESHOLD = re.compile(r'^(\S+) of "(.*)" (above|below) (\S+)$')


def partner(w, o, name):
    """The option of case `name` in option o's group (its grid cell)."""
    group = {int(r["option"]): int(r["group"]) for r in w.regret}
    for b in range(w.n_options):
        if w.case(b) == name and group.get(b, 0) == group.get(o, 0):
            return b
    fail(f"{w.path}: /discovery names the case {name!r}, not found beside option {o}")


def holds(w, o, question):
    """Per world of option o: 1 where the question holds, 0 where not,
    -1 where it cannot be decided (an estimate is missing)."""
    m = WORSE.match(question)
    p0 = w.first_point(o)
    if m:
        b = partner(w, o, m.group(2))
        est = w.estimates(m.group(3))
        va = est[p0:p0 + w.worlds]
        vb = est[w.first_point(b):w.first_point(b) + w.worlds]
        y = (va > vb) if w.goal == "min" else (va < vb)
    else:
        m = THRESHOLD.match(question)
        if not m:
            fail(f"{w.path}: /discovery question {question!r} is neither \"A worse than B\" "
                 "nor \"X of A above/below t\"")
        vb = va = w.estimates(m.group(1))[p0:p0 + w.worlds]
        t = float(m.group(4))
        y = (va > t) if m.group(3) == "above" else (va < t)
    out = y.astype(int)
    out[np.isnan(va) | np.isnan(vb)] = -1
    return out


def rank_corr(x, y):
    """|Spearman correlation| of x with the 0/1 y (0 when either is constant)."""
    rx = np.argsort(np.argsort(x, kind="stable"), kind="stable").astype(float)
    if np.std(rx) == 0 or np.std(y) == 0:
        return 0.0
    return abs(float(np.corrcoef(rx, y)[0, 1]))


def box_keys(rows, x, y):
    """The two keys to draw: restricted keys by quasi_p (smallest first), then
    the others by |rank correlation| with the question."""
    restricted = [r for r in rows if int(r["restricted"]) == 1]
    restricted.sort(key=lambda r: (np.nan_to_num(r["quasi_p"], nan=np.inf), text(r["key"])))
    chosen = [text(r["key"]) for r in restricted[:2]]
    if len(chosen) < 2:
        rest = [text(r["key"]) for r in rows if text(r["key"]) not in chosen]
        rest.sort(key=lambda k: -rank_corr(x[k], y))
        chosen += rest[:2 - len(chosen)]
    return chosen


def discovery_chart(w, rows, path):
    rule, o = int(rows["rule"][0]), int(rows["option"][0])
    question = text(rows["question"][0])
    r0 = rows[0]
    ok = holds(w, o, question)
    known = ok >= 0
    x = {text(r["key"]): w.world_values(o, text(r["key"])) for r in rows}
    keys = box_keys(rows, {k: v[known] for k, v in x.items()}, ok[known])
    by_key = {text(r["key"]): r for r in rows}
    inside = np.ones(w.worlds, bool)
    for k, r in by_key.items():
        inside &= (x[k] >= r["lo"]) & (x[k] <= r["hi"])
    inside &= known
    n_hold, n_in = int(np.sum(ok == 1)), int(np.sum(inside))
    if n_hold != int(r0["of_interest"]) or n_in != int(r0["inside"]):
        print(f"plot: {w.path}: question {rule} ({question}), option {o}: recomputed "
              f"{n_hold} worlds where it holds and {n_in} inside the box; /discovery says "
              f"{int(r0['of_interest'])} and {int(r0['inside'])}", file=sys.stderr)
    n_restricted = int(np.sum(rows["restricted"] == 1))
    fig, ax = plt.subplots(figsize=(10, 7.6), dpi=120)
    if len(keys) == 1:  # one assumption key: spread the worlds vertically
        keys = keys + [None]
    kx, ky = keys
    xs = x[kx]
    ys = x[ky] if ky else np.random.default_rng(0).uniform(0, 1, w.worlds)
    hollow_out = n_restricted > 2  # the rectangle is then only part of the box
    for val, colour, lab in ((0, NOT_HOLDS, "does not hold"), (1, HOLDS, "holds")):
        sel = ok == val
        if hollow_out:
            for ins, face, tag in ((True, colour, "inside the whole box"),
                                   (False, "none", "outside it")):
                s = sel & (inside == ins)
                ax.scatter(xs[s], ys[s], s=46, facecolors=face, edgecolors=colour, lw=1.4,
                           label=f"question {lab}, {tag} ({int(s.sum())} worlds)", zorder=3)
        else:
            ax.scatter(xs[sel], ys[sel], s=46, color=colour, edgecolors="black", lw=0.4,
                       label=f"question {lab} ({int(sel.sum())} worlds)", zorder=3)
    if np.any(~known):
        ax.scatter(xs[~known], ys[~known], s=30, marker="x", color="grey",
                   label=f"no estimate ({int((~known).sum())} worlds)")
    bx = by_key[kx]
    by = by_key[ky] if ky else None
    y0, y1 = (float(by["lo"]), float(by["hi"])) if by is not None else (0.0, 1.0)
    ax.add_patch(Rectangle((float(bx["lo"]), y0), float(bx["hi"] - bx["lo"]), y1 - y0,
                           facecolor=(0.835, 0.369, 0.0, 0.08), edgecolor="black", lw=1.8,
                           zorder=2, label="the box (PRIM) on these two keys"))

    def axis_label(r, k):
        if int(r["restricted"]) == 1:
            return (f"{k}\nbox: {r['lo']:.4g} to {r['hi']:.4g} (quasi-p {r['quasi_p']:.2g})")
        return f"{k}\n(not restricted by the box)"
    ax.set_xlabel(axis_label(bx, kx), fontsize=10)
    if ky:
        ax.set_ylabel(axis_label(by, ky), fontsize=10, labelpad=10)
    else:
        ax.set_yticks([])
        ax.set_ylabel("(worlds spread vertically at random: one assumption key)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, framealpha=0.9)
    others = [r for r in rows if int(r["restricted"]) == 1 and text(r["key"]) not in keys]
    note = ("The box also restricts:\n" + "\n".join(
        f"{text(r['key'])}: {r['lo']:.4g} to {r['hi']:.4g}\n   (quasi-p {r['quasi_p']:.2g})"
        for r in sorted(others, key=lambda r: r["quasi_p"]))) if others else \
        "The box restricts no other key."
    ax.text(1.01, 0.0, note, transform=ax.transAxes, fontsize=8, va="bottom")
    cov, dens = float(r0["coverage"]), float(r0["density"])
    n_interest, n_worlds = int(r0["of_interest"]), int(r0["worlds"])
    n_in_hold = int(round(cov * n_interest)) if np.isfinite(cov) else 0
    if n_interest in (0, n_worlds):
        box = (f"it holds in {'none' if n_interest == 0 else 'all'} of the {n_worlds} worlds: "
               "no box separates them")
    else:
        box = (f"box: coverage {pct(cov)} ({n_in_hold} of the {n_interest} worlds where it holds "
               f"are inside), density {pct(dens)} ({n_in_hold} of the {int(r0['inside'])} "
               "worlds inside)")
    named = f'"{w.case(o)}"' in question and not w.grid_keys
    fig.suptitle(f"Where does it hold? {question}"
                 + ("" if named else f"  [option: {w.option_label(o)}]")
                 + f"\n{box}\n{w.title()}", fontsize=10.5)
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def discovery_charts(w, out):
    if w.discovery is None or len(w.discovery) == 0:
        return []
    d = w.discovery
    written = []
    for rule, o in dict.fromkeys(zip(d["rule"].tolist(), d["option"].tolist())):
        rows = d[(d["rule"] == rule) & (d["option"] == o)]
        path = os.path.join(out, f"{w.stem}-discovery-{rule}-{o}.png")
        discovery_chart(w, rows, path)
        written.append(path)
    return written


def charts(paths, out, fmt=None):
    """Every chart of the uncertainty results at `paths` into folder `out`
    (each file checked before any is drawn; exit 2 on a bad one); returns
    the paths written, in order. fmt(key, value) formats a grid key's value."""
    written = []
    for w in [Worlds(p, fmt) for p in paths]:
        for suffix, chart in (("options", options_chart), ("options-shares", shares_chart),
                              ("regret", regret_chart)):
            p = os.path.join(out, f"{w.stem}-{suffix}.png")
            if chart(w, p) is not False:
                written.append(p)
        written += discovery_charts(w, out)
    return written
