/* test_prim.c — PRIM: known boxes, invariants of the trajectory, ties,
 * constants, bad input and the empty outcome. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "prim.h"

/* n cases of k inputs uniform on [0, 1), from MT19937 with a fixed seed. */
static double *uniform_x(size_t n, size_t k, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double *x = malloc(n * k * sizeof *x);
    for (size_t i = 0; i < n * k; i++)
        x[i] = gsl_rng_uniform(r);
    gsl_rng_free(r);
    return x;
}

/* Counts by hand the cases (and cases of interest) inside closed bounds. */
static void count_in(const double *x, const int *y, size_t n, size_t k, const double *lo,
                     const double *hi, size_t skip, size_t *nin, size_t *hin)
{
    *nin = *hin = 0;
    for (size_t i = 0; i < n; i++) {
        int in = 1;
        for (size_t j = 0; j < k; j++)
            if (j != skip && (x[i * k + j] < lo[j] || x[i * k + j] > hi[j]))
                in = 0;
        *nin += (size_t)in;
        *hin += (size_t)(in && y[i]);
    }
}

static double col_min(const double *x, size_t n, size_t k, size_t j)
{
    double m = x[j];
    for (size_t i = 1; i < n; i++)
        m = fmin(m, x[i * k + j]);
    return m;
}

static double col_max(const double *x, size_t n, size_t k, size_t j)
{
    double m = x[j];
    for (size_t i = 1; i < n; i++)
        m = fmax(m, x[i * k + j]);
    return m;
}

static prim_result *run(const double *x, const int *y, size_t n, size_t k,
                        const prim_params *p)
{
    prim_result *r = NULL;
    err e;
    err_clear(&e);
    int rc = prim_find(x, y, n, k, p, &r, &e);
    if (rc != 0)
        fail_msg("prim_find: %s", e.msg);
    assert_non_null(r);
    return r;
}

/* y = 1 iff x0 > 0.3, x1 irrelevant: only x0 is restricted, from 0.3. */
static void one_edge(void **st)
{
    (void)st;
    const size_t n = 2000, k = 2;
    double *x = uniform_x(n, k, 11);
    int *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        y[i] = x[i * k] > 0.3;
    prim_result *r = run(x, y, n, k, NULL);
    assert_true(r->box[0].restricted);
    assert_false(r->box[1].restricted);
    assert_int_equal(r->n_restricted, 1);
    assert_true(fabs(r->box[0].lo - 0.3) <= 0.03);
    assert_true(r->box[0].hi == col_max(x, n, k, 0));
    assert_true(r->coverage >= 0.95);
    assert_true(r->density >= 0.95);
    assert_true(r->box[0].quasi_p < 1e-6); /* x0 matters */
    assert_true(isnan(r->box[1].quasi_p));
    prim_free(r);
    free(x);
    free(y);
}

/* y = 1 iff 0.2 < x0 < 0.6 and x1 > 0.5: x0 cut on both sides, x1 below. */
static void two_dim_box(void **st)
{
    (void)st;
    const size_t n = 4000, k = 3;
    double *x = uniform_x(n, k, 12);
    int *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        y[i] = x[i * k] > 0.2 && x[i * k] < 0.6 && x[i * k + 1] > 0.5;
    prim_result *r = run(x, y, n, k, NULL);
    assert_true(r->box[0].restricted && r->box[1].restricted);
    assert_false(r->box[2].restricted);
    assert_true(fabs(r->box[0].lo - 0.2) <= 0.03);
    assert_true(fabs(r->box[0].hi - 0.6) <= 0.03);
    assert_true(fabs(r->box[1].lo - 0.5) <= 0.03);
    assert_true(r->box[1].hi == col_max(x, n, k, 1));
    assert_true(r->coverage >= 0.8);
    assert_true(r->density >= 0.9);
    double peeled_lo = r->box[0].lo;
    prim_free(r);
    /* pasting 1% (8 cases): of the three widenings only x0's low one keeps
     * the box pure (x0 > 0.2), and it is taken: x0 from 0.2065 to 0.2029 */
    prim_params p = PRIM_PARAMS_DEFAULT;
    p.paste_alpha = 0.01;
    r = run(x, y, n, k, &p);
    assert_int_equal(r->n_steps, r->n_peeled + 1);
    assert_true(r->box[0].lo < peeled_lo && r->box[0].lo > 0.2);
    assert_true(r->density == 1.0);
    prim_free(r);
    free(x);
    free(y);
}

/* 10% of the outcomes of one_edge flipped: the edge moves little and the
 * density is about 0.9 (the share of unflipped cases inside). */
static void label_noise(void **st)
{
    (void)st;
    const size_t n = 4000, k = 2;
    double *x = uniform_x(n, k, 13);
    int *y = malloc(n * sizeof *y);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 14);
    for (size_t i = 0; i < n; i++)
        y[i] = (x[i * k] > 0.3) ^ (gsl_rng_uniform(g) < 0.1);
    gsl_rng_free(g);
    prim_result *r = run(x, y, n, k, NULL);
    assert_true(r->box[0].restricted);
    assert_true(fabs(r->box[0].lo - 0.3) <= 0.05);
    assert_true(fabs(r->density - 0.9) <= 0.03);
    assert_true(r->coverage >= 0.8);
    prim_free(r);
    free(x);
    free(y);
}

/* The chosen index among steps[0 .. m-1] by the rule of prim.h, by brute
 * force. */
static size_t rule(const prim_result *r, size_t m, double min_cov)
{
    size_t best = 0;
    int have = 0;
    for (size_t s = 0; s < m; s++) {
        const prim_step *a = &r->steps[s], *b = &r->steps[best];
        if (a->coverage < min_cov)
            continue;
        if (!have || a->density > b->density ||
            (a->density == b->density && a->coverage > b->coverage) ||
            (a->density == b->density && a->coverage == b->coverage &&
             a->n_restricted < b->n_restricted))
            best = s, have = 1;
    }
    return best;
}

/* Checks the trajectory of PRIM on (x, y) with parameters p: the first
 * box is all cases; every box's figures agree with a count by hand from
 * its bounds; peeling only shrinks (mass falls, coverage never rises) and
 * keeps min_mass; pasting only widens, from the box chosen among the
 * peeled ones, without the density falling; peeling stopped for want of
 * mass; the choice follows the rule; the quasi-p-values agree with a
 * binomial tail by hand; a second run is identical. Returns the result. */
static prim_result *check_trajectory(const double *x, const int *y, size_t n, size_t k,
                                     prim_params p)
{
    size_t ones = 0;
    for (size_t i = 0; i < n; i++)
        ones += (size_t)y[i];
    prim_result *r = run(x, y, n, k, &p);
    assert_int_equal(r->n_interest, ones);
    /* the first box: all cases */
    assert_int_equal(r->steps[0].n_inside, n);
    assert_true(r->steps[0].coverage == 1.0 && r->steps[0].mass == 1.0);
    assert_true(fabs(r->steps[0].density - (double)ones / (double)n) < 1e-15);
    assert_int_equal(r->steps[0].n_restricted, 0);
    for (size_t s = 0; s < r->n_steps; s++) {
        const prim_step *a = &r->steps[s];
        size_t nin, hin, nr = 0;
        count_in(x, y, n, k, a->lo, a->hi, k, &nin, &hin);
        assert_int_equal(a->n_inside, nin);
        assert_int_equal(a->n_interest_inside, hin);
        assert_true(a->coverage == (double)hin / (double)ones);
        assert_true(a->density == (double)hin / (double)nin);
        assert_true(a->mass == (double)nin / (double)n);
        assert_true((double)nin >= p.min_mass * (double)n);
        for (size_t j = 0; j < k; j++)
            nr += a->lo[j] > col_min(x, n, k, j) || a->hi[j] < col_max(x, n, k, j);
        assert_int_equal(a->n_restricted, nr);
        assert_int_equal(a->pasted, s >= r->n_peeled);
        for (size_t j = 0; j < k; j++) { /* bounds are values of the data */
            int lo_seen = 0, hi_seen = 0;
            for (size_t i = 0; i < n; i++) {
                lo_seen |= x[i * k + j] == a->lo[j];
                hi_seen |= x[i * k + j] == a->hi[j];
            }
            assert_true(lo_seen && hi_seen && a->lo[j] <= a->hi[j]);
        }
        if (s == 0)
            continue;
        const prim_step *b = &r->steps[s - 1];
        if (s < r->n_peeled) {
            /* peeling: cases only leave, so mass falls and coverage never rises */
            assert_true(a->mass < b->mass);
            assert_true(a->coverage <= b->coverage);
            for (size_t j = 0; j < k; j++)
                assert_true(a->lo[j] >= b->lo[j] && a->hi[j] <= b->hi[j]);
        } else {
            /* pasting, from the box chosen among the peeled ones: cases only
             * join, bounds only widen, the density never falls */
            const prim_step *from =
                s == r->n_peeled ? &r->steps[rule(r, r->n_peeled, p.min_coverage)] : b;
            assert_true(a->mass > from->mass);
            assert_true(a->density >= from->density);
            for (size_t j = 0; j < k; j++)
                assert_true(a->lo[j] <= from->lo[j] && a->hi[j] >= from->hi[j]);
        }
    }
    /* peeling stopped because the smallest peel (no ties here) would have
     * left fewer than min_mass * n cases */
    const prim_step *last = &r->steps[r->n_peeled - 1];
    double t = ceil(p.peel_alpha * (double)last->n_inside - 1e-9);
    assert_true((double)last->n_inside - t < p.min_mass * (double)n);
    assert_int_equal(r->chosen, rule(r, r->n_steps, p.min_coverage));
    const prim_step *c = &r->steps[r->chosen];
    assert_true(r->coverage == c->coverage && r->density == c->density);
    assert_int_equal(r->n_inside, c->n_inside);
    for (size_t j = 0; j < k; j++) {
        assert_true(r->box[j].lo == c->lo[j] && r->box[j].hi == c->hi[j]);
        if (!r->box[j].restricted) {
            assert_true(isnan(r->box[j].quasi_p));
            continue;
        }
        size_t tj, hj;
        count_in(x, y, n, k, c->lo, c->hi, j, &tj, &hj);
        double qp = gsl_cdf_binomial_Q((unsigned)c->n_interest_inside - 1,
                                       (double)hj / (double)tj, (unsigned)c->n_inside);
        assert_true(fabs(r->box[j].quasi_p - qp) <= 1e-12);
    }
    /* deterministic: a second run gives the same trajectory, bit for bit */
    prim_result *r2 = run(x, y, n, k, &p);
    assert_int_equal(r2->n_steps, r->n_steps);
    assert_int_equal(r2->chosen, r->chosen);
    for (size_t s = 0; s < r->n_steps; s++) {
        assert_memory_equal(r2->steps[s].lo, r->steps[s].lo, k * sizeof(double));
        assert_memory_equal(r2->steps[s].hi, r->steps[s].hi, k * sizeof(double));
    }
    prim_free(r2);
    return r;
}

/* Random data, y depending on x0 * x2 with noise. */
static void invariants(void **st)
{
    (void)st;
    const size_t n = 1500, k = 4;
    double *x = uniform_x(n, k, 21);
    int *y = malloc(n * sizeof *y);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 22);
    for (size_t i = 0; i < n; i++)
        y[i] = gsl_rng_uniform(g) < 0.15 + 0.6 * x[i * k] * x[i * k + 2];
    gsl_rng_free(g);
    prim_result *r = check_trajectory(x, y, n, k, (prim_params){0.07, 0.03, 0.08, 0.6});
    assert_true(r->n_peeled >= 10);
    assert_true(r->density > r->steps[0].density);
    prim_free(r);
    free(x);
    free(y);
}

/* Many small random problems, with parameters across their ranges: y = 1
 * in a random box, with up to 30% of labels flipped in half of them. The
 * loop must reach pasting often enough to test it. */
static void invariants_small(void **st)
{
    (void)st;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 23);
    size_t trials_pasted = 0;
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 20 + gsl_rng_uniform_int(g, 180), k = 1 + gsl_rng_uniform_int(g, 4);
        double *x = malloc(n * k * sizeof *x);
        int *y = malloc(n * sizeof *y);
        for (size_t i = 0; i < n * k; i++)
            x[i] = gsl_rng_uniform(g);
        double a[4], b[4], noise = trial % 2 ? 0.3 * gsl_rng_uniform(g) : 0.0;
        for (size_t j = 0; j < k; j++) {
            a[j] = 0.4 * gsl_rng_uniform(g);
            b[j] = 1.0 - 0.4 * gsl_rng_uniform(g);
        }
        int any = 0;
        for (size_t i = 0; i < n; i++) {
            int in = 1;
            for (size_t j = 0; j < k; j++)
                in &= x[i * k + j] > a[j] && x[i * k + j] < b[j];
            y[i] = in ^ (gsl_rng_uniform(g) < noise);
            any |= y[i];
        }
        double u = gsl_rng_uniform(g);
        prim_params p = {0.01 + 0.49 * gsl_rng_uniform(g), 0.5 * u * u,
                         0.01 + 0.5 * gsl_rng_uniform(g), gsl_rng_uniform(g)};
        if (any) {
            prim_result *r = check_trajectory(x, y, n, k, p);
            trials_pasted += r->n_steps > r->n_peeled;
            prim_free(r);
        }
        free(x);
        free(y);
    }
    gsl_rng_free(g);
    assert_true(trials_pasted >= 20);
}

/* Pasting: in one_edge's data the peel that reached density 1 overshot
 * 0.3 (to 0.3217, less than one peel of 5%); pasting 1% at a time brings
 * the edge back towards 0.3 (0.3164, then 0.3067) while the box stays
 * pure, and stops where the next 1% would bring in a case of y = 0. */
static void pasting_recovers_edge(void **st)
{
    (void)st;
    const size_t n = 2000, k = 2;
    double *x = uniform_x(n, k, 11);
    int *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        y[i] = x[i * k] > 0.3;
    prim_params p = PRIM_PARAMS_DEFAULT;
    p.paste_alpha = 0.0;
    prim_result *r = check_trajectory(x, y, n, k, p);
    double peeled_lo = r->box[0].lo;
    assert_int_equal(r->n_steps, r->n_peeled);
    prim_free(r);
    p.paste_alpha = 0.01;
    r = check_trajectory(x, y, n, k, p);
    /* two pastes of 1%: 14 cases (of 1394), then 15 (of 1408) */
    assert_int_equal(r->n_steps, r->n_peeled + 2);
    assert_int_equal(r->steps[r->n_peeled].n_inside, 1394 + 14);
    assert_int_equal(r->steps[r->n_peeled + 1].n_inside, 1408 + 15);
    assert_int_equal(r->chosen, r->n_steps - 1); /* the last pasted box */
    assert_true(r->box[0].lo < peeled_lo);
    assert_true(r->box[0].lo > 0.3 && r->box[0].lo < 0.31); /* 0.3067 */
    assert_true(r->density == 1.0 && r->coverage > 0.99);
    assert_false(r->box[1].restricted);
    /* the next 1% below would have brought in a case of y = 0 */
    size_t below = 0, zeros = 0;
    for (size_t i = 0; i < n; i++) {
        size_t rank = 0;
        if (x[i * k] >= r->box[0].lo)
            continue;
        for (size_t m = 0; m < n; m++)
            rank += x[m * k] < r->box[0].lo && x[m * k] > x[i * k];
        if (rank < (size_t)ceil(0.01 * (double)r->n_inside - 1e-9)) {
            below++;
            zeros += y[i] == 0;
        }
    }
    assert_true(below > 0 && zeros > 0);
    prim_free(r);
    free(x);
    free(y);
}

/* An integer input with ties is peeled value by value, a constant input is
 * never restricted. x0 in 0..9 (100 cases each), x1 = 5 everywhere, x2
 * uniform; y = 1 iff x0 >= 3. */
static void ties_and_constants(void **st)
{
    (void)st;
    const size_t n = 1000, k = 3;
    double *x = uniform_x(n, k, 31);
    int *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i * k] = (double)((i * 7) % 10);
        x[i * k + 1] = 5.0;
        y[i] = x[i * k] >= 3.0;
    }
    prim_result *r = run(x, y, n, k, NULL);
    /* the first peel wants 50 cases and takes the whole group x0 = 0 */
    assert_int_equal(r->steps[1].n_inside, 900);
    assert_true(r->steps[1].lo[0] == 1.0);
    for (size_t s = 0; s < r->n_steps; s++) {
        const prim_step *a = &r->steps[s];
        assert_true(a->lo[1] == 5.0 && a->hi[1] == 5.0);
        assert_true(a->lo[0] == floor(a->lo[0]) && a->hi[0] == floor(a->hi[0]));
        /* whole groups only: a multiple of 100 cases inside (x2 aside) */
        if (a->lo[2] == col_min(x, n, k, 2) && a->hi[2] == col_max(x, n, k, 2))
            assert_int_equal(a->n_inside % 100, 0);
    }
    /* once the box is pure every peel leaves density 1; the one leaving
     * more cases wins: 5% of x2 rather than a group of 100 of x0 */
    size_t pure = 0;
    while (pure < r->n_peeled && r->steps[pure].density < 1.0)
        pure++;
    assert_true(pure >= 3 && pure + 5 < r->n_peeled);
    for (size_t s = pure + 1; s < r->n_peeled; s++) {
        size_t m = r->steps[s - 1].n_inside;
        assert_int_equal(m - r->steps[s].n_inside, (size_t)ceil(0.05 * (double)m - 1e-9));
    }
    assert_false(r->box[1].restricted);
    assert_true(r->box[0].restricted);
    assert_true(r->box[0].lo == 3.0);
    assert_true(r->box[0].hi == 9.0);
    assert_true(r->coverage == 1.0 && r->density == 1.0);
    assert_int_equal(r->n_restricted, 1);
    prim_free(r);

    /* every input constant: nothing can be peeled */
    for (size_t i = 0; i < n; i++)
        x[i * k] = x[i * k + 2] = 1.0, y[i] = i % 3 == 0;
    r = run(x, y, n, k, NULL);
    assert_int_equal(r->n_steps, 1);
    assert_int_equal(r->chosen, 0);
    assert_int_equal(r->n_restricted, 0);
    prim_free(r);
    free(x);
    free(y);
}

/* How many cases a peel takes (peel_alpha of the box, rounded up) and
 * where min_mass stops it, exactly: 100 distinct values, peel_alpha 0.1
 * takes 10, 9, 9, 8, 7, 6, 6 cases: 100 90 81 72 64 57 51 45. */
static void peel_sizes_and_min_mass(void **st)
{
    (void)st;
    const size_t n = 100, k = 1;
    double x[100];
    int y[100];
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)((i * 37) % 100);
        y[i] = x[i] >= 20.0 && x[i] < 70.0;
    }
    const size_t sizes[] = {100, 90, 81, 72, 64, 57, 51, 45};
    const struct {
        double min_mass;
        size_t steps;
    } c[] = {{0.575, 5}, {0.565, 6}, {0.51, 7}, {0.505, 7}, {0.45, 8}};
    for (size_t t = 0; t < sizeof c / sizeof c[0]; t++) {
        prim_params p = {0.1, 0.0, c[t].min_mass, 0.8};
        prim_result *r = run(x, y, n, k, &p);
        assert_int_equal(r->n_peeled, c[t].steps);
        for (size_t s = 0; s < r->n_peeled; s++)
            assert_int_equal(r->steps[s].n_inside, sizes[s]);
        prim_free(r);
    }
}

/* Pasting undoes a peel that only reflected a correlation: y = 1 iff
 * x1 > 0.5, whatever x0; x0 is 2 for one case in ten (3 for the others),
 * and those cases mostly have x1 < 0.5 (18 in 20), so the first peel takes
 * the whole group x0 = 2 (density 0.1). Once x1 is cut at 0.5, the group's cases that the
 * x1 bound admits are all of interest: pasting x0 back keeps the density
 * at 1, with 20 cases where its 5% share is about 45 (it runs out first),
 * and leaves x0 unrestricted. */
static void pasting_undoes_spurious_peel(void **st)
{
    (void)st;
    const size_t n = 2000, k = 2;
    double *x = uniform_x(n, k, 51);
    int *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        double *row = x + i * k;
        row[0] = i % 10 == 0 ? 2.0 : 3.0;
        if (i % 10 == 0)
            row[1] = i % 100 == 0 ? 0.5 + 0.5 * row[1] : 0.5 * row[1];
        y[i] = row[1] > 0.5;
    }
    prim_result *r = check_trajectory(x, y, n, k, (prim_params)PRIM_PARAMS_DEFAULT);
    assert_int_equal(r->steps[1].n_inside, 1800); /* the group x0 = 2 peeled */
    assert_true(r->steps[1].lo[0] == 3.0);
    assert_true(r->steps[r->chosen].pasted);
    assert_false(r->box[0].restricted);
    assert_true(r->box[0].lo == 2.0);
    assert_true(r->box[1].restricted);
    assert_true(fabs(r->box[1].lo - 0.5) <= 0.03);
    assert_true(r->density == 1.0 && r->coverage >= 0.95);
    assert_int_equal(r->n_restricted, 1);
    prim_free(r);

    /* without pasting, x0 stays restricted */
    prim_params p = PRIM_PARAMS_DEFAULT;
    p.paste_alpha = 0.0;
    r = run(x, y, n, k, &p);
    assert_true(r->box[0].restricted);
    prim_free(r);
    free(x);
    free(y);
}

static void expect_bad(const double *x, const int *y, size_t n, size_t k, const prim_params *p,
                       const char *key, const char *words)
{
    prim_result *r = (prim_result *)&r; /* not NULL: prim_find must clear it */
    err e;
    err_clear(&e);
    assert_int_equal(prim_find(x, y, n, k, p, &r, &e), -1);
    assert_null(r);
    assert_int_equal(e.kind, ERR_INPUT);
    assert_string_equal(e.key, key);
    if (strstr(e.msg, words) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, words);
}

static void bad_input(void **st)
{
    (void)st;
    double x[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    int y[3] = {0, 1, 0};
    const prim_params ok = PRIM_PARAMS_DEFAULT;
    expect_bad(x, y, 0, 2, NULL, "", "n = 0");
    expect_bad(x, y, 3, 0, NULL, "", "k = 0");
    expect_bad(x, y, (size_t)UINT_MAX + 1, 2, NULL, "", "at most"); /* refused unread */
    x[3] = NAN;
    expect_bad(x, y, 3, 2, NULL, "x", "case 1, input 1");
    x[3] = -INFINITY;
    expect_bad(x, y, 3, 2, NULL, "x", "not a finite number");
    x[3] = 0.4;
    y[2] = 2;
    expect_bad(x, y, 3, 2, NULL, "y", "case 2: outcome 2 is not 0 or 1");
    y[2] = -1;
    expect_bad(x, y, 3, 2, NULL, "y", "case 2");
    y[2] = 0;
    struct {
        size_t field;
        double v;
        const char *key;
    } bad[] = {
        {0, 0.0, "peel_alpha"},   {0, 0.51, "peel_alpha"},  {0, NAN, "peel_alpha"},
        {1, -0.01, "paste_alpha"}, {1, 0.6, "paste_alpha"}, {2, -0.1, "min_mass"},
        {2, 1.5, "min_mass"},      {3, -0.1, "min_coverage"}, {3, 1.01, "min_coverage"},
        {3, NAN, "min_coverage"},
    };
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        prim_params p = ok;
        double *f[] = {&p.peel_alpha, &p.paste_alpha, &p.min_mass, &p.min_coverage};
        *f[bad[b].field] = bad[b].v;
        expect_bad(x, y, 3, 2, &p, bad[b].key, "out of range");
    }
    /* the edges of the ranges are fine */
    prim_params edge = {0.5, 0.0, 1.0, 0.0};
    prim_result *r = run(x, y, 3, 2, &edge);
    assert_int_equal(r->n_steps, 1); /* min_mass 1: no peel */
    prim_free(r);
}

/* No case of interest: one box, all cases, coverage and density 0. All
 * cases of interest: the whole box is chosen (density 1, coverage 1). */
static void no_interest(void **st)
{
    (void)st;
    const size_t n = 500, k = 2;
    double *x = uniform_x(n, k, 41);
    int *y = calloc(n, sizeof *y);
    prim_result *r = run(x, y, n, k, NULL);
    assert_int_equal(r->n_interest, 0);
    assert_int_equal(r->n_steps, 1);
    assert_int_equal(r->n_peeled, 1);
    assert_int_equal(r->chosen, 0);
    assert_int_equal(r->n_inside, n);
    assert_int_equal(r->n_restricted, 0);
    assert_true(r->coverage == 0.0 && r->density == 0.0 && r->mass == 1.0);
    for (size_t j = 0; j < k; j++)
        assert_false(r->box[j].restricted);
    prim_free(r);
    for (size_t i = 0; i < n; i++)
        y[i] = 1;
    r = run(x, y, n, k, NULL);
    assert_true(r->n_steps > 1);
    assert_int_equal(r->chosen, 0);
    assert_true(r->coverage == 1.0 && r->density == 1.0);
    assert_int_equal(r->n_restricted, 0);
    prim_free(r);
    prim_free(NULL);
    free(x);
    free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_edge),           cmocka_unit_test(two_dim_box),
        cmocka_unit_test(label_noise),        cmocka_unit_test(invariants),
        cmocka_unit_test(invariants_small),   cmocka_unit_test(pasting_recovers_edge),
        cmocka_unit_test(pasting_undoes_spurious_peel),
        cmocka_unit_test(ties_and_constants), cmocka_unit_test(peel_sizes_and_min_mass),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(no_interest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
