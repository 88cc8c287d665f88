/* SiFive test finisher: pass, fail with code, reset, and what is ignored. */
#include "unit.h"
#include "dev/finisher.h"

struct record { int calls, kind, code; };

static void on_finish(void *ctx, int kind, int code)
{
    struct record *rec = ctx;
    rec->calls++;
    rec->kind = kind;
    rec->code = code;
}

int main(void)
{
    struct record rec = { 0 };
    struct finisher *f = finisher_new(on_finish, &rec);
    struct mmio_region r = finisher_mmio(f, 0x100000);
    CHECK_EQ(r.base, 0x100000);
    CHECK_EQ(r.size, 0x1000);

    CHECK(r.write(r.opaque, 0, 4, 0x5555));
    CHECK_EQ(rec.calls, 1);
    CHECK_EQ(rec.kind, FINISHER_PASS);
    CHECK_EQ(rec.code, 0);

    CHECK(r.write(r.opaque, 0, 4, (42u << 16) | 0x3333));
    CHECK_EQ(rec.calls, 2);
    CHECK_EQ(rec.kind, FINISHER_FAIL);
    CHECK_EQ(rec.code, 42);

    CHECK(r.write(r.opaque, 0, 4, 0xffff3333));
    CHECK_EQ(rec.kind, FINISHER_FAIL);
    CHECK_EQ(rec.code, 0xffff);

    CHECK(r.write(r.opaque, 0, 4, 0x3333));   /* fail with code 0 */
    CHECK_EQ(rec.kind, FINISHER_FAIL);
    CHECK_EQ(rec.code, 0);

    CHECK(r.write(r.opaque, 0, 4, 0x7777));
    CHECK_EQ(rec.calls, 5);
    CHECK_EQ(rec.kind, FINISHER_RESET);

    /* A pass with garbage in the code half is still a pass, code 0. */
    CHECK(r.write(r.opaque, 0, 4, 0x12345555));
    CHECK_EQ(rec.kind, FINISHER_PASS);
    CHECK_EQ(rec.code, 0);
    CHECK_EQ(rec.calls, 6);

    /* 2-byte stores work (code is then 0). */
    CHECK(r.write(r.opaque, 0, 2, 0x3333));
    CHECK_EQ(rec.calls, 7);
    CHECK_EQ(rec.kind, FINISHER_FAIL);

    /* Ignored: other status words, other offsets; reads are 0. */
    CHECK(r.write(r.opaque, 0, 4, 0x1234));
    CHECK(r.write(r.opaque, 4, 4, 0x5555));
    CHECK(r.write(r.opaque, 0xffc, 4, 0x5555));
    CHECK_EQ(rec.calls, 7);
    uint64_t v = 1;
    CHECK(r.read(r.opaque, 0, 4, &v));
    CHECK_EQ(v, 0);

    /* 1- and 8-byte accesses fault, as in QEMU. */
    CHECK(!r.write(r.opaque, 0, 1, 0x55));
    CHECK(!r.write(r.opaque, 0, 8, 0x5555));
    CHECK(!r.read(r.opaque, 0, 8, &v));
    CHECK_EQ(rec.calls, 7);
    finisher_free(f);

    /* No callback: writes are harmless. */
    struct finisher *f2 = finisher_new(NULL, NULL);
    r = finisher_mmio(f2, 0);
    CHECK(r.write(r.opaque, 0, 4, 0x5555));
    finisher_free(f2);
    return unit_report("finisher");
}
