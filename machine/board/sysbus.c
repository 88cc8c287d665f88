/* RAM, MMIO dispatch and loading, shared by the boards. */
#include "board/sysbus.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

bool sysbus_init(struct sysbus *b, uint64_t ram_base, uint64_t ram_size)
{
    memset(b, 0, sizeof *b);
    b->ram_base = ram_base;
    b->ram_size = ram_size;
    b->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (b->ram == MAP_FAILED) {
        b->ram = NULL;
        return false;
    }
    return true;
}

void sysbus_free(struct sysbus *b)
{
    if (b->ram)
        munmap(b->ram, b->ram_size);
    b->ram = NULL;
}

void sysbus_add(struct sysbus *b, struct mmio_region r)
{
    if (b->nregions < SYSBUS_MAX_REGIONS)
        b->regions[b->nregions++] = r;
}

uint8_t *sysbus_ram_page(void *ctx, uint64_t page)
{
    struct sysbus *b = ctx;
    uint64_t off = page - b->ram_base;
    return off < b->ram_size ? b->ram + off : NULL;
}

static struct mmio_region *region_at(struct sysbus *b, uint64_t addr, int size)
{
    for (int i = 0; i < b->nregions; i++) {
        struct mmio_region *r = &b->regions[i];
        if (addr - r->base < r->size && addr - r->base + size <= r->size)
            return r;
    }
    return NULL;
}

bool sysbus_mmio_read(void *ctx, uint64_t addr, int size, uint64_t *val)
{
    struct mmio_region *r = region_at(ctx, addr, size);
    return r && r->read(r->opaque, addr - r->base, size, val);
}

bool sysbus_mmio_write(void *ctx, uint64_t addr, int size, uint64_t val)
{
    struct mmio_region *r = region_at(ctx, addr, size);
    return r && r->write(r->opaque, addr - r->base, size, val);
}

static bool guest_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
    struct sysbus *b = ctx;
    return n <= UINT32_MAX && hart_read_mem(b->hart, addr, buf, (unsigned)n);
}

static bool guest_write(void *ctx, uint64_t addr, const void *buf, size_t n)
{
    struct sysbus *b = ctx;
    return n <= UINT32_MAX && hart_write_mem(b->hart, addr, buf, (unsigned)n);
}

struct guest_mem sysbus_guest_mem(struct sysbus *b) { return (struct guest_mem){ guest_read, guest_write, b }; }

static bool load_segment(void *ctx, uint64_t addr, const uint8_t *data, uint64_t filesz, uint64_t memsz)
{
    struct sysbus *b = ctx;
    uint64_t off = addr - b->ram_base;
    if (addr < b->ram_base || off > b->ram_size || memsz > b->ram_size - off)
        return false;
    memcpy(b->ram + off, data, filesz);
    memset(b->ram + off + filesz, 0, memsz - filesz);
    if (b->hart)
        hart_code_written(b->hart, addr, memsz);
    return true;
}

bool sysbus_load(struct sysbus *b, const struct elf_image *img, char *err, size_t n)
{
    struct elf_sink sink = { load_segment, b };
    if (!elf_load(img, &sink, err, n))
        return false;
    if (img->entry - b->ram_base >= b->ram_size) {
        snprintf(err, n, "entry point 0x%llx lies outside RAM", (unsigned long long)img->entry);
        return false;
    }
    return true;
}

uint64_t host_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

void report_registers(const struct hart *h)
{
    for (int r = 0; r < 32; r += 4) {
        fprintf(stderr, " ");
        for (int i = r; i < r + 4; i++)
            fprintf(stderr, "  %-4s 0x%016llx", hart_reg_name(i), (unsigned long long)h->x[i]);
        fprintf(stderr, "\n");
    }
}

void report_stats(const struct hart *h, uint64_t ns)
{
    double s = ns / 1e9;
    fprintf(stderr, "instructions: %llu\nmodelled cycles: %llu\nwall time: %.6f s\nMIPS: %.1f\n",
            (unsigned long long)h->instret, (unsigned long long)(h->instret + h->cycle_base), s,
            s > 0 ? h->instret / s / 1e6 : 0.0);
}
