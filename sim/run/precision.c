/* precision.c — --precision: sequential stopping in rounds.
 *
 * Every point first runs the scenario's replications (round 1, laid out
 * like any run). After each complete round rank 0 measures every active
 * point's widest 95% interval of a share of all replications, decides the
 * next round (wl_next_round: a pure function of the results so far, so the
 * run is deterministic for a seed) and tells every rank. At the end
 * /replications_used records each point's count.
 *
 * Resuming: the file's rows are the rounds' rows in order, a prefix of
 * the uninterrupted run's. prec_resume replays the rounds from them —
 * folds a round's rows, takes the same decision the run took (the same
 * pure function of the same accumulators), and so on — until the rows run
 * out, partway through a round (or at its end) where the run goes on.
 * A run that keeps not every row (--rows none or sample:N) cannot replay
 * them: it saves the round under way (/precision_round) beside its
 * accumulators (/fold_state), and prec_restore goes on from there.
 */
#include <stdlib.h>
#include <string.h>

#include "run_private.h"

/* The widest 95% interval of point p's shares of all replications, as a
 * half-width (rank 0, after a round). */
static double widest_half_width(void *ctx, uint64_t p)
{
    const shared *sh = ctx;
    const model_def *m = sh->s->model;
    double w = 0;
    for (int i = 0; i < m->n_summaries; i++) {
        /* Shares of all replications only: a conditional share (its n is
         * the replications where it applies) and a quantile (in the
         * measure's unit) do not set the stopping rule. */
        if (m->summaries[i].kind != SUMMARY_P_OUTCOME && m->summaries[i].kind != SUMMARY_P_GE)
            continue;
        summary_row row;
        acc_summary(sh->a, (size_t)p, i, &row);
        double h = 0.5 * (row.ci_high - row.ci_low);
        if (h > w)
            w = h;
    }
    return w;
}

int prec_next_round(shared *sh, uint64_t *pts, uint64_t *n_pts, uint64_t first_batch,
                    uint64_t cap)
{
    uint64_t have = sh->l.rep_lo + sh->l.nr; /* the round just done ended there */
    uint64_t hdr[2] = {0, have};
    if (sh->rank == 0) {
        hdr[1] = wl_next_round(pts, n_pts, have, first_batch, sh->opt->precision,
                               sh->opt->max_replications, widest_half_width, sh);
        hdr[0] = *n_pts;
    }
    par_bcast(hdr, sizeof hdr, 0);
    *n_pts = hdr[0];
    if (hdr[0] > 0)
        par_bcast(pts, (size_t)hdr[0] * sizeof *pts, 0);
    if (*n_pts == 0)
        return 0;
    uint64_t next = hdr[1];
    uint64_t c = acc_fold_reps(*n_pts * (next - have), next - have);
    wl_layout_init(&sh->l, pts, *n_pts, have, next, 0, c < cap ? c : cap);
    return 1;
}

int prec_write_used(shared *sh, err *e)
{
    size_t np = sh->s->n_points;
    uint64_t *used = calloc(np, sizeof *used);
    if (used == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (size_t p = 0; p < np; p++)
        used[p] = acc_count(sh->a, p);
    int rc = out_u64_matrix(sh->o, "/replications_used", used, np, 1, e);
    if (rc == 0)
        rc = out_attr_str(sh->o, "/replications_used", "meaning",
                          "replications run at each point ([point][0]): --precision stops "
                          "a point once its every p_* interval is narrow enough", e);
    free(used);
    return rc;
}

/* Row k of the file, in a round of pts[0..n) x replications [have, have +
 * nr) that starts at row k0: which (point, rep) it must be. */
typedef struct round_rows {
    const uint64_t *pts;
    uint64_t k0, have, nr;
} round_rows;

static void round_row_at(void *ctx, uint64_t k, uint64_t *point, uint64_t *rep)
{
    const round_rows *rr = ctx;
    uint64_t j = k - rr->k0;
    *point = rr->pts[j / rr->nr];
    *rep = rr->have + j % rr->nr;
}

int prec_resume(shared *sh, out_reader *prev, const char *path, uint64_t rows, uint64_t *pts,
                uint64_t *n_pts, uint64_t first_batch, uint64_t cap, err *e)
{
    const run_options *opt = sh->opt;
    uint64_t have = sh->share->rep_lo, next = sh->share->rep_hi, k0 = 0, left = rows;
    for (;;) {
        uint64_t nr = next - have, in_round = *n_pts * nr;
        uint64_t n = left < in_round ? left : in_round;
        round_rows rr = {pts, k0, have, nr};
        uint64_t c = acc_fold_reps(in_round, nr);
        acc_grid(sh->a, have - sh->share->rep_lo, nr, c < cap ? c : cap);
        if (res_copy_rows_at(prev, path, k0, n, sh->s->model, round_row_at, &rr, sh->a, sh->o,
                             sh->table, e) < 0)
            return -1;
        k0 += n;
        left -= n;
        if (left == 0) {
            wl_layout_init(&sh->l, pts, *n_pts, have, next, n, c < cap ? c : cap);
            return 0;
        }
        uint64_t after = wl_next_round(pts, n_pts, next, first_batch, opt->precision,
                                       opt->max_replications, widest_half_width, sh);
        if (*n_pts == 0)
            return err_set(e, ERR_RUNTIME, path, 0, NULL,
                           "/replications holds %llu rows, more than this --precision run "
                           "makes (%llu): damaged", (unsigned long long)rows,
                           (unsigned long long)k0);
        have = next;
        next = after;
    }
}

int prec_share_round(shared *sh, uint64_t *pts, uint64_t *n_pts)
{
    uint64_t hdr[5] = {*n_pts, sh->l.rep_lo, sh->l.rep_lo + sh->l.nr, sh->l.start, sh->l.cap};
    if (par_bcast(hdr, sizeof hdr, 0) < 0 ||
        (hdr[0] > 0 && par_bcast(pts, (size_t)hdr[0] * sizeof *pts, 0) < 0))
        return -1;
    *n_pts = hdr[0];
    if (sh->rank != 0)
        wl_layout_init(&sh->l, pts, hdr[0], hdr[1], hdr[2], hdr[3], hdr[4]);
    return 0;
}

/* The round under way as words: replications [have, next), the rows of
 * it done, its blocks' size, its points. */
enum { ROUND_HEAD = 5 };

int prec_save_round(shared *sh, err *e)
{
    const wl_layout *l = &sh->l;
    uint64_t *w = malloc((ROUND_HEAD + l->n_points) * sizeof *w);
    if (w == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    w[0] = l->rep_lo;
    w[1] = l->rep_lo + l->nr;
    w[2] = l->rows - (sh->round_end - sh->done); /* the round's rows committed */
    w[3] = l->cap;
    w[4] = l->n_points;
    memcpy(w + ROUND_HEAD, l->points, l->n_points * sizeof *w);
    int rc = res_save_words(sh->o, "/precision_round", w, ROUND_HEAD + l->n_points,
                            "the --precision round under way when an interrupted --rows none or "
                            "sample:N run stopped, for --resume: replications from, to, rows of "
                            "the round done, replications per block, points, then the points",
                            e);
    free(w);
    return rc;
}

int prec_restore(shared *sh, out_reader *prev, const char *path, uint64_t *pts,
                 uint64_t *n_pts, err *e)
{
    size_t rows = 0;
    uint64_t *w = NULL;
    int rc = res_load_words(prev, path, "/precision_round",
                            "an interrupted --precision run without every row", &w, &rows, e);
    int ok = rc == 0 && rows >= ROUND_HEAD &&
             w[4] == rows - ROUND_HEAD && w[4] <= *n_pts && w[0] < w[1] && w[3] >= 1 &&
             w[2] <= w[4] * (w[1] - w[0]);
    for (size_t k = 0; ok && k < w[4]; k++)
        ok = w[ROUND_HEAD + k] >= sh->share->point_lo && w[ROUND_HEAD + k] < sh->share->point_hi &&
             (k == 0 || w[ROUND_HEAD + k] > w[ROUND_HEAD + k - 1]);
    if (rc == 0 && !ok)
        rc = err_set(e, ERR_RUNTIME, path, 0, NULL,
                     "/precision_round is not a round of this run: damaged");
    if (rc == 0) {
        *n_pts = w[4];
        memcpy(pts, w + ROUND_HEAD, *n_pts * sizeof *pts);
        wl_layout_init(&sh->l, pts, *n_pts, w[0], w[1], w[2], w[3]);
        run_fold_grid(sh);
    }
    free(w);
    return rc;
}
