/* Integer arithmetic whose RISC-V meaning differs from C's: widening
 * multiplies, and division where C's is undefined (by zero, overflow). */
#ifndef PEERLESS_ALU_H
#define PEERLESS_ALU_H

#include <stdint.h>

static inline int64_t sext32(uint64_t v) { return (int32_t)v; }

static inline uint64_t mulhu64(uint64_t a, uint64_t b) { return (uint64_t)(((unsigned __int128)a * b) >> 64); }
static inline int64_t mulh64(int64_t a, int64_t b) { return (int64_t)(((__int128)a * b) >> 64); }
static inline int64_t mulhsu64(int64_t a, uint64_t b) { return (int64_t)(((__int128)a * (unsigned __int128)b) >> 64); }

static inline int64_t div64(int64_t a, int64_t b)
{
    if (b == 0) return -1;
    if (a == INT64_MIN && b == -1) return a;
    return a / b;
}
static inline int64_t rem64(int64_t a, int64_t b)
{
    if (b == 0) return a;
    if (a == INT64_MIN && b == -1) return 0;
    return a % b;
}
static inline int32_t div32(int32_t a, int32_t b)
{
    if (b == 0) return -1;
    if (a == INT32_MIN && b == -1) return a;
    return a / b;
}
static inline uint64_t divu64(uint64_t a, uint64_t b) { return b ? a / b : ~0ull; }
static inline uint64_t remu64(uint64_t a, uint64_t b) { return b ? a % b : a; }
static inline uint32_t divu32(uint32_t a, uint32_t b) { return b ? a / b : ~0u; }
static inline uint32_t remu32(uint32_t a, uint32_t b) { return b ? a % b : a; }

static inline int32_t rem32(int32_t a, int32_t b)
{
    if (b == 0) return a;
    if (a == INT32_MIN && b == -1) return 0;
    return a % b;
}

#endif
