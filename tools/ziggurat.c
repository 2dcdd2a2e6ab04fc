/* ziggurat.c — prints sim/engine/rng_exp_table.h, the tables of the
 * exponential ziggurat of rng_exponential (rng.h).
 *
 *   cc -O2 tools/ziggurat.c -lm -o /tmp/ziggurat && /tmp/ziggurat > sim/engine/rng_exp_table.h
 *
 * The ziggurat (Marsaglia & Tsang, "The ziggurat method for generating
 * random variables", J. Stat. Softw. 5(8), 2000) covers the density
 * f(x) = exp(-x) with 256 pieces of equal area V: layers 1..255 are
 * rectangles [0, x_i] x [f(x_i), f(x_{i-1})], with x_0 = 0 < x_1 < ... <
 * x_255 = R, and piece 0 is the rectangle [0, R] x [0, f(R)] plus the tail
 * beyond R, so V = R f(R) + exp(-R). R is the one value for which the
 * recurrence x_{i-1} = -log(V / x_i + f(x_i)) started at x_255 = R ends at
 * x_0 = 0; it is found here by bisection in long double (Marsaglia and
 * Tsang give R = 7.697117470131487, V = 3.949659822581572e-3; Doornik,
 * "An improved ziggurat method to generate normal random samples", 2005,
 * R = 7.69711747013104972, as found here).
 *
 * Tables, for a 64-bit word with the piece i in its low 8 bits and j, its
 * top 53 bits, as the uniform (disjoint bits: the piece and the abscissa
 * are independent, unlike the 32-bit original, Doornik 2005):
 *   k[i]  accept x = j w[i] at once when j < k[i] (inside layer i's
 *         rectangle under the curve: x < x_{i-1}); k[0] = 2^53 R / (V / f(R))
 *   w[i]  x_i 2^-53 (w[0]: (V / f(R)) 2^-53, piece 0 as one wide rectangle)
 *   f[i]  f(x_i) (f[0] = 1)
 * The values are printed as hexadecimal floats, exactly what the long
 * double computation rounds to.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define N 256

/* x[1..N-1] from R; returns the top layer's mismatch V / x_1 + f(x_1) - 1
 * (> 0: R too large... or the recurrence left (0, inf)). */
static long double layers(long double r, long double *x, long double *v)
{
    *v = r * expl(-r) + expl(-r);
    x[N - 1] = r;
    for (int i = N - 1; i >= 2; i--) {
        long double a = *v / x[i] + expl(-x[i]);
        if (a >= 1.0L)
            return 1.0L; /* the layers reached the top too early: R too small */
        x[i - 1] = -logl(a);
    }
    return *v / x[1] + expl(-x[1]) - 1.0L;
}

int main(void)
{
    long double x[N], v, lo = 7.0L, hi = 8.5L;
    for (int it = 0; it < 200; it++) {
        long double mid = 0.5L * (lo + hi);
        if (layers(mid, x, &v) > 0)
            lo = mid;
        else
            hi = mid;
    }
    long double r = 0.5L * (lo + hi);
    layers(r, x, &v);
    x[0] = 0.0L;
    const long double two53 = 9007199254740992.0L;

    printf("/* rng_exp_table.h — tables of the exponential ziggurat (rng.c), printed by\n"
           " * tools/ziggurat.c; do not edit. 256 pieces of area V = %.17Lg;\n"
           " * R = %.17Lg. */\n",
           v, r);
    printf("#define ZIG_R %a\n\n", (double)r);
    printf("static const uint64_t zig_k[256] = {\n");
    for (int i = 0; i < N; i++) {
        long double k = i == 0 ? two53 * r / (v / expl(-r)) : two53 * x[i - 1] / x[i];
        printf("    UINT64_C(%llu),\n", (unsigned long long)ceill(k));
    }
    printf("};\n\nstatic const double zig_w[256] = {\n");
    for (int i = 0; i < N; i++)
        printf("    %a,\n", (double)((i == 0 ? v / expl(-r) : x[i]) / two53));
    printf("};\n\nstatic const double zig_f[256] = {\n");
    for (int i = 0; i < N; i++)
        printf("    %a,\n", (double)(i == 0 ? 1.0L : expl(-x[i])));
    printf("};\n");
    return 0;
}
