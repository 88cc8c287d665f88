/* Boot images.  The placement is QEMU's (hw/riscv/boot.c): the kernel at
 * RAM + 2 MiB, which is where OpenSBI's fw_jump jumps (FW_JUMP_ADDR); the
 * initrd at kernel + min(RAM/2, 128 MiB), far enough that the kernel's
 * own growth does not clobber it; the device tree 2 MiB-aligned just
 * below the end of RAM (or of the first 3 GiB), out of everyone's way.
 * fw_jump takes the tree from a1 and copies it for the kernel. */
#include "board/virt_boot.h"

#include "board/virt_fdt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MiB (1ull << 20)
#define FDT_MAX (64 * 1024)

/* Read the whole of `path` into RAM at `addr`; its size in *size. */
static bool load_raw(struct sysbus *b, const char *what, const char *path, uint64_t addr,
                     uint64_t *size, char *err, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, n, "cannot open %s %s: %s", what, path, strerror(errno));
        return false;
    }
    uint64_t off = addr - b->ram_base, room = addr >= b->ram_base && off < b->ram_size ? b->ram_size - off : 0;
    size_t got = room ? fread(b->ram + off, 1, room, f) : 0;
    bool more = fgetc(f) != EOF, bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, n, "cannot read %s %s", what, path);
        return false;
    }
    if (more) {
        snprintf(err, n, "%s %s does not fit in RAM at 0x%llx (use -m for more)", what, path,
                 (unsigned long long)addr);
        return false;
    }
    if (b->hart)
        hart_code_written(b->hart, addr, got);
    *size = got;
    return true;
}

static bool is_elf(const char *path)
{
    unsigned char magic[4] = { 0 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t got = fread(magic, 1, 4, f);
    fclose(f);
    return got == 4 && !memcmp(magic, "\177ELF", 4);
}

static bool load_elf(struct sysbus *b, const char *path, uint64_t *entry, char *err, size_t n)
{
    struct elf_image img;
    char why[384];
    if (!elf_open(path, &img, why, sizeof why)) {
        snprintf(err, n, "%s", why);
        return false;
    }
    bool ok = sysbus_load(b, &img, why, sizeof why);
    if (!ok)
        snprintf(err, n, "%s: %s", path, why);
    *entry = img.entry;
    elf_close(&img);
    return ok;
}

static bool load_os(struct sysbus *b, const struct board_options *o, int nvirtio,
                    struct virt_boot *out, char *err, size_t n)
{
    uint64_t size, ram_end = b->ram_base + b->ram_size;
    if (!load_raw(b, "firmware", o->bios, b->ram_base, &size, err, n))
        return false;
    uint64_t kernel = b->ram_base + VIRT_KERNEL_OFFSET, kernel_entry;
    if (o->kernel) {
        if (is_elf(o->kernel) ? !load_elf(b, o->kernel, &kernel_entry, err, n)
                              : !load_raw(b, "kernel", o->kernel, kernel, &size, err, n))
            return false;
    }
    struct virt_fdt_info info = {
        .ram_base = b->ram_base, .ram_size = b->ram_size, .nvirtio = nvirtio, .bootargs = o->append,
    };
    if (o->initrd) {
        uint64_t half = b->ram_size / 2 < 128 * MiB ? b->ram_size / 2 : 128 * MiB;
        info.initrd_start = kernel + half;
        if (!load_raw(b, "initrd", o->initrd, info.initrd_start, &size, err, n))
            return false;
        info.initrd_end = info.initrd_start + size;
    }
    static uint8_t fdt[FDT_MAX];
    int fdt_size = virt_fdt_build(fdt, sizeof fdt, &info);
    if (fdt_size < 0) {
        snprintf(err, n, "cannot build the device tree");
        return false;
    }
    uint64_t top = b->ram_base < 3072 * MiB && ram_end > 3072 * MiB ? 3072 * MiB : ram_end;
    uint64_t fdt_addr = (top - (uint64_t)fdt_size) & ~(2 * MiB - 1);
    if (fdt_addr < b->ram_base || fdt_addr < info.initrd_end || fdt_addr < kernel + 2 * MiB) {
        snprintf(err, n, "RAM too small for the boot images and device tree (use -m for more)");
        return false;
    }
    memcpy(b->ram + (fdt_addr - b->ram_base), fdt, (size_t)fdt_size);
    out->entry = b->ram_base;
    out->fdt_addr = fdt_addr;
    return true;
}

bool virt_boot_load(struct sysbus *b, const struct board_options *o, int nvirtio,
                    struct virt_boot *out, char *err, size_t n)
{
    if (o->bios)
        return load_os(b, o, nvirtio, out, err, n);
    out->fdt_addr = 0;
    return load_elf(b, o->program, &out->entry, err, n);
}
