/* PLIC: priorities, pending, enables, thresholds, claim/complete with
 * level-triggered sources, context outputs, access rules. */
#include "unit.h"
#include "dev/plic.h"

struct wire { int level, changes; };

static void wire_set(void *ctx, int n, int level)
{
    struct wire *w = ctx;
    if (level != w->level)
        w->changes++;
    w->level = level;
}

static struct mmio_region r;

static uint64_t rd(uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    CHECK(r.read(r.opaque, off, 4, &v));
    return v;
}

static void wr(uint64_t off, uint64_t v)
{
    CHECK(r.write(r.opaque, off, 4, v));
}

#define PRIO(s)        (4u * (s))
#define PENDING(w)     (0x1000u + 4u * (w))
#define ENABLE(c, w)   (0x2000u + 0x80u * (c) + 4u * (w))
#define THRESHOLD(c)   (0x200000u + 0x1000u * (c))
#define CLAIM(c)       (0x200004u + 0x1000u * (c))

int main(void)
{
    CHECK(plic_new(1, 2) == NULL);
    CHECK(plic_new(96, 0) == NULL);
    CHECK(plic_new(2000, 2) == NULL);

    /* virt with 2 harts: 96 sources, 4 contexts (M, S per hart). */
    struct plic *p = plic_new(96, 4);
    struct wire out[4];
    for (int c = 0; c < 4; c++) {
        out[c] = (struct wire){ -1, 0 };
        plic_connect(p, c, (struct irq_line){ wire_set, &out[c], c });
    }
    r = plic_mmio(p, 0xc000000);
    CHECK_EQ(r.base, 0xc000000);
    CHECK_EQ(r.size, 0x600000);
    for (int c = 0; c < 4; c++)
        CHECK_EQ(out[c].level, 0);

    /* Priorities: 3 bits; source 0 is hardwired to 0. */
    wr(PRIO(10), 0xff);
    CHECK_EQ(rd(PRIO(10)), 7);
    wr(PRIO(10), 5);
    CHECK_EQ(rd(PRIO(10)), 5);
    wr(PRIO(0), 3);
    CHECK_EQ(rd(PRIO(0)), 0);
    wr(PRIO(95), 1);
    CHECK_EQ(rd(PRIO(95)), 1);
    CHECK_EQ(rd(PRIO(96)), 0);     /* past the last source */
    wr(PRIO(96), 1);
    CHECK_EQ(rd(PRIO(96)), 0);

    /* A source asserted but not enabled: pending, no output. */
    struct irq_line uart = plic_source_line(p, 10);
    irq_set(&uart, 1);
    CHECK_EQ(rd(PENDING(0)), 1u << 10);
    CHECK_EQ(out[0].level, 0);
    wr(PENDING(0), 0);             /* pending is read-only */
    CHECK_EQ(rd(PENDING(0)), 1u << 10);

    /* Enable for hart 0 S-mode (context 1). */
    wr(ENABLE(1, 0), 1u << 10);
    CHECK_EQ(rd(ENABLE(1, 0)), 1u << 10);
    CHECK_EQ(out[1].level, 1);
    CHECK_EQ(out[0].level, 0);
    /* Source 0's enable bit is hardwired 0. */
    wr(ENABLE(0, 0), 0xffffffff);
    CHECK_EQ(rd(ENABLE(0, 0)), 0xfffffffe);
    CHECK_EQ(out[0].level, 1);
    wr(ENABLE(0, 0), 0);
    CHECK_EQ(out[0].level, 0);
    /* Sources past the last one cannot be enabled. */
    wr(ENABLE(0, 2), 0xffffffff);
    CHECK_EQ(rd(ENABLE(0, 2)), 0xffffffff);   /* 64..95 all exist */
    wr(ENABLE(0, 2), 0);
    CHECK_EQ(rd(ENABLE(0, 3)), 0);
    wr(ENABLE(0, 3), 0xffffffff);
    CHECK_EQ(rd(ENABLE(0, 3)), 0);

    /* Threshold masks the output but not the claim (as in QEMU). */
    wr(THRESHOLD(1), 5);
    CHECK_EQ(rd(THRESHOLD(1)), 5);
    CHECK_EQ(out[1].level, 0);
    wr(THRESHOLD(1), 9);
    CHECK_EQ(rd(THRESHOLD(1)), 1);  /* 3 bits */
    CHECK_EQ(out[1].level, 1);
    wr(THRESHOLD(1), 4);
    CHECK_EQ(out[1].level, 1);

    /* Claim: returns the source, clears pending, drops the output while
     * the source is claimed even though the wire is still high. */
    CHECK_EQ(rd(CLAIM(1)), 10);
    CHECK_EQ(rd(PENDING(0)), 0);
    CHECK_EQ(out[1].level, 0);
    CHECK_EQ(rd(CLAIM(1)), 0);     /* nothing else */
    /* Completing with a wire still high makes it pending again. */
    wr(CLAIM(1), 10);
    CHECK_EQ(rd(PENDING(0)), 1u << 10);
    CHECK_EQ(out[1].level, 1);
    /* Deasserting the wire withdraws the request. */
    irq_set(&uart, 0);
    CHECK_EQ(rd(PENDING(0)), 0);
    CHECK_EQ(out[1].level, 0);
    CHECK_EQ(rd(CLAIM(1)), 0);

    /* Usual driver flow: claim, device deasserts, complete: quiet. */
    irq_set(&uart, 1);
    CHECK_EQ(out[1].level, 1);
    CHECK_EQ(rd(CLAIM(1)), 10);
    irq_set(&uart, 0);
    irq_set(&uart, 1);             /* re-asserted while claimed: held back */
    CHECK_EQ(out[1].level, 0);
    irq_set(&uart, 0);
    wr(CLAIM(1), 10);
    CHECK_EQ(out[1].level, 0);
    CHECK_EQ(rd(PENDING(0)), 0);

    /* Priority order; ties go to the lowest id; priority 0 never fires. */
    wr(PRIO(3), 2);
    wr(PRIO(40), 6);
    wr(PRIO(41), 6);
    wr(PRIO(50), 0);
    wr(THRESHOLD(0), 0);
    wr(ENABLE(0, 0), (1u << 3) | (1u << 10));
    wr(ENABLE(0, 1), (1u << (40 - 32)) | (1u << (41 - 32)) | (1u << (50 - 32)));
    plic_set_irq(p, 3, 1);
    plic_set_irq(p, 41, 1);
    plic_set_irq(p, 40, 1);
    plic_set_irq(p, 50, 1);
    CHECK_EQ(rd(PENDING(1)), (1u << 8) | (1u << 9) | (1u << 18));
    CHECK_EQ(out[0].level, 1);
    CHECK_EQ(out[1].level, 0);     /* context 1 has none of these enabled */
    CHECK_EQ(rd(CLAIM(0)), 40);
    CHECK_EQ(rd(CLAIM(0)), 41);
    CHECK_EQ(rd(CLAIM(0)), 3);
    CHECK_EQ(out[0].level, 0);     /* 50 has priority 0 */
    CHECK_EQ(rd(CLAIM(0)), 0);
    /* Threshold: with 3 (prio 2) completed and still high, threshold 2
     * keeps the output low. */
    wr(THRESHOLD(0), 2);
    wr(CLAIM(0), 3);
    CHECK_EQ(out[0].level, 0);
    wr(THRESHOLD(0), 1);
    CHECK_EQ(out[0].level, 1);
    /* Completing a source not enabled in the context is ignored. */
    wr(CLAIM(2), 40);
    CHECK_EQ(rd(PENDING(1)) & (1u << 8), 0);
    wr(CLAIM(0), 40);
    CHECK_EQ(rd(PENDING(1)) & (1u << 8), 1u << 8);
    /* Bogus completions are ignored. */
    wr(CLAIM(0), 0);
    wr(CLAIM(0), 96);
    wr(CLAIM(0), 0xffffffff);
    wr(CLAIM(0), 41);
    plic_set_irq(p, 3, 0);
    plic_set_irq(p, 40, 0);
    plic_set_irq(p, 41, 0);
    plic_set_irq(p, 50, 0);
    CHECK_EQ(rd(PENDING(0)), 0);
    CHECK_EQ(rd(PENDING(1)), 0);
    CHECK_EQ(out[0].level, 0);

    /* Disabling a pending source drops the output. */
    wr(PRIO(10), 1);
    wr(THRESHOLD(1), 0);
    plic_set_irq(p, 10, 1);
    CHECK_EQ(out[1].level, 1);
    wr(ENABLE(1, 0), 0);
    CHECK_EQ(out[1].level, 0);
    wr(ENABLE(1, 0), 1u << 10);
    CHECK_EQ(out[1].level, 1);
    /* Lowering the priority to 0 does too. */
    wr(PRIO(10), 0);
    CHECK_EQ(out[1].level, 0);
    plic_set_irq(p, 10, 0);

    /* Out-of-range sources are ignored. */
    plic_set_irq(p, 0, 1);
    plic_set_irq(p, 96, 1);
    plic_set_irq(p, -5, 1);
    CHECK_EQ(rd(PENDING(0)), 0);
    CHECK_EQ(rd(PENDING(3)), 0);

    /* Access rules: 4-byte aligned only; holes read zero. */
    uint64_t v;
    CHECK(!r.read(r.opaque, PRIO(1), 8, &v));
    CHECK(!r.read(r.opaque, PRIO(1), 1, &v));
    CHECK(!r.write(r.opaque, PRIO(1) + 2, 4, 1));
    CHECK_EQ(rd(THRESHOLD(4)), 0);  /* context 4 does not exist */
    wr(THRESHOLD(4), 1);
    CHECK_EQ(rd(CLAIM(4)), 0);
    CHECK_EQ(rd(THRESHOLD(0) + 8), 0);
    CHECK_EQ(rd(ENABLE(4, 0)), 0);
    CHECK_EQ(rd(0x5ffffc), 0);
    CHECK_EQ(rd(0x1000 + 0x80), 0);
    plic_connect(p, 7, (struct irq_line){ 0 });
    plic_free(p);
    return unit_report("plic");
}
