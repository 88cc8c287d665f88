/* Unit tests for machine/core/fpu.c: RISC-V F/D arithmetic, bit for bit.
 *
 * Part 1 checks hand-derived edge cases (signed zeros, NaNs, subnormals,
 * tininess boundaries, overflow per rounding mode, RMM ties, conversion
 * limits).  Part 2 cross-checks random operands, biased toward special
 * values and boundaries, against a reference built on MPFR: correctly
 * rounded in the target precision and exponent range with subnormalisation,
 * tininess after rounding, RMM ties resolved from the exact value.
 *
 * Every case runs twice: with fflags clear, and with NX already set (the
 * implementation's hot path), where the expected flags are NX | flags.
 * FPU_RANDOM_N (cases per operation and rounding mode) and FPU_SEED tune
 * part 2.
 */
#include "core/fpu.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>
#include <mpfr.h>

#include "unit.h"

enum { RNE = FPU_RNE, RTZ = FPU_RTZ, RDN = FPU_RDN, RUP = FPU_RUP, RMM = FPU_RMM };
enum { NX = FFLAG_NX, UF = FFLAG_UF, OF = FFLAG_OF, DZ = FFLAG_DZ, NV = FFLAG_NV };

static uint32_t F(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }
static uint64_t D(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
static float FV(uint32_t b) { float x; memcpy(&x, &b, 4); return x; }
static double DV(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }

static uint32_t fl;

static void expect(const char *what, int line, uint64_t got, uint64_t want, uint32_t got_fl,
                   uint32_t want_fl)
{
    if (got == want && got_fl == want_fl) {
        unit_pass++;
        return;
    }
    unit_fail++;
    fprintf(stderr, "test_fpu.c:%d: %s = 0x%" PRIx64 " flags 0x%x, want 0x%" PRIx64 " flags 0x%x\n",
            line, what, got, got_fl, want, want_fl);
}

#define T(call, want, want_fl) do { \
    fl = 0; \
    uint64_t got_ = (uint64_t)(call); \
    expect(#call, __LINE__, got_, (uint64_t)(want), fl, (want_fl)); \
    fl = NX; \
    got_ = (uint64_t)(call); \
    expect(#call " [NX preset]", __LINE__, got_, (uint64_t)(want), fl, (want_fl) | NX); \
} while (0)

/* binary32 values */
#define P0 0x00000000u
#define N0 0x80000000u
#define ONE 0x3f800000u
#define NONE 0xbf800000u
#define TWO 0x40000000u
#define THREE 0x40400000u
#define HALF 0x3f000000u
#define INF 0x7f800000u
#define NINF 0xff800000u
#define QNAN 0x7fc00000u
#define SNAN 0x7f800001u
#define MINSUB 0x00000001u
#define MINNORM 0x00800000u
#define MAXNORM 0x7f7fffffu
/* binary64 values */
#define DP0 0x0000000000000000ull
#define DN0 0x8000000000000000ull
#define DONE 0x3ff0000000000000ull
#define DINF 0x7ff0000000000000ull
#define DNINF 0xfff0000000000000ull
#define DQNAN 0x7ff8000000000000ull
#define DSNAN 0x7ff0000000000001ull
#define DMINNORM 0x0010000000000000ull
#define DMAXNORM 0x7fefffffffffffffull

/* ================= Part 1: hand-derived cases ================= */

static void test_add_sub(void)
{
    /* 1 + 2^-24 is a tie: even is 1.0, away is 1+2^-23. */
    T(f32_add(ONE, 0x33800000, RNE, &fl), ONE, NX);
    T(f32_add(ONE, 0x33800000, RMM, &fl), 0x3f800001, NX);
    T(f32_add(ONE, 0x33800000, RUP, &fl), 0x3f800001, NX);
    T(f32_add(ONE, 0x33800000, RTZ, &fl), ONE, NX);
    T(f32_add(ONE, 0x33800000, RDN, &fl), ONE, NX);
    /* Tie with an odd neighbour below: RNE and RMM both go up. */
    T(f32_add(0x3f800001, 0x33800000, RNE, &fl), 0x3f800002, NX);
    T(f32_add(0x3f800001, 0x33800000, RMM, &fl), 0x3f800002, NX);
    T(f32_add(0x3f800001, 0x33800000, RTZ, &fl), 0x3f800001, NX);
    /* Negative tie: -1 - 2^-24. */
    T(f32_sub(NONE, 0x33800000, RNE, &fl), NONE, NX);
    T(f32_sub(NONE, 0x33800000, RMM, &fl), 0xbf800001, NX);
    T(f32_sub(NONE, 0x33800000, RDN, &fl), 0xbf800001, NX);
    T(f32_sub(NONE, 0x33800000, RUP, &fl), NONE, NX);
    T(f32_sub(NONE, 0x33800000, RTZ, &fl), NONE, NX);
    T(f64_add(DONE, 0x3ca0000000000000, RNE, &fl), DONE, NX);
    T(f64_add(DONE, 0x3ca0000000000000, RMM, &fl), 0x3ff0000000000001, NX);
    /* Exact cancellation gives +0, except -0 when rounding down. */
    T(f32_add(ONE, NONE, RNE, &fl), P0, 0);
    T(f32_add(ONE, NONE, RTZ, &fl), P0, 0);
    T(f32_add(ONE, NONE, RUP, &fl), P0, 0);
    T(f32_add(ONE, NONE, RMM, &fl), P0, 0);
    T(f32_add(ONE, NONE, RDN, &fl), N0, 0);
    T(f32_sub(ONE, ONE, RDN, &fl), N0, 0);
    T(f64_sub(DONE, DONE, RDN, &fl), DN0, 0);
    T(f64_sub(DONE, DONE, RMM, &fl), DP0, 0);
    T(f32_add(N0, N0, RNE, &fl), N0, 0);
    T(f32_add(N0, N0, RMM, &fl), N0, 0);
    T(f32_add(P0, N0, RNE, &fl), P0, 0);
    T(f32_add(P0, N0, RDN, &fl), N0, 0);
    T(f32_sub(P0, P0, RDN, &fl), N0, 0);
    /* Infinities and NaNs. */
    T(f32_add(INF, NINF, RNE, &fl), QNAN, NV);
    T(f32_sub(INF, INF, RMM, &fl), QNAN, NV);
    T(f32_add(INF, ONE, RNE, &fl), INF, 0);
    T(f32_add(NINF, MAXNORM, RMM, &fl), NINF, 0);
    T(f32_add(QNAN, ONE, RNE, &fl), QNAN, 0);
    T(f32_add(0x7fc12345, ONE, RNE, &fl), QNAN, 0);
    T(f32_add(0xffc00000, ONE, RNE, &fl), QNAN, 0);
    T(f32_add(ONE, SNAN, RNE, &fl), QNAN, NV);
    T(f32_add(SNAN, QNAN, RMM, &fl), QNAN, NV);
    T(f32_add(0xff800005, INF, RTZ, &fl), QNAN, NV);
    T(f64_add(DSNAN, DONE, RNE, &fl), DQNAN, NV);
    T(f64_add(0xfff8000000000123, DONE, RNE, &fl), DQNAN, 0);
    T(f64_sub(DINF, DINF, RNE, &fl), DQNAN, NV);
    /* Overflow by rounding mode and sign. */
    T(f32_add(MAXNORM, MAXNORM, RNE, &fl), INF, OF | NX);
    T(f32_add(MAXNORM, MAXNORM, RMM, &fl), INF, OF | NX);
    T(f32_add(MAXNORM, MAXNORM, RUP, &fl), INF, OF | NX);
    T(f32_add(MAXNORM, MAXNORM, RTZ, &fl), MAXNORM, OF | NX);
    T(f32_add(MAXNORM, MAXNORM, RDN, &fl), MAXNORM, OF | NX);
    T(f32_add(0xff7fffff, 0xff7fffff, RDN, &fl), NINF, OF | NX);
    T(f32_add(0xff7fffff, 0xff7fffff, RUP, &fl), 0xff7fffff, OF | NX);
    T(f32_add(0xff7fffff, 0xff7fffff, RTZ, &fl), 0xff7fffff, OF | NX);
    /* MAXNORM + half an ulp is a tie with an odd MAXNORM: RNE overflows,
     * RTZ lands on MAXNORM without overflow. */
    T(f32_add(MAXNORM, 0x73000000, RNE, &fl), INF, OF | NX);
    T(f32_add(MAXNORM, 0x73000000, RMM, &fl), INF, OF | NX);
    T(f32_add(MAXNORM, 0x73000000, RTZ, &fl), MAXNORM, NX);
    T(f32_add(MAXNORM, 0x73000000, RDN, &fl), MAXNORM, NX);
    /* A quarter ulp above MAXNORM: only RUP overflows. */
    T(f32_add(MAXNORM, 0x72800000, RNE, &fl), MAXNORM, NX);
    T(f32_add(MAXNORM, 0x72800000, RMM, &fl), MAXNORM, NX);
    T(f32_add(MAXNORM, 0x72800000, RUP, &fl), INF, OF | NX);
    T(f64_add(DMAXNORM, DMAXNORM, RNE, &fl), DINF, OF | NX);
    T(f64_add(DMAXNORM, DMAXNORM, RTZ, &fl), DMAXNORM, OF | NX);
    /* Sums of subnormals are exact: no UF. */
    T(f32_add(MINSUB, MINSUB, RNE, &fl), 0x00000002, 0);
    T(f32_sub(MINNORM, MINSUB, RNE, &fl), 0x007fffff, 0);
    T(f64_sub(DMINNORM, 1, RMM, &fl), 0x000fffffffffffff, 0);
}

static void test_mul_div_sqrt(void)
{
    T(f32_mul(MINNORM, HALF, RNE, &fl), 0x00400000, 0); /* tiny but exact */
    /* 2^-150: half of the smallest subnormal. */
    T(f32_mul(MINSUB, HALF, RNE, &fl), P0, UF | NX);
    T(f32_mul(MINSUB, HALF, RMM, &fl), MINSUB, UF | NX);
    T(f32_mul(MINSUB, HALF, RUP, &fl), MINSUB, UF | NX);
    T(f32_mul(MINSUB, HALF, RDN, &fl), P0, UF | NX);
    T(f32_mul(MINSUB, HALF, RTZ, &fl), P0, UF | NX);
    T(f32_mul(0x80000001, HALF, RDN, &fl), 0x80000001, UF | NX);
    T(f32_mul(0x80000001, HALF, RUP, &fl), N0, UF | NX);
    T(f32_mul(0x80000001, HALF, RNE, &fl), N0, UF | NX);
    T(f32_mul(MINSUB, 0x3f400000, RNE, &fl), MINSUB, UF | NX); /* 0.75 * 2^-149 */
    T(f32_mul(MINSUB, 0x3f400000, RDN, &fl), P0, UF | NX);
    T(f64_mul(1, D(0.5), RNE, &fl), DP0, UF | NX);
    T(f64_mul(1, D(0.5), RMM, &fl), 1, UF | NX);
    T(f64_mul(1, D(1.5), RNE, &fl), 2, UF | NX);   /* 1.5 ulp ties to even 2 */
    T(f64_mul(1, D(1.5), RMM, &fl), 2, UF | NX);
    T(f64_mul(3, D(0.5), RNE, &fl), 2, UF | NX);   /* 1.5 ulp ties to even 2 */
    T(f64_mul(3, D(0.5), RTZ, &fl), 1, UF | NX);
    T(f64_mul(3, D(0.5), RMM, &fl), 2, UF | NX);
    T(f64_mul(5, D(0.5), RNE, &fl), 2, UF | NX);   /* 2.5 ulp ties to even 2 */
    T(f64_mul(5, D(0.5), RMM, &fl), 3, UF | NX);
    /* Overflow. */
    T(f32_mul(MAXNORM, TWO, RNE, &fl), INF, OF | NX);
    T(f32_mul(MAXNORM, 0xc0000000, RTZ, &fl), 0xff7fffff, OF | NX);
    T(f32_mul(MAXNORM, 0xc0000000, RUP, &fl), 0xff7fffff, OF | NX);
    T(f32_mul(MAXNORM, 0xc0000000, RMM, &fl), NINF, OF | NX);
    T(f64_mul(DMAXNORM, D(2.0), RUP, &fl), DINF, OF | NX);
    T(f64_mul(DMAXNORM, D(2.0), RDN, &fl), DMAXNORM, OF | NX);
    /* Signs of zero products, invalid products. */
    T(f32_mul(N0, ONE, RNE, &fl), N0, 0);
    T(f32_mul(N0, N0, RNE, &fl), P0, 0);
    T(f32_mul(INF, P0, RNE, &fl), QNAN, NV);
    T(f32_mul(N0, NINF, RMM, &fl), QNAN, NV);
    T(f32_mul(INF, NONE, RNE, &fl), NINF, 0);
    T(f64_mul(DINF, DP0, RNE, &fl), DQNAN, NV);
    /* Division: by zero, invalid, exact special cases. */
    T(f32_div(ONE, P0, RNE, &fl), INF, DZ);
    T(f32_div(ONE, N0, RNE, &fl), NINF, DZ);
    T(f32_div(NONE, P0, RMM, &fl), NINF, DZ);
    T(f32_div(MINSUB, P0, RTZ, &fl), INF, DZ);
    T(f32_div(P0, P0, RNE, &fl), QNAN, NV);
    T(f32_div(INF, P0, RNE, &fl), INF, 0);
    T(f32_div(INF, INF, RNE, &fl), QNAN, NV);
    T(f32_div(QNAN, P0, RNE, &fl), QNAN, 0);
    T(f32_div(SNAN, P0, RNE, &fl), QNAN, NV);
    T(f32_div(P0, INF, RNE, &fl), P0, 0);
    T(f32_div(N0, ONE, RMM, &fl), N0, 0);
    T(f32_div(ONE, NINF, RNE, &fl), N0, 0);
    T(f64_div(DONE, DP0, RNE, &fl), DINF, DZ);
    T(f64_div(DP0, DP0, RMM, &fl), DQNAN, NV);
    /* 1/3 in each mode. */
    T(f32_div(ONE, THREE, RNE, &fl), 0x3eaaaaab, NX);
    T(f32_div(ONE, THREE, RTZ, &fl), 0x3eaaaaaa, NX);
    T(f32_div(ONE, THREE, RDN, &fl), 0x3eaaaaaa, NX);
    T(f32_div(ONE, THREE, RUP, &fl), 0x3eaaaaab, NX);
    T(f32_div(ONE, THREE, RMM, &fl), 0x3eaaaaab, NX);
    T(f32_div(NONE, THREE, RDN, &fl), 0xbeaaaaab, NX);
    T(f64_div(DONE, D(3.0), RNE, &fl), 0x3fd5555555555555, NX);
    T(f64_div(DONE, D(3.0), RUP, &fl), 0x3fd5555555555556, NX);
    T(f64_div(DONE, D(3.0), RMM, &fl), 0x3fd5555555555555, NX);
    T(f32_div(MINNORM, 0x4b000000, RNE, &fl), MINSUB, 0);       /* 2^-126 / 2^23 */
    T(f32_div(MINNORM, 0x4b800000, RNE, &fl), P0, UF | NX);     /* 2^-150 */
    T(f32_div(MAXNORM, HALF, RNE, &fl), INF, OF | NX);
    /* Square roots. */
    T(f32_sqrt(NONE, RNE, &fl), QNAN, NV);
    T(f32_sqrt(NINF, RNE, &fl), QNAN, NV);
    T(f32_sqrt(0x80000001, RMM, &fl), QNAN, NV);
    T(f32_sqrt(N0, RNE, &fl), N0, 0);
    T(f32_sqrt(N0, RMM, &fl), N0, 0);
    T(f32_sqrt(INF, RNE, &fl), INF, 0);
    T(f32_sqrt(QNAN, RNE, &fl), QNAN, 0);
    T(f32_sqrt(0xffc00000, RNE, &fl), QNAN, 0);
    T(f32_sqrt(SNAN, RNE, &fl), QNAN, NV);
    T(f32_sqrt(0x40800000, RNE, &fl), TWO, 0);
    T(f32_sqrt(TWO, RNE, &fl), 0x3fb504f3, NX);
    T(f32_sqrt(TWO, RUP, &fl), 0x3fb504f4, NX);
    T(f32_sqrt(TWO, RDN, &fl), 0x3fb504f3, NX);
    T(f32_sqrt(TWO, RMM, &fl), 0x3fb504f3, NX);
    T(f32_sqrt(MINSUB, RNE, &fl), F(0x1.6a09e6p-75f), NX);
    T(f64_sqrt(D(2.0), RNE, &fl), 0x3ff6a09e667f3bcd, NX);
    T(f64_sqrt(D(2.0), RTZ, &fl), 0x3ff6a09e667f3bcc, NX);
    T(f64_sqrt(D(2.0), RMM, &fl), 0x3ff6a09e667f3bcd, NX);
    T(f64_sqrt(D(-1.0), RNE, &fl), DQNAN, NV);
    T(f64_sqrt(DN0, RDN, &fl), DN0, 0);
    T(f64_sqrt(D(0x1p-1074), RNE, &fl), D(0x1p-537), 0);
}

static void test_fma(void)
{
    /* Fused: a*a - (1+2^-11) with a = 1+2^-12 keeps the 2^-24 that a
     * rounded product would lose (binary64: a = 1+2^-27, 2^-54 kept). */
    T(f32_fma(0x3f800800, 0x3f800800, 0xbf801000, 0, 0, RNE, &fl), 0x33800000, 0);
    T(f64_fma(0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000, 0, 0, RNE, &fl),
      0x3c90000000000000, 0);
    /* The four sign variants: FMADD, FMSUB, FNMSUB, FNMADD of (2, 3, 1). */
    T(f32_fma(TWO, THREE, ONE, 0, 0, RNE, &fl), F(7.0f), 0);
    T(f32_fma(TWO, THREE, ONE, 0, 1, RNE, &fl), F(5.0f), 0);
    T(f32_fma(TWO, THREE, ONE, 1, 0, RNE, &fl), F(-5.0f), 0);
    T(f32_fma(TWO, THREE, ONE, 1, 1, RNE, &fl), F(-7.0f), 0);
    T(f64_fma(D(2.0), D(3.0), D(1.0), 1, 1, RMM, &fl), D(-7.0), 0);
    /* Exact zero sums. */
    T(f32_fma(TWO, THREE, F(-6.0f), 0, 0, RNE, &fl), P0, 0);
    T(f32_fma(TWO, THREE, F(-6.0f), 0, 0, RDN, &fl), N0, 0);
    T(f32_fma(TWO, THREE, F(-6.0f), 0, 0, RMM, &fl), P0, 0);
    T(f32_fma(P0, ONE, P0, 1, 1, RNE, &fl), N0, 0);
    T(f64_fma(DP0, DONE, DP0, 1, 1, RMM, &fl), DN0, 0);
    T(f64_fma(D(2.0), D(3.0), D(6.0), 0, 1, RDN, &fl), DN0, 0);
    /* inf*0 is invalid even with a quiet NaN addend. */
    T(f32_fma(INF, P0, QNAN, 0, 0, RNE, &fl), QNAN, NV);
    T(f32_fma(N0, INF, QNAN, 0, 0, RNE, &fl), QNAN, NV);
    T(f64_fma(DINF, DP0, DQNAN, 0, 0, RNE, &fl), DQNAN, NV);
    T(f64_fma(DP0, DNINF, DQNAN, 1, 1, RMM, &fl), DQNAN, NV);
    T(f32_fma(INF, P0, ONE, 0, 0, RNE, &fl), QNAN, NV);
    T(f32_fma(INF, ONE, QNAN, 0, 0, RNE, &fl), QNAN, 0);
    T(f32_fma(QNAN, P0, ONE, 0, 0, RNE, &fl), QNAN, 0);
    T(f32_fma(ONE, ONE, SNAN, 0, 0, RNE, &fl), QNAN, NV);
    T(f32_fma(INF, TWO, NINF, 0, 0, RNE, &fl), QNAN, NV);
    T(f32_fma(INF, TWO, INF, 0, 1, RMM, &fl), QNAN, NV);
    T(f32_fma(INF, TWO, INF, 0, 0, RNE, &fl), INF, 0);
    T(f32_fma(ONE, ONE, INF, 0, 0, RMM, &fl), INF, 0);
    /* Overflow and underflow through fma. */
    T(f32_fma(MAXNORM, TWO, ONE, 0, 0, RNE, &fl), INF, OF | NX);
    T(f32_fma(MAXNORM, TWO, ONE, 0, 0, RTZ, &fl), MAXNORM, OF | NX);
    T(f32_fma(MINSUB, HALF, P0, 0, 0, RNE, &fl), P0, UF | NX);
    T(f32_fma(MINSUB, HALF, P0, 0, 0, RMM, &fl), MINSUB, UF | NX);
    /* Tininess after rounding: 2^-126 - 2^-151 rounds (unbounded exponent,
     * RNE) to 2^-126, so it is not tiny; RTZ keeps it below. */
    uint32_t a = F(0x1p-75f), b = F(-0x1p-76f);
    T(f32_fma(a, b, MINNORM, 0, 0, RNE, &fl), MINNORM, NX);
    T(f32_fma(a, b, MINNORM, 0, 0, RMM, &fl), MINNORM, NX);
    T(f32_fma(a, b, MINNORM, 0, 0, RUP, &fl), MINNORM, NX);
    T(f32_fma(a, b, MINNORM, 0, 0, RTZ, &fl), 0x007fffff, UF | NX);
    T(f32_fma(a, b, MINNORM, 0, 0, RDN, &fl), 0x007fffff, UF | NX);
    /* 2^-126 - 2^-150 is tiny even after rounding, yet RNE rounds it to
     * the smallest normal: UF with a normal result. */
    a = F(0x1p-75f), b = F(-0x1p-75f);
    T(f32_fma(a, b, MINNORM, 0, 0, RNE, &fl), MINNORM, UF | NX);
    T(f32_fma(a, b, MINNORM, 0, 0, RMM, &fl), MINNORM, UF | NX);
    T(f32_fma(a, b, MINNORM, 0, 0, RTZ, &fl), 0x007fffff, UF | NX);
    T(f64_fma(D(0x1p-538), D(-0x1p-538), DMINNORM, 0, 0, RNE, &fl), DMINNORM, NX);
    T(f64_fma(D(0x1p-538), D(-0x1p-538), DMINNORM, 0, 0, RTZ, &fl), 0x000fffffffffffff, UF | NX);
    T(f64_fma(D(0x1p-537), D(-0x1p-538), DMINNORM, 0, 0, RNE, &fl), DMINNORM, UF | NX);
    T(f64_fma(D(0x1p-537), D(-0x1p-538), DMINNORM, 0, 0, RMM, &fl), DMINNORM, UF | NX);
    T(f64_fma(D(0x1p-537), D(0x1p-538), 0x800fffffffffffff, 1, 0, RDN, &fl),
      0x8010000000000000, UF | NX);
}

static void test_minmax_compare_classify(void)
{
    T(f32_min(N0, P0, &fl), N0, 0);
    T(f32_min(P0, N0, &fl), N0, 0);
    T(f32_max(N0, P0, &fl), P0, 0);
    T(f32_max(P0, N0, &fl), P0, 0);
    T(f32_min(QNAN, ONE, &fl), ONE, 0);
    T(f32_max(ONE, QNAN, &fl), ONE, 0);
    T(f32_min(ONE, SNAN, &fl), ONE, NV);
    T(f32_max(SNAN, NONE, &fl), NONE, NV);
    T(f32_min(QNAN, QNAN, &fl), QNAN, 0);
    T(f32_min(0x7fc12345, 0xffc00000, &fl), QNAN, 0);
    T(f32_max(SNAN, QNAN, &fl), QNAN, NV);
    T(f32_min(NINF, ONE, &fl), NINF, 0);
    T(f32_max(NINF, 0xffc00000, &fl), NINF, 0);
    T(f32_max(NONE, ONE, &fl), ONE, 0);
    T(f32_min(MINSUB, 0x80000001, &fl), 0x80000001, 0);
    T(f64_min(DN0, DP0, &fl), DN0, 0);
    T(f64_max(DN0, DP0, &fl), DP0, 0);
    T(f64_max(DSNAN, DSNAN, &fl), DQNAN, NV);
    T(f64_min(DQNAN, D(-2.0), &fl), D(-2.0), 0);
    T(f64_min(D(-2.0), DSNAN, &fl), D(-2.0), NV);

    T(f32_eq(QNAN, ONE, &fl), 0, 0);
    T(f32_eq(QNAN, QNAN, &fl), 0, 0);
    T(f32_eq(SNAN, ONE, &fl), 0, NV);
    T(f32_lt(QNAN, ONE, &fl), 0, NV);
    T(f32_le(ONE, QNAN, &fl), 0, NV);
    T(f32_eq(N0, P0, &fl), 1, 0);
    T(f32_lt(N0, P0, &fl), 0, 0);
    T(f32_le(N0, P0, &fl), 1, 0);
    T(f32_lt(ONE, TWO, &fl), 1, 0);
    T(f32_le(TWO, ONE, &fl), 0, 0);
    T(f32_lt(NINF, INF, &fl), 1, 0);
    T(f32_eq(INF, INF, &fl), 1, 0);
    T(f32_lt(0x80000001, MINSUB, &fl), 1, 0);
    T(f64_eq(DSNAN, DSNAN, &fl), 0, NV);
    T(f64_eq(DQNAN, DONE, &fl), 0, 0);
    T(f64_le(DQNAN, DQNAN, &fl), 0, NV);
    T(f64_le(DONE, DONE, &fl), 1, 0);
    T(f64_lt(DONE, DONE, &fl), 0, 0);

    T(f32_classify(NINF), 1 << 0, 0);
    T(f32_classify(NONE), 1 << 1, 0);
    T(f32_classify(0x807fffff), 1 << 2, 0);
    T(f32_classify(N0), 1 << 3, 0);
    T(f32_classify(P0), 1 << 4, 0);
    T(f32_classify(MINSUB), 1 << 5, 0);
    T(f32_classify(MAXNORM), 1 << 6, 0);
    T(f32_classify(INF), 1 << 7, 0);
    T(f32_classify(SNAN), 1 << 8, 0);
    T(f32_classify(0xffbfffff), 1 << 8, 0);
    T(f32_classify(QNAN), 1 << 9, 0);
    T(f32_classify(0xffc00001), 1 << 9, 0);
    T(f64_classify(DNINF), 1 << 0, 0);
    T(f64_classify(D(-1e300)), 1 << 1, 0);
    T(f64_classify(0x8000000000000001), 1 << 2, 0);
    T(f64_classify(DN0), 1 << 3, 0);
    T(f64_classify(DP0), 1 << 4, 0);
    T(f64_classify(0x000fffffffffffff), 1 << 5, 0);
    T(f64_classify(DMINNORM), 1 << 6, 0);
    T(f64_classify(DINF), 1 << 7, 0);
    T(f64_classify(DSNAN), 1 << 8, 0);
    T(f64_classify(DQNAN), 1 << 9, 0);
}

static void test_float_to_int(void)
{
    T(f32_to_i32(F(1.5f), RNE, &fl), 2, NX);
    T(f32_to_i32(F(2.5f), RNE, &fl), 2, NX);
    T(f32_to_i32(F(2.5f), RMM, &fl), 3, NX);
    T(f32_to_i32(F(-2.5f), RMM, &fl), -3, NX);
    T(f32_to_i32(F(-2.5f), RNE, &fl), -2, NX);
    T(f32_to_i32(F(-2.5f), RDN, &fl), -3, NX);
    T(f32_to_i32(F(-2.5f), RUP, &fl), -2, NX);
    T(f32_to_i32(F(-2.5f), RTZ, &fl), -2, NX);
    T(f32_to_i32(F(-0.0f), RNE, &fl), 0, 0);
    T(f32_to_i32(QNAN, RNE, &fl), 0x7fffffff, NV);
    T(f32_to_i32(0xffc00000, RNE, &fl), 0x7fffffff, NV);
    T(f32_to_i32(SNAN, RNE, &fl), 0x7fffffff, NV);
    T(f32_to_i32(INF, RNE, &fl), 0x7fffffff, NV);
    T(f32_to_i32(NINF, RNE, &fl), 0xffffffff80000000, NV);
    T(f32_to_i32(F(0x1p31f), RNE, &fl), 0x7fffffff, NV);
    T(f32_to_i32(F(-0x1p31f), RNE, &fl), 0xffffffff80000000, 0);
    T(f32_to_i32(F(0x1.fffffep30f), RNE, &fl), 0x7fffff80, 0);
    T(f32_to_i32(MINSUB, RUP, &fl), 1, NX);
    T(f32_to_i32(0x80000001, RDN, &fl), -1, NX);
    T(f32_to_i32(MINSUB, RNE, &fl), 0, NX);
    T(f64_to_i32(D(-2147483648.5), RTZ, &fl), 0xffffffff80000000, NX);
    T(f64_to_i32(D(-2147483648.5), RNE, &fl), 0xffffffff80000000, NX);
    T(f64_to_i32(D(-2147483648.5), RDN, &fl), 0xffffffff80000000, NV);
    T(f64_to_i32(D(-2147483648.5), RMM, &fl), 0xffffffff80000000, NV);
    T(f64_to_i32(D(-2147483649.0), RUP, &fl), 0xffffffff80000000, NV);
    T(f64_to_i32(D(2147483647.5), RNE, &fl), 0x7fffffff, NV);
    T(f64_to_i32(D(2147483647.5), RTZ, &fl), 0x7fffffff, NX);
    T(f64_to_i32(D(2147483647.5), RDN, &fl), 0x7fffffff, NX);
    T(f64_to_i32(D(2147483647.5), RMM, &fl), 0x7fffffff, NV);
    T(f64_to_i32(D(1e300), RNE, &fl), 0x7fffffff, NV);
    T(f64_to_i64(D(0x1p63), RNE, &fl), 0x7fffffffffffffff, NV);
    T(f64_to_i64(D(-0x1p63), RNE, &fl), 0x8000000000000000, 0);
    T(f64_to_i64(0xc3e0000000000001, RNE, &fl), 0x8000000000000000, NV);
    T(f64_to_i64(0x43dfffffffffffff, RNE, &fl), 0x7ffffffffffffc00, 0);
    T(f64_to_i64(DNINF, RNE, &fl), 0x8000000000000000, NV);
    T(f64_to_i64(DQNAN, RNE, &fl), 0x7fffffffffffffff, NV);
    T(f64_to_i64(D(-1.5), RMM, &fl), -2, NX);
    T(f64_to_i64(D(4503599627370495.5), RNE, &fl), 4503599627370496, NX);
    T(f64_to_i64(D(4503599627370495.5), RTZ, &fl), 4503599627370495, NX);
    T(f64_to_u64(D(0x1p64), RNE, &fl), ~0ull, NV);
    T(f64_to_u64(D(0x1p63), RNE, &fl), 0x8000000000000000, 0);
    T(f64_to_u64(0x43efffffffffffff, RNE, &fl), 0xfffffffffffff800, 0);
    T(f64_to_u64(D(-1.0), RNE, &fl), 0, NV);
    T(f64_to_u64(D(-0.5), RTZ, &fl), 0, NX);
    T(f64_to_u64(D(-0.5), RNE, &fl), 0, NX);
    T(f64_to_u64(D(-0.5), RUP, &fl), 0, NX);
    T(f64_to_u64(D(-0.5), RDN, &fl), 0, NV);
    T(f64_to_u64(D(-0.5), RMM, &fl), 0, NV);
    T(f64_to_u64(DN0, RDN, &fl), 0, 0);
    T(f64_to_u64(DQNAN, RNE, &fl), ~0ull, NV);
    T(f64_to_u64(DSNAN | DN0, RNE, &fl), ~0ull, NV);
    T(f64_to_u64(DINF, RNE, &fl), ~0ull, NV);
    T(f64_to_u64(DNINF, RNE, &fl), 0, NV);
    T(f64_to_u32(D(4294967295.5), RNE, &fl), ~0ull, NV);
    T(f64_to_u32(D(4294967295.5), RTZ, &fl), ~0ull, NX);
    T(f64_to_u32(D(4294967295.0), RNE, &fl), ~0ull, 0);
    T(f64_to_u32(D(-0.9), RTZ, &fl), 0, NX);
    T(f64_to_u32(D(-0.9), RNE, &fl), 0, NV);
    T(f64_to_u32(D(0x1p31), RNE, &fl), 0xffffffff80000000, 0); /* bit 31 set, sign-extended */
    T(f64_to_u32(D(12345.0), RNE, &fl), 12345, 0);
    T(f32_to_u32(F(0x1p32f), RNE, &fl), ~0ull, NV);
    T(f32_to_u32(0x4f7fffff, RNE, &fl), 0xffffffffffffff00, 0);
    T(f32_to_u32(NONE, RNE, &fl), 0, NV);
    T(f32_to_u32(F(1e-10f), RUP, &fl), 1, NX);
    T(f32_to_u32(F(0.3f), RTZ, &fl), 0, NX);
    T(f32_to_u32(QNAN, RNE, &fl), ~0ull, NV);
    T(f32_to_u32(NINF, RNE, &fl), 0, NV);
    T(f32_to_i64(F(0x1p63f), RNE, &fl), 0x7fffffffffffffff, NV);
    T(f32_to_i64(F(-0x1p63f), RNE, &fl), 0x8000000000000000, 0);
    T(f32_to_i64(F(0x1p62f), RNE, &fl), 0x4000000000000000, 0);
    T(f32_to_i64(0x80000001, RDN, &fl), -1, NX);
    T(f32_to_u64(F(0x1p63f), RNE, &fl), 0x8000000000000000, 0);
    T(f32_to_u64(F(0x1p64f), RNE, &fl), ~0ull, NV);
    T(f32_to_u64(0x80000001, RDN, &fl), 0, NV);
    T(f32_to_u64(0x80000001, RNE, &fl), 0, NX);
}

static void test_int_to_float(void)
{
    T(i32_to_f32(0x7fffffff, RNE, &fl), 0x4f000000, NX);
    T(i32_to_f32(0x7fffffff, RTZ, &fl), 0x4effffff, NX);
    T(i32_to_f32(0x7fffffff, RDN, &fl), 0x4effffff, NX);
    T(i32_to_f32(0x7fffffff, RUP, &fl), 0x4f000000, NX);
    T(i32_to_f32(INT32_MIN, RNE, &fl), 0xcf000000, 0);
    T(i32_to_f32(-16777217, RNE, &fl), 0xcb800000, NX);  /* tie: even */
    T(i32_to_f32(-16777217, RMM, &fl), 0xcb800001, NX);  /* tie: away */
    T(i32_to_f32(-16777217, RDN, &fl), 0xcb800001, NX);
    T(i32_to_f32(-16777217, RUP, &fl), 0xcb800000, NX);
    T(i32_to_f32(16777219, RNE, &fl), 0x4b800002, NX);   /* tie: even is up */
    T(i32_to_f32(0, RDN, &fl), P0, 0);
    T(i32_to_f32(-1, RNE, &fl), NONE, 0);
    T(u32_to_f32(0xffffffff, RNE, &fl), 0x4f800000, NX);
    T(u32_to_f32(0xffffffff, RTZ, &fl), 0x4f7fffff, NX);
    T(u32_to_f32(0x80000000, RNE, &fl), 0x4f000000, 0);
    T(i64_to_f32(-16777217, RDN, &fl), 0xcb800001, NX);
    T(i64_to_f32(INT64_MIN, RNE, &fl), 0xdf000000, 0);
    T(i64_to_f32(INT64_MAX, RTZ, &fl), 0x5effffff, NX);
    T(u64_to_f32(~0ull, RNE, &fl), 0x5f800000, NX);
    T(u64_to_f32(~0ull, RTZ, &fl), 0x5f7fffff, NX);
    T(u64_to_f32(0, RNE, &fl), P0, 0);
    T(i32_to_f64(-1, RNE, &fl), 0xbff0000000000000, 0);
    T(i32_to_f64(INT32_MIN, RNE, &fl), 0xc1e0000000000000, 0);
    T(u32_to_f64(0xffffffff, RNE, &fl), 0x41efffffffe00000, 0);
    T(i64_to_f64(INT64_MIN, RNE, &fl), 0xc3e0000000000000, 0);
    T(i64_to_f64((1ll << 53) + 1, RNE, &fl), 0x4340000000000000, NX);
    T(i64_to_f64((1ll << 53) + 1, RMM, &fl), 0x4340000000000001, NX);
    T(i64_to_f64((1ll << 53) + 1, RUP, &fl), 0x4340000000000001, NX);
    T(i64_to_f64(-(1ll << 53) - 1, RMM, &fl), 0xc340000000000001, NX);
    T(i64_to_f64(INT64_MAX, RNE, &fl), 0x43e0000000000000, NX);
    T(i64_to_f64(INT64_MAX, RTZ, &fl), 0x43dfffffffffffff, NX);
    T(u64_to_f64(~0ull, RNE, &fl), 0x43f0000000000000, NX);
    T(u64_to_f64(~0ull, RTZ, &fl), 0x43efffffffffffff, NX);
    T(u64_to_f64(0, RDN, &fl), DP0, 0);
}

static void test_format_conversions(void)
{
    T(f32_to_f64(SNAN, &fl), DQNAN, NV);
    T(f32_to_f64(0xff800001, &fl), DQNAN, NV);
    T(f32_to_f64(0x7fc12345, &fl), DQNAN, 0);
    T(f32_to_f64(MINSUB, &fl), 0x36a0000000000000, 0);
    T(f32_to_f64(0x807fffff, &fl), D(-0x1.fffffcp-127), 0);
    T(f32_to_f64(N0, &fl), DN0, 0);
    T(f32_to_f64(NINF, &fl), DNINF, 0);
    T(f32_to_f64(MAXNORM, &fl), D(0x1.fffffep127), 0);

    T(f64_to_f32(0x3ff0000010000000, RNE, &fl), ONE, NX);       /* 1 + 2^-24 */
    T(f64_to_f32(0x3ff0000010000000, RMM, &fl), 0x3f800001, NX);
    T(f64_to_f32(0x3ff0000010000000, RUP, &fl), 0x3f800001, NX);
    T(f64_to_f32(D(1e300), RNE, &fl), INF, OF | NX);
    T(f64_to_f32(D(1e300), RMM, &fl), INF, OF | NX);
    T(f64_to_f32(D(1e300), RTZ, &fl), MAXNORM, OF | NX);
    T(f64_to_f32(D(1e300), RDN, &fl), MAXNORM, OF | NX);
    T(f64_to_f32(D(-1e300), RDN, &fl), NINF, OF | NX);
    T(f64_to_f32(D(-1e300), RUP, &fl), 0xff7fffff, OF | NX);
    T(f64_to_f32(D(0x1.ffffffp127), RNE, &fl), INF, OF | NX);   /* MAXNORM + half ulp */
    T(f64_to_f32(D(0x1.ffffffp127), RTZ, &fl), MAXNORM, NX);
    T(f64_to_f32(D(0x1.fffffe8p127), RNE, &fl), MAXNORM, NX);
    T(f64_to_f32(D(0x1.fffffe8p127), RUP, &fl), INF, OF | NX);
    T(f64_to_f32(DINF, RTZ, &fl), INF, 0);
    T(f64_to_f32(DN0, RNE, &fl), N0, 0);
    T(f64_to_f32(DSNAN, RNE, &fl), QNAN, NV);
    T(f64_to_f32(0xfff8000000000001, RNE, &fl), QNAN, 0);
    T(f64_to_f32(1, RNE, &fl), P0, UF | NX);                      /* 2^-1074 */
    T(f64_to_f32(1, RUP, &fl), MINSUB, UF | NX);
    T(f64_to_f32(DN0 | 1, RDN, &fl), 0x80000001, UF | NX);
    T(f64_to_f32(D(0x1p-150), RNE, &fl), P0, UF | NX);
    T(f64_to_f32(D(0x1p-150), RMM, &fl), MINSUB, UF | NX);
    T(f64_to_f32(D(0x1.8p-150), RNE, &fl), MINSUB, UF | NX);
    T(f64_to_f32(D(0x1p-149), RNE, &fl), MINSUB, 0);
    T(f64_to_f32(D(0x1p-127), RNE, &fl), 0x00400000, 0);
    T(f64_to_f32(D(0x1.000001p-127), RNE, &fl), 0x00400000, UF | NX);
    /* Tininess boundaries (see test_fma). */
    uint64_t x1 = D(0x1p-126 - 0x1p-151), x2 = D(0x1p-126 - 0x1p-150), x3 = D(0x1p-126 - 0x1p-152);
    T(f64_to_f32(x1, RNE, &fl), MINNORM, NX);
    T(f64_to_f32(x1, RMM, &fl), MINNORM, NX);
    T(f64_to_f32(x1, RUP, &fl), MINNORM, NX);
    T(f64_to_f32(x1, RTZ, &fl), 0x007fffff, UF | NX);
    T(f64_to_f32(x1, RDN, &fl), 0x007fffff, UF | NX);
    T(f64_to_f32(x1 | DN0, RDN, &fl), 0x80800000, NX);
    T(f64_to_f32(x1 | DN0, RUP, &fl), 0x807fffff, UF | NX);
    T(f64_to_f32(x2, RNE, &fl), MINNORM, UF | NX);
    T(f64_to_f32(x2, RMM, &fl), MINNORM, UF | NX);
    T(f64_to_f32(x2, RUP, &fl), MINNORM, UF | NX);
    T(f64_to_f32(x2, RTZ, &fl), 0x007fffff, UF | NX);
    T(f64_to_f32(x3, RNE, &fl), MINNORM, NX);
    T(f64_to_f32(x3, RMM, &fl), MINNORM, NX);
    T(f64_to_f32(x3, RDN, &fl), 0x007fffff, UF | NX);
}

/* ================= Part 2: random cross-check against MPFR ================= */

enum { R_ADD, R_SUB, R_MUL, R_DIV, R_SQRT, R_FMA, R_FROM_D, R_FROM_SJ, R_FROM_UJ };
static const char *const op_name[] = { "add", "sub", "mul", "div", "sqrt", "fma", "from_f64",
                                       "from_int", "from_uint" };

struct tfmt {
    int p, bias, width;
};
static const struct tfmt TF32 = { 24, 127, 32 }, TF64 = { 53, 1023, 64 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t frac_mask(const struct tfmt *f) { return (1ull << (f->p - 1)) - 1; }
static uint64_t sign_bit(const struct tfmt *f) { return 1ull << (f->width - 1); }
static int exp_field(const struct tfmt *f, uint64_t v) { return (int)((v >> (f->p - 1)) & (2 * f->bias + 1)); }
static bool t_is_nan(const struct tfmt *f, uint64_t v)
{
    return exp_field(f, v) == 2 * f->bias + 1 && (v & frac_mask(f));
}
static bool t_is_snan(const struct tfmt *f, uint64_t v)
{
    return t_is_nan(f, v) && !(v & (1ull << (f->p - 2)));
}
static double t_val(const struct tfmt *f, uint64_t v) { return f->width == 32 ? FV((uint32_t)v) : DV(v); }
static uint64_t t_canon(const struct tfmt *f) { return f->width == 32 ? F32_CANON_NAN : F64_CANON_NAN; }

static uint64_t make(const struct tfmt *f, bool sign, long e, uint64_t frac)
{
    if (e < 0)
        e = 0;
    if (e > 2 * f->bias)
        e = 2 * f->bias;
    return (sign ? sign_bit(f) : 0) | ((uint64_t)e << (f->p - 1)) | (frac & frac_mask(f));
}

static uint64_t gen_frac(const struct tfmt *f)
{
    uint64_t m = frac_mask(f);
    switch (rnd() % 8) {
    case 0: return 0;
    case 1: return 1;
    case 2: return m;
    case 3: return m - (rnd() % 4);
    case 4: return rnd() & rnd() & rnd() & m;                 /* few bits: exact or tie cases */
    case 5: return (1ull << (f->p - 2)) | (rnd() % 4);        /* about 1.5 */
    default: return rnd() & m;
    }
}

/* (Calls of rnd() are kept in separate statements: argument evaluation
 * order is unspecified, and a seed must mean the same cases in every build.) */
static uint64_t gen_with_exp(const struct tfmt *f, long e)
{
    bool sign = rnd() & 1;
    uint64_t frac = gen_frac(f);
    return make(f, sign, e, frac);
}

static uint64_t gen_special(const struct tfmt *f)
{
    uint64_t m = frac_mask(f), e_all = (uint64_t)(2 * f->bias + 1) << (f->p - 1);
    uint64_t one = (uint64_t)f->bias << (f->p - 1), quiet = 1ull << (f->p - 2);
    const uint64_t table[] = {
        0, e_all, e_all | quiet, e_all | 1, e_all | (quiet >> 1), e_all | quiet | 5,
        1, m, m + 1, e_all - 1, one, one | 1, one - 1, one >> 1 << 1,
    };
    uint64_t v = table[rnd() % (sizeof table / sizeof table[0])];
    return v | (rnd() & 1 ? sign_bit(f) : 0);
}

static uint64_t gen(const struct tfmt *f)
{
    long e_top = 2 * f->bias, e;
    switch (rnd() % 10) {
    case 0: return gen_special(f);
    case 1: return rnd() >> (64 - f->width);
    case 2: return gen_with_exp(f, 0);                                    /* subnormal or zero */
    case 3: e = rnd() & 1 ? 1 + (long)(rnd() % 3) : e_top - (long)(rnd() % 3);
            return gen_with_exp(f, e);
    case 4: e = f->bias - 3 + (long)(rnd() % 70);                         /* integers */
            return gen_with_exp(f, e);
    default: e = 1 + (long)(rnd() % e_top);
             return gen_with_exp(f, e);
    }
}

/* A second operand that often puts the result near a boundary. */
static uint64_t gen_related(const struct tfmt *f, int op, uint64_t a)
{
    int ea = exp_field(f, a), e_top = 2 * f->bias;
    long targets[] = { 0, 1, 2, -(long)(rnd() % (f->p + 2)), e_top, e_top - 1, e_top + 1 };
    long t = targets[rnd() % 7];
    uint64_t flip;
    switch (rnd() % 4) {
    case 0: /* close to a or -a: cancellation and rounding near a */
        flip = rnd() & 1 ? sign_bit(f) : 0;
        return ((a ^ flip) + (rnd() % 9) - 4) & (~0ull >> (64 - f->width));
    case 1: /* exponent chosen to land the result near underflow or overflow */
        if (op == R_MUL || op == R_FMA)
            return gen_with_exp(f, t - ea + f->bias);
        if (op == R_DIV)
            return gen_with_exp(f, ea - t + f->bias);
        return gen_with_exp(f, ea - (long)(rnd() % (f->p + 3)));
    default:
        return gen(f);
    }
}

/* --- The reference: MPFR, in the format's precision and exponent range --- */


struct ref_in {
    int op;
    double x, y, z;
    intmax_t sj;
    uintmax_t uj;
};

static int ref_eval(mpfr_t r, const struct ref_in *in, mpfr_rnd_t rnd)
{
    int t;
    if (in->op == R_FROM_D)
        return mpfr_set_d(r, in->x, rnd);
    if (in->op == R_FROM_SJ)
        return mpfr_set_sj(r, in->sj, rnd);
    if (in->op == R_FROM_UJ)
        return mpfr_set_uj(r, in->uj, rnd);
    mpfr_t a, b, c;
    mpfr_inits2(53, a, b, c, (mpfr_ptr)0);
    mpfr_set_d(a, in->x, MPFR_RNDN);
    mpfr_set_d(b, in->y, MPFR_RNDN);
    mpfr_set_d(c, in->z, MPFR_RNDN);
    switch (in->op) {
    case R_ADD: t = mpfr_add(r, a, b, rnd); break;
    case R_SUB: t = mpfr_sub(r, a, b, rnd); break;
    case R_MUL: t = mpfr_mul(r, a, b, rnd); break;
    case R_DIV: t = mpfr_div(r, a, b, rnd); break;
    case R_SQRT: t = mpfr_sqrt(r, a, rnd); break;
    default: t = mpfr_fma(r, a, b, c, rnd); break;
    }
    mpfr_clears(a, b, c, (mpfr_ptr)0);
    return t;
}

static mpfr_rnd_t ref_mode(int rm)
{
    static const mpfr_rnd_t m[] = { MPFR_RNDN, MPFR_RNDZ, MPFR_RNDD, MPFR_RNDU, MPFR_RNDN };
    return m[rm];
}

static uint64_t ref_bits(const struct tfmt *f, mpfr_t r)
{
    if (mpfr_nan_p(r))
        return t_canon(f);
    return f->width == 32 ? F(mpfr_get_flt(r, MPFR_RNDN)) : D(mpfr_get_d(r, MPFR_RNDN));
}

/* in's value rounded into f per rm: MPFR with the format's exponent range and
 * subnormalize does the rounding; tininess comes from rounding to f->p bits
 * with the default (practically unbounded) range; an RMM tie is found by
 * comparing the exact value with its two neighbours in the format. */
static uint64_t ref_round(const struct tfmt *f, const struct ref_in *in, int rm, uint32_t *flags)
{
    mpfr_rnd_t rnd = ref_mode(rm);
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_t u, r, rz, ra, x, d1, d2;
    mpfr_inits2(f->p, u, r, rz, ra, (mpfr_ptr)0);
    mpfr_inits2(f->p + 8, x, (mpfr_ptr)0);
    mpfr_inits2(4 * f->p + 64, d1, d2, (mpfr_ptr)0);

    ref_eval(u, in, rnd);
    bool tiny = mpfr_regular_p(u) && mpfr_get_exp(u) <= 1 - f->bias;

    mpfr_set_emin(1 - f->bias - (f->p - 1) + 1);
    mpfr_set_emax(f->bias + 1);
    mpfr_clear_flags();
    int t = ref_eval(r, in, rnd);
    t = mpfr_subnormalize(r, t, rnd);
    bool nan = mpfr_nanflag_p(), dz = mpfr_divby0_p(), of = mpfr_overflow_p();
    mpfr_subnormalize(rz, ref_eval(rz, in, MPFR_RNDZ), MPFR_RNDZ);
    mpfr_subnormalize(ra, ref_eval(ra, in, MPFR_RNDA), MPFR_RNDA);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);

    bool nx = t != 0 || of;
    *flags = (nan ? NV : 0) | (dz ? DZ : 0) | (of ? OF : 0) | (nx ? NX : 0) | (tiny && nx ? UF : 0);
    if (rm == RMM && !of && mpfr_number_p(r) && mpfr_number_p(ra) && !mpfr_equal_p(rz, ra) &&
        ref_eval(x, in, MPFR_RNDN) == 0) {
        mpfr_sub(d1, x, rz, MPFR_RNDN);
        mpfr_sub(d2, ra, x, MPFR_RNDN);
        if (mpfr_equal_p(d1, d2))
            mpfr_set(r, ra, MPFR_RNDN);
    }
    uint64_t bits = ref_bits(f, r);
    mpfr_clears(u, r, rz, ra, x, d1, d2, (mpfr_ptr)0);
    return bits;
}

static uint64_t ref_arith(const struct tfmt *f, int op, uint64_t a, uint64_t b, uint64_t c, int rm,
                          uint32_t *flags)
{
    int n = op == R_SQRT ? 1 : op == R_FMA ? 3 : 2;
    uint64_t v[3] = { a, b, c };
    bool any_nan = false, any_snan = false;
    for (int i = 0; i < n; i++) {
        any_nan |= t_is_nan(f, v[i]);
        any_snan |= t_is_snan(f, v[i]);
    }
    if (any_nan) {
        bool inf_zero = false;
        if (op == R_FMA) {
            double x = t_val(f, a), y = t_val(f, b);
            inf_zero = (isinf(x) && y == 0) || (x == 0 && isinf(y));
        }
        *flags = any_snan || inf_zero ? NV : 0;
        return t_canon(f);
    }
    struct ref_in in = { op, t_val(f, a), t_val(f, b), t_val(f, c), 0, 0 };
    return ref_round(f, &in, rm, flags);
}

/* Float -> integer: mpfr_rint / mpfr_round (ties away) then a range check. */
static uint64_t ref_to_int(const struct tfmt *f, uint64_t a, int rm, bool is_signed, int bits,
                           uint32_t *flags)
{
    uint64_t max = is_signed ? (1ull << (bits - 1)) - 1 : ~0ull >> (64 - bits);
    uint64_t min = is_signed ? -(1ull << (bits - 1)) : 0;
    double v = t_val(f, a);
    *flags = NV;
    if (isnan(v))
        return max;
    if (isinf(v))
        return v < 0 ? min : max;
    mpfr_t x, y, lo, hi;
    mpfr_inits2(256, x, y, lo, hi, (mpfr_ptr)0);
    mpfr_set_d(x, v, MPFR_RNDN);
    if (rm == RMM)
        mpfr_round(y, x);
    else
        mpfr_rint(y, x, ref_mode(rm));
    if (is_signed) {
        mpfr_set_si_2exp(lo, -1, bits - 1, MPFR_RNDN);
        mpfr_set_si_2exp(hi, 1, bits - 1, MPFR_RNDN);
    } else {
        mpfr_set_si(lo, 0, MPFR_RNDN);
        mpfr_set_si_2exp(hi, 1, bits, MPFR_RNDN);
    }
    mpfr_sub_ui(hi, hi, 1, MPFR_RNDN);
    uint64_t res;
    if (mpfr_less_p(y, lo)) {
        res = min;
    } else if (mpfr_greater_p(y, hi)) {
        res = max;
    } else {
        *flags = mpfr_integer_p(x) ? 0 : NX;
        res = is_signed ? (uint64_t)mpfr_get_sj(y, MPFR_RNDN) : (uint64_t)mpfr_get_uj(y, MPFR_RNDN);
    }
    mpfr_clears(x, y, lo, hi, (mpfr_ptr)0);
    return res;
}

/* --- The driver --- */

static int random_fails;
static long flag_seen[5]; /* how often the reference raised each flag: coverage */

static void compare(const char *what, bool nx_preset, const struct tfmt *f, uint64_t a, uint64_t b, uint64_t c,
                    int rm, uint64_t got, uint32_t got_fl, uint64_t want, uint32_t want_fl)
{
    for (int i = 0; i < 5 && !nx_preset; i++)
        flag_seen[i] += (want_fl >> i) & 1;
    if (got == want && got_fl == want_fl) {
        unit_pass++;
        return;
    }
    unit_fail++;
    if (++random_fails <= 30)
        fprintf(stderr, "random f%d %s%s rm=%d a=0x%" PRIx64 " b=0x%" PRIx64 " c=0x%" PRIx64
                ": got 0x%" PRIx64 "/0x%x, want 0x%" PRIx64 "/0x%x\n",
                f->width, what, nx_preset ? " [NX preset]" : "", rm, a, b, c, got, got_fl, want, want_fl);
}

static uint64_t run_arith(const struct tfmt *f, int op, uint64_t a, uint64_t b, uint64_t c,
                          int np, int na, int rm, uint32_t *flags)
{
    if (f->width == 32) {
        uint32_t x = (uint32_t)a, y = (uint32_t)b, z = (uint32_t)c;
        switch (op) {
        case R_ADD: return f32_add(x, y, rm, flags);
        case R_SUB: return f32_sub(x, y, rm, flags);
        case R_MUL: return f32_mul(x, y, rm, flags);
        case R_DIV: return f32_div(x, y, rm, flags);
        case R_SQRT: return f32_sqrt(x, rm, flags);
        default: return f32_fma(x, y, z, np, na, rm, flags);
        }
    }
    switch (op) {
    case R_ADD: return f64_add(a, b, rm, flags);
    case R_SUB: return f64_sub(a, b, rm, flags);
    case R_MUL: return f64_mul(a, b, rm, flags);
    case R_DIV: return f64_div(a, b, rm, flags);
    case R_SQRT: return f64_sqrt(a, rm, flags);
    default: return f64_fma(a, b, c, np, na, rm, flags);
    }
}

/* Runs with fflags clear and with NX preset (the hot path). */
#define BOTH(what, f, a, b, c, rm, expr, want, want_fl) do { \
    uint32_t flags = 0; \
    uint64_t got = (expr); \
    compare(what, false, f, a, b, c, rm, got, flags, want, want_fl); \
    flags = NX; \
    got = (expr); \
    compare(what, true, f, a, b, c, rm, got, flags, want, (want_fl) | NX); \
} while (0)

static void random_arith(const struct tfmt *f, int n)
{
    for (int op = R_ADD; op <= R_FMA; op++) {
        for (int i = 0; i < n; i++) {
            uint64_t a = gen(f), b = gen_related(f, op, a), c = gen(f);
            if (op != R_FMA)
                c = 0;
            if (op == R_SQRT)
                b = 0;
            int np = rnd() & 1, na = rnd() & 1;
            if (op == R_FMA && rnd() % 2) {
                /* an addend close to -(a*b): cancellation */
                double p = t_val(f, a) * t_val(f, b);
                uint64_t pb = f->width == 32 ? F((float)p) : D(p);
                c = (pb ^ (np == na ? sign_bit(f) : 0)) + (rnd() % 5) - 2;
                c &= ~0ull >> (64 - f->width);
            }
            for (int rm = RNE; rm <= RMM; rm++) {
                uint32_t want_fl;
                uint64_t sa = op == R_FMA && np ? a ^ sign_bit(f) : a;
                uint64_t sc = op == R_FMA && na ? c ^ sign_bit(f) : c;
                uint64_t want = ref_arith(f, op, sa, b, sc, rm, &want_fl);
                BOTH(op_name[op], f, a, b, c, rm, run_arith(f, op, a, b, c, np, na, rm, &flags),
                     want, want_fl);
            }
        }
    }
}

static uint64_t run_to_int(const struct tfmt *f, int kind, uint64_t a, int rm, uint32_t *flags)
{
    if (f->width == 32) {
        uint32_t x = (uint32_t)a;
        switch (kind) {
        case 0: return f32_to_i32(x, rm, flags);
        case 1: return f32_to_u32(x, rm, flags);
        case 2: return f32_to_i64(x, rm, flags);
        default: return f32_to_u64(x, rm, flags);
        }
    }
    switch (kind) {
    case 0: return f64_to_i32(a, rm, flags);
    case 1: return f64_to_u32(a, rm, flags);
    case 2: return f64_to_i64(a, rm, flags);
    default: return f64_to_u64(a, rm, flags);
    }
}

static void random_conversions(const struct tfmt *f, int n)
{
    static const char *const kinds[] = { "to_i32", "to_u32", "to_i64", "to_u64" };
    for (int i = 0; i < n; i++) {
        uint64_t a = gen(f);
        if (rnd() % 2) /* around the integer-range limits and small halves */
            a = gen_with_exp(f, f->bias - 1 + (long)(rnd() % 4 == 0 ? rnd() % 3 : 30 + rnd() % 35));
        for (int rm = RNE; rm <= RMM; rm++) {
            for (int kind = 0; kind < 4; kind++) {
                bool is_signed = kind % 2 == 0;
                int bits = kind < 2 ? 32 : 64;
                uint32_t want_fl;
                uint64_t want = ref_to_int(f, a, rm, is_signed, bits, &want_fl);
                if (bits == 32)
                    want = (uint64_t)(int64_t)(int32_t)(uint32_t)want;
                BOTH(kinds[kind], f, a, 0, 0, rm, run_to_int(f, kind, a, rm, &flags), want, want_fl);
            }
        }
    }
}

static void random_from_int(int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t v = rnd();
        v >>= rnd() % 64;
        if (rnd() % 4 == 0) {
            v = 1ull << (rnd() % 64);
            v += (rnd() % 5) - 2; /* around powers of two: ties */
        }
        for (int rm = RNE; rm <= RMM; rm++) {
            for (int target = 0; target < 2; target++) {
                const struct tfmt *f = target ? &TF64 : &TF32;
                struct ref_in in = { R_FROM_SJ, 0, 0, 0, (int64_t)v, v };
                uint32_t wf;
                uint64_t want = ref_round(f, &in, rm, &wf);
                BOTH("from_i64", f, v, 0, 0, rm,
                     target ? i64_to_f64((int64_t)v, rm, &flags) : i64_to_f32((int64_t)v, rm, &flags),
                     want, wf);
                in.op = R_FROM_UJ;
                want = ref_round(f, &in, rm, &wf);
                BOTH("from_u64", f, v, 0, 0, rm,
                     target ? u64_to_f64(v, rm, &flags) : u64_to_f32(v, rm, &flags), want, wf);
                in = (struct ref_in){ R_FROM_SJ, 0, 0, 0, (int32_t)v, 0 };
                want = ref_round(f, &in, rm, &wf);
                BOTH("from_i32", f, v, 0, 0, rm,
                     target ? i32_to_f64((int32_t)v, rm, &flags) : i32_to_f32((int32_t)v, rm, &flags),
                     want, wf);
                in = (struct ref_in){ R_FROM_UJ, 0, 0, 0, 0, (uint32_t)v };
                want = ref_round(f, &in, rm, &wf);
                BOTH("from_u32", f, v, 0, 0, rm,
                     target ? u32_to_f64((uint32_t)v, rm, &flags) : u32_to_f32((uint32_t)v, rm, &flags),
                     want, wf);
            }
        }
    }
}

static void random_f64_to_f32(int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t a = gen(&TF64);
        if (rnd() % 2) { /* exponents around binary32's range */
            long e = 1023 - 155 + (long)(rnd() % 40);
            e += (rnd() % 2) * 260;
            a = gen_with_exp(&TF64, e);
        }
        for (int rm = RNE; rm <= RMM; rm++) {
            uint32_t wf = 0;
            uint64_t want;
            if (t_is_nan(&TF64, a)) {
                want = F32_CANON_NAN;
                wf = t_is_snan(&TF64, a) ? NV : 0;
            } else {
                struct ref_in in = { R_FROM_D, DV(a), 0, 0, 0, 0 };
                want = ref_round(&TF32, &in, rm, &wf);
            }
            BOTH("f64_to_f32", &TF32, a, 0, 0, rm, f64_to_f32(a, rm, &flags), want, wf);
        }
        /* and the exact widening of a binary32 value */
        uint32_t s = (uint32_t)gen(&TF32);
        uint32_t wf = t_is_snan(&TF32, s) ? NV : 0;
        uint64_t want = t_is_nan(&TF32, s) ? F64_CANON_NAN : D((double)FV(s));
        BOTH("f32_to_f64", &TF64, s, 0, 0, 0, f32_to_f64(s, &flags), want, wf);
    }
}

/* min/max/compare/classify against MPFR's predicates. */
static void random_misc(const struct tfmt *f, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t a = gen(f), b = rnd() % 4 ? gen_related(f, 0, a) : a;
        mpfr_t x, y, m;
        mpfr_inits2(f->p, x, y, m, (mpfr_ptr)0);
        mpfr_set_d(x, t_val(f, a), MPFR_RNDN);
        mpfr_set_d(y, t_val(f, b), MPFR_RNDN);
        bool snan = t_is_snan(f, a) || t_is_snan(f, b);
        bool nan = t_is_nan(f, a) || t_is_nan(f, b);
        bool is32 = f->width == 32;
        uint32_t x32 = (uint32_t)a, y32 = (uint32_t)b;

        mpfr_min(m, x, y, MPFR_RNDN);
        uint64_t want = ref_bits(f, m);
        BOTH("min", f, a, b, 0, 0, is32 ? f32_min(x32, y32, &flags) : f64_min(a, b, &flags), want,
             snan ? NV : 0);
        mpfr_max(m, x, y, MPFR_RNDN);
        want = ref_bits(f, m);
        BOTH("max", f, a, b, 0, 0, is32 ? f32_max(x32, y32, &flags) : f64_max(a, b, &flags), want,
             snan ? NV : 0);
        BOTH("eq", f, a, b, 0, 0, is32 ? f32_eq(x32, y32, &flags) : f64_eq(a, b, &flags),
             mpfr_equal_p(x, y), snan ? NV : 0);
        BOTH("lt", f, a, b, 0, 0, is32 ? f32_lt(x32, y32, &flags) : f64_lt(a, b, &flags),
             mpfr_less_p(x, y), nan ? NV : 0);
        BOTH("le", f, a, b, 0, 0, is32 ? f32_le(x32, y32, &flags) : f64_le(a, b, &flags),
             mpfr_lessequal_p(x, y), nan ? NV : 0);

        int cls;
        bool neg = a >> (f->width - 1);
        if (t_is_nan(f, a))
            cls = t_is_snan(f, a) ? 8 : 9;
        else if (mpfr_inf_p(x))
            cls = neg ? 0 : 7;
        else if (mpfr_zero_p(x))
            cls = neg ? 3 : 4;
        else if (mpfr_get_exp(x) <= 1 - f->bias)
            cls = neg ? 2 : 5;
        else
            cls = neg ? 1 : 6;
        BOTH("classify", f, a, 0, 0, 0, is32 ? f32_classify(x32) : f64_classify(a), 1u << cls, 0);
        mpfr_clears(x, y, m, (mpfr_ptr)0);
    }
}

static void test_random(void)
{
    const char *s = getenv("FPU_RANDOM_N");
    int n = s ? atoi(s) : 3000;
    if ((s = getenv("FPU_SEED")))
        rng_state = strtoull(s, NULL, 0);
    int before = unit_pass + unit_fail;
    random_arith(&TF32, n);
    random_arith(&TF64, n);
    random_conversions(&TF32, n);
    random_conversions(&TF64, n);
    random_from_int(n);
    random_f64_to_f32(n);
    random_misc(&TF32, n);
    random_misc(&TF64, n);
    printf("test_fpu: %d random checks, %d mismatches; flags expected NX %ld UF %ld OF %ld DZ %ld NV %ld\n",
           unit_pass + unit_fail - before, random_fails, flag_seen[0], flag_seen[1], flag_seen[2],
           flag_seen[3], flag_seen[4]);
}

int main(void)
{
    test_add_sub();
    test_mul_div_sqrt();
    test_fma();
    test_minmax_compare_classify();
    test_float_to_int();
    test_int_to_float();
    test_format_conversions();
    test_random();
    mpfr_free_cache();
    return unit_report("test_fpu");
}
