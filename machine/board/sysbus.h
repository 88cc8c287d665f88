/* What every board has: RAM, a list of MMIO regions, program loading, the
 * host clock, and the reports a person reads when a run ends. */
#ifndef PEERLESS_SYSBUS_H
#define PEERLESS_SYSBUS_H

#include "core/hart.h"
#include "dev/device.h"
#include "loader/elf.h"

#define SYSBUS_MAX_REGIONS 16

struct sysbus {
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    struct mmio_region regions[SYSBUS_MAX_REGIONS];
    int nregions;
    struct hart *hart;          /* for loads: code written must be forgotten */
};

bool sysbus_init(struct sysbus *b, uint64_t ram_base, uint64_t ram_size);
void sysbus_free(struct sysbus *b);
void sysbus_add(struct sysbus *b, struct mmio_region r);

/* struct bus callbacks (ctx = the sysbus). */
uint8_t *sysbus_ram_page(void *ctx, uint64_t page);
bool sysbus_mmio_read(void *ctx, uint64_t addr, int size, uint64_t *val);
bool sysbus_mmio_write(void *ctx, uint64_t addr, int size, uint64_t val);

/* Guest memory as the hart sees it (struct guest_mem, for semihosting). */
struct guest_mem sysbus_guest_mem(struct sysbus *b);

/* Load an ELF's segments into RAM; its entry must lie in RAM too. */
bool sysbus_load(struct sysbus *b, const struct elf_image *img, char *err, size_t n);

uint64_t host_ns(void);
void report_registers(const struct hart *h);
void report_stats(const struct hart *h, uint64_t ns);

#endif
