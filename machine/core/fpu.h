/* IEEE-754 arithmetic for the F and D extensions, exactly as RISC-V defines it.
 *
 * Operands and results are raw bit patterns: binary32 in uint32_t, binary64
 * in uint64_t.  `rm` is a resolved rounding mode (FPU_RNE..FPU_RMM, never
 * DYN: the core resolves DYN against frm and rejects reserved modes before
 * calling).  Every function ORs the exception flags it raises into *fl, in
 * RISC-V's fflags bit order.  NaN results are the canonical NaN; inputs that
 * are signalling NaNs raise NV.  NaN boxing of binary32 values in 64-bit
 * registers is the core's business (fpu_unbox32 / fpu_box32), not these
 * functions'.
 */
#ifndef PEERLESS_FPU_H
#define PEERLESS_FPU_H

#include <stdint.h>

enum { FPU_RNE = 0, FPU_RTZ = 1, FPU_RDN = 2, FPU_RUP = 3, FPU_RMM = 4 };
enum { FFLAG_NX = 1, FFLAG_UF = 2, FFLAG_OF = 4, FFLAG_DZ = 8, FFLAG_NV = 16 };

#define F32_CANON_NAN 0x7fc00000u
#define F64_CANON_NAN 0x7ff8000000000000ull

/* A binary32 value in a 64-bit FP register is valid only if NaN-boxed. */
static inline uint32_t fpu_unbox32(uint64_t r)
{
    return (r >> 32) == 0xffffffffu ? (uint32_t)r : F32_CANON_NAN;
}
static inline uint64_t fpu_box32(uint32_t v) { return 0xffffffff00000000ull | v; }

/* Arithmetic. */
uint32_t f32_add(uint32_t a, uint32_t b, int rm, uint32_t *fl);
uint32_t f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *fl);
uint32_t f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *fl);
uint32_t f32_div(uint32_t a, uint32_t b, int rm, uint32_t *fl);
uint32_t f32_sqrt(uint32_t a, int rm, uint32_t *fl);
/* Fused a*b+c with the sign options of FMADD/FMSUB/FNMSUB/FNMADD:
 * neg_prod negates a*b, neg_add negates c, before the single rounding. */
uint32_t f32_fma(uint32_t a, uint32_t b, uint32_t c, int neg_prod, int neg_add, int rm, uint32_t *fl);
uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *fl);
uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *fl);
int f32_eq(uint32_t a, uint32_t b, uint32_t *fl);   /* quiet: NV on sNaN only */
int f32_lt(uint32_t a, uint32_t b, uint32_t *fl);   /* signalling: NV on any NaN */
int f32_le(uint32_t a, uint32_t b, uint32_t *fl);
uint32_t f32_classify(uint32_t a);                  /* FCLASS one-hot mask */

uint64_t f64_add(uint64_t a, uint64_t b, int rm, uint32_t *fl);
uint64_t f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *fl);
uint64_t f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *fl);
uint64_t f64_div(uint64_t a, uint64_t b, int rm, uint32_t *fl);
uint64_t f64_sqrt(uint64_t a, int rm, uint32_t *fl);
uint64_t f64_fma(uint64_t a, uint64_t b, uint64_t c, int neg_prod, int neg_add, int rm, uint32_t *fl);
uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *fl);
uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *fl);
int f64_eq(uint64_t a, uint64_t b, uint32_t *fl);
int f64_lt(uint64_t a, uint64_t b, uint32_t *fl);
int f64_le(uint64_t a, uint64_t b, uint32_t *fl);
uint64_t f64_classify(uint64_t a);

/* Conversions.  Float to integer saturates and raises NV on NaN or out of
 * range (NaN converts to the largest positive value), NX when inexact.
 * 32-bit integer results are returned sign-extended to 64 bits, as the
 * W/WU instructions write them. */
int64_t f32_to_i32(uint32_t a, int rm, uint32_t *fl);
int64_t f32_to_u32(uint32_t a, int rm, uint32_t *fl);
int64_t f32_to_i64(uint32_t a, int rm, uint32_t *fl);
uint64_t f32_to_u64(uint32_t a, int rm, uint32_t *fl);
int64_t f64_to_i32(uint64_t a, int rm, uint32_t *fl);
int64_t f64_to_u32(uint64_t a, int rm, uint32_t *fl);
int64_t f64_to_i64(uint64_t a, int rm, uint32_t *fl);
uint64_t f64_to_u64(uint64_t a, int rm, uint32_t *fl);
uint32_t i32_to_f32(int32_t v, int rm, uint32_t *fl);
uint32_t u32_to_f32(uint32_t v, int rm, uint32_t *fl);
uint32_t i64_to_f32(int64_t v, int rm, uint32_t *fl);
uint32_t u64_to_f32(uint64_t v, int rm, uint32_t *fl);
uint64_t i32_to_f64(int32_t v, int rm, uint32_t *fl);
uint64_t u32_to_f64(uint32_t v, int rm, uint32_t *fl);
uint64_t i64_to_f64(int64_t v, int rm, uint32_t *fl);
uint64_t u64_to_f64(uint64_t v, int rm, uint32_t *fl);
uint64_t f32_to_f64(uint32_t a, uint32_t *fl);      /* exact; NV on sNaN */
uint32_t f64_to_f32(uint64_t a, int rm, uint32_t *fl);

#endif
