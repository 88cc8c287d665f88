/* Loading a 64-bit RISC-V ELF executable into guest memory. */
#ifndef PEERLESS_ELF_H
#define PEERLESS_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_image {
    uint8_t *data;          /* the whole file */
    size_t size;
    uint64_t entry;
};

/* Where loaded bytes go.  `load` copies filesz bytes and zero-fills up to
 * memsz at physical address `addr`; it returns false if the range is not
 * RAM. */
struct elf_sink {
    bool (*load)(void *ctx, uint64_t addr, const uint8_t *data, uint64_t filesz, uint64_t memsz);
    void *ctx;
};

/* Read and check the file.  On error, returns false with a one-line reason
 * in err. */
bool elf_open(const char *path, struct elf_image *img, char *err, size_t errlen);
/* Copy every PT_LOAD segment to its physical address. */
bool elf_load(const struct elf_image *img, const struct elf_sink *sink, char *err, size_t errlen);
void elf_close(struct elf_image *img);
/* "name+0xoff" for the symbol containing addr, if the file has symbols;
 * else an empty string.  Never fails on a corrupt symbol table. */
void elf_symbolize(const struct elf_image *img, uint64_t addr, char *buf, size_t n);

#endif
