/* prim.c — PRIM, peeling and pasting boxes for scenario discovery (prim.h).
 *
 * The working state is one box (closed bounds lo, hi per input) and, per
 * case, how many inputs' bounds it violates (viol): a case is inside when
 * it violates none, and a case outside that violates only input j is one
 * that widening j would admit — which makes pasting and the quasi-p-values
 * O(n) per input instead of O(n k). Each input's cases are sorted once
 * (by value, then case index, so ties are contiguous and the order is
 * fixed); every step walks these orders.
 */
#include "prim.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ranked {
    double v;
    size_t i;
} ranked;

typedef struct prim_work {
    const double *x;
    const int *y;
    size_t n, k;
    size_t *order;         /* k x n: order[j*n + r] = case of rank r in input j */
    unsigned *viol;        /* per case: inputs whose bounds it violates */
    double *lo, *hi;       /* the current box */
    double *colmin, *colmax;
    size_t n_in, h_in;     /* cases, cases of interest inside */
    size_t n_interest;
    /* the trajectory, grown as it goes */
    prim_step *steps;
    double *bounds;        /* per step: k lower then k upper bounds */
    size_t n_steps, cap;
} prim_work;

/* A candidate peel or paste: input j, side (0 low, 1 high), the new bound,
 * and the box it leaves. */
typedef struct move {
    size_t j;
    int side;
    double bound;
    size_t n_in, h_in;
} move;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *p = a, *q = b;
    if (p->v != q->v)
        return p->v < q->v ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

static double xv(const prim_work *w, size_t i, size_t j)
{
    return w->x[i * w->k + j];
}

/* alpha's share of m cases, at least one (the small slack keeps 0.05 * 1000
 * at 50 whatever the rounding of 0.05). */
static size_t share_of(double alpha, size_t m)
{
    double t = ceil(alpha * (double)m - 1e-9);
    return t < 1.0 ? 1 : (size_t)t;
}

static int validate(const double *x, const int *y, size_t n, size_t k, const prim_params *p,
                    err *e)
{
    if (n == 0)
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "PRIM needs at least one case (n = 0)");
    if (k == 0)
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "PRIM needs at least one input (k = 0)");
    if (n > UINT_MAX) /* GSL's binomial tail counts in unsigned int */
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "PRIM takes at most %u cases (n = %zu)",
                       UINT_MAX, n);
    if (x == NULL || y == NULL)
        return err_set(e, ERR_INPUT, NULL, 0, x == NULL ? "x" : "y", "no data given");
    struct {
        const char *key;
        double v, min, max;
        int open_min;
    } par[] = {
        {"peel_alpha", p->peel_alpha, 0.0, 0.5, 1},
        {"paste_alpha", p->paste_alpha, 0.0, 0.5, 0},
        {"min_mass", p->min_mass, 0.0, 1.0, 0},
        {"min_coverage", p->min_coverage, 0.0, 1.0, 0},
    };
    for (size_t q = 0; q < sizeof par / sizeof par[0]; q++) {
        double v = par[q].v;
        if (!(v <= par[q].max) || (par[q].open_min ? !(v > par[q].min) : !(v >= par[q].min)))
            return err_set(e, ERR_INPUT, NULL, 0, par[q].key, "%g is out of range %s%g, %g]", v,
                           par[q].open_min ? "(" : "[", par[q].min, par[q].max);
    }
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1)
            return err_set(e, ERR_INPUT, NULL, 0, "y",
                           "case %zu: outcome %d is not 0 or 1", i, y[i]);
        for (size_t j = 0; j < k; j++)
            if (!isfinite(x[i * k + j]))
                return err_set(e, ERR_INPUT, NULL, 0, "x",
                               "case %zu, input %zu: %g is not a finite number", i, j,
                               x[i * k + j]);
    }
    return 0;
}

/* Recounts the violations of every case and the box's figures. */
static void recount(prim_work *w)
{
    w->n_in = w->h_in = 0;
    for (size_t i = 0; i < w->n; i++) {
        unsigned v = 0;
        for (size_t j = 0; j < w->k; j++) {
            double a = xv(w, i, j);
            v += a < w->lo[j] || a > w->hi[j];
        }
        w->viol[i] = v;
        if (v == 0) {
            w->n_in++;
            w->h_in += (size_t)w->y[i];
        }
    }
}

static size_t count_restricted(const prim_work *w, const double *lo, const double *hi)
{
    size_t r = 0;
    for (size_t j = 0; j < w->k; j++)
        r += lo[j] > w->colmin[j] || hi[j] < w->colmax[j];
    return r;
}

/* Appends the current box to the trajectory. */
static int push_step(prim_work *w, int pasted)
{
    if (w->n_steps == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        prim_step *s = realloc(w->steps, cap * sizeof *s);
        if (s == NULL)
            return -1;
        w->steps = s;
        double *b = realloc(w->bounds, cap * 2 * w->k * sizeof *b);
        if (b == NULL)
            return -1;
        w->bounds = b;
        w->cap = cap;
    }
    double *b = w->bounds + w->n_steps * 2 * w->k;
    memcpy(b, w->lo, w->k * sizeof *b);
    memcpy(b + w->k, w->hi, w->k * sizeof *b);
    prim_step *s = &w->steps[w->n_steps++];
    s->n_inside = w->n_in;
    s->n_interest_inside = w->h_in;
    s->mass = (double)w->n_in / (double)w->n;
    s->density = w->n_in ? (double)w->h_in / (double)w->n_in : 0.0;
    s->coverage = w->n_interest ? (double)w->h_in / (double)w->n_interest : 0.0;
    s->n_restricted = count_restricted(w, w->lo, w->hi);
    s->pasted = pasted;
    s->lo = s->hi = NULL; /* set once the trajectory stops moving */
    return 0;
}

/* Is candidate a better than b (b->n_in == 0: no candidate yet)? Higher
 * density, then more cases; candidates come in (input, side) order, so
 * an equal one found later loses. */
static int better(const move *a, const move *b)
{
    if (b->n_in == 0)
        return 1;
    double da = (double)a->h_in / (double)a->n_in, db = (double)b->h_in / (double)b->n_in;
    if (da != db)
        return da > db;
    return a->n_in > b->n_in;
}

/* The peel of input j on one side: the share_of(alpha, n_in) cases inside
 * with the lowest (side 0) or highest (side 1) values, extended to the
 * whole group of the last value. Returns 0 when it would remove every case
 * (input constant within the box) or leave fewer than min_cases. */
static int peel_of(const prim_work *w, size_t j, int side, size_t t, double min_cases, move *m)
{
    const size_t *ord = w->order + j * w->n;
    size_t cnt = 0, hs = 0;
    double v = 0.0;
    int have_v = 0;
    for (size_t s = 0; s < w->n; s++) {
        size_t i = ord[side == 0 ? s : w->n - 1 - s];
        if (w->viol[i] != 0)
            continue;
        double a = xv(w, i, j);
        if (have_v && a != v) {
            /* the first case kept: the new bound */
            if ((double)(w->n_in - cnt) < min_cases)
                return 0;
            *m = (move){j, side, a, w->n_in - cnt, w->h_in - hs};
            return 1;
        }
        cnt++;
        hs += (size_t)w->y[i];
        if (cnt == t) {
            v = a;
            have_v = 1;
        }
    }
    return 0;
}

/* The paste of input j on one side: the share_of(alpha, n_in) nearest
 * cases below lo (side 0) or above hi (side 1) that violate no other
 * bound, extended to the whole group of the last value. Returns 0 when
 * there is none. */
static int paste_of(const prim_work *w, size_t j, int side, size_t t, move *m)
{
    const size_t *ord = w->order + j * w->n;
    size_t cnt = 0, hs = 0;
    double v = 0.0;
    int have_v = 0;
    for (size_t s = 0; s < w->n; s++) {
        /* walk outwards from the bound: downwards on the low side */
        size_t i = ord[side == 0 ? w->n - 1 - s : s];
        double a = xv(w, i, j);
        if (side == 0 ? a >= w->lo[j] : a <= w->hi[j])
            continue;
        if (have_v && a != v)
            break; /* past the group of the last value */
        if (w->viol[i] != 1) /* it violates j; admitted only if nothing else */
            continue;
        cnt++;
        hs += (size_t)w->y[i];
        v = a; /* the outermost value admitted so far: the new bound */
        have_v = cnt >= t;
    }
    if (cnt == 0)
        return 0;
    *m = (move){j, side, v, w->n_in + cnt, w->h_in + hs};
    return 1;
}

/* Moves one bound; the box then holds what the walk that found the move
 * counted (checked in debug builds). */
static void apply(prim_work *w, const move *m)
{
    if (m->side == 0)
        w->lo[m->j] = m->bound;
    else
        w->hi[m->j] = m->bound;
    recount(w);
    assert(w->n_in == m->n_in && w->h_in == m->h_in);
}

static int peel(prim_work *w, const prim_params *p)
{
    double min_cases = p->min_mass * (double)w->n;
    for (;;) {
        size_t t = share_of(p->peel_alpha, w->n_in);
        move best = {0};
        for (size_t j = 0; j < w->k; j++)
            for (int side = 0; side < 2; side++) {
                move m;
                if (peel_of(w, j, side, t, min_cases, &m) && better(&m, &best))
                    best = m;
            }
        if (best.n_in == 0 || best.n_in >= w->n_in) /* (the second cannot happen) */
            return 0;
        apply(w, &best);
        if (push_step(w, 0) != 0)
            return -1;
    }
}

static int paste(prim_work *w, const prim_params *p)
{
    if (p->paste_alpha == 0.0)
        return 0;
    for (;;) {
        size_t t = share_of(p->paste_alpha, w->n_in);
        move best = {0};
        for (size_t j = 0; j < w->k; j++)
            for (int side = 0; side < 2; side++) {
                move m;
                if (paste_of(w, j, side, t, &m) && better(&m, &best))
                    best = m;
            }
        /* accept while the density does not fall: h'/n' >= h/n */
        if (best.n_in == 0 || (double)best.h_in / (double)best.n_in <
                                  (double)w->h_in / (double)w->n_in)
            return 0;
        apply(w, &best);
        if (push_step(w, 1) != 0)
            return -1;
    }
}

/* The chosen box of steps[0 .. m-1] (see prim.h). */
static size_t choose(const prim_step *st, size_t m, double min_coverage)
{
    size_t best = 0;
    int have = 0;
    for (size_t s = 0; s < m; s++) {
        if (st[s].coverage < min_coverage)
            continue;
        const prim_step *a = &st[s], *b = &st[best];
        if (!have || a->density > b->density ||
            (a->density == b->density &&
             (a->coverage > b->coverage ||
              (a->coverage == b->coverage && a->n_restricted < b->n_restricted)))) {
            best = s;
            have = 1;
        }
    }
    return best; /* no box qualifies only without cases of interest: the first */
}

/* Moves the current box to steps[s]'s bounds. */
static void restore(prim_work *w, size_t s)
{
    const double *b = w->bounds + s * 2 * w->k;
    memcpy(w->lo, b, w->k * sizeof *b);
    memcpy(w->hi, b + w->k, w->k * sizeof *b);
    recount(w);
}

/* The quasi-p-value of input j of the current box (restricted). */
static double quasi_p(const prim_work *w, size_t j)
{
    size_t tj = 0, hj = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->viol[i] > 1)
            continue;
        if (w->viol[i] == 1) {
            double a = xv(w, i, j);
            if (a >= w->lo[j] && a <= w->hi[j])
                continue; /* the violation is another input's */
        }
        tj++;
        hj += (size_t)w->y[i];
    }
    if (w->h_in == 0)
        return 1.0;
    /* P(X >= h_in) = P(X > h_in - 1), X ~ Binomial(n_in, hj / tj) */
    return gsl_cdf_binomial_Q((unsigned)(w->h_in - 1), (double)hj / (double)tj,
                              (unsigned)w->n_in);
}

static int sort_inputs(prim_work *w)
{
    ranked *r = malloc(w->n * sizeof *r);
    if (r == NULL)
        return -1;
    for (size_t j = 0; j < w->k; j++) {
        for (size_t i = 0; i < w->n; i++)
            r[i] = (ranked){xv(w, i, j), i};
        qsort(r, w->n, sizeof *r, cmp_ranked);
        for (size_t s = 0; s < w->n; s++)
            w->order[j * w->n + s] = r[s].i;
        w->colmin[j] = r[0].v;
        w->colmax[j] = r[w->n - 1].v;
    }
    free(r);
    return 0;
}

/* Builds the result from the finished trajectory; takes steps and bounds. */
static prim_result *finish(prim_work *w, size_t chosen)
{
    prim_result *r = calloc(1, sizeof *r);
    prim_dim *box = malloc(w->k * sizeof *box);
    if (r == NULL || box == NULL) {
        free(r);
        free(box);
        return NULL;
    }
    restore(w, chosen);
    for (size_t j = 0; j < w->k; j++) {
        box[j].lo = w->lo[j];
        box[j].hi = w->hi[j];
        box[j].restricted = w->lo[j] > w->colmin[j] || w->hi[j] < w->colmax[j];
        box[j].quasi_p = box[j].restricted ? quasi_p(w, j) : NAN;
    }
    for (size_t s = 0; s < w->n_steps; s++) {
        w->steps[s].lo = w->bounds + s * 2 * w->k;
        w->steps[s].hi = w->bounds + s * 2 * w->k + w->k;
    }
    const prim_step *c = &w->steps[chosen];
    *r = (prim_result){
        .n = w->n, .k = w->k, .n_interest = w->n_interest, .n_steps = w->n_steps,
        .steps = w->steps, .chosen = chosen, .box = box, .bounds = w->bounds,
        .coverage = c->coverage,
        .density = c->density, .mass = c->mass, .n_inside = c->n_inside,
        .n_interest_inside = c->n_interest_inside, .n_restricted = c->n_restricted,
    };
    w->steps = NULL;
    w->bounds = NULL;
    return r;
}

static void work_free(prim_work *w)
{
    free(w->order);
    free(w->viol);
    free(w->lo);
    free(w->hi);
    free(w->colmin);
    free(w->colmax);
    free(w->steps);
    free(w->bounds);
}

int prim_find(const double *x, const int *y, size_t n, size_t k, const prim_params *p,
              prim_result **out, err *e)
{
    static const prim_params defaults = PRIM_PARAMS_DEFAULT;
    if (p == NULL)
        p = &defaults;
    *out = NULL;
    if (validate(x, y, n, k, p, e) != 0)
        return -1;
    prim_work w = {.x = x, .y = y, .n = n, .k = k};
    w.order = malloc(k * n * sizeof *w.order);
    w.viol = malloc(n * sizeof *w.viol);
    w.lo = malloc(k * sizeof *w.lo);
    w.hi = malloc(k * sizeof *w.hi);
    w.colmin = malloc(k * sizeof *w.colmin);
    w.colmax = malloc(k * sizeof *w.colmax);
    int rc = -1;
    if (w.order == NULL || w.viol == NULL || w.lo == NULL || w.hi == NULL ||
        w.colmin == NULL || w.colmax == NULL || sort_inputs(&w) != 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        w.n_interest += (size_t)y[i];
    memcpy(w.lo, w.colmin, k * sizeof *w.lo);
    memcpy(w.hi, w.colmax, k * sizeof *w.hi);
    recount(&w);
    if (push_step(&w, 0) != 0)
        goto done;
    /* Without cases of interest there is nothing to find (prim.h). */
    if (w.n_interest > 0 && peel(&w, p) != 0)
        goto done;
    size_t n_peeled = w.n_steps;
    size_t chosen = choose(w.steps, n_peeled, p->min_coverage);
    if (w.n_interest > 0) {
        restore(&w, chosen);
        if (paste(&w, p) != 0)
            goto done;
        chosen = choose(w.steps, w.n_steps, p->min_coverage);
    }
    *out = finish(&w, chosen);
    if (*out != NULL) {
        (*out)->n_peeled = n_peeled;
        rc = 0;
    }
done:
    work_free(&w);
    if (rc != 0)
        err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory in PRIM");
    return rc;
}

void prim_free(prim_result *r)
{
    if (r == NULL)
        return;
    free(r->steps);
    free(r->box);
    free(r->bounds);
    free(r);
}
