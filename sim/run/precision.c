/* precision.c — --precision: sequential stopping in rounds.
 *
 * Every point first runs the scenario's replications (round 1, laid out
 * like any run). After each complete round rank 0 measures every active
 * point's widest 95% interval of a share of all replications, decides the
 * next round (wl_next_round: a pure function of the results so far, so the
 * run is deterministic for a seed) and tells every rank. At the end
 * /replications_used records each point's count.
 */
#include <stdlib.h>

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
    uint64_t c = wl_block_reps(*n_pts * (next - have), next - have, sh->opt->threads * sh->ranks);
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
