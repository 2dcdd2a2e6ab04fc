/* rng.h — independent random streams keyed by (seed, purpose, point, rep).
 *
 * The generator is Philox4x64-10 (Salmon et al., "Parallel random numbers:
 * as easy as 1, 2, 3", SC'11; Random123): a counter-based generator, a pure
 * bijection of a 256-bit counter under a 128-bit key. A stream is the
 * sequence of blocks for counters (point, rep, 0, 0), (point, rep, 1, 0),
 * ... under key (seed, purpose): creating or re-keying one is O(1), needs no
 * warm-up, and distinct (seed, purpose, point, rep) give streams that
 * Philox's design makes independent (it passes BigCrush for any key and any
 * counter increments).
 *
 * It is exposed as a GSL generator (rng_philox, a gsl_rng_type), so every
 * gsl_ran_* distribution works on it. gsl_rng_get() returns 64 random bits
 * (gsl_rng_max() = 2^64 - 1); gsl_rng_uniform() returns a multiple of 2^-53
 * in [0, 1). gsl_rng_set(r, s) keys the stream (s, 0, 0, 0).
 *
 * Ownership: rng_alloc's generator is freed with gsl_rng_free.
 * Thread-safety: a gsl_rng belongs to one thread; rng_philox is a read-only
 * descriptor.
 */
#ifndef REASSURE_RNG_H
#define REASSURE_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

extern const gsl_rng_type *const rng_philox;

/* gsl_rng_alloc(rng_philox); NULL when out of memory. */
gsl_rng *rng_alloc(void);

/* Re-keys r (which must be a rng_philox generator) to the start of stream
 * (seed, purpose, point, rep). O(1). */
void rng_stream(gsl_rng *r, uint64_t seed, uint64_t purpose, uint64_t point, uint64_t rep);

/* An exponential variate of mean `mean` (> 0): mean times an Exp(1) draw,
 * exact, from the exponential ziggurat (Marsaglia & Tsang 2000; see rng.c)
 * on a rng_philox generator: usually one 64-bit word per draw, rarely
 * more (1.1% of draws take a second or third word), so the words a draw
 * consumes depend on the draw but not on `mean` (common random numbers
 * hold across rates). Any other GSL generator: -mean log(u), u from
 * gsl_rng_uniform_pos. Use it wherever a model draws an exponential
 * (gsl_ran_exponential's log1p costs several times as much). */
double rng_exponential(gsl_rng *r, double mean);

/* The raw Philox4x64-10 bijection: out = philox(ctr, key). For tests against
 * Random123's known-answer vectors. */
void rng_philox4x64_10(const uint64_t ctr[4], const uint64_t key[2], uint64_t out[4]);

#endif
