/* rng.c — Philox4x64-10 as a GSL generator with keyed streams (see rng.h).
 *
 * Design, and why:
 *
 *  - Philox4x64-10 is written out exactly as Random123 defines it (philox.h:
 *    multipliers PHILOX_M4x64_0/1, Weyl key increments PHILOX_W64_0/1, ten
 *    rounds), so rng_philox4x64_10 reproduces Random123's known-answer
 *    vectors. Each round multiplies two of the four words into 128-bit
 *    products (unsigned __int128: one mul instruction on x86-64 and AArch64)
 *    and swaps their halves into the other words, XORed with the round key.
 *
 *  - A generator's state is the key (seed, purpose), the counter of the next
 *    block (point, rep, block index, 0), the four words of the current block
 *    and how many of them have been handed out. Keying only writes these
 *    words and marks the block used up, so rng_stream is O(1) and costs no
 *    Philox call; the first draw computes block 0. The block index wraps
 *    after 2^64 blocks (2^66 draws, centuries at any real rate); we accept
 *    that rather than carry into the last counter word.
 *
 *  - gsl_rng_get returns whole 64-bit words, so the GSL type needs an
 *    unsigned long of 64 bits (LP64: Linux, macOS); this is checked at
 *    compile time. gsl_rng_uniform takes the top 53 bits of a word times
 *    2^-53: every double in [0, 1) that is a multiple of 2^-53, equally
 *    likely, and never 1.0 (converting a full 64-bit word to double would
 *    round the largest words up to 1.0).
 *
 *  - rng_alloc does what gsl_rng_alloc does (malloc the gsl_rng, calloc
 *    type->size bytes of state, gsl_rng_set to gsl_rng_default_seed), but
 *    returns NULL when out of memory: gsl_rng_alloc calls the GSL error
 *    handler, whose default aborts. gsl_rng_free frees both blocks with
 *    free(), so it frees ours as well.
 *
 *  - rng_exponential is the exponential ziggurat of Marsaglia and Tsang
 *    ("The ziggurat method for generating random variables", J. Stat.
 *    Softw. 5(8), 2000), with 256 pieces of equal area (tables in
 *    rng_exp_table.h, printed by tools/ziggurat.c). It is exact: every
 *    draw is a point uniform under the density, accepted or rejected
 *    against exp(-x) itself, and the tail beyond R = 7.697 is R plus a
 *    fresh Exp(1) (the exponential has no memory), drawn as -log of a
 *    uniform on (0, 1]. One 64-bit word gives the piece (its low 8 bits)
 *    and the abscissa (its top 53 bits) from disjoint bits, so they are
 *    independent (the 32-bit original took both from one word's
 *    overlapping bits; Doornik 2005). 98.9% of draws cost one word, a
 *    table look-up and a multiply; gsl_ran_exponential's log1p was 42% of
 *    an M/M/1 replication's time. On a Philox generator the words are
 *    read from its state directly (no call through the GSL type); on any
 *    other generator it is -mean log(u), u uniform on (0, 1) (GSL's
 *    gsl_rng_uniform_pos).
 *
 * Nothing here is global but the read-only type descriptor and tables.
 */
#include "rng.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "rng_exp_table.h"

_Static_assert(ULONG_MAX == UINT64_MAX, "gsl_rng_get must return 64-bit words");

__extension__ typedef unsigned __int128 u128;

#define PHILOX_M0 UINT64_C(0xD2E7470EE14C6C93) /* round multipliers */
#define PHILOX_M1 UINT64_C(0xCA5A826395121157)
#define PHILOX_W0 UINT64_C(0x9E3779B97F4A7C15) /* key increments: golden ratio, */
#define PHILOX_W1 UINT64_C(0xBB67AE8584CAA73B) /* sqrt(3) - 1 */
#define PHILOX_ROUNDS 10

typedef struct philox_state {
    uint64_t key[2];   /* (seed, purpose) */
    uint64_t ctr[4];   /* (point, rep, index of the next block, 0) */
    uint64_t block[4]; /* Philox output for the current block */
    unsigned used;     /* words of block already returned; 4 = none left */
} philox_state;

void rng_philox4x64_10(const uint64_t ctr[4], const uint64_t key[2], uint64_t out[4])
{
    uint64_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint64_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < PHILOX_ROUNDS; round++) {
        u128 p0 = (u128)PHILOX_M0 * c0;
        u128 p1 = (u128)PHILOX_M1 * c2;
        c0 = (uint64_t)(p1 >> 64) ^ c1 ^ k0;
        c1 = (uint64_t)p1;
        c2 = (uint64_t)(p0 >> 64) ^ c3 ^ k1;
        c3 = (uint64_t)p0;
        k0 += PHILOX_W0; /* the key bump after the last round is unused */
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

static void key_stream(philox_state *s, uint64_t seed, uint64_t purpose,
                       uint64_t point, uint64_t rep)
{
    s->key[0] = seed;
    s->key[1] = purpose;
    s->ctr[0] = point;
    s->ctr[1] = rep;
    s->ctr[2] = 0;
    s->ctr[3] = 0;
    s->used = 4;
}

static void philox_set(void *state, unsigned long seed)
{
    key_stream(state, seed, 0, 0, 0);
}

/* The next block, once every four words: kept out of line so that the
 * word fetch below inlines into its callers as a load and an increment. */
static __attribute__((noinline)) void next_block(philox_state *s)
{
    rng_philox4x64_10(s->ctr, s->key, s->block);
    s->ctr[2]++;
    s->used = 0;
}

static inline uint64_t next_word(philox_state *s)
{
    if (s->used == 4)
        next_block(s);
    return s->block[s->used++];
}

static unsigned long philox_get(void *state)
{
    return next_word(state);
}

static double philox_get_double(void *state)
{
    return (double)(philox_get(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type philox_type = {
    .name = "philox4x64-10",
    .max = 0xFFFFFFFFFFFFFFFFUL,
    .min = 0,
    .size = sizeof(philox_state),
    .set = philox_set,
    .get = philox_get,
    .get_double = philox_get_double,
};

const gsl_rng_type *const rng_philox = &philox_type;

gsl_rng *rng_alloc(void)
{
    gsl_rng *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    r->state = calloc(1, philox_type.size);
    if (r->state == NULL) {
        free(r);
        return NULL;
    }
    r->type = rng_philox;
    gsl_rng_set(r, gsl_rng_default_seed);
    return r;
}

void rng_stream(gsl_rng *r, uint64_t seed, uint64_t purpose, uint64_t point, uint64_t rep)
{
    assert(r->type == rng_philox);
    key_stream(r->state, seed, purpose, point, rep);
}

/* A uniform on (0, 1]: (top 53 bits + 1) 2^-53, never 0. */
static inline double unit_pos(philox_state *s)
{
    return (double)((next_word(s) >> 11) + 1) * 0x1.0p-53;
}

static double exp1_philox(philox_state *s)
{
    for (;;) {
        uint64_t word = next_word(s);
        unsigned i = (unsigned)(word & 0xFF);
        uint64_t j = word >> 11;
        double x = (double)j * zig_w[i];
        if (j < zig_k[i])
            return x; /* inside the layer's rectangle: 98.9% of draws */
        if (i == 0)
            return ZIG_R - log(unit_pos(s)); /* the tail: R + Exp(1) */
        /* The wedge between the rectangle and the curve: y uniform in
         * [f(x_i), f(x_{i-1})], accepted when under exp(-x). */
        double u = (double)(next_word(s) >> 11) * 0x1.0p-53;
        double y = zig_f[i] + u * (zig_f[i - 1] - zig_f[i]);
        if (y < exp(-x))
            return x;
    }
}

double rng_exponential(gsl_rng *r, double mean)
{
    if (r->type == rng_philox)
        return mean * exp1_philox(r->state);
    return -mean * log(gsl_rng_uniform_pos(r));
}
