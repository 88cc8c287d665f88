/* Integer hashing: CRC-32 (table-driven, reflected polynomial 0xEDB88320)
 * and 64-bit FNV-1a over a pseudo-random buffer, many passes.  Exercises
 * byte loads, shifts, xors, table lookups and 64-bit multiplies.
 */
#include <stdio.h>
#include <stdint.h>
#include "bench_common.h"

#define BUF_SIZE  (1024 * 1024)
#define PASSES    64

static uint8_t buf[BUF_SIZE];
static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint64_t fnv1a64(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int main(void)
{
    crc32_init();
    /* Known answer first: a broken CRC must not pass as a slow one. */
    if (crc32(0, (const uint8_t *)"123456789", 9) != 0xCBF43926u) {
        printf("hash: CRC-32 self-check failed\n");
        return 1;
    }

    uint64_t seed = 0x243F6A8885A308D3ULL;
    for (size_t i = 0; i < BUF_SIZE; i += 8) {
        uint64_t r = bench_rand(&seed);
        for (int k = 0; k < 8; k++)
            buf[i + k] = (uint8_t)(r >> (8 * k));
    }

    uint32_t crc = 0;
    uint64_t fnv = 0xcbf29ce484222325ULL;
    for (int pass = 0; pass < PASSES; pass++) {
        crc = crc32(crc, buf, BUF_SIZE);
        fnv = fnv1a64(fnv, buf, BUF_SIZE);
        /* Perturb one byte per pass so passes are not identical work
         * the compiler could fold. */
        buf[(crc ^ (uint32_t)fnv) % BUF_SIZE] ^= (uint8_t)(pass + 1);
    }
    printf("hash: crc32 %08lx fnv1a64 %016llx\n", (unsigned long)crc,
           (unsigned long long)fnv);
    return 0;
}
