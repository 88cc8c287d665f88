/* SiFive test finisher, with QEMU's sifive_test semantics: the low 16 bits
 * of a write to offset 0 select the action, the high 16 bits carry the
 * failure code. */
#include "dev/finisher.h"

#include <stdlib.h>

#define STATUS_FAIL  0x3333
#define STATUS_PASS  0x5555
#define STATUS_RESET 0x7777

struct finisher {
    void (*on_finish)(void *ctx, int kind, int code);
    void *ctx;
};

static bool size_ok(int size)
{
    return size == 2 || size == 4;
}

static bool finisher_read(void *opaque, uint64_t off, int size, uint64_t *val)
{
    if (!size_ok(size))
        return false;
    *val = 0;
    return true;
}

static bool finisher_write(void *opaque, uint64_t off, int size, uint64_t val)
{
    struct finisher *f = opaque;
    if (!size_ok(size))
        return false;
    if (off != 0 || !f->on_finish)
        return true;
    int code = (int)((val >> 16) & 0xffff);
    switch (val & 0xffff) {
    case STATUS_FAIL:
        f->on_finish(f->ctx, FINISHER_FAIL, code);
        break;
    case STATUS_PASS:
        f->on_finish(f->ctx, FINISHER_PASS, 0);
        break;
    case STATUS_RESET:
        f->on_finish(f->ctx, FINISHER_RESET, 0);
        break;
    }
    return true;
}

struct finisher *finisher_new(void (*on_finish)(void *ctx, int kind, int code), void *ctx)
{
    struct finisher *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->on_finish = on_finish;
    f->ctx = ctx;
    return f;
}

void finisher_free(struct finisher *f)
{
    free(f);
}

struct mmio_region finisher_mmio(struct finisher *f, uint64_t base)
{
    return (struct mmio_region){
        .name = "finisher", .base = base, .size = FINISHER_MMIO_SIZE, .opaque = f,
        .read = finisher_read, .write = finisher_write,
    };
}
