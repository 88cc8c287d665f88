/* Sections 9.5 and 9.6: DMA goes through an aperture that a space opens
 * over memory it holds R and W on, and every byte a device touches must
 * still be held by that owner at the time: outside the aperture or after
 * a revocation the copy engine is stopped before writing anything. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT
#define AGENT lib2
#include "agent.h"
#undef AGENT

PEER_DATA(lib) volatile uint8_t a_buf[256];
PEER_DATA(lib2) volatile uint64_t victim[4] = { 0x71, 0x72, 0x73, 0x74 };
static volatile uint64_t zpage[512] __attribute__((aligned(4096)));
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));
static uint64_t ga;
static long A;

#define APER(reg) (PEER_DMACTL + DMACTL_DEV(DMA_DEV_ENGINE) + (reg))
#define ENG(reg) (PEER_DMAENGINE + (reg))

/* A (through its gate) stores a control register. */
#define a_store(reg, v) agent_store(ga, (reg), (v))
#define a_load(reg) agent_load(ga, (reg))
/* A sets the aperture: returns RESULT. */
static long a_aperture(uint64_t base, uint64_t len)
{
    a_store(APER(DMACTL_BASE), base);
    a_store(APER(DMACTL_LEN), len);
    a_store(APER(DMACTL_SET), 1);
    return a_load(APER(DMACTL_RESULT));
}
/* A runs a copy: returns STATUS. */
static long a_copy(uint64_t src, uint64_t dst, uint64_t len)
{
    a_store(ENG(DMAENG_SRC), src);
    a_store(ENG(DMAENG_DST), dst);
    a_store(ENG(DMAENG_LEN), len);
    a_store(ENG(DMAENG_GO), 1);
    return a_load(ENG(DMAENG_STATUS));
}

int main(void)
{
    long b;
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2);
    ga = ptest_spawn(&ia, lib_start, 0, stack_a, &A);
    ptest_spawn(&ib, lib2_start, 0, stack_b, &b);
    CHECK(pl_grant(A, PEER_DMACTL, PEER_PAGE_SIZE, PL_R | PL_W) > 0);
    CHECK(pl_grant(A, PEER_DMAENGINE, PEER_PAGE_SIZE, PL_R | PL_W) > 0);
    for (int i = 0; i < 256; i++)
        a_buf[i] = (uint8_t)i;
    uint64_t pa = (uint64_t)a_buf, pv = (uint64_t)victim;

    printf("dma: a copy inside the owner's aperture\n");
    CHECK_EQ(peer_ctl_read(PEER_DMACTL, DMACTL_DEV(0) + DMACTL_LEN), 0);   /* closed at reset */
    CHECK_EQ(a_aperture(pa, 256), 0);
    CHECK_EQ(a_load(APER(DMACTL_OWNER)), A);
    CHECK_EQ(a_copy(pa, pa + 128, 64), 0);
    for (int i = 0; i < 64; i++)
        CHECK_EQ(a_buf[128 + i], i);
    CHECK_EQ(a_buf[192], 192);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_DMA, IRQCTL_SRC_PENDING), 1);
    a_store(ENG(DMAENG_IRQ_ACK), 1);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_DMA, IRQCTL_SRC_PENDING), 0);
    CHECK_EQ(a_load(APER(DMACTL_VIOLATIONS)), 0);

    printf("dma: outside the aperture\n");
    CHECK_EQ(a_copy(pa, pv, 16), 1);                  /* into the victim */
    CHECK_EQ(a_load(APER(DMACTL_VIOLATIONS)), 1);
    CHECK_EQ(a_copy(pv, pa, 16), 1);                  /* out of the victim */
    CHECK_EQ(a_load(APER(DMACTL_VIOLATIONS)), 2);
    CHECK_EQ(a_buf[0], 0);
    CHECK_EQ(a_buf[8], 8);
    CHECK_EQ(a_copy(pa, pa + 200, 64), 1);            /* runs past its end */
    CHECK_EQ(a_load(APER(DMACTL_VIOLATIONS)), 3);
    CHECK_EQ(a_buf[200], 200);                        /* not even the part inside */
    CHECK_EQ(a_buf[255], 255);
    CHECK_EQ(a_copy(pa + 250, pa + 128, 16), 1);      /* reads past its end */
    CHECK_EQ(a_buf[128], 0);
    CHECK_EQ(victim[0], 0x71);
    CHECK_EQ(victim[1], 0x72);

    printf("dma: moving the aperture without SET\n");
    a_store(APER(DMACTL_BASE), pv);
    a_store(APER(DMACTL_LEN), 32);
    CHECK_EQ(a_copy(pa, pv, 16), 1);
    CHECK_EQ(victim[0], 0x71);
    CHECK_EQ(a_copy(pv, pa, 16), 1);
    CHECK_EQ(a_buf[0], 0);

    printf("dma: an aperture over what the setter does not hold\n");
    CHECK_EQ(a_aperture(pv, 32), PL_E_RIGHTS);
    CHECK_EQ(a_load(APER(DMACTL_OWNER)), 0);          /* and it closed */
    CHECK_EQ(a_copy(pa, pa + 128, 8), 1);
    CHECK(pl_grant(A, (uint64_t)zpage, 4096, PL_R) > 0);
    CHECK_EQ(a_aperture((uint64_t)zpage, 4096), PL_E_RIGHTS);   /* R without W */

    printf("dma: revocation stops DMA at once\n");
    for (int i = 0; i < 512; i++)
        zpage[i] = 0x3000 + i;
    long g = pl_grant(A, (uint64_t)zpage, 4096, PL_R | PL_W);
    CHECK(g > 0);
    CHECK_EQ(a_aperture((uint64_t)zpage, 4096), 0);
    CHECK_EQ(a_copy((uint64_t)&zpage[0], (uint64_t)&zpage[256], 64), 0);
    CHECK_EQ(zpage[256], 0x3000);
    CHECK_EQ(zpage[263], 0x3007);
    zpage[256] = 0x3100;
    long before = a_load(APER(DMACTL_VIOLATIONS));
    CHECK_EQ(pl_revoke(g), 0);
    /* The root runs the engine now (A still holds R there, not W). */
    peer_ctl_write(PEER_DMAENGINE, DMAENG_SRC, (uint64_t)&zpage[0]);
    peer_ctl_write(PEER_DMAENGINE, DMAENG_DST, (uint64_t)&zpage[256]);
    peer_ctl_write(PEER_DMAENGINE, DMAENG_LEN, 64);
    peer_ctl_write(PEER_DMAENGINE, DMAENG_GO, 1);
    CHECK_EQ(peer_ctl_read(PEER_DMAENGINE, DMAENG_STATUS), 1);
    CHECK_EQ(zpage[256], 0x3100);
    CHECK_EQ((long)peer_ctl_read(PEER_DMACTL, DMACTL_DEV(0) + DMACTL_VIOLATIONS), before + 1);
    /* Reading still works where only R is held: zpage -> a_buf needs W on
     * a_buf, outside the aperture: refused. */
    peer_ctl_write(PEER_DMAENGINE, DMAENG_DST, pa);
    peer_ctl_write(PEER_DMAENGINE, DMAENG_GO, 1);
    CHECK_EQ(peer_ctl_read(PEER_DMAENGINE, DMAENG_STATUS), 1);
    CHECK_EQ(a_buf[0], 0);

    printf("dma: destroying the owner stops it too\n");
    long g2 = pl_grant(A, (uint64_t)zpage, 4096, PL_R | PL_W);
    CHECK(g2 > 0);
    CHECK_EQ(a_aperture((uint64_t)zpage, 4096), 0);
    CHECK_EQ(peer_space_destroy(A), 0);
    peer_ctl_write(PEER_DMAENGINE, DMAENG_DST, (uint64_t)&zpage[256]);
    peer_ctl_write(PEER_DMAENGINE, DMAENG_GO, 1);
    CHECK_EQ(peer_ctl_read(PEER_DMAENGINE, DMAENG_STATUS), 1);
    CHECK_EQ(zpage[256], 0x3100);
    peer_ctl_write(PEER_DMAENGINE, DMAENG_IRQ_ACK, 1);
    printf("dma: ok (%d checks)\n", ptest_checks);
    return 0;
}
