/* prim.h — PRIM, the Patient Rule Induction Method, for scenario discovery.
 *
 * Given n cases (worlds of an uncertainty design), k real inputs per case
 * and a 0/1 outcome (1 = "of interest", e.g. "option A did worse than B"),
 * PRIM looks for a box — an interval per input — that holds most of the
 * cases of interest (coverage) and few of the others (density): the
 * conditions under which the outcome of interest happens (Friedman & Fisher
 * 1999, "Bump hunting in high-dimensional data"; Bryant & Lempert 2010,
 * "Thinking inside the box", for its use in scenario discovery).
 *
 * Peeling: starting from the box of all cases, each step considers, for
 * each input and each side, removing the peel_alpha share of the cases in
 * the box with the lowest (highest) values of that input — at least one
 * case, and the whole group of a tied value, so a discrete input is peeled
 * value by value and an input constant within the box is not peeled — and
 * takes the peel leaving the highest share of cases of interest in the box
 * (ties: the peel leaving more cases, then the lower input, then the low
 * side). Peeling stops when every peel would leave fewer than
 * min_mass * n cases, or removes nothing.
 *
 * Choice: of the boxes of the trajectory with coverage >= min_coverage,
 * the one of highest density; ties go to higher coverage, then to fewer
 * restricted inputs, then to the earlier box. (The first box, all cases,
 * has coverage 1, so there is always one.)
 *
 * Pasting: the chosen box is then widened along one input at a time, each
 * step adding the paste_alpha share (of the cases in the box; at least
 * one, whole tied groups) of the nearest cases outside it that the other
 * bounds admit, the widening of highest density first, for as long as the
 * density does not fall. Each widening is a step of the trajectory
 * (pasted = 1); the choice is then made again over the whole trajectory,
 * which picks the last pasted box when there is one (its density is no
 * lower and its coverage higher). Pasting the chosen box rather than the
 * last peeled one (as Friedman & Fisher and the EMA Workbench do) lets it
 * undo a peel that overshot, where it matters.
 *
 * Bounds are closed and are values of the data: a case is inside when
 * lo[j] <= x[j] <= hi[j] for every input j; an input not restricted has
 * lo = its minimum and hi = its maximum over all n cases; an input is
 * restricted when its bounds exclude at least one case on their own
 * (lo > minimum or hi < maximum). Bounds are in the inputs' own units.
 *
 * Quasi-p-value of a restricted input j of the chosen box (Bryant &
 * Lempert 2010, as in the EMA Workbench): with the bounds on j dropped, the
 * box holds T_j cases of which H_j of interest; the quasi-p-value is the
 * probability that Binomial(n_inside, H_j / T_j) is at least the box's
 * n_interest_inside — small when the restriction on j really raises the
 * density. It is one-sided, not corrected for the search, and a guide
 * only.
 *
 * No case of interest (y all 0): nothing to find. prim_find succeeds with
 * a trajectory of one box (all cases, nothing restricted), chosen = 0,
 * coverage 0 (0 of 0 cases of interest, by convention), density 0;
 * n_interest = 0 tells the caller that there is no box of interest.
 *
 * Determinism: a pure function of its arguments (no random numbers, no
 * threads, one fixed order of evaluation): the same input gives the same
 * result, bit for bit. Cost: O(n k log n) to sort the inputs, then
 * O(n k) per step, about log(min_mass) / log(1 - peel_alpha) steps (58
 * with the defaults).
 *
 * Ownership: prim_find allocates the result; the caller frees it with
 * prim_free. The inputs are only read. Thread-safety: no shared state;
 * calls on different results run in parallel safely.
 */
#ifndef REASSURE_PRIM_H
#define REASSURE_PRIM_H

#include <stddef.h>

#include "err.h"

typedef struct prim_params {
    double peel_alpha;   /* share of the box peeled per step, (0, 0.5]; 0.05 */
    double paste_alpha;  /* share of the box pasted per step, [0, 0.5], 0 = no pasting; 0.05 */
    double min_mass;     /* a box keeps at least this share of all cases, [0, 1]; 0.05 */
    double min_coverage; /* the chosen box's least coverage, [0, 1]; 0.8 */
} prim_params;

/* The defaults above, for a caller to start from. */
#define PRIM_PARAMS_DEFAULT {0.05, 0.05, 0.05, 0.8}

/* One box of the trajectory. */
typedef struct prim_step {
    double coverage;       /* share of all cases of interest inside; 0 when there are none */
    double density;        /* share of the cases inside that are of interest */
    double mass;           /* share of all cases inside */
    size_t n_inside;       /* cases inside */
    size_t n_interest_inside; /* cases of interest inside */
    size_t n_restricted;   /* inputs restricted */
    int pasted;            /* 1 for a pasting step, 0 for the first box and peeling steps */
    const double *lo;      /* k lower bounds (into the result; freed with it) */
    const double *hi;      /* k upper bounds */
} prim_step;

/* One input of the chosen box. */
typedef struct prim_dim {
    double lo, hi;  /* bounds, closed, in the input's units */
    int restricted; /* lo > the input's minimum or hi < its maximum */
    double quasi_p; /* quasi-p-value of the restriction; NaN when not restricted */
} prim_dim;

typedef struct prim_result {
    size_t n, k;         /* cases, inputs */
    size_t n_interest;   /* cases with y = 1 */
    size_t n_steps;      /* boxes of the trajectory, >= 1 */
    prim_step *steps;    /* the trajectory: [0] all cases, then peeling, then pasting */
    size_t n_peeled;     /* steps[0 .. n_peeled-1] are the first box and the peeling steps */
    size_t chosen;       /* index of the chosen box in steps */
    prim_dim *box;       /* k inputs of the chosen box */
    double *bounds;      /* the block that steps[].lo and .hi point into */
    /* the chosen box's figures (as steps[chosen]) */
    double coverage, density, mass;
    size_t n_inside, n_interest_inside, n_restricted;
} prim_result;

/* Runs PRIM on n cases: x holds n rows of k inputs (row-major, x[i*k + j],
 * finite), y n outcomes (0 or 1), p the parameters (NULL: the defaults).
 * On success *out holds the result (free with prim_free) and 0 is
 * returned. On bad input (n = 0 or more than UINT_MAX, k = 0, a
 * non-finite x, a y other than 0 or 1, a parameter out of range) returns -1, *out = NULL and e says which
 * (ERR_INPUT; key names the parameter, or "x"/"y" with the case and input
 * in the message); out of memory: -1, ERR_RUNTIME. */
int prim_find(const double *x, const int *y, size_t n, size_t k, const prim_params *p,
              prim_result **out, err *e);

/* Frees a result (NULL is fine). */
void prim_free(prim_result *r);

#endif
