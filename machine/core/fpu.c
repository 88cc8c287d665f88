/* IEEE-754 arithmetic for the F and D extensions (see fpu.h for the contract).
 *
 * How results are obtained:
 *  - Arithmetic in RNE/RTZ/RDN/RUP runs on the host's FPU.  On x86-64 the
 *    rounding mode and exception flags live in MXCSR, which is read and
 *    written directly (the fenv.h calls are far slower); other hosts use
 *    fenv.h.  What the host does differently from RISC-V is handled here:
 *    NaN results are replaced by the canonical NaN, the denormal-operand flag
 *    is dropped, FMA's inf*0 with a NaN addend is decided before the host
 *    sees it.
 *  - Hot path (as in QEMU's "hardfloat"): when NX is already raised and the
 *    rounding mode is RNE, an operation on normal (or zero) operands whose
 *    result is normal cannot raise any flag that is not already set, so the
 *    host computes it without any flag handling at all.
 *  - RMM, which no host implements, goes through an exact path: MPFR
 *    computes the result truncated to 64 bits plus a sticky bit, and
 *    round_pack() does the single final rounding in the target format with
 *    subnormals, overflow and after-rounding tininess.  Conversions to and
 *    from integers, and binary64 -> binary32 off the hot path, are done
 *    exactly in integer arithmetic (round_pack again) in every mode.
 */
#include "core/fpu.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include <mpfr.h>

#if defined(__x86_64__) && defined(__SSE2__) && !defined(FPU_PORTABLE)
#define FPU_HOST_SSE 1
#else
#include <fenv.h>
#endif

#define NOINLINE __attribute__((noinline))
#define LIKELY(x) __builtin_expect(!!(x), 1)

enum arith_op { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_FMA };

/* ---- Bit-level views of the two formats ---- */

#define F32_SIGN 0x80000000u
#define F32_EXP  0x7f800000u
#define F32_QUIET 0x00400000u
#define F64_SIGN 0x8000000000000000ull
#define F64_EXP  0x7ff0000000000000ull
#define F64_QUIET 0x0008000000000000ull

static inline float f32_val(uint32_t b) { float f; memcpy(&f, &b, sizeof f); return f; }
static inline uint32_t f32_bits(float f) { uint32_t b; memcpy(&b, &f, sizeof b); return b; }
static inline double f64_val(uint64_t b) { double d; memcpy(&d, &b, sizeof d); return d; }
static inline uint64_t f64_bits(double d) { uint64_t b; memcpy(&b, &d, sizeof b); return b; }

static inline bool f32_is_nan(uint32_t a) { return (a & ~F32_SIGN) > F32_EXP; }
static inline bool f32_is_snan(uint32_t a) { return f32_is_nan(a) && !(a & F32_QUIET); }
static inline bool f32_is_inf(uint32_t a) { return (a & ~F32_SIGN) == F32_EXP; }
static inline bool f32_is_zero(uint32_t a) { return (a & ~F32_SIGN) == 0; }
static inline bool f32_is_finite(uint32_t a) { return (a & F32_EXP) != F32_EXP; }
/* Normal or zero: operands the hot path accepts. */
static inline bool f32_is_plain(uint32_t a)
{
    return ((a >> 23) & 0xff) - 1u < 254u || f32_is_zero(a);
}
/* A result the hot path accepts: finite, and not tiny (|r| == FLT_MIN may
 * be tiny after rounding, so it is excluded too). */
static inline bool f32_normal_result(float r)
{
    float m = fabsf(r);
    return m > FLT_MIN && m <= FLT_MAX;
}

static inline bool f64_is_nan(uint64_t a) { return (a & ~F64_SIGN) > F64_EXP; }
static inline bool f64_is_snan(uint64_t a) { return f64_is_nan(a) && !(a & F64_QUIET); }
static inline bool f64_is_inf(uint64_t a) { return (a & ~F64_SIGN) == F64_EXP; }
static inline bool f64_is_zero(uint64_t a) { return (a & ~F64_SIGN) == 0; }
static inline bool f64_is_finite(uint64_t a) { return (a & F64_EXP) != F64_EXP; }
static inline bool f64_is_plain(uint64_t a)
{
    return ((a >> 52) & 0x7ff) - 1u < 2046u || f64_is_zero(a);
}
static inline bool f64_normal_result(double r)
{
    double m = fabs(r);
    return m > DBL_MIN && m <= DBL_MAX;
}

/* ---- Host FPU control: rounding mode in, exception flags out ---- */

#ifdef FPU_HOST_SSE
/* All exceptions masked, round to nearest, DAZ and FTZ off: the process
 * default, which every path here restores before returning. */
#define MXCSR_DEFAULT 0x1f80u
/* MXCSR images per rounding mode, loaded straight from memory: a value
 * stored just before LDMXCSR reads it costs a long stall. */
static const uint32_t mxcsr_image[4] = {
    [FPU_RNE] = MXCSR_DEFAULT,          [FPU_RTZ] = MXCSR_DEFAULT | 0x6000,
    [FPU_RDN] = MXCSR_DEFAULT | 0x2000, [FPU_RUP] = MXCSR_DEFAULT | 0x4000,
};

static inline uint32_t mxcsr_read(void)
{
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m) : : "memory");
    return m;
}

static inline void mxcsr_load(int rm)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr_image[rm]) : "memory");
}

/* MXCSR status bits are IE DE ZE OE UE PE (bits 0..5); DE, the x86-only
 * denormal-operand flag, has no RISC-V counterpart and is dropped.  x86
 * detects tininess after rounding and, with UE masked, raises UE only when
 * the tiny result is also inexact: RISC-V's UF exactly. */
static inline uint32_t mxcsr_fflags(uint32_t m)
{
    return ((m & 0x01) << 4) | ((m & 0x04) << 1) | ((m & 0x08) >> 1) |
           ((m & 0x10) >> 3) | ((m & 0x20) >> 5);
}

/* Prepares the host for one operation in mode rm.  `known` are the flags
 * the guest has raised already.  Writing MXCSR stalls the pipeline (tens of
 * cycles), so in RNE its sticky flags are cleared only when one of them is
 * not in `known`: otherwise whatever the operation adds on top of them is
 * exactly what the guest's flags need. */
static inline void host_begin(int rm, uint32_t known)
{
    if (rm == FPU_RNE && !(mxcsr_fflags(mxcsr_read()) & ~known))
        return;
    mxcsr_load(rm);
}

static inline uint32_t host_end(int rm)
{
    uint32_t m = mxcsr_read();
    if (rm != FPU_RNE)
        mxcsr_load(FPU_RNE);
    return mxcsr_fflags(m);
}

/* Pins a value in a register at this point of the instruction stream, so
 * the compiler can neither fold an operation nor move it across the MXCSR
 * accesses (it does not know that arithmetic depends on MXCSR). */
#define HOST_FENCE(x) __asm__ volatile("" : "+x"(x))
/* x86 detects tininess after rounding, as RISC-V does. */
#define HOST_TININESS_OK 1
#else
static const int fenv_rounding[4] = {
    [FPU_RNE] = FE_TONEAREST, [FPU_RTZ] = FE_TOWARDZERO,
    [FPU_RDN] = FE_DOWNWARD, [FPU_RUP] = FE_UPWARD,
};

static inline void host_begin(int rm, uint32_t known)
{
    feclearexcept(FE_ALL_EXCEPT);
    if (rm != FPU_RNE)
        fesetround(fenv_rounding[rm]);
}

static inline uint32_t host_end(int rm)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    if (rm != FPU_RNE)
        fesetround(FE_TONEAREST);
    return (e & FE_INVALID ? FFLAG_NV : 0) | (e & FE_DIVBYZERO ? FFLAG_DZ : 0) |
           (e & FE_OVERFLOW ? FFLAG_OF : 0) | (e & FE_UNDERFLOW ? FFLAG_UF : 0) |
           (e & FE_INEXACT ? FFLAG_NX : 0);
}

#define HOST_FENCE(x) __asm__ volatile("" : "+m"(x))
/* Some hosts (e.g. Arm) detect tininess before rounding: results near the
 * subnormal range are recomputed on the exact path. */
#define HOST_TININESS_OK 0
#endif

/* ---- Exact rounding to a format, in integer arithmetic ---- */

struct fmt {
    int p;          /* significand bits, implicit bit included */
    int emin, emax; /* unbiased exponent range of normal numbers; bias == emax */
    int width;      /* total bits */
};
static const struct fmt FMT32 = { 24, -126, 127, 32 };
static const struct fmt FMT64 = { 53, -1022, 1023, 64 };

/* sig >> shift (shift >= 1), rounded per rm; `sticky` stands for nonzero
 * bits below sig's least significant bit. */
static uint64_t shift_round(uint64_t sig, int shift, bool sticky, bool sign, int rm,
                            bool *inexact)
{
    uint64_t q;
    bool half, rest;
    if (shift > 64) {
        q = 0, half = false, rest = sig != 0 || sticky;
    } else if (shift == 64) {
        q = 0, half = sig >> 63, rest = (sig << 1) != 0 || sticky;
    } else {
        q = sig >> shift;
        half = (sig >> (shift - 1)) & 1;
        rest = (sig & ((1ull << (shift - 1)) - 1)) != 0 || sticky;
    }
    *inexact = half || rest;
    bool up;
    switch (rm) {
    case FPU_RNE: up = half && (rest || (q & 1)); break;
    case FPU_RTZ: up = false; break;
    case FPU_RDN: up = *inexact && sign; break;
    case FPU_RUP: up = *inexact && !sign; break;
    default:      up = half; break; /* RMM: ties away from zero */
    }
    return q + up;
}

/* The format's encoding of (-1)^sign * (sig + sticky) * 2^exp, sig != 0,
 * rounded once per rm, with OF/UF/NX as RISC-V defines them (tininess is
 * detected after rounding). */
static uint64_t round_pack(const struct fmt *f, bool sign, int exp, uint64_t sig,
                           bool sticky, int rm, uint32_t *fl)
{
    uint64_t sign_bit = (uint64_t)sign << (f->width - 1);
    uint64_t frac_mask = (1ull << (f->p - 1)) - 1;
    int lz = __builtin_clzll(sig);
    sig <<= lz;
    int e = exp - lz + 63; /* value in [2^e, 2^(e+1)) */
    bool inexact;

    if (e >= f->emin) {
        uint64_t q = shift_round(sig, 64 - f->p, sticky, sign, rm, &inexact);
        if (q >> f->p) { /* rounded up into the next binade */
            q >>= 1;
            e++;
        }
        if (e > f->emax) {
            *fl |= FFLAG_OF | FFLAG_NX;
            bool to_inf = rm == FPU_RNE || rm == FPU_RMM ||
                          (rm == FPU_RDN && sign) || (rm == FPU_RUP && !sign);
            uint64_t inf = (uint64_t)(2 * f->emax + 1) << (f->p - 1);
            return sign_bit | (to_inf ? inf : inf - 1);
        }
        if (inexact)
            *fl |= FFLAG_NX;
        return sign_bit | ((uint64_t)(e + f->emax) << (f->p - 1)) | (q & frac_mask);
    }

    /* Below the normal range before rounding; tiny unless rounding to the
     * full precision (unbounded exponent) reaches 2^emin. */
    bool tiny = true;
    if (e == f->emin - 1) {
        bool unused;
        tiny = !(shift_round(sig, 64 - f->p, sticky, sign, rm, &unused) >> f->p);
    }
    uint64_t q = shift_round(sig, 64 - f->p + (f->emin - e), sticky, sign, rm, &inexact);
    if (inexact)
        *fl |= FFLAG_NX | (tiny ? FFLAG_UF : 0);
    /* q == 2^(p-1) is the smallest normal: its bit lands in the exponent field. */
    return sign_bit | q;
}

/* ---- The exact path: MPFR truncates to 64 bits, round_pack rounds ---- */

static mpfr_rnd_t mpfr_mode(int rm)
{
    switch (rm) {
    case FPU_RTZ: return MPFR_RNDZ;
    case FPU_RDN: return MPFR_RNDD;
    case FPU_RUP: return MPFR_RNDU;
    default:      return MPFR_RNDN; /* RNE; RMM only matters for ties, never for zeros */
    }
}

static int mpfr_apply(int op, mpfr_t r, mpfr_t a, mpfr_t b, mpfr_t c, mpfr_rnd_t rnd)
{
    switch (op) {
    case OP_ADD:  return mpfr_add(r, a, b, rnd);
    case OP_SUB:  return mpfr_sub(r, a, b, rnd);
    case OP_MUL:  return mpfr_mul(r, a, b, rnd);
    case OP_DIV:  return mpfr_div(r, a, b, rnd);
    case OP_SQRT: return mpfr_sqrt(r, a, rnd);
    default:      return mpfr_fma(r, a, b, c, rnd);
    }
}

/* op on finite operands that yield a finite result (binary32 and binary64
 * values are all exact as doubles), rounded once into format f.  A 64-bit
 * truncation plus "something was lost" keeps everything any rounding to
 * at most 62 bits needs. */
static uint64_t exact_arith(const struct fmt *f, int op, double x, double y, double z,
                            int rm, uint32_t *fl)
{
    mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    mpfr_t a, b, c, r;
    mpfr_inits2(53, a, b, c, (mpfr_ptr)0);
    mpfr_init2(r, 64);
    mpfr_set_d(a, x, MPFR_RNDN);
    mpfr_set_d(b, y, MPFR_RNDN);
    mpfr_set_d(c, z, MPFR_RNDN);

    uint64_t res;
    int ternary = mpfr_apply(op, r, a, b, c, MPFR_RNDZ);
    if (mpfr_zero_p(r)) {
        /* An exact zero (the range is unbounded): its sign depends on the
         * rounding mode (x - x is -0 only when rounding down), so ask again. */
        mpfr_apply(op, r, a, b, c, mpfr_mode(rm));
        res = (uint64_t)(mpfr_signbit(r) != 0) << (f->width - 1);
    } else {
        bool sign = mpfr_signbit(r) != 0;
        mpfr_exp_t e = mpfr_get_exp(r); /* r = 0.1xxx * 2^e */
        mpfr_abs(r, r, MPFR_RNDZ);
        mpfr_mul_2si(r, r, 64 - e, MPFR_RNDZ);
        uint64_t sig = mpfr_get_uj(r, MPFR_RNDZ);
        res = round_pack(f, sign, (int)e - 64, sig, ternary != 0, rm, fl);
    }
    mpfr_clears(a, b, c, r, (mpfr_ptr)0);
    mpfr_set_emin(saved_emin);
    mpfr_set_emax(saved_emax);
    return res;
}

/* Whether op's result is an ordinary rounded number, i.e. no NaN, infinity
 * or division by zero is involved (those are exact, and the host in RNE
 * gets them right). */
static bool needs_rounding(int op, bool fa, bool fb, bool fc, bool b_zero, bool a_neg)
{
    switch (op) {
    case OP_DIV:  return fa && fb && !b_zero;
    case OP_SQRT: return fa && !a_neg;
    case OP_FMA:  return fa && fb && fc;
    default:      return fa && fb;
    }
}

/* ---- binary32 arithmetic ---- */

static NOINLINE uint32_t f32_arith_slow(int op, uint32_t a, uint32_t b, uint32_t c, int rm,
                                        uint32_t *fl)
{
    if (op == OP_FMA && (f32_is_nan(a) || f32_is_nan(b) || f32_is_nan(c))) {
        /* inf*0 is invalid even when the addend is a quiet NaN. */
        bool inf_zero = (f32_is_inf(a) && f32_is_zero(b)) || (f32_is_zero(a) && f32_is_inf(b));
        if (inf_zero || f32_is_snan(a) || f32_is_snan(b) || f32_is_snan(c))
            *fl |= FFLAG_NV;
        return F32_CANON_NAN;
    }
    bool rounds = needs_rounding(op, f32_is_finite(a), f32_is_finite(b), f32_is_finite(c),
                                 f32_is_zero(b), (a & F32_SIGN) && !f32_is_zero(a));
    if (rm == FPU_RMM && rounds)
        return (uint32_t)exact_arith(&FMT32, op, f32_val(a), f32_val(b), f32_val(c), rm, fl);
    int host_rm = rm == FPU_RMM ? FPU_RNE : rm;

    float x = f32_val(a), y = f32_val(b), z = f32_val(c), r;
    host_begin(host_rm, *fl);
    HOST_FENCE(x);
    HOST_FENCE(y);
    HOST_FENCE(z);
    switch (op) {
    case OP_ADD:  r = x + y; break;
    case OP_SUB:  r = x - y; break;
    case OP_MUL:  r = x * y; break;
    case OP_DIV:  r = x / y; break;
    case OP_SQRT: r = sqrtf(x); break;
    default:      r = fmaf(x, y, z); break;
    }
    HOST_FENCE(r);
    uint32_t flags = host_end(host_rm);

    if (isnan(r)) {
        *fl |= flags;
        return F32_CANON_NAN;
    }
    if (!HOST_TININESS_OK && rounds && !f32_normal_result(r))
        return (uint32_t)exact_arith(&FMT32, op, f32_val(a), f32_val(b), f32_val(c), rm, fl);
    *fl |= flags;
    return f32_bits(r);
}

static inline bool hot(int rm, const uint32_t *fl)
{
    return rm == FPU_RNE && (*fl & FFLAG_NX);
}

uint32_t f32_add(uint32_t a, uint32_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f32_is_plain(a) && f32_is_plain(b))) {
        float r = f32_val(a) + f32_val(b);
        /* Sums below FLT_MIN are exact, so only overflow needs a look. */
        if (LIKELY(fabsf(r) <= FLT_MAX))
            return f32_bits(r);
    }
    return f32_arith_slow(OP_ADD, a, b, 0, rm, fl);
}

uint32_t f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f32_is_plain(a) && f32_is_plain(b))) {
        float r = f32_val(a) - f32_val(b);
        if (LIKELY(fabsf(r) <= FLT_MAX))
            return f32_bits(r);
    }
    return f32_arith_slow(OP_SUB, a, b, 0, rm, fl);
}

uint32_t f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f32_is_plain(a) && f32_is_plain(b))) {
        float r = f32_val(a) * f32_val(b);
        if (LIKELY(f32_normal_result(r)) || f32_is_zero(a) || f32_is_zero(b))
            return f32_bits(r);
    }
    return f32_arith_slow(OP_MUL, a, b, 0, rm, fl);
}

uint32_t f32_div(uint32_t a, uint32_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f32_is_plain(a) && f32_is_plain(b))) {
        float r = f32_val(a) / f32_val(b);
        if (LIKELY(f32_normal_result(r)) || (f32_is_zero(a) && !f32_is_zero(b)))
            return f32_bits(r);
    }
    return f32_arith_slow(OP_DIV, a, b, 0, rm, fl);
}

uint32_t f32_sqrt(uint32_t a, int rm, uint32_t *fl)
{
    /* The square root of a normal number is normal. */
    if (LIKELY(hot(rm, fl) && f32_is_plain(a) && (!(a & F32_SIGN) || f32_is_zero(a))))
        return f32_bits(__builtin_sqrtf(f32_val(a)));
    return f32_arith_slow(OP_SQRT, a, 0, 0, rm, fl);
}

uint32_t f32_fma(uint32_t a, uint32_t b, uint32_t c, int neg_prod, int neg_add, int rm,
                 uint32_t *fl)
{
    /* Negating an operand is exact, so -(a*b) + c == (-a)*b + c. */
    a ^= neg_prod ? F32_SIGN : 0;
    c ^= neg_add ? F32_SIGN : 0;
    if (LIKELY(hot(rm, fl) && f32_is_plain(a) && f32_is_plain(b) && f32_is_plain(c))) {
        float r = fmaf(f32_val(a), f32_val(b), f32_val(c));
        if (LIKELY(f32_normal_result(r)))
            return f32_bits(r);
    }
    return f32_arith_slow(OP_FMA, a, b, c, rm, fl);
}

/* ---- binary64 arithmetic ---- */

static NOINLINE uint64_t f64_arith_slow(int op, uint64_t a, uint64_t b, uint64_t c, int rm,
                                        uint32_t *fl)
{
    if (op == OP_FMA && (f64_is_nan(a) || f64_is_nan(b) || f64_is_nan(c))) {
        bool inf_zero = (f64_is_inf(a) && f64_is_zero(b)) || (f64_is_zero(a) && f64_is_inf(b));
        if (inf_zero || f64_is_snan(a) || f64_is_snan(b) || f64_is_snan(c))
            *fl |= FFLAG_NV;
        return F64_CANON_NAN;
    }
    bool rounds = needs_rounding(op, f64_is_finite(a), f64_is_finite(b), f64_is_finite(c),
                                 f64_is_zero(b), (a & F64_SIGN) && !f64_is_zero(a));
    if (rm == FPU_RMM && rounds)
        return exact_arith(&FMT64, op, f64_val(a), f64_val(b), f64_val(c), rm, fl);
    int host_rm = rm == FPU_RMM ? FPU_RNE : rm;

    double x = f64_val(a), y = f64_val(b), z = f64_val(c), r;
    host_begin(host_rm, *fl);
    HOST_FENCE(x);
    HOST_FENCE(y);
    HOST_FENCE(z);
    switch (op) {
    case OP_ADD:  r = x + y; break;
    case OP_SUB:  r = x - y; break;
    case OP_MUL:  r = x * y; break;
    case OP_DIV:  r = x / y; break;
    case OP_SQRT: r = sqrt(x); break;
    default:      r = fma(x, y, z); break;
    }
    HOST_FENCE(r);
    uint32_t flags = host_end(host_rm);

    if (isnan(r)) {
        *fl |= flags;
        return F64_CANON_NAN;
    }
    if (!HOST_TININESS_OK && rounds && !f64_normal_result(r))
        return exact_arith(&FMT64, op, f64_val(a), f64_val(b), f64_val(c), rm, fl);
    *fl |= flags;
    return f64_bits(r);
}

uint64_t f64_add(uint64_t a, uint64_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f64_is_plain(a) && f64_is_plain(b))) {
        double r = f64_val(a) + f64_val(b);
        if (LIKELY(fabs(r) <= DBL_MAX))
            return f64_bits(r);
    }
    return f64_arith_slow(OP_ADD, a, b, 0, rm, fl);
}

uint64_t f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f64_is_plain(a) && f64_is_plain(b))) {
        double r = f64_val(a) - f64_val(b);
        if (LIKELY(fabs(r) <= DBL_MAX))
            return f64_bits(r);
    }
    return f64_arith_slow(OP_SUB, a, b, 0, rm, fl);
}

uint64_t f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f64_is_plain(a) && f64_is_plain(b))) {
        double r = f64_val(a) * f64_val(b);
        if (LIKELY(f64_normal_result(r)) || f64_is_zero(a) || f64_is_zero(b))
            return f64_bits(r);
    }
    return f64_arith_slow(OP_MUL, a, b, 0, rm, fl);
}

uint64_t f64_div(uint64_t a, uint64_t b, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f64_is_plain(a) && f64_is_plain(b))) {
        double r = f64_val(a) / f64_val(b);
        if (LIKELY(f64_normal_result(r)) || (f64_is_zero(a) && !f64_is_zero(b)))
            return f64_bits(r);
    }
    return f64_arith_slow(OP_DIV, a, b, 0, rm, fl);
}

uint64_t f64_sqrt(uint64_t a, int rm, uint32_t *fl)
{
    if (LIKELY(hot(rm, fl) && f64_is_plain(a) && (!(a & F64_SIGN) || f64_is_zero(a))))
        return f64_bits(__builtin_sqrt(f64_val(a)));
    return f64_arith_slow(OP_SQRT, a, 0, 0, rm, fl);
}

uint64_t f64_fma(uint64_t a, uint64_t b, uint64_t c, int neg_prod, int neg_add, int rm,
                 uint32_t *fl)
{
    a ^= neg_prod ? F64_SIGN : 0;
    c ^= neg_add ? F64_SIGN : 0;
    if (LIKELY(hot(rm, fl) && f64_is_plain(a) && f64_is_plain(b) && f64_is_plain(c))) {
        double r = fma(f64_val(a), f64_val(b), f64_val(c));
        if (LIKELY(f64_normal_result(r)))
            return f64_bits(r);
    }
    return f64_arith_slow(OP_FMA, a, b, c, rm, fl);
}

/* ---- min/max (IEEE 754-2019 minimumNumber/maximumNumber), comparisons ---- */

/* Equal operands that are not bitwise equal are +0 and -0: OR picks -0
 * for min, AND picks +0 for max. */
uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *fl)
{
    if (f32_is_nan(a) || f32_is_nan(b)) {
        if (f32_is_snan(a) || f32_is_snan(b))
            *fl |= FFLAG_NV;
        if (f32_is_nan(a) && f32_is_nan(b))
            return F32_CANON_NAN;
        return f32_is_nan(a) ? b : a;
    }
    float x = f32_val(a), y = f32_val(b);
    return x < y ? a : y < x ? b : (a | b);
}

uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *fl)
{
    if (f32_is_nan(a) || f32_is_nan(b)) {
        if (f32_is_snan(a) || f32_is_snan(b))
            *fl |= FFLAG_NV;
        if (f32_is_nan(a) && f32_is_nan(b))
            return F32_CANON_NAN;
        return f32_is_nan(a) ? b : a;
    }
    float x = f32_val(a), y = f32_val(b);
    return x > y ? a : y > x ? b : (a & b);
}

int f32_eq(uint32_t a, uint32_t b, uint32_t *fl)
{
    if (f32_is_snan(a) || f32_is_snan(b))
        *fl |= FFLAG_NV;
    return f32_val(a) == f32_val(b);
}

int f32_lt(uint32_t a, uint32_t b, uint32_t *fl)
{
    if (f32_is_nan(a) || f32_is_nan(b)) {
        *fl |= FFLAG_NV;
        return 0;
    }
    return f32_val(a) < f32_val(b);
}

int f32_le(uint32_t a, uint32_t b, uint32_t *fl)
{
    if (f32_is_nan(a) || f32_is_nan(b)) {
        *fl |= FFLAG_NV;
        return 0;
    }
    return f32_val(a) <= f32_val(b);
}

uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *fl)
{
    if (f64_is_nan(a) || f64_is_nan(b)) {
        if (f64_is_snan(a) || f64_is_snan(b))
            *fl |= FFLAG_NV;
        if (f64_is_nan(a) && f64_is_nan(b))
            return F64_CANON_NAN;
        return f64_is_nan(a) ? b : a;
    }
    double x = f64_val(a), y = f64_val(b);
    return x < y ? a : y < x ? b : (a | b);
}

uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *fl)
{
    if (f64_is_nan(a) || f64_is_nan(b)) {
        if (f64_is_snan(a) || f64_is_snan(b))
            *fl |= FFLAG_NV;
        if (f64_is_nan(a) && f64_is_nan(b))
            return F64_CANON_NAN;
        return f64_is_nan(a) ? b : a;
    }
    double x = f64_val(a), y = f64_val(b);
    return x > y ? a : y > x ? b : (a & b);
}

int f64_eq(uint64_t a, uint64_t b, uint32_t *fl)
{
    if (f64_is_snan(a) || f64_is_snan(b))
        *fl |= FFLAG_NV;
    return f64_val(a) == f64_val(b);
}

int f64_lt(uint64_t a, uint64_t b, uint32_t *fl)
{
    if (f64_is_nan(a) || f64_is_nan(b)) {
        *fl |= FFLAG_NV;
        return 0;
    }
    return f64_val(a) < f64_val(b);
}

int f64_le(uint64_t a, uint64_t b, uint32_t *fl)
{
    if (f64_is_nan(a) || f64_is_nan(b)) {
        *fl |= FFLAG_NV;
        return 0;
    }
    return f64_val(a) <= f64_val(b);
}

/* FCLASS bits: 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal,
 * 6 +normal, 7 +inf, 8 signalling NaN, 9 quiet NaN. */
static uint32_t classify(bool sign, bool exp_zero, bool exp_ones, bool frac_zero, bool quiet)
{
    if (exp_ones) {
        if (frac_zero)
            return sign ? 1u << 0 : 1u << 7;
        return quiet ? 1u << 9 : 1u << 8;
    }
    if (exp_zero) {
        if (frac_zero)
            return sign ? 1u << 3 : 1u << 4;
        return sign ? 1u << 2 : 1u << 5;
    }
    return sign ? 1u << 1 : 1u << 6;
}

uint32_t f32_classify(uint32_t a)
{
    return classify(a >> 31, (a & F32_EXP) == 0, (a & F32_EXP) == F32_EXP,
                    (a & 0x7fffff) == 0, a & F32_QUIET);
}

uint64_t f64_classify(uint64_t a)
{
    return classify(a >> 63, (a & F64_EXP) == 0, (a & F64_EXP) == F64_EXP,
                    (a & 0xfffffffffffffull) == 0, a & F64_QUIET);
}

/* ---- Float -> integer ---- */

/* A finite value (-1)^sign * sig * 2^exp (sig < 2^53) rounded per rm to an
 * integer of `bits` bits, saturating with NV when out of range (then NX is
 * not raised).  The result is the two's complement pattern in 64 bits. */
static uint64_t to_int(bool sign, int exp, uint64_t sig, int rm, bool is_signed, int bits,
                       uint32_t *fl)
{
    uint64_t max = is_signed ? (1ull << (bits - 1)) - 1 : ~0ull >> (64 - bits);
    uint64_t neg_limit = is_signed ? 1ull << (bits - 1) : 0; /* largest negative magnitude */
    uint64_t mag = 0;
    bool inexact = false, huge = false;
    if (exp >= 64)
        huge = sig != 0;
    else if (exp > 0 && (sig >> (64 - exp)) != 0)
        huge = true;
    else if (exp >= 0)
        mag = sig << exp;
    else
        mag = shift_round(sig, -exp, false, sign, rm, &inexact);
    if (!huge && (sign ? mag <= neg_limit : mag <= max)) {
        if (inexact)
            *fl |= FFLAG_NX;
        return sign ? -mag : mag;
    }
    *fl |= FFLAG_NV;
    return sign ? -neg_limit : max;
}

static uint64_t f32_to_int(uint32_t a, int rm, bool is_signed, int bits, uint32_t *fl)
{
    bool sign = a >> 31;
    if (f32_is_nan(a) || f32_is_inf(a)) {
        *fl |= FFLAG_NV;
        uint64_t max = is_signed ? (1ull << (bits - 1)) - 1 : ~0ull >> (64 - bits);
        if (f32_is_nan(a) || !sign)
            return max;
        return is_signed ? -(1ull << (bits - 1)) : 0;
    }
    int e = (a >> 23) & 0xff;
    uint64_t sig = a & 0x7fffff;
    if (e)
        sig |= 0x800000;
    return to_int(sign, (e ? e : 1) - 150, sig, rm, is_signed, bits, fl);
}

static uint64_t f64_to_int(uint64_t a, int rm, bool is_signed, int bits, uint32_t *fl)
{
    bool sign = a >> 63;
    if (f64_is_nan(a) || f64_is_inf(a)) {
        *fl |= FFLAG_NV;
        uint64_t max = is_signed ? (1ull << (bits - 1)) - 1 : ~0ull >> (64 - bits);
        if (f64_is_nan(a) || !sign)
            return max;
        return is_signed ? -(1ull << (bits - 1)) : 0;
    }
    int e = (a >> 52) & 0x7ff;
    uint64_t sig = a & 0xfffffffffffffull;
    if (e)
        sig |= 1ull << 52;
    return to_int(sign, (e ? e : 1) - 1075, sig, rm, is_signed, bits, fl);
}

/* 32-bit results are written sign-extended, unsigned ones included. */
static inline int64_t sext32(uint64_t v) { return (int64_t)(int32_t)(uint32_t)v; }

int64_t f32_to_i32(uint32_t a, int rm, uint32_t *fl) { return sext32(f32_to_int(a, rm, true, 32, fl)); }
int64_t f32_to_u32(uint32_t a, int rm, uint32_t *fl) { return sext32(f32_to_int(a, rm, false, 32, fl)); }
int64_t f32_to_i64(uint32_t a, int rm, uint32_t *fl) { return (int64_t)f32_to_int(a, rm, true, 64, fl); }
uint64_t f32_to_u64(uint32_t a, int rm, uint32_t *fl) { return f32_to_int(a, rm, false, 64, fl); }
int64_t f64_to_i32(uint64_t a, int rm, uint32_t *fl) { return sext32(f64_to_int(a, rm, true, 32, fl)); }
int64_t f64_to_u32(uint64_t a, int rm, uint32_t *fl) { return sext32(f64_to_int(a, rm, false, 32, fl)); }
int64_t f64_to_i64(uint64_t a, int rm, uint32_t *fl) { return (int64_t)f64_to_int(a, rm, true, 64, fl); }
uint64_t f64_to_u64(uint64_t a, int rm, uint32_t *fl) { return f64_to_int(a, rm, false, 64, fl); }

/* ---- Integer -> float ---- */

static uint64_t from_int(const struct fmt *f, bool sign, uint64_t mag, int rm, uint32_t *fl)
{
    return mag ? round_pack(f, sign, 0, mag, false, rm, fl) : 0;
}

static inline uint64_t magnitude(int64_t v) { return v < 0 ? -(uint64_t)v : (uint64_t)v; }

uint32_t i32_to_f32(int32_t v, int rm, uint32_t *fl) { return (uint32_t)from_int(&FMT32, v < 0, magnitude(v), rm, fl); }
uint32_t u32_to_f32(uint32_t v, int rm, uint32_t *fl) { return (uint32_t)from_int(&FMT32, false, v, rm, fl); }
uint32_t i64_to_f32(int64_t v, int rm, uint32_t *fl) { return (uint32_t)from_int(&FMT32, v < 0, magnitude(v), rm, fl); }
uint32_t u64_to_f32(uint64_t v, int rm, uint32_t *fl) { return (uint32_t)from_int(&FMT32, false, v, rm, fl); }
uint64_t i32_to_f64(int32_t v, int rm, uint32_t *fl) { return from_int(&FMT64, v < 0, magnitude(v), rm, fl); }
uint64_t u32_to_f64(uint32_t v, int rm, uint32_t *fl) { return from_int(&FMT64, false, v, rm, fl); }
uint64_t i64_to_f64(int64_t v, int rm, uint32_t *fl) { return from_int(&FMT64, v < 0, magnitude(v), rm, fl); }
uint64_t u64_to_f64(uint64_t v, int rm, uint32_t *fl) { return from_int(&FMT64, false, v, rm, fl); }

/* ---- Between the formats ---- */

uint64_t f32_to_f64(uint32_t a, uint32_t *fl)
{
    if (f32_is_nan(a)) {
        if (f32_is_snan(a))
            *fl |= FFLAG_NV;
        return F64_CANON_NAN;
    }
    return f64_bits((double)f32_val(a)); /* exact, no flags */
}

uint32_t f64_to_f32(uint64_t a, int rm, uint32_t *fl)
{
    if (f64_is_nan(a)) {
        if (f64_is_snan(a))
            *fl |= FFLAG_NV;
        return F32_CANON_NAN;
    }
    if (LIKELY(hot(rm, fl) && f64_is_plain(a))) {
        float r = (float)f64_val(a);
        if (LIKELY(f32_normal_result(r)) || f64_is_zero(a))
            return f32_bits(r);
    }
    bool sign = a >> 63;
    if (f64_is_inf(a) || f64_is_zero(a))
        return (sign ? F32_SIGN : 0) | (f64_is_inf(a) ? F32_EXP : 0);
    int e = (a >> 52) & 0x7ff;
    uint64_t sig = a & 0xfffffffffffffull;
    if (e)
        sig |= 1ull << 52;
    return (uint32_t)round_pack(&FMT32, sign, (e ? e : 1) - 1075, sig, false, rm, fl);
}
