/* pairs.c — paired contrasts folded as the rows are committed (pairs.h). */
#include "pairs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "uncertainty.h"

struct pairs {
    const model_def *m;
    unc_shape u;
    int rows[CONTRAST_MAX_ROWS]; /* the compared summary rows (contrast_rows) */
    size_t nr;
    uint64_t reps;         /* replications per point */
    size_t n_kept;         /* points [0, n_kept) keep their values */
    double *kept;          /* [point][rep][row] */
    contrast_acc *sums;    /* [point][row], for points of members other than the reference */
    uint64_t *seen;        /* [point]: rows added */
    size_t n_points;
    int broken;            /* a row out of order: the sums cannot be trusted */
};

static size_t budget(void)
{
    const char *v = getenv("REASSURE_TEST_PAIRS_BUDGET");
    return v != NULL ? (size_t)strtoull(v, NULL, 10) : PAIRS_BUDGET;
}

int pairs_fit(const scenario *s)
{
    if (s->n_cases == 0 && s->n_worlds == 0)
        return 0;
    unc_shape u = unc_shape_of(s);
    if (u.n_members < 2 || s->replications < 1)
        return 0;
    int rows[CONTRAST_MAX_ROWS];
    size_t nr = contrast_rows(s->model, rows);
    size_t kept = (u.baseline + 1) * u.n_groups * u.n_worlds;
    double bytes = (double)kept * (double)s->replications * (double)nr * sizeof(double);
    return bytes <= (double)budget();
}

pairs *pairs_alloc(const scenario *s)
{
    if (!pairs_fit(s))
        return NULL;
    unc_shape u = unc_shape_of(s);
    const model_def *m = s->model;
    int rows[CONTRAST_MAX_ROWS];
    size_t nr = contrast_rows(m, rows);
    size_t kept = (u.baseline + 1) * u.n_groups * u.n_worlds;
    pairs *pr = calloc(1, sizeof *pr);
    if (pr == NULL)
        return NULL;
    pr->m = m;
    pr->u = u;
    memcpy(pr->rows, rows, sizeof rows);
    pr->nr = nr;
    pr->reps = (uint64_t)s->replications;
    pr->n_kept = kept;
    pr->n_points = s->n_points;
    pr->kept = malloc(kept * (size_t)pr->reps * nr * sizeof *pr->kept);
    pr->sums = calloc(s->n_points * nr, sizeof *pr->sums);
    pr->seen = calloc(s->n_points, sizeof *pr->seen);
    if (pr->kept == NULL || pr->sums == NULL || pr->seen == NULL) {
        pairs_free(pr);
        return NULL;
    }
    return pr;
}

void pairs_free(pairs *pr)
{
    if (pr == NULL)
        return;
    free(pr->kept);
    free(pr->sums);
    free(pr->seen);
    free(pr);
}

static double *kept_at(const pairs *pr, size_t p, uint64_t rep)
{
    return pr->kept + (p * (size_t)pr->reps + (size_t)rep) * pr->nr;
}

/* Folds the pair (reference value a, member value b) of every row. */
static void fold(pairs *pr, size_t pb, const double *a, const double *b)
{
    contrast_acc *s = pr->sums + pb * pr->nr;
    for (size_t i = 0; i < pr->nr; i++)
        if (!isnan(a[i]) && !isnan(b[i]))
            contrast_acc_add(&s[i], a[i], b[i]);
}

void pairs_add(pairs *pr, size_t p, uint64_t rep, int32_t outcome, const double *values)
{
    if (pr == NULL || pr->broken)
        return;
    if (p >= pr->n_points || rep != pr->seen[p] || rep >= pr->reps) {
        pr->broken = 1;
        return;
    }
    pr->seen[p]++;
    const unc_shape *u = &pr->u;
    double v[CONTRAST_MAX_ROWS];
    for (size_t i = 0; i < pr->nr; i++)
        v[i] = contrast_row_value(&pr->m->summaries[pr->rows[i]], outcome, values);
    size_t option = p / u->n_worlds, w = p % u->n_worlds;
    size_t member = option / u->n_groups, g = option % u->n_groups;
    if (p < pr->n_kept)
        memcpy(kept_at(pr, p, rep), v, pr->nr * sizeof *v);
    if (member < u->baseline)
        return; /* paired when the reference's row arrives */
    if (member == u->baseline) {
        for (size_t j = 0; j < u->baseline; j++) {
            size_t pj = unc_point(u, unc_option(u, g, j), w);
            if (pr->seen[pj] <= rep) {
                pr->broken = 1;
                return;
            }
            fold(pr, pj, v, kept_at(pr, pj, rep));
        }
        return;
    }
    size_t pa = unc_point(u, unc_option(u, g, u->baseline), w);
    if (pr->seen[pa] <= rep) {
        pr->broken = 1;
        return;
    }
    fold(pr, p, kept_at(pr, pa, rep), v);
}

_Static_assert(sizeof(contrast_acc) == 8 * sizeof(uint64_t), "contrast_acc is 8 words");

static size_t kept_words(const pairs *pr)
{
    return pr->n_kept * (size_t)pr->reps * pr->nr;
}

size_t pairs_state_words(const pairs *pr)
{
    if (pr == NULL)
        return 0;
    return 1 + pr->n_points + pr->n_points * pr->nr * 8 + kept_words(pr);
}

uint64_t *pairs_save(const pairs *pr, uint64_t *w)
{
    if (pr == NULL)
        return w;
    *w++ = (uint64_t)pr->broken;
    memcpy(w, pr->seen, pr->n_points * sizeof *w);
    w += pr->n_points;
    memcpy(w, pr->sums, pr->n_points * pr->nr * sizeof *pr->sums);
    w += pr->n_points * pr->nr * 8;
    memcpy(w, pr->kept, kept_words(pr) * sizeof *w);
    return w + kept_words(pr);
}

size_t pairs_load(pairs *pr, const uint64_t *w, size_t n)
{
    size_t need = pairs_state_words(pr);
    if (pr == NULL || n < need)
        return 0;
    pr->broken = w[0] != 0;
    w++;
    memcpy(pr->seen, w, pr->n_points * sizeof *w);
    w += pr->n_points;
    memcpy(pr->sums, w, pr->n_points * pr->nr * sizeof *pr->sums);
    w += pr->n_points * pr->nr * 8;
    memcpy(pr->kept, w, kept_words(pr) * sizeof *w);
    return need;
}

int pairs_ready(const pairs *pr)
{
    if (pr == NULL || pr->broken)
        return 0;
    for (size_t p = 0; p < pr->n_points; p++)
        if (pr->seen[p] != pr->reps)
            return 0;
    return 1;
}

size_t pairs_contrast(const pairs *pr, size_t pb, contrast_row *out)
{
    const unc_shape *u = &pr->u;
    size_t option = pb / u->n_worlds, w = pb % u->n_worlds;
    size_t g = option % u->n_groups;
    size_t pa = unc_point(u, unc_option(u, g, u->baseline), w);
    for (size_t i = 0; i < pr->nr; i++)
        contrast_acc_row(&pr->sums[pb * pr->nr + i], &pr->m->summaries[pr->rows[i]],
                         (uint32_t)pa, (uint32_t)pb, &out[i]);
    return pr->nr;
}
