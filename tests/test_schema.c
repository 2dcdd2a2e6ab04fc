/* test_schema.c — the priors of the schema table: every registered key's
 * prior is well formed, each class of malformed prior is refused with the
 * key's path, and the quantile functions are the inverse CDFs they claim
 * (against GSL where it has the CDF, against closed forms elsewhere). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "model.h"
#include "scn.h"

/* ---- every registered key ---------------------------------------------- */

static int check_key(const sch_key *k, const char *where)
{
    err e;
    err_clear(&e);
    if (sch_prior_check(k, &e) == 0)
        return 0;
    char msg[1600];
    err_format(&e, msg, sizeof msg);
    print_error("%s: %s\n", where, msg);
    return -1;
}

/* Over every key of every model, list fields included, and the common keys.
 * No key is skipped: a key with basis NONE and no prior passes, while a
 * prior on a NONE key is refused, so skipping NONE keys would hide exactly
 * that fault. */
static void every_registered_prior_is_well_formed(void **st)
{
    (void)st;
    int bad = 0, n = 0;
    for (size_t i = 0; i < scn_n_common_keys; i++, n++)
        bad -= check_key(&scn_common_keys[i], "common keys");
    for (int mi = 0; model_names[mi] != NULL; mi++) {
        const model_def *m = model_find(model_names[mi]);
        assert_non_null(m);
        for (size_t i = 0; i < m->n_keys; i++, n++) {
            const sch_key *k = &m->keys[i];
            bad -= check_key(k, m->name);
            if (k->type != SCH_LIST)
                continue;
            for (size_t f = 0; f < k->list->n_fields; f++, n++)
                bad -= check_key(&k->list->fields[f], m->name);
        }
    }
    assert_int_equal(bad, 0);
    assert_true(n > 60); /* the loop did reach the reassurance model's table */
}

/* Structural and contract keys carry no judgement: the validation models
 * are checked against closed forms with the values they are given. */
static void validation_models_have_no_basis(void **st)
{
    (void)st;
    const char *const validation[] = {"mm1", "lanchester", "ishigami"};
    for (size_t v = 0; v < 3; v++) {
        const model_def *m = model_find(validation[v]);
        assert_non_null(m);
        for (size_t i = 0; i < m->n_keys; i++) {
            assert_int_equal(m->keys[i].basis, SCH_BASIS_NONE);
            assert_int_equal(m->keys[i].prior.dist, SCH_DIST_NONE);
        }
    }
    for (size_t i = 0; i < scn_n_common_keys; i++)
        assert_int_equal(scn_common_keys[i].basis, SCH_BASIS_NONE);
}

static int says_judgement(const sch_key *k)
{
    return strstr(k->source, "assumption") != NULL || strncmp(k->source, "calibrated", 10) == 0;
}

/* A key whose source calls it an assumption or a calibration is a judgement
 * parameter and must carry a basis. Pending while a model has not started
 * on its priors (no key with a basis): the reassurance model's table is
 * filled separately, and this test then holds it to every such key. */
static void judgement_keys_carry_a_basis(void **st)
{
    (void)st;
    int started = 0, missing = 0;
    for (int mi = 0; model_names[mi] != NULL; mi++) {
        const model_def *m = model_find(model_names[mi]);
        int any = 0;
        for (size_t i = 0; i < m->n_keys; i++)
            any |= m->keys[i].basis != SCH_BASIS_NONE;
        if (!any)
            continue;
        started++;
        for (size_t i = 0; i < m->n_keys; i++) {
            const sch_key *k = &m->keys[i];
            if (says_judgement(k) && k->basis == SCH_BASIS_NONE) {
                print_error("%s: source \"%s\" but no basis\n", k->path, k->source);
                missing++;
            }
        }
    }
    if (started == 0)
        skip();
    assert_int_equal(missing, 0);
}

/* ---- malformed priors --------------------------------------------------- */

/* A sound row: a real in (0, 10], default 2, triangular prior [1, 2, 4]. */
static sch_key good_real(void)
{
    sch_key k = {"t.rate", SCH_REAL, 0, 2.0, 0, 10, 1, 0, NULL, "1/day", "a rate", "a source",
                 NULL, SCH_ASSUMPTION, {SCH_TRIANGULAR, 1, 2, 4, "because"}};
    return k;
}

static void assert_refused(const sch_key *k, const char *words)
{
    err e;
    err_clear(&e);
    assert_int_equal(sch_prior_check(k, &e), -1);
    assert_int_equal(e.kind, ERR_INPUT);
    assert_string_equal(e.key, k->path);
    if (strstr(e.msg, words) == NULL)
        fail_msg("\"%s\" does not say \"%s\"", e.msg, words);
}

static void assert_accepted(const sch_key *k)
{
    err e;
    err_clear(&e);
    if (sch_prior_check(k, &e) != 0)
        fail_msg("%s refused: %s", k->path, e.msg);
}

static void sound_priors_are_accepted(void **st)
{
    (void)st;
    sch_key k = good_real();
    assert_accepted(&k);
    k.prior = (sch_prior){SCH_UNIFORM, 1, 0, 4, "because"};
    assert_accepted(&k);
    k.prior = (sch_prior){SCH_LOGUNIFORM, 0.5, 0, 8, "because"};
    assert_accepted(&k);
    /* Bounds may touch a closed end of the valid range and the default. */
    k.prior = (sch_prior){SCH_UNIFORM, 2, 0, 10, "because"};
    assert_accepted(&k);
    k.prior = (sch_prior){SCH_TRIANGULAR, 2, 2, 3, "because"}; /* mode at lo */
    assert_accepted(&k);
    k.basis = SCH_EVIDENCE; /* evidence may have a prior... */
    assert_accepted(&k);
    k.prior = (sch_prior){0}; /* ...or not */
    assert_accepted(&k);
    k.basis = SCH_BASIS_NONE;
    assert_accepted(&k);
    /* An integer key: priors are on its numeric value. */
    sch_key n = {"t.troops", SCH_INT, 0, 300, 1, 1e7, 0, 0, NULL, "troops", "d", "s", NULL,
                 SCH_ASSUMPTION, {SCH_LOGUNIFORM, 100, 0, 1000, "within a factor of 3"}};
    assert_accepted(&n);
    /* A judgement on a choice or a boolean needs no prior: it is varied by
     * level, not over a range. */
    static const char *const ab[] = {"a", "b", NULL};
    sch_key c = {"t.mode", SCH_CHOICE, 0, 0, 0, 0, 0, 0, ab, "", "d", "s", NULL,
                 SCH_ASSUMPTION, {0}};
    assert_accepted(&c);
}

static void a_prior_on_a_non_numeric_key_is_refused(void **st)
{
    (void)st;
    sch_key k = {"t.flag", SCH_BOOL, 0, 0, 0, 1, 0, 0, NULL, "", "d", "s", NULL,
                 SCH_ASSUMPTION, {SCH_UNIFORM, 0, 0, 1, "because"}};
    assert_refused(&k, "only an integer or real key");
    static const char *const ab[] = {"a", "b", NULL};
    sch_key c = {"t.mode", SCH_CHOICE, 0, 0, 0, 0, 0, 0, ab, "", "d", "s", NULL,
                 SCH_ASSUMPTION, {SCH_UNIFORM, 0, 0, 1, "because"}};
    assert_refused(&c, "only an integer or real key");
}

static void lo_must_be_below_hi(void **st)
{
    (void)st;
    sch_key k = good_real();
    k.prior = (sch_prior){SCH_UNIFORM, 2, 0, 2, "because"};
    assert_refused(&k, "must be below hi");
    k.prior = (sch_prior){SCH_UNIFORM, 4, 0, 1, "because"};
    assert_refused(&k, "must be below hi");
    k.prior = (sch_prior){SCH_UNIFORM, NAN, 0, 4, "because"};
    assert_refused(&k, "finite");
    k.prior = (sch_prior){SCH_TRIANGULAR, 1, INFINITY, 4, "because"};
    assert_refused(&k, "finite");
}

static void triangular_mode_must_lie_in_the_range(void **st)
{
    (void)st;
    sch_key k = good_real();
    k.prior.mode = 0.5;
    assert_refused(&k, "mode 0.5 is outside");
    k.prior.mode = 4.5;
    assert_refused(&k, "mode 4.5 is outside");
    k.prior.mode = 4; /* the ends are allowed: a right triangle */
    assert_accepted(&k);
}

static void log_uniform_needs_a_positive_range(void **st)
{
    (void)st;
    sch_key k = good_real();
    k.lo = -10; /* the key itself allows values <= 0 */
    k.lo_open = 0;
    k.prior = (sch_prior){SCH_LOGUNIFORM, 0, 0, 4, "because"};
    assert_refused(&k, "must be positive");
    k.prior.lo = -1;
    assert_refused(&k, "must be positive");
    k.prior = (sch_prior){SCH_UNIFORM, -1, 0, 4, "because"}; /* fine for uniform */
    assert_accepted(&k);
}

static void the_prior_must_lie_in_the_valid_range(void **st)
{
    (void)st;
    sch_key k = good_real(); /* valid (0, 10] */
    k.def = 5;
    k.prior = (sch_prior){SCH_UNIFORM, 0, 0, 6, "because"}; /* lo on the open end */
    assert_refused(&k, "reaches outside the valid values (0, 10]");
    k.prior = (sch_prior){SCH_UNIFORM, -1, 0, 6, "because"};
    assert_refused(&k, "reaches outside");
    k.prior = (sch_prior){SCH_UNIFORM, 1, 0, 11, "because"};
    assert_refused(&k, "reaches outside");
    k.prior = (sch_prior){SCH_UNIFORM, 1, 0, 10, "because"}; /* hi on the closed end */
    assert_accepted(&k);
    k.hi_open = 1;
    assert_refused(&k, "reaches outside the valid values (0, 10)");
}

static void the_default_must_be_plausible(void **st)
{
    (void)st;
    sch_key k = good_real(); /* prior [1, 2, 4] */
    k.def = 0.5;
    assert_refused(&k, "the default 0.5 is outside [1, 4]");
    k.def = 4.5;
    assert_refused(&k, "the default 4.5 is outside [1, 4]");
    k.def = 4;
    assert_accepted(&k);
}

static void a_judgement_on_a_number_needs_a_prior(void **st)
{
    (void)st;
    sch_key k = good_real();
    k.prior = (sch_prior){0};
    k.basis = SCH_ASSUMPTION;
    assert_refused(&k, "a number whose basis is assumption needs a prior");
    k.basis = SCH_CALIBRATED;
    assert_refused(&k, "a number whose basis is calibrated needs a prior");
    k.type = SCH_INT;
    assert_refused(&k, "a number whose basis is calibrated needs a prior");
}

static void a_prior_needs_a_basis_and_a_reason(void **st)
{
    (void)st;
    sch_key k = good_real();
    k.basis = SCH_BASIS_NONE;
    assert_refused(&k, "needs a basis");
    k = good_real();
    k.prior.why = NULL;
    assert_refused(&k, "say why");
    k.prior.why = "";
    assert_refused(&k, "say why");
    k.prior.why = " \t";
    assert_refused(&k, "say why");
}

static void names(void **st)
{
    (void)st;
    assert_string_equal(sch_basis_name(SCH_BASIS_NONE), "");
    assert_string_equal(sch_basis_name(SCH_EVIDENCE), "evidence");
    assert_string_equal(sch_basis_name(SCH_CALIBRATED), "calibrated");
    assert_string_equal(sch_basis_name(SCH_ASSUMPTION), "assumption");
    assert_string_equal(sch_dist_name(SCH_DIST_NONE), "");
    assert_string_equal(sch_dist_name(SCH_UNIFORM), "uniform");
    assert_string_equal(sch_dist_name(SCH_TRIANGULAR), "triangular");
    assert_string_equal(sch_dist_name(SCH_LOGUNIFORM), "log-uniform");
}

/* ---- quantiles ---------------------------------------------------------- */

/* In double precision: cmocka's assert_float_equal converts to float, which
 * would pass any tolerance below 1e-7. */
#define assert_near(a, b, tol) near_at((a), (b), (tol), #a, __LINE__)
static void near_at(double a, double b, double tol, const char *what, int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("line %d: %s = %.17g, expected %.17g within %g", line, what, a, b, tol);
}

static const sch_prior PRIORS[] = {
    {SCH_UNIFORM, 0.05, 0, 0.2, "u"},
    {SCH_TRIANGULAR, 0.3, 0.5, 0.9, "t"},
    {SCH_TRIANGULAR, 0, 0, 1, "left edge"},
    {SCH_TRIANGULAR, 0, 1, 1, "right edge"},
    {SCH_LOGUNIFORM, 1, 0, 10000, "l"},
    {SCH_LOGUNIFORM, 0.001, 0, 0.1, "l"},
};
enum { N_PRIORS = sizeof PRIORS / sizeof PRIORS[0] };

static void quantiles_are_monotone_with_exact_ends(void **st)
{
    (void)st;
    for (int i = 0; i < N_PRIORS; i++) {
        const sch_prior *p = &PRIORS[i];
        assert_true(sch_prior_quantile(p, 0) == p->lo);
        assert_true(sch_prior_quantile(p, 1) == p->hi);
        assert_true(sch_prior_quantile(p, -0.5) == p->lo); /* clamped */
        assert_true(sch_prior_quantile(p, 1.5) == p->hi);
        assert_true(isnan(sch_prior_quantile(p, NAN)));
        double prev = p->lo;
        for (int j = 1; j <= 4096; j++) {
            double q = sch_prior_quantile(p, j / 4096.0);
            assert_true(q >= prev && q <= p->hi);
            prev = q;
        }
        /* Strictly increasing across the range: no flat stretch. */
        assert_true(sch_prior_quantile(p, 0.25) < sch_prior_quantile(p, 0.75));
    }
    sch_prior none = {0};
    assert_true(isnan(sch_prior_quantile(&none, 0.5)));
}

static void uniform_and_log_uniform_match_gsl(void **st)
{
    (void)st;
    const sch_prior u = PRIORS[0], l = PRIORS[4];
    for (int j = 0; j <= 100; j++) {
        double p = j / 100.0;
        assert_near(sch_prior_quantile(&u, p), gsl_cdf_flat_Pinv(p, u.lo, u.hi), 1e-15);
        /* log-uniform: log x is flat on [log lo, log hi]. */
        assert_near(log(sch_prior_quantile(&l, p)),
                           gsl_cdf_flat_Pinv(p, log(l.lo), log(l.hi)), 1e-12);
    }
    /* Medians: the midpoint, and the geometric mean. */
    assert_near(sch_prior_quantile(&u, 0.5), 0.125, 1e-15);
    assert_near(sch_prior_quantile(&l, 0.5), 100, 1e-10);
    assert_near(sch_prior_quantile(&l, 0.25), 10, 1e-11);
    assert_near(sch_prior_quantile(&PRIORS[5], 0.5), 0.01, 1e-15);
}

/* The triangular CDF, written from its density, to invert against. */
static double triangular_cdf(const sch_prior *p, double x)
{
    double w = p->hi - p->lo;
    if (x <= p->mode)
        return p->mode == p->lo ? 0 : (x - p->lo) * (x - p->lo) / (w * (p->mode - p->lo));
    return 1 - (p->hi - x) * (p->hi - x) / (w * (p->hi - p->mode));
}

static void triangular_inverts_its_cdf(void **st)
{
    (void)st;
    for (int i = 1; i <= 3; i++) {
        const sch_prior *p = &PRIORS[i];
        for (int j = 1; j < 100; j++) {
            double u = j / 100.0;
            assert_near(triangular_cdf(p, sch_prior_quantile(p, u)), u, 1e-12);
        }
    }
    /* [0.3, 0.5, 0.9]: F(mode) = 1/3, so the 1/3-quantile is the mode; the
     * mode is left of the midpoint, so the median is hi - sqrt(w (hi - mode) / 2). */
    const sch_prior *t = &PRIORS[1];
    assert_near(sch_prior_quantile(t, 1.0 / 3.0), 0.5, 1e-12);
    assert_near(sch_prior_quantile(t, 0.5), 0.9 - sqrt(0.6 * 0.4 / 2), 1e-12);
    /* A symmetric triangle's median is its mode; a right triangle on [0, 1]
     * peaking at 0 has median 1 - sqrt(1/2). */
    sch_prior sym = {SCH_TRIANGULAR, 2, 5, 8, "s"};
    assert_near(sch_prior_quantile(&sym, 0.5), 5, 1e-12);
    assert_near(sch_prior_quantile(&PRIORS[2], 0.5), 1 - sqrt(0.5), 1e-12);
    assert_near(sch_prior_quantile(&PRIORS[3], 0.5), sqrt(0.5), 1e-12);
}

/* Fed a stratified u (midpoints of n strata, as a Latin hypercube gives),
 * the quantiles average to the distribution's mean: the whole shape is
 * right, not only a few points. */
static void stratified_draws_have_the_right_mean(void **st)
{
    (void)st;
    for (int i = 0; i < N_PRIORS; i++) {
        const sch_prior *p = &PRIORS[i];
        double mean;
        switch (p->dist) {
        case SCH_UNIFORM: mean = (p->lo + p->hi) / 2; break;
        case SCH_TRIANGULAR: mean = (p->lo + p->mode + p->hi) / 3; break;
        default: mean = (p->hi - p->lo) / log(p->hi / p->lo); break;
        }
        const int n = 100000;
        double sum = 0;
        for (int j = 0; j < n; j++)
            sum += sch_prior_quantile(p, (j + 0.5) / n);
        assert_near(sum / n, mean, 1e-6 * (p->hi - p->lo));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_registered_prior_is_well_formed),
        cmocka_unit_test(validation_models_have_no_basis),
        cmocka_unit_test(judgement_keys_carry_a_basis),
        cmocka_unit_test(sound_priors_are_accepted),
        cmocka_unit_test(a_prior_on_a_non_numeric_key_is_refused),
        cmocka_unit_test(lo_must_be_below_hi),
        cmocka_unit_test(triangular_mode_must_lie_in_the_range),
        cmocka_unit_test(log_uniform_needs_a_positive_range),
        cmocka_unit_test(the_prior_must_lie_in_the_valid_range),
        cmocka_unit_test(the_default_must_be_plausible),
        cmocka_unit_test(a_judgement_on_a_number_needs_a_prior),
        cmocka_unit_test(a_prior_needs_a_basis_and_a_reason),
        cmocka_unit_test(names),
        cmocka_unit_test(quantiles_are_monotone_with_exact_ends),
        cmocka_unit_test(uniform_and_log_uniform_match_gsl),
        cmocka_unit_test(triangular_inverts_its_cdf),
        cmocka_unit_test(stratified_draws_have_the_right_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
