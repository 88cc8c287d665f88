/* ELF loading: every check a corrupt or foreign file needs, then the copy. */
#include "loader/elf.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool failf(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return false;
}

static bool read_file(const char *path, struct elf_image *img, char *err, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return failf(err, n, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            return failf(err, n, "%s: out of memory", path);
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        if (cap >= (1ull << 32)) {
            free(buf);
            fclose(f);
            return failf(err, n, "%s: file too large", path);
        }
        uint8_t *nb = realloc(buf, cap *= 2);
        if (!nb)
            free(buf);
        buf = nb;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return failf(err, n, "%s: read error", path);
    }
    img->data = buf;
    img->size = len;
    return true;
}

static const Elf64_Ehdr *header(const struct elf_image *img) { return (const Elf64_Ehdr *)img->data; }
/* Program header i, copied out: e_phoff need not be aligned. */
static Elf64_Phdr phdr_at(const struct elf_image *img, int i)
{
    Elf64_Phdr ph;
    memcpy(&ph, img->data + header(img)->e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
    return ph;
}

bool elf_open(const char *path, struct elf_image *img, char *err, size_t n)
{
    memset(img, 0, sizeof *img);
    if (!read_file(path, img, err, n))
        return false;
    const Elf64_Ehdr *eh = header(img);
    bool ok = false;
    if (img->size < EI_NIDENT || memcmp(img->data, ELFMAG, SELFMAG) != 0)
        failf(err, n, "%s: not an ELF file", path);
    else if (img->data[EI_CLASS] != ELFCLASS64)
        failf(err, n, "%s: not a 64-bit ELF file (RISC-V RV64 expected)", path);
    else if (img->size < sizeof *eh)
        failf(err, n, "%s: truncated ELF header", path);
    else if (img->data[EI_DATA] != ELFDATA2LSB)
        failf(err, n, "%s: not a little-endian ELF file", path);
    else if (eh->e_machine != EM_RISCV)
        failf(err, n, "%s: ELF for machine %u, not RISC-V", path, eh->e_machine);
    else if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        failf(err, n, "%s: not an executable ELF file (type %u)", path, eh->e_type);
    else if (eh->e_phnum == 0)
        failf(err, n, "%s: ELF file has no program headers", path);
    else if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > img->size ||
             (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > img->size - eh->e_phoff)
        failf(err, n, "%s: corrupt ELF program header table", path);
    else
        ok = true;
    for (int i = 0; ok && i < eh->e_phnum; i++) {
        Elf64_Phdr p = phdr_at(img, i), *ph = &p;
        if (ph->p_type != PT_LOAD)
            continue;
        if (ph->p_filesz > ph->p_memsz || ph->p_offset > img->size || ph->p_filesz > img->size - ph->p_offset)
            ok = failf(err, n, "%s: corrupt ELF segment %d (outside the file)", path, i);
        else if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
            ok = failf(err, n, "%s: corrupt ELF segment %d (wraps the address space)", path, i);
    }
    if (!ok) {
        elf_close(img);
        return false;
    }
    img->entry = eh->e_entry;
    return true;
}

bool elf_load(const struct elf_image *img, const struct elf_sink *sink, char *err, size_t n)
{
    const Elf64_Ehdr *eh = header(img);
    int loaded = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr p = phdr_at(img, i), *ph = &p;
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        if (!sink->load(sink->ctx, ph->p_paddr, img->data + ph->p_offset, ph->p_filesz, ph->p_memsz))
            return failf(err, n, "ELF segment %d at 0x%llx-0x%llx lies outside RAM", i,
                         (unsigned long long)ph->p_paddr, (unsigned long long)(ph->p_paddr + ph->p_memsz));
        loaded++;
    }
    if (!loaded)
        return failf(err, n, "ELF file has nothing to load");
    return true;
}

void elf_close(struct elf_image *img)
{
    free(img->data);
    img->data = NULL;
}

/* --- symbols, for reports --- */

static bool section_at(const struct elf_image *img, unsigned i, Elf64_Shdr *sh)
{
    const Elf64_Ehdr *eh = header(img);
    if (eh->e_shentsize != sizeof *sh || i >= eh->e_shnum || eh->e_shoff > img->size ||
        (uint64_t)(i + 1) * sizeof *sh > img->size - eh->e_shoff)
        return false;
    memcpy(sh, img->data + eh->e_shoff + (uint64_t)i * sizeof *sh, sizeof *sh);
    return sh->sh_offset <= img->size && sh->sh_size <= img->size - sh->sh_offset;
}

void elf_symbolize(const struct elf_image *img, uint64_t addr, char *buf, size_t n)
{
    const Elf64_Ehdr *eh = header(img);
    Elf64_Shdr symtab, strtab;
    const char *best = NULL;
    uint64_t best_value = 0, best_size = 0;
    if (n)
        buf[0] = 0;
    if (!img->data)
        return;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (!section_at(img, i, &symtab) || symtab.sh_type != SHT_SYMTAB ||
            !section_at(img, symtab.sh_link, &strtab))
            continue;
        for (uint64_t k = 0; k + sizeof(Elf64_Sym) <= symtab.sh_size; k += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            memcpy(&sym, img->data + symtab.sh_offset + k, sizeof sym);
            int type = ELF64_ST_TYPE(sym.st_info);
            if ((type != STT_FUNC && type != STT_NOTYPE) || sym.st_shndx == SHN_UNDEF ||
                sym.st_value > addr || sym.st_name >= strtab.sh_size)
                continue;
            if (sym.st_size && addr - sym.st_value >= sym.st_size)
                continue;
            const char *name = (const char *)img->data + strtab.sh_offset + sym.st_name;
            if (!memchr(name, 0, strtab.sh_size - sym.st_name) || !*name || name[0] == '.' || name[0] == '$')
                continue;
            if (!best || sym.st_value > best_value || (sym.st_value == best_value && sym.st_size > best_size))
                best = name, best_value = sym.st_value, best_size = sym.st_size;
        }
    }
    if (best)
        snprintf(buf, n, "%s+0x%llx", best, (unsigned long long)(addr - best_value));
}
