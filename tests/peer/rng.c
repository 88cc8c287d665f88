/* The entropy source (RNG_DATA): 64 fresh random bits a read, for whoever
 * was granted R on it; other accesses fault. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

#define READS 64

extern char lib_load_insn[], lib_store_insn[], lib_load32_insn[];
static uint8_t stack_a[4096] __attribute__((aligned(16)));

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a;
    uint64_t ga = ptest_spawn(&ia, lib_start, 0, stack_a, &a);
    uint64_t data = PEER_RNG + RNG_DATA;

    printf("rng: the root reads %d values: distinct, about half the bits set\n", READS);
    uint64_t v[READS];
    int ones = 0;
    for (int i = 0; i < READS; i++) {
        v[i] = *(volatile uint64_t *)data;
        ones += __builtin_popcountll(v[i]);
        for (int j = 0; j < i; j++)
            CHECK(v[i] != v[j]);
    }
    /* 4096 fair bits: 2048 +- 32 (one sigma); +-256 fails once in 10^15 runs. */
    CHECK(ones > 2048 - 256 && ones < 2048 + 256);

    printf("rng: a space without a grant cannot read it\n");
    EXPECT_FAULT(pl_call(ga, AG_LOAD, data), PL_FAULT_LOAD, (uint64_t)lib_load_insn, data, PL_R, a);

    printf("rng: with R it can; 32-bit reads, other offsets and writes fault\n");
    CHECK(pl_grant(a, PEER_RNG, PEER_PAGE_SIZE, PL_R | PL_W) > 0);
    uint64_t x = (uint64_t)pl_call(ga, AG_LOAD, data), y = (uint64_t)pl_call(ga, AG_LOAD, data);
    CHECK_EQ(pl_status(), 0);
    CHECK(x != y);
    EXPECT_FAULT(pl_call(ga, AG_LOAD32, data), PL_FAULT_EXC(5), (uint64_t)lib_load32_insn, data, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, data + 8), PL_FAULT_EXC(5), (uint64_t)lib_load_insn, data + 8, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_STORE, data, 1), PL_FAULT_EXC(7), (uint64_t)lib_store_insn, data, ANY, a);
    printf("rng: ok (%d checks)\n", ptest_checks);
    return 0;
}
