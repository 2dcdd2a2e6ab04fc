/* test_rng.c — unit tests for the Philox4x64-10 streams (rng.h).
 *
 * Statistical checks use fixed streams, so each one is deterministic; the
 * bounds (5 standard errors, p-values inside [1e-4, 1 - 1e-4]) are ones a
 * correct generator meets with overwhelming probability, and a generator
 * that ignores part of its key or counter, repeats a stream, or maps words
 * to doubles badly misses by far.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_PAIRED 100000 /* paired draws per neighbour check */
#define N_BIG 1000000   /* draws for the histogram checks */

static gsl_rng *stream(uint64_t seed, uint64_t purpose, uint64_t point, uint64_t rep)
{
    gsl_rng *r = rng_alloc();
    assert_non_null(r);
    rng_stream(r, seed, purpose, point, rep);
    return r;
}

static void assert_p_plausible(double p)
{
    /* Too good a fit (p near 1) fails as well: a counter, not a generator. */
    if (!(p > 1e-4 && p < 1 - 1e-4))
        fail_msg("p-value %g outside [1e-4, 1 - 1e-4]", p);
}

static void assert_within(double x, double expect, double tol, const char *what)
{
    if (!(fabs(x - expect) < tol))
        fail_msg("%s = %.6g, expected %.6g +- %.3g", what, x, expect, tol);
}

/* --- Known answers ------------------------------------------------------ */

/* Random123 kat_vectors lines "philox4x64 10 CTR[4] KEY[2] EXPECTED[4]".
 * The first three are the vectors quoted from Random123's kat_vectors in
 * DEShawResearch/Random123-Boost, libs/random/test/test_philox.cpp; the
 * others are lines of the longer, generated examples/kat_vectors (as kept
 * in girving/random123-manual) and set the second key word and the last
 * counter word. */
typedef struct kat {
    uint64_t ctr[4], key[2], out[4];
} kat;

static const kat kat_zero = {
    {0, 0, 0, 0}, {0, 0},
    {0x16554d9eca36314c, 0xdb20fe9d672d0fdc, 0xd7e772cee186176b, 0x7e68b68aec7ba23b}};
static const kat kat_ones = {
    {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}, {UINT64_MAX, UINT64_MAX},
    {0x87b092c3013fe90b, 0x438c3c67be8d0224, 0x9cc7d7c69cd777b6, 0xa09caebf594f0ba0}};
static const kat kat_pi = {
    {0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89},
    {0x452821e638d01377, 0xbe5466cf34e90c6c},
    {0xa528f45403e61d95, 0x38c72dbd566e9788, 0xa5a1610e72fd18b5, 0x57bd43b5e52b7fe6}};
static const kat kat_one_one = {
    {1, 0, 0, 0}, {1, 0},
    {0x4db6a27b756282df, 0xd944fa03babe0e2f, 0x27f872e577060d32, 0x07f697696a0482a2}};
static const kat kat_top_bit = {
    {0, 0, 0, 0x8000000000000000}, {0, UINT64_MAX},
    {0xcc2e3611b341b443, 0xd975353c6baa07e8, 0x4d0e70419e907e10, 0x8a4dceea01380ae1}};
static const kat kat_pi_key_high = {
    {0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89},
    {0, 0x8000000000000000},
    {0x79b0012fa80e5ad7, 0x15b81f9bf706cc38, 0x6586b6802ea9ba1c, 0x1bba4ac847739bca}};

static void test_kat(void **state)
{
    const kat *k = *state;
    uint64_t out[4];
    rng_philox4x64_10(k->ctr, k->key, out);
    for (int i = 0; i < 4; i++)
        assert_int_equal(out[i], k->out[i]);
}

/* One flipped input bit (any of 256 counter and 128 key bits) changes about
 * half of the 256 output bits: Binomial(256, 1/2) has sd 8, so 128 +- 64
 * is 8 sd. A cipher with a missing round or a dropped word fails this. */
static void test_avalanche(void **state)
{
    (void)state;
    const kat *k = &kat_pi;
    uint64_t base[4];
    rng_philox4x64_10(k->ctr, k->key, base);
    for (int bit = 0; bit < 384; bit++) {
        uint64_t ctr[4], key[2], out[4];
        memcpy(ctr, k->ctr, sizeof ctr);
        memcpy(key, k->key, sizeof key);
        uint64_t *w = bit < 256 ? &ctr[bit / 64] : &key[(bit - 256) / 64];
        *w ^= UINT64_C(1) << (bit % 64);
        rng_philox4x64_10(ctr, key, out);
        int d = 0;
        for (int i = 0; i < 4; i++)
            d += __builtin_popcountll(out[i] ^ base[i]);
        if (d < 64 || d > 192)
            fail_msg("input bit %d changes %d of 256 output bits", bit, d);
    }
}

/* --- Streams ------------------------------------------------------------ */

/* Stream (seed, purpose, point, rep) is the blocks for counters
 * (point, rep, 0, 0), (point, rep, 1, 0), ... under key (seed, purpose),
 * each block's four words in order. */
static void test_stream_is_counter_blocks(void **state)
{
    (void)state;
    const uint64_t seed = 0x243f6a8885a308d3, purpose = 7, point = 12, rep = 99;
    gsl_rng *r = stream(seed, purpose, point, rep);
    for (uint64_t b = 0; b < 100; b++) {
        uint64_t out[4];
        rng_philox4x64_10((const uint64_t[4]){point, rep, b, 0},
                          (const uint64_t[2]){seed, purpose}, out);
        for (int i = 0; i < 4; i++)
            assert_int_equal(gsl_rng_get(r), out[i]);
    }
    gsl_rng_free(r);
}

/* gsl_rng_uniform is the top 53 bits of the same word times 2^-53. */
static void test_uniform_is_top_53_bits(void **state)
{
    (void)state;
    gsl_rng *a = stream(5, 6, 7, 8), *b = stream(5, 6, 7, 8);
    for (int i = 0; i < 10000; i++) {
        double expect = (double)(gsl_rng_get(a) >> 11) / 9007199254740992.0;
        double u = gsl_rng_uniform(b);
        if (u != expect)
            fail_msg("draw %d: uniform %a, expected %a", i, u, expect);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_reproducible(void **state)
{
    (void)state;
    gsl_rng *a = stream(42, 1, 2, 3), *b = stream(42, 1, 2, 3);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Re-keying a used generator (stopped mid-block) restarts the stream, and
 * re-keys from one stream to another and back land on the same words. */
static void test_rekey_restarts(void **state)
{
    (void)state;
    gsl_rng *fresh = stream(42, 1, 2, 3), *r = stream(42, 1, 2, 3);
    for (int i = 0; i < 1001; i++)
        gsl_rng_get(r);
    rng_stream(r, 9, 9, 9, 9);
    gsl_rng_get(r);
    rng_stream(r, 42, 1, 2, 3);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(gsl_rng_get(r), gsl_rng_get(fresh));
    gsl_rng_free(fresh);
    gsl_rng_free(r);
}

static void test_gsl_set_is_stream_s000(void **state)
{
    (void)state;
    const unsigned long seeds[] = {0, 1, 12345, UINT64_MAX};
    gsl_rng *a = rng_alloc(), *b = rng_alloc();
    assert_non_null(a);
    assert_non_null(b);
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        gsl_rng_get(a); /* keying must also reset a used generator */
        gsl_rng_set(a, seeds[k]);
        rng_stream(b, seeds[k], 0, 0, 0);
        for (int i = 0; i < 100; i++)
            assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_alloc_and_type(void **state)
{
    (void)state;
    gsl_rng *r = rng_alloc();
    assert_non_null(r);
    assert_ptr_equal(r->type, rng_philox);
    assert_string_equal(gsl_rng_name(r), "philox4x64-10");
    assert_int_equal(gsl_rng_max(r), UINT64_MAX);
    assert_int_equal(gsl_rng_min(r), 0);
    gsl_rng *g = gsl_rng_alloc(rng_philox); /* as gsl_rng_alloc would key it */
    assert_non_null(g);
    for (int i = 0; i < 100; i++)
        assert_int_equal(gsl_rng_get(r), gsl_rng_get(g));
    gsl_rng_free(g);
    gsl_rng_free(r);
}

/* gsl_rng_clone and gsl_rng_memcpy copy type->size bytes of state: if the
 * size left out the buffered block or its index, a copy made mid-block
 * would not continue the stream (the memcpy target keeps its own block). */
static void test_copy_continues(void **state)
{
    (void)state;
    gsl_rng *r = stream(3, 1, 4, 1), *m = stream(9, 9, 9, 9);
    for (int i = 0; i < 5; i++) /* stop mid-block */
        gsl_rng_get(r);
    for (int i = 0; i < 2; i++)
        gsl_rng_get(m);
    gsl_rng *c = gsl_rng_clone(r);
    assert_non_null(c);
    assert_int_equal(gsl_rng_memcpy(m, r), GSL_SUCCESS);
    for (int i = 0; i < 100; i++) {
        unsigned long w = gsl_rng_get(r);
        assert_int_equal(gsl_rng_get(c), w);
        assert_int_equal(gsl_rng_get(m), w);
    }
    gsl_rng_free(c);
    gsl_rng_free(m);
    gsl_rng_free(r);
}

/* No shared state: interleaving draws from two generators gives each the
 * words it gives alone. */
static void test_generators_independent(void **state)
{
    (void)state;
    enum { N = 1000 };
    static uint64_t alone_a[N], alone_b[N];
    gsl_rng *a = stream(1, 0, 0, 0), *b = stream(2, 0, 0, 0);
    for (int i = 0; i < N; i++)
        alone_a[i] = gsl_rng_get(a);
    for (int i = 0; i < N; i++)
        alone_b[i] = gsl_rng_get(b);
    rng_stream(a, 1, 0, 0, 0);
    rng_stream(b, 2, 0, 0, 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(gsl_rng_get(a), alone_a[i]);
        assert_int_equal(gsl_rng_get(b), alone_b[i]);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Re-keying touches only the key and counter: reaching rep 2^40 (or the
 * largest point and rep) takes no loop, and the stream starts at block 0 of
 * that counter. 10^4 re-keys must take far less than a second. */
static void test_rekey_is_o1(void **state)
{
    (void)state;
    const uint64_t far = UINT64_C(1) << 40;
    gsl_rng *r = rng_alloc();
    assert_non_null(r);
    /* No wall-clock bound (machines here are shared): O(1) shows in what
     * the stream is. Its first block at rep 2^40, and with every field at
     * 2^64 - 1, is the raw Philox block of its counter, so keying cannot be
     * walking the reps (a walk to 2^64 would never return), and ten
     * thousand far-apart streams in a row are all reachable at once. */
    uint64_t sink = 0;
    for (uint64_t i = 0; i < 10000; i++) {
        rng_stream(r, 1, 2, 3, far + i);
        sink ^= gsl_rng_get(r);
    }
    assert_int_not_equal(sink, 0);

    const uint64_t ends[][4] = {{1, 2, 3, far}, {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
    for (size_t k = 0; k < 2; k++) {
        const uint64_t *s = ends[k];
        rng_stream(r, s[0], s[1], s[2], s[3]);
        uint64_t out[4];
        rng_philox4x64_10((const uint64_t[4]){s[2], s[3], 0, 0},
                          (const uint64_t[2]){s[0], s[1]}, out);
        for (int i = 0; i < 4; i++)
            assert_int_equal(gsl_rng_get(r), out[i]);
    }
    gsl_rng_free(r);
}

/* --- Neighbouring streams --------------------------------------------- */

typedef struct pair {
    uint64_t a[4], b[4]; /* (seed, purpose, point, rep) */
} pair;

static const pair pair_rep = {{2024, 3, 17, 41}, {2024, 3, 17, 42}};
static const pair pair_point = {{2024, 3, 17, 41}, {2024, 3, 18, 41}};
static const pair pair_purpose = {{2024, 3, 17, 41}, {2024, 4, 17, 41}};
static const pair pair_seed = {{2024, 3, 17, 41}, {2025, 3, 17, 41}};
static const pair pair_zero = {{0, 0, 0, 0}, {0, 0, 0, 1}};
static const pair pair_swapped = {{1, 2, 3, 4}, {2, 1, 4, 3}};

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Pearson r of N_PAIRED paired uniforms: sd 1/sqrt(n) for independent
 * streams, bound 5/sqrt(n). Then no 64-bit word appears in both of the
 * first N_PAIRED words of each (or twice in one): among 2 * 10^5 random
 * words a repeat has probability ~1e-9. */
static void test_neighbours_independent(void **state)
{
    const pair *p = *state;
    gsl_rng *a = stream(p->a[0], p->a[1], p->a[2], p->a[3]);
    gsl_rng *b = stream(p->b[0], p->b[1], p->b[2], p->b[3]);
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < N_PAIRED; i++) {
        double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    const double n = N_PAIRED;
    double cov = sxy - sx * sy / n;
    double r = cov / sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
    if (!(fabs(r) < 5 / sqrt(n)))
        fail_msg("correlation %.5f, bound %.5f", r, 5 / sqrt(n));

    uint64_t *w = malloc(2 * N_PAIRED * sizeof *w);
    assert_non_null(w);
    rng_stream(a, p->a[0], p->a[1], p->a[2], p->a[3]);
    rng_stream(b, p->b[0], p->b[1], p->b[2], p->b[3]);
    for (int i = 0; i < N_PAIRED; i++) {
        w[i] = gsl_rng_get(a);
        w[N_PAIRED + i] = gsl_rng_get(b);
    }
    qsort(w, 2 * N_PAIRED, sizeof *w, cmp_u64);
    for (int i = 1; i < 2 * N_PAIRED; i++)
        if (w[i] == w[i - 1])
            fail_msg("word %016llx repeats", (unsigned long long)w[i]);
    free(w);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* --- Distribution of the output -------------------------------------- */

/* 10^6 uniforms in 100 equal bins: chi-square with 99 degrees of freedom. */
static void test_uniform_chisq(void **state)
{
    (void)state;
    enum { BINS = 100 };
    long count[BINS] = {0};
    gsl_rng *r = stream(777, 0, 0, 0);
    for (int i = 0; i < N_BIG; i++)
        count[(int)(gsl_rng_uniform(r) * BINS)]++;
    double e = (double)N_BIG / BINS, chi2 = 0;
    for (int k = 0; k < BINS; k++)
        chi2 += (count[k] - e) * (count[k] - e) / e;
    assert_p_plausible(gsl_cdf_chisq_Q(chi2, BINS - 1));
    gsl_rng_free(r);
}

/* Mean 1/2 (sd sqrt(1/12n)) and variance 1/12 (sd sqrt((1/80 - 1/144)/n)). */
static void test_uniform_moments(void **state)
{
    (void)state;
    gsl_rng *r = stream(778, 0, 0, 0);
    double s = 0, ss = 0;
    for (int i = 0; i < N_BIG; i++) {
        double u = gsl_rng_uniform(r);
        s += u;
        ss += u * u;
    }
    const double n = N_BIG;
    double mean = s / n, var = ss / n - mean * mean;
    assert_within(mean, 0.5, 5 * sqrt(1.0 / 12 / n), "mean");
    assert_within(var, 1.0 / 12, 5 * sqrt((1.0 / 80 - 1.0 / 144) / n), "variance");
    gsl_rng_free(r);
}

/* Each of the 64 bits of gsl_rng_get is set in n/2 +- 5 sqrt(n)/2 words. */
static void test_bit_balance(void **state)
{
    (void)state;
    enum { N = 200000 };
    long ones[64] = {0};
    gsl_rng *r = stream(779, 0, 0, 0);
    for (int i = 0; i < N; i++) {
        unsigned long w = gsl_rng_get(r);
        for (int b = 0; b < 64; b++)
            ones[b] += (long)((w >> b) & 1);
    }
    for (int b = 0; b < 64; b++)
        if (fabs(ones[b] - N / 2.0) > 5 * sqrt((double)N) / 2)
            fail_msg("bit %d set in %ld of %d words", b, ones[b], N);
    gsl_rng_free(r);
}

/* gsl_rng_uniform lies in [0, 1) on the 2^-53 grid (so 1.0 is out of
 * reach, not merely unseen); gsl_rng_uniform_pos lies in (0, 1). */
static void test_uniform_range(void **state)
{
    (void)state;
    gsl_rng *r = stream(780, 0, 0, 0);
    double lo = 1, hi = 0;
    for (int i = 0; i < N_BIG; i++) {
        double u = gsl_rng_uniform(r);
        if (!(u >= 0 && u < 1) || u * 9007199254740992.0 != floor(u * 9007199254740992.0))
            fail_msg("draw %d: uniform %a", i, u);
        double v = gsl_rng_uniform_pos(r);
        if (!(v > 0 && v < 1))
            fail_msg("draw %d: uniform_pos %a", i, v);
        lo = fmin(lo, u);
        hi = fmax(hi, u);
    }
    /* The extremes of 10^6 draws are within ~1e-6 of the ends. */
    assert_true(lo < 1e-4 && hi > 1 - 1e-4);
    gsl_rng_free(r);
}

/* gsl_rng_uniform_int(r, 10): always below 10, chi-square over 10 values. */
static void test_uniform_int(void **state)
{
    (void)state;
    long count[10] = {0};
    gsl_rng *r = stream(781, 0, 0, 0);
    for (int i = 0; i < N_BIG; i++) {
        unsigned long k = gsl_rng_uniform_int(r, 10);
        assert_true(k < 10);
        count[k]++;
    }
    double e = N_BIG / 10.0, chi2 = 0;
    for (int k = 0; k < 10; k++)
        chi2 += (count[k] - e) * (count[k] - e) / e;
    assert_p_plausible(gsl_cdf_chisq_Q(chi2, 9));
    gsl_rng_free(r);
}

/* gsl_ran_* on the generator: exponential mean 2 (sd 2/sqrt(n)); standard
 * normal mean 0 (sd 1/sqrt(n)) and variance 1 (sd sqrt(2/n)). */
static void test_gsl_ran(void **state)
{
    (void)state;
    enum { N = 200000 };
    gsl_rng *r = stream(782, 0, 0, 0);
    double s = 0;
    for (int i = 0; i < N; i++)
        s += gsl_ran_exponential(r, 2.0);
    assert_within(s / N, 2.0, 5 * 2.0 / sqrt(N), "exponential mean");
    double g = 0, gg = 0;
    for (int i = 0; i < N; i++) {
        double z = gsl_ran_gaussian(r, 1.0);
        g += z;
        gg += z * z;
    }
    assert_within(g / N, 0.0, 5 / sqrt(N), "gaussian mean");
    assert_within(gg / N - (g / N) * (g / N), 1.0, 5 * sqrt(2.0 / N), "gaussian variance");
    gsl_rng_free(r);
}

/* --- The exponential variate (rng_exponential) ---------------------------- */

#include "../sim/engine/rng_exp_table.h"

/* The ziggurat's tables describe what rng.c says they do: 256 pieces of
 * one area V = (R + 1) exp(-R), layer i the rectangle [0, x_i] x [f(x_i),
 * f(x_{i-1})] with f = exp(-x), x_0 = 0 < x_1 < ... < x_255 = R, piece 0
 * the rectangle [0, R] x [0, f(R)] and the tail; k[i] the abscissa's
 * threshold below which a draw is under the curve for certain. A table
 * entry off by more than rounding misses by far. */
static void test_ziggurat_tables(void **state)
{
    (void)state;
    const double two53 = 0x1p53, R = ZIG_R, V = (R + 1) * exp(-R);
    assert_within(R, 7.69711747013104972, 4e-15, "R (Doornik 2005, ZIGNOR)");
    assert_within(zig_w[0] * two53 * exp(-R), V, 1e-15 * V, "area of piece 0");
    assert_within((double)zig_k[0], two53 * R / (zig_w[0] * two53), 4.0, "k[0]");
    assert_true(zig_f[0] == 1.0);
    assert_true(zig_w[255] * two53 == R);
    double prev = 0.0;
    for (int i = 1; i < 256; i++) {
        double x = zig_w[i] * two53;
        if (!(x > prev))
            fail_msg("layer %d: x = %a not above x_%d = %a", i, x, i - 1, prev);
        if (fabs(zig_f[i] - exp(-x)) > 5e-16 * exp(-x))
            fail_msg("layer %d: f = %a, exp(-x) = %a", i, zig_f[i], exp(-x));
        double area = x * (zig_f[i - 1] - zig_f[i]);
        if (fabs(area - V) > 1e-12 * V)
            fail_msg("layer %d: area %.17g, V %.17g", i, area, V);
        double k = ceil(two53 * prev / x);
        if (fabs((double)zig_k[i] - k) > 4.0)
            fail_msg("layer %d: k = %llu, expected %.0f", i, (unsigned long long)zig_k[i], k);
        prev = x;
    }
}

/* Kolmogorov's limit distribution: P(sqrt(n) D > lambda), with Stephens'
 * correction for finite n (Numerical Recipes' probks). */
static double ks_q(double d, double n)
{
    double en = sqrt(n), lambda = (en + 0.12 + 0.11 / en) * d, q = 0, sign = 2;
    for (int j = 1; j <= 100; j++) {
        double term = sign * exp(-2.0 * j * j * lambda * lambda);
        q += term;
        if (fabs(term) < 1e-12 * q)
            break;
        sign = -sign;
    }
    return q;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* 10^6 draws of rng_exponential(r, 1) against the CDF 1 - exp(-x):
 * Kolmogorov–Smirnov. */
static void test_exponential_ks(void **state)
{
    (void)state;
    double *x = malloc(N_BIG * sizeof *x);
    assert_non_null(x);
    gsl_rng *r = stream(790, 3, 1, 4);
    for (int i = 0; i < N_BIG; i++)
        x[i] = rng_exponential(r, 1.0);
    qsort(x, N_BIG, sizeof *x, cmp_double);
    double d = 0;
    for (int i = 0; i < N_BIG; i++) {
        double f = -expm1(-x[i]);
        d = fmax(d, fmax(f - (double)i / N_BIG, (double)(i + 1) / N_BIG - f));
    }
    assert_true(x[0] >= 0);
    assert_p_plausible(ks_q(d, N_BIG));
    free(x);
    gsl_rng_free(r);
}

/* 10^7 draws in 4096 bins of equal probability (fine enough to see each
 * of the 256 layers and their wedges: a wrong table entry or a wedge test
 * that accepts too much moves whole bins), chi-square with 4095 degrees of
 * freedom; the tail beyond R (P = exp(-R), drawn as R + Exp(1)): its count
 * and its mean excess (1); the mean (1) and variance (1). */
static void test_exponential_chisq_tail_moments(void **state)
{
    (void)state;
    enum { BINS = 4096, N = 10000000 };
    long *count = calloc(BINS, sizeof *count);
    assert_non_null(count);
    gsl_rng *r = stream(791, 0, 0, 0);
    long tail = 0;
    double excess = 0, s = 0, ss = 0;
    for (int i = 0; i < N; i++) {
        double x = rng_exponential(r, 1.0);
        if (!(x >= 0 && isfinite(x)))
            fail_msg("draw %d: %a", i, x);
        int b = (int)(-expm1(-x) * BINS);
        count[b < BINS ? b : BINS - 1]++;
        if (x > ZIG_R) {
            tail++;
            excess += x - ZIG_R;
        }
        s += x;
        ss += x * x;
    }
    double e = (double)N / BINS, chi2 = 0;
    for (int k = 0; k < BINS; k++)
        chi2 += (count[k] - e) * (count[k] - e) / e;
    assert_p_plausible(gsl_cdf_chisq_Q(chi2, BINS - 1));
    double pt = exp(-ZIG_R);
    assert_within((double)tail, N * pt, 5 * sqrt(N * pt * (1 - pt)), "draws beyond R");
    assert_within(excess / (double)tail, 1.0, 5 / sqrt((double)tail), "mean excess beyond R");
    double mean = s / N, var = ss / N - mean * mean;
    assert_within(mean, 1.0, 5 / sqrt((double)N), "mean");
    assert_within(var, 1.0, 5 * sqrt(8.0 / N), "variance");
    free(count);
    gsl_rng_free(r);
}

/* The mean scales the draw and nothing else: on the same stream, draws of
 * mean m are m times the draws of mean 1, and the stream is left at the
 * same word (so sweeps over a rate keep common random numbers). A stream
 * is a function of its key: the same key gives the same draws. On another
 * GSL generator it is -m log(u), mean m. */
static void test_exponential_scales_and_repeats(void **state)
{
    (void)state;
    gsl_rng *a = stream(792, 1, 2, 3), *b = stream(792, 1, 2, 3);
    for (int i = 0; i < 100000; i++) {
        double x = rng_exponential(a, 1.0), y = rng_exponential(b, 2.5);
        if (y != 2.5 * x)
            fail_msg("draw %d: %a at mean 2.5, %a at mean 1", i, y, x);
    }
    assert_true(gsl_rng_get(a) == gsl_rng_get(b));
    rng_stream(b, 792, 1, 2, 3);
    rng_stream(a, 792, 1, 2, 3);
    for (int i = 0; i < 1000; i++)
        assert_true(rng_exponential(a, 1.0) == rng_exponential(b, 1.0));
    gsl_rng_free(a);
    gsl_rng_free(b);

    enum { N = 200000 };
    gsl_rng *mt = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(mt);
    double s = 0;
    for (int i = 0; i < N; i++)
        s += rng_exponential(mt, 2.0);
    assert_within(s / N, 2.0, 5 * 2.0 / sqrt(N), "mean on mt19937");
    gsl_rng_free(mt);
}

#define CASE(name, f, arg) {name, f, NULL, NULL, (void *)(arg)}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE("kat_zero", test_kat, &kat_zero),
        CASE("kat_ones", test_kat, &kat_ones),
        CASE("kat_pi", test_kat, &kat_pi),
        CASE("kat_ctr1_key1", test_kat, &kat_one_one),
        CASE("kat_ctr3_top_bit_key1_ones", test_kat, &kat_top_bit),
        CASE("kat_pi_key1_top_bit", test_kat, &kat_pi_key_high),
        cmocka_unit_test(test_avalanche),
        cmocka_unit_test(test_stream_is_counter_blocks),
        cmocka_unit_test(test_uniform_is_top_53_bits),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_rekey_restarts),
        cmocka_unit_test(test_gsl_set_is_stream_s000),
        cmocka_unit_test(test_alloc_and_type),
        cmocka_unit_test(test_copy_continues),
        cmocka_unit_test(test_generators_independent),
        cmocka_unit_test(test_rekey_is_o1),
        CASE("neighbours_rep", test_neighbours_independent, &pair_rep),
        CASE("neighbours_point", test_neighbours_independent, &pair_point),
        CASE("neighbours_purpose", test_neighbours_independent, &pair_purpose),
        CASE("neighbours_seed", test_neighbours_independent, &pair_seed),
        CASE("neighbours_zero_rep", test_neighbours_independent, &pair_zero),
        CASE("neighbours_swapped_fields", test_neighbours_independent, &pair_swapped),
        cmocka_unit_test(test_uniform_chisq),
        cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_bit_balance),
        cmocka_unit_test(test_uniform_range),
        cmocka_unit_test(test_uniform_int),
        cmocka_unit_test(test_gsl_ran),
        cmocka_unit_test(test_ziggurat_tables),
        cmocka_unit_test(test_exponential_ks),
        cmocka_unit_test(test_exponential_chisq_tail_moments),
        cmocka_unit_test(test_exponential_scales_and_repeats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
