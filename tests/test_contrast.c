/* test_contrast.c — paired differences (contrast.h): exact values on
 * hand-made replications, pairing by replication index, and the point of
 * pairing — under common random numbers the paired interval is narrower
 * than the unpaired one.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "contrast.h"
#include "result.h"

/* The lanchester model's rows: outcome 0/1 (X wins or not) and four
 * measures; its summary rows are p_x_wins and three means. */
static const model_def *lanchester(void)
{
    const model_def *m = model_find("lanchester");
    assert_non_null(m);
    return m;
}

static const contrast_row *row_named(const contrast_row *rows, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    fail_msg("no contrast row %s", name);
    return NULL;
}

/* n replications from rep0 with outcome and measure 0 given per rep. */
static unsigned char *rows_of(const model_def *m, uint64_t rep0, size_t n, const int32_t *out,
                              const double *first_measure)
{
    size_t nm = (size_t)m->n_measures;
    double *v = calloc(n * nm, sizeof *v);
    unsigned char *rows = malloc(n * res_row_size(m));
    assert_non_null(v);
    assert_non_null(rows);
    for (size_t i = 0; i < n; i++)
        v[i * nm] = first_measure[i];
    res_pack(m, 0, rep0, n, out, v, rows);
    free(v);
    return rows;
}

static void exact_on_hand_made_replications(void **st)
{
    (void)st;
    const model_def *m = lanchester();
    const int32_t oa[4] = {0, 1, 0, 1}, ob[4] = {0, 0, 0, 0};
    const double xa[4] = {1, 2, 3, 4}, xb[4] = {2, 3, 4, 5};
    unsigned char *a = rows_of(m, 0, 4, oa, xa), *b = rows_of(m, 0, 4, ob, xb);
    contrast_row out[16];
    size_t n = contrast_pair(m, a, 4, b, 4, 0, 1, out);
    assert_true(n >= 2);
    /* B - A of the first measure's mean: 1 at every pair, no spread. */
    const contrast_row *mean = row_named(out, n, "mean_duration");
    assert_int_equal(mean->n, 4);
    assert_true(mean->estimate == 1.0 && mean->ci_low == 1.0 && mean->ci_high == 1.0);
    assert_int_equal(mean->point_a, 0);
    assert_int_equal(mean->point_b, 1);
    /* The unpaired half-width: 1.96 sqrt((var a + var b) / n), var = 5/3. */
    assert_true(fabs(mean->unpaired_half - 1.959963984540054 * sqrt((5.0 / 3 + 5.0 / 3) / 4)) <
                1e-12);
    free(a);
    free(b);
}

static void pairs_by_replication_index(void **st)
{
    (void)st;
    const model_def *m = lanchester();
    const int32_t o[4] = {0, 0, 0, 0};
    const double xa[4] = {10, 20, 30, 40}, xb[3] = {21, 31, 41};
    /* A holds reps 0-3, B reps 1-3: three pairs, each B - A = 1. */
    unsigned char *a = rows_of(m, 0, 4, o, xa), *b = rows_of(m, 1, 3, o, xb);
    contrast_row out[16];
    size_t n = contrast_pair(m, a, 4, b, 3, 0, 0, out);
    const contrast_row *mean = row_named(out, n, "mean_duration");
    assert_int_equal(mean->n, 3);
    assert_true(mean->estimate == 1.0);
    free(a);
    free(b);
}

static void paired_is_narrower_under_common_random_numbers(void **st)
{
    (void)st;
    /* Correlated sides, as common random numbers make them: b = a + small
     * noise; the paired interval must be much narrower than the unpaired. */
    const model_def *m = lanchester();
    enum { N = 2000 };
    int32_t o[N];
    double xa[N], xb[N];
    uint64_t s = 12345;
    for (size_t i = 0; i < N; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(s >> 11) / 9007199254740992.0;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double w = (double)(s >> 11) / 9007199254740992.0;
        o[i] = 0;
        xa[i] = 100 * u;
        xb[i] = xa[i] + 0.5 + w;
    }
    unsigned char *a = rows_of(m, 0, N, o, xa), *b = rows_of(m, 0, N, o, xb);
    contrast_row out[16];
    size_t n = contrast_pair(m, a, N, b, N, 0, 0, out);
    const contrast_row *mean = row_named(out, n, "mean_duration");
    double paired = 0.5 * (mean->ci_high - mean->ci_low);
    assert_true(fabs(mean->estimate - 1.0) < 3 * paired); /* E[b - a] = 1 */
    assert_true(paired < 0.05 * mean->unpaired_half);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_on_hand_made_replications),
        cmocka_unit_test(pairs_by_replication_index),
        cmocka_unit_test(paired_is_narrower_under_common_random_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
