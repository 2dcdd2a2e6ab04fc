/* scn_design.h — the numbers behind lhs and sobol sweeps: designs in the
 * unit cube, and the map from a unit coordinate to a value of a swept key.
 *
 * A design is a table u[point][key] of coordinates in [0, 1); scn.c turns
 * each coordinate into a key's value with scn_design_value and stores the
 * table in the scenario.
 *
 *  - Latin hypercube (McKay, Beckman & Conover 1979): for each key j, the n
 *    points take the n strata [i/n, (i+1)/n) in a random order (a uniform
 *    permutation), each at a uniform position within its stratum. Key j's
 *    column draws from the Philox stream (seed, SCN_PURPOSE_LHS, j, 0), so
 *    the design is a pure function of (seed, n, key order), and a key's
 *    column does not depend on how many other keys are swept.
 *
 *  - Saltelli's scheme (Saltelli et al. 2010, Comput. Phys. Commun. 181:
 *    259-270) on GSL's Sobol sequence (gsl_qrng_sobol, Bratley & Fox's
 *    algorithm 659): row i of a 2k-dimensional sequence gives A_i (its
 *    first k coordinates) and B_i (its last k); the design lists, for each
 *    i, A_i, B_i, then AB_i^1 .. AB_i^k, where AB_i^j is A_i with
 *    coordinate j taken from B_i: N (k + 2) points for N rows. GSL's
 *    generator never returns the sequence's all-zero first point; it starts
 *    at the second, (1/2, ..., 1/2), whose A and B halves are equal — a base
 *    sample that says nothing about any index (f(AB^j) = f(A) = f(B)) — so
 *    that point is drawn and discarded: row i is the sequence's point i + 2
 *    (counting the all-zero point as 0). No randomness: the design depends
 *    on N and k only. GSL's Sobol sequence has at most 40 dimensions, hence
 *    at most SCN_MAX_SOBOL_KEYS keys.
 *
 * Random purposes: the models' streams use purposes 0 .. n_streams - 1
 * (run.h); streams that serve a whole run rather than a replication use
 * purposes from 2^20 up: SCN_PURPOSE_LHS here, SENS_PURPOSE_BOOTSTRAP in
 * sensitivity.h.
 *
 * Ownership: tables are the caller's. Thread-safety: pure functions.
 */
#ifndef REASSURE_SCN_DESIGN_H
#define REASSURE_SCN_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "scn.h"

#define SCN_PURPOSE_LHS UINT64_C(0x100001)

/* Limits of a design: its points are stored (32 bytes a value), so at most
 * SCN_MAX_DESIGN_POINTS points and SCN_MAX_DESIGN_VALUES values (points x
 * keys, 128 MB). */
enum {
    SCN_MAX_SOBOL_KEYS = 20,
    SCN_MAX_DESIGN_POINTS = 1000000,
    SCN_MAX_DESIGN_VALUES = 4000000
};

/* u[i * k + j], i < n, j < k: a Latin hypercube of n points in [0, 1)^k from
 * the scenario seed. Returns 0, or -1 when out of memory. */
int scn_design_lhs(uint64_t seed, size_t n, size_t k, double *u);

/* u[p * k + j], p < n (k + 2), j < k: Saltelli's A, B, AB^1..AB^k rows for
 * n base samples (see above); 1 <= k <= SCN_MAX_SOBOL_KEYS. Returns 0, or
 * -1 when out of memory. */
int scn_design_sobol(size_t n, size_t k, double *u);

/* The value of swept key w at unit coordinate u in [0, 1) (lhs, sobol; see
 * scn_swept in scn.h). Always within [lo, hi] (or one of the levels). */
sch_value scn_design_value(const scn_swept *w, double u);

#endif
