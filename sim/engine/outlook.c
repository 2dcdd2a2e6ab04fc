/* outlook.c — the attacker's exact chance of success (outlook.h).
 *
 * The chain's states are (lx, ly, st): attackers lost, defenders lost,
 * stages of the fait-accompli clock completed; two absorbing states hold
 * the mass of ended battles (success: the defence broke or the clock
 * completed; failure: the attack culminated). In phase j the defenders
 * number y0 + joins so far - ly and break at LY_j losses; joins only raise
 * LY_j, so a state that is live before a join is live after it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outlook.h"

enum { MAX_STATES = 1 << 20 };

int64_t outlook_break_losses(int64_t n, double f)
{
    int64_t l = 0;
    while (l < n && !((double)(n - l) <= (double)n * (1.0 - f)))
        l++;
    return l;
}

typedef struct grid {
    const outlook_battle *ob;
    int64_t lx_max, ly_max, stages; /* ly_max: over every phase */
    size_t n;                       /* live states; [n] success, [n + 1] failure */
} grid;

static size_t at(const grid *g, int64_t lx, int64_t ly, int64_t st)
{
    return (size_t)((lx * g->ly_max + ly) * g->stages + st);
}

/* The phase's constants: defenders committed, their break, the clock. */
typedef struct phase_now {
    double a, b, c;   /* c: the clock's rate per stage, 0 when it is stopped */
    int64_t y0, ly_break;
} phase_now;

static phase_now phase_at(const grid *g, int j)
{
    const outlook_battle *ob = g->ob;
    int64_t y0 = ob->y0;
    for (int k = 0; k <= j; k++)
        y0 += ob->phase[k].join;
    phase_now ph = {ob->phase[j].a, ob->phase[j].b,
                    ob->phase[j].clock && ob->clock_stages > 0 ? ob->clock_rate : 0, y0,
                    outlook_break_losses(y0, ob->y_break_fraction)};
    return ph;
}

/* The three ways out of a live state: rates and targets. */
typedef struct moves {
    double rx, ry, rc; /* attacker loss, defender loss, clock stage */
    size_t tx, ty, tc;
} moves;

static moves moves_of(const grid *g, const phase_now *ph, int64_t lx, int64_t ly, int64_t st)
{
    size_t succ = g->n, fail = g->n + 1;
    moves m;
    m.rx = ph->b * (double)(ph->y0 - ly);
    m.ry = ph->a * (double)(g->ob->x0 - lx);
    m.rc = ph->c;
    m.tx = lx + 1 >= g->lx_max ? fail : at(g, lx + 1, ly, st);
    m.ty = ly + 1 >= ph->ly_break ? succ : at(g, lx, ly + 1, st);
    m.tc = st + 1 >= g->stages ? succ : at(g, lx, ly, st + 1);
    return m;
}

/* The chances of each move per uniformized step in phase ph: an attacker
 * loss at ly defender losses (px, by ly), a defender loss at lx attacker
 * losses (py, by lx), a clock stage (pc). Computed once per phase, as
 * moves_of's rates over lam, rather than per state and step. */
typedef struct chances {
    double *px; /* [ly_max] */
    double *py; /* [lx_max] */
    double pc;
} chances;

static void chances_of(const grid *g, const phase_now *ph, double lam, chances *ch)
{
    for (int64_t ly = 0; ly < ph->ly_break; ly++)
        ch->px[ly] = ph->b * (double)(ph->y0 - ly) / lam;
    for (int64_t lx = 0; lx < g->lx_max; lx++)
        ch->py[lx] = ph->a * (double)(g->ob->x0 - lx) / lam;
    ch->pc = ph->c / lam;
}

/* One uniformized step: out = pi P, P = I + Q / lam, and acc += w pi (the
 * Poisson-weighted sum; only states with mass add anything, and only live
 * states below this phase's break ever have it). Returns the expected real
 * losses of the step (per jump of the Poisson clock). The targets are
 * moves_of's. */
static double step(const grid *g, const phase_now *ph, const chances *ch, const double *pi,
                   double *out, double *acc, double w)
{
    size_t succ = g->n, fail = g->n + 1;
    memset(out, 0, (g->n + 2) * sizeof *out);
    out[succ] = pi[succ];
    out[fail] = pi[fail];
    acc[succ] += w * pi[succ];
    acc[fail] += w * pi[fail];
    double loss = 0, pc = ch->pc;
    for (int64_t lx = 0; lx < g->lx_max; lx++) {
        double py = ch->py[lx];
        for (int64_t ly = 0; ly < ph->ly_break; ly++) {
            double px = ch->px[ly];
            for (int64_t st = 0; st < g->stages; st++) {
                size_t i = at(g, lx, ly, st);
                double m0 = pi[i];
                if (m0 == 0)
                    continue;
                acc[i] += w * m0;
                size_t tx = lx + 1 >= g->lx_max ? fail : at(g, lx + 1, ly, st);
                size_t ty = ly + 1 >= ph->ly_break ? succ : at(g, lx, ly + 1, st);
                out[i] += m0 * (1.0 - px - py - pc);
                out[tx] += m0 * px;
                out[ty] += m0 * py;
                /* Without a clock (pc = 0) the move adds +0 to a success:
                 * skipped, which leaves every bit as it was and spares a
                 * chain of stores to one place. */
                if (pc != 0)
                    out[st + 1 >= g->stages ? succ : at(g, lx, ly, st + 1)] += m0 * pc;
                loss += m0 * (px + py);
            }
        }
    }
    return loss;
}

static double live_mass(const grid *g, const double *pi)
{
    double m = 0;
    for (size_t i = 0; i < g->n; i++)
        m += pi[i];
    return m;
}

/* Advances pi by t days of phase ph (t finite), adding expected losses.
 * tmp and acc hold n + 2 values each, ch.px and ch.py the grid's sides. */
static void advance(const grid *g, const phase_now *ph, double t, double *pi, double *tmp,
                    double *acc, chances *ch, double *losses)
{
    double lam = ph->b * (double)ph->y0 + ph->a * (double)g->ob->x0 + ph->c;
    if (lam <= 0 || t <= 0)
        return;
    chances_of(g, ph, lam, ch);
    /* Sub-intervals of at most 30 expected jumps keep e^-q representable. */
    int pieces = (int)ceil(lam * t / 30.0);
    double q = lam * t / pieces;
    for (int k = 0; k < pieces; k++) {
        if (live_mass(g, pi) < 1e-15)
            return;
        memset(acc, 0, (g->n + 2) * sizeof *acc);
        double w = exp(-q), cum = 0;
        int n_max = (int)(q + 12.0 * sqrt(q) + 30.0);
        double *cur = pi, *next = tmp; /* swapped after each step, not copied */
        for (int n = 0; n <= n_max; n++) {
            cum += w;
            double jumps_left = 1.0 - cum; /* P(N >= n + 1) */
            double l = step(g, ph, ch, cur, next, acc, w);
            *losses += (jumps_left > 0 ? jumps_left : 0) * l;
            double *was = cur;
            cur = next;
            next = was;
            if (1.0 - cum < 1e-16)
                break;
            w *= q / (n + 1);
        }
        memcpy(pi, acc, (g->n + 2) * sizeof *pi);
    }
}

/* The last phase, to the battle's end: W (success) and E (losses still to
 * come) by the generalised Brown recursion, states in decreasing order. */
static void finish(const grid *g, const phase_now *ph, const double *pi, double *p_success,
                   double *losses, double *w_buf, double *e_buf)
{
    size_t succ = g->n, fail = g->n + 1;
    w_buf[succ] = 1;
    w_buf[fail] = 0;
    e_buf[succ] = e_buf[fail] = 0;
    double p = pi[succ], e = 0;
    for (int64_t lx = g->lx_max - 1; lx >= 0; lx--)
        for (int64_t ly = ph->ly_break - 1; ly >= 0; ly--)
            for (int64_t st = g->stages - 1; st >= 0; st--) {
                size_t i = at(g, lx, ly, st);
                moves mv = moves_of(g, ph, lx, ly, st);
                double r = mv.rx + mv.ry + mv.rc;
                if (r <= 0) { /* nothing happens any more: not a success */
                    w_buf[i] = 0;
                    e_buf[i] = 0;
                } else {
                    w_buf[i] = (mv.rx * w_buf[mv.tx] + mv.ry * w_buf[mv.ty] +
                                mv.rc * w_buf[mv.tc]) / r;
                    e_buf[i] = ((mv.rx + mv.ry) + mv.rx * e_buf[mv.tx] + mv.ry * e_buf[mv.ty] +
                                mv.rc * e_buf[mv.tc]) / r;
                }
                p += pi[i] * w_buf[i];
                e += pi[i] * e_buf[i];
            }
    *p_success = p;
    *losses += e;
}

int outlook_solve(const outlook_battle *ob, outlook_result *r)
{
    memset(r, 0, sizeof *r);
    if (ob->x0 <= 0 || ob->y0 < 0 || ob->n_phases < 1 || ob->n_phases > OUTLOOK_MAX_PHASES ||
        !(ob->x_break_fraction > 0 && ob->x_break_fraction <= 1) ||
        !(ob->y_break_fraction > 0 && ob->y_break_fraction <= 1) || ob->clock_stages < 0 ||
        (ob->clock_stages > 0 && !(ob->clock_rate > 0)) || ob->phase[0].start != 0)
        return -1;
    for (int j = 1; j < ob->n_phases; j++)
        if (!(ob->phase[j].start > ob->phase[j - 1].start) || ob->phase[j].join < 0)
            return -1;
    grid g = {.ob = ob, .lx_max = outlook_break_losses(ob->x0, ob->x_break_fraction),
              .stages = ob->clock_stages > 0 ? ob->clock_stages : 1};
    phase_now last = phase_at(&g, ob->n_phases - 1);
    g.ly_max = last.ly_break > 0 ? last.ly_break : 1;
    if ((double)g.lx_max * (double)g.ly_max * (double)g.stages > MAX_STATES)
        return -1;
    g.n = (size_t)(g.lx_max * g.ly_max * g.stages);
    size_t side = (size_t)(g.lx_max + g.ly_max);
    double *buf = calloc(4 * (g.n + 2) + side, sizeof *buf);
    if (buf == NULL)
        return -1;
    double *pi = buf, *tmp = buf + (g.n + 2), *acc = buf + 2 * (g.n + 2), *w = buf + 3 * (g.n + 2);
    chances ch = {.px = buf + 4 * (g.n + 2), .py = buf + 4 * (g.n + 2) + g.ly_max};
    /* At the start: the first phase's defenders, broken at once if none. */
    phase_now first = phase_at(&g, 0);
    if (first.ly_break <= 0)
        pi[g.n] = 1;
    else
        pi[at(&g, 0, 0, 0)] = 1;
    for (int j = 0; j < ob->n_phases; j++) {
        phase_now ph = phase_at(&g, j);
        r->p_reach[j] = live_mass(&g, pi);
        if (j + 1 < ob->n_phases) {
            double t = ob->phase[j + 1].start - ob->phase[j].start;
            advance(&g, &ph, t, pi, tmp, acc, &ch, &r->losses[j]);
        } else {
            finish(&g, &ph, pi, &r->p_success, &r->losses[j], w, tmp);
        }
    }
    free(buf);
    return 0;
}
