/* CLINT: msip, mtimecmp/mtime registers in 4- and 8-byte pieces, MTIP
 * against a fake clock, deadlines, access rules. */
#include "unit.h"
#include "dev/clint.h"

struct wire { int level, changes; };

static void wire_set(void *ctx, int n, int level)
{
    struct wire *w = ctx;
    if (level != w->level)
        w->changes++;
    w->level = level;
}

static uint64_t fake_time;
static uint64_t fake_now(void *ctx) { return *(uint64_t *)ctx; }

static struct mmio_region r;

static uint64_t rd(uint64_t off, int size)
{
    uint64_t v = 0xdeadbeef;
    CHECK(r.read(r.opaque, off, size, &v));
    return v;
}

static void wr(uint64_t off, int size, uint64_t v)
{
    CHECK(r.write(r.opaque, off, size, v));
}

int main(void)
{
    CHECK(clint_new(0, fake_now, &fake_time) == NULL);
    CHECK(clint_new(1, NULL, &fake_time) == NULL);

    fake_time = 1000;
    struct clint *c = clint_new(2, fake_now, &fake_time);
    struct wire msip[2] = { { -1, 0 }, { -1, 0 } }, mtip[2] = { { -1, 0 }, { -1, 0 } };
    for (int h = 0; h < 2; h++)
        clint_connect(c, h, (struct irq_line){ wire_set, &msip[h], h },
                      (struct irq_line){ wire_set, &mtip[h], h });
    r = clint_mmio(c, 0x2000000);
    CHECK_EQ(r.base, 0x2000000);
    CHECK_EQ(r.size, 0x10000);

    /* mtimecmp resets to 0, so MTIP is pending from the start (as QEMU). */
    CHECK_EQ(msip[0].level, 0);
    CHECK_EQ(mtip[0].level, 1);
    CHECK_EQ(mtip[1].level, 1);
    CHECK_EQ(rd(0x4000, 8), 0);

    /* mtime follows the clock. */
    CHECK_EQ(rd(0xbff8, 8), 1000);
    fake_time = 1234;
    CHECK_EQ(rd(0xbff8, 8), 1234);
    CHECK_EQ(clint_mtime(c), 1234);

    /* msip: bit 0 only, per hart, only 4-byte accesses. */
    wr(0x0, 4, 0xffffffff);
    CHECK_EQ(msip[0].level, 1);
    CHECK_EQ(msip[1].level, 0);
    CHECK_EQ(rd(0x0, 4), 1);
    CHECK_EQ(rd(0x4, 4), 0);
    wr(0x4, 4, 1);
    CHECK_EQ(msip[1].level, 1);
    wr(0x0, 4, 2);                 /* bit 0 clear */
    CHECK_EQ(msip[0].level, 0);
    CHECK_EQ(rd(0x0, 4), 0);
    wr(0x4, 4, 0);
    CHECK_EQ(msip[1].level, 0);
    uint64_t v;
    CHECK(!r.read(r.opaque, 0x0, 8, &v));
    CHECK(!r.write(r.opaque, 0x0, 8, 1));
    CHECK(!r.read(r.opaque, 0x0, 1, &v));
    CHECK(!r.write(r.opaque, 0x2, 2, 1));
    /* msip of a hart that does not exist: zero, writes ignored. */
    wr(0x8, 4, 1);
    CHECK_EQ(rd(0x8, 4), 0);

    /* Writing mtimecmp re-evaluates MTIP immediately. */
    wr(0x4000, 8, 2000);
    CHECK_EQ(mtip[0].level, 0);
    CHECK_EQ(mtip[1].level, 1);
    CHECK_EQ(rd(0x4000, 8), 2000);
    fake_time = 1999;
    clint_update(c);
    CHECK_EQ(mtip[0].level, 0);
    fake_time = 2000;
    CHECK_EQ(mtip[0].level, 0);    /* nothing happens until an update */
    clint_update(c);
    CHECK_EQ(mtip[0].level, 1);
    int changes = mtip[0].changes;
    clint_update(c);
    CHECK_EQ(mtip[0].changes, changes);   /* no redundant edges */

    /* 4-byte halves of mtimecmp, as RV32 code writes them. */
    wr(0x4004, 4, 0xffffffff);     /* high first: no spurious interrupt */
    CHECK_EQ(mtip[0].level, 0);
    wr(0x4000, 4, 0x00003000);
    CHECK_EQ(rd(0x4000, 8), 0xffffffff00003000ULL);
    wr(0x4004, 4, 0);
    CHECK_EQ(rd(0x4000, 8), 0x3000);
    CHECK_EQ(rd(0x4000, 4), 0x3000);
    CHECK_EQ(rd(0x4004, 4), 0);
    CHECK_EQ(mtip[0].level, 0);

    /* Hart 1's comparator is independent. */
    wr(0x4008, 8, 0x2800);
    CHECK_EQ(mtip[1].level, 0);
    CHECK_EQ(rd(0x4008, 8), 0x2800);

    /* The next deadline is the earliest comparator, in clock units. */
    fake_time = 0x2000;
    CHECK_EQ(clint_next_deadline(c), 0x2800);
    fake_time = 0x2900;
    CHECK_EQ(clint_next_deadline(c), 0x2900);   /* already due */
    clint_update(c);
    CHECK_EQ(mtip[1].level, 1);
    CHECK_EQ(mtip[0].level, 0);

    /* Writing mtime moves the guest's time, not the clock. */
    wr(0xbff8, 8, 0x10000);
    CHECK_EQ(rd(0xbff8, 8), 0x10000);
    CHECK_EQ(mtip[0].level, 1);    /* 0x10000 >= 0x3000: re-evaluated */
    fake_time += 5;
    CHECK_EQ(rd(0xbff8, 8), 0x10005);
    wr(0xbff8, 8, 0x100);
    CHECK_EQ(mtip[0].level, 0);
    CHECK_EQ(mtip[1].level, 0);
    /* Deadline accounts for the offset: mtime 0x100, first compare 0x2800. */
    CHECK_EQ(clint_next_deadline(c), fake_time + 0x2700);
    /* 4-byte halves of mtime. */
    wr(0xbffc, 4, 1);
    CHECK_EQ(rd(0xbff8, 8), 0x100000100ULL);
    CHECK_EQ(rd(0xbffc, 4), 1);
    wr(0xbff8, 4, 0);
    CHECK_EQ(rd(0xbff8, 8), 0x100000000ULL);
    CHECK_EQ(rd(0xbff8, 4), 0);

    /* A comparator at the top never fires; the deadline saturates. */
    fake_time = 100;
    wr(0xbff8, 8, 0);
    wr(0x4000, 8, UINT64_MAX);
    wr(0x4008, 8, UINT64_MAX);
    CHECK_EQ(clint_next_deadline(c), UINT64_MAX);
    wr(0x4000, 8, 50);
    CHECK_EQ(mtip[0].level, 0);
    CHECK_EQ(clint_next_deadline(c), 150);
    fake_time = 150;
    clint_update(c);
    CHECK_EQ(mtip[0].level, 1);

    /* Misaligned and odd-sized accesses fault; holes read zero. */
    CHECK(!r.read(r.opaque, 0x4004, 8, &v));
    CHECK(!r.write(r.opaque, 0xbffc, 8, 0));
    CHECK(!r.read(r.opaque, 0x4001, 4, &v));
    CHECK(!r.read(r.opaque, 0xbff8, 2, &v));
    CHECK_EQ(rd(0x4010, 8), 0);    /* mtimecmp of a hart that is not there */
    wr(0x4010, 8, 5);
    CHECK_EQ(rd(0x4010, 8), 0);
    CHECK_EQ(rd(0xc000, 4), 0);
    CHECK_EQ(rd(0xfffc, 4), 0);
    wr(0xc000, 4, 1);

    /* Connecting a hart out of range is ignored. */
    clint_connect(c, 2, (struct irq_line){ 0 }, (struct irq_line){ 0 });
    clint_connect(c, -1, (struct irq_line){ 0 }, (struct irq_line){ 0 });
    clint_free(c);

    /* Lines left unconnected are harmless. */
    struct clint *c2 = clint_new(1, fake_now, &fake_time);
    r = clint_mmio(c2, 0);
    wr(0x0, 4, 1);
    wr(0x4000, 8, 0);
    clint_update(c2);
    clint_free(c2);
    return unit_report("clint");
}
