/* The ELF loader: good files load, and every corruption is refused with a
 * reason instead of crashing (checked for thousands of random mutations). */
#include "loader/elf.h"
#include "unit.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint8_t ram[1 << 16];
static const uint64_t ram_base = 0x80000000;

static bool sink_load(void *ctx, uint64_t addr, const uint8_t *data, uint64_t filesz, uint64_t memsz)
{
    uint64_t off = addr - ram_base;
    if (addr < ram_base || off > sizeof ram || memsz > sizeof ram - off)
        return false;
    memcpy(ram + off, data, filesz);
    memset(ram + off + filesz, 0, memsz - filesz);
    return true;
}

/* A minimal valid RISC-V executable: one PT_LOAD of 16 bytes + 16 of bss. */
static size_t make_elf(uint8_t *buf)
{
    Elf64_Ehdr eh = { 0 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_RISCV;
    eh.e_version = EV_CURRENT;
    eh.e_entry = ram_base;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 1;
    Elf64_Phdr ph = { .p_type = PT_LOAD, .p_offset = sizeof eh + sizeof ph, .p_vaddr = ram_base,
                      .p_paddr = ram_base, .p_filesz = 16, .p_memsz = 32, .p_flags = PF_R | PF_X };
    memcpy(buf, &eh, sizeof eh);
    memcpy(buf + sizeof eh, &ph, sizeof ph);
    for (int i = 0; i < 16; i++)
        buf[sizeof eh + sizeof ph + i] = (uint8_t)(0x10 + i);
    return sizeof eh + sizeof ph + 16;
}

static char path[] = "/tmp/peerless-test-elf-XXXXXX";

static bool try_load(const uint8_t *buf, size_t n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    fwrite(buf, 1, n, f);
    fclose(f);
    struct elf_image img;
    if (!elf_open(path, &img, err, errlen))
        return false;
    struct elf_sink sink = { sink_load, NULL };
    bool ok = elf_load(&img, &sink, err, errlen);
    elf_close(&img);
    return ok;
}

int main(void)
{
    uint8_t good[512], buf[512];
    char err[256];
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    size_t n = make_elf(good);

    memset(ram, 0xee, sizeof ram);
    CHECK(try_load(good, n, err, sizeof err));
    CHECK_EQ(ram[0], 0x10);
    CHECK_EQ(ram[15], 0x1f);
    CHECK_EQ(ram[16], 0);      /* bss zeroed */
    CHECK_EQ(ram[31], 0);
    CHECK_EQ(ram[32], 0xee);   /* nothing beyond memsz */

    struct { size_t off; uint8_t val; const char *want; } bad[] = {
        { 0, 'X', "not an ELF file" },
        { EI_CLASS, ELFCLASS32, "not a 64-bit" },
        { EI_DATA, ELFDATA2MSB, "little-endian" },
        { offsetof(Elf64_Ehdr, e_machine), EM_X86_64, "not RISC-V" },
        { offsetof(Elf64_Ehdr, e_type), ET_REL, "not an executable" },
        { offsetof(Elf64_Ehdr, e_phnum), 0, "no program headers" },
        { offsetof(Elf64_Ehdr, e_phoff) + 1, 0x40, "corrupt ELF program header table" },
        { sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_offset) + 1, 0x10, "outside the file" },
        { sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_paddr) + 3, 0x00, "outside RAM" },
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(buf, good, n);
        buf[bad[i].off] = bad[i].val;
        CHECK(!try_load(buf, n, err, sizeof err));
        if (!strstr(err, bad[i].want))
            fprintf(stderr, "case %u: '%s' lacks '%s'\n", i, err, bad[i].want);
        CHECK(strstr(err, bad[i].want) != NULL);
    }
    /* truncated anywhere */
    for (size_t len = 0; len < n; len += 7)
        try_load(good, len, err, sizeof err);
    CHECK(!try_load(good, 20, err, sizeof err));
    CHECK(!try_load(good, 0, err, sizeof err));

    /* symbols: a symbol table of two functions after the segment */
    {
        uint8_t file[1024];
        memcpy(file, good, n);
        size_t strtab_off = n, symtab_off = (n + 32 + 7) & ~(size_t)7;
        const char strs[] = "\0alpha\0beta";
        memcpy(file + strtab_off, strs, sizeof strs);
        Elf64_Sym syms[3] = { { 0 },
            { .st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1, .st_value = ram_base, .st_size = 8 },
            { .st_name = 7, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1, .st_value = ram_base + 8, .st_size = 8 } };
        memcpy(file + symtab_off, syms, sizeof syms);
        size_t shoff = symtab_off + sizeof syms;
        Elf64_Shdr sh[3] = { { 0 },
            { .sh_type = SHT_SYMTAB, .sh_offset = symtab_off, .sh_size = sizeof syms, .sh_link = 2, .sh_entsize = sizeof(Elf64_Sym) },
            { .sh_type = SHT_STRTAB, .sh_offset = strtab_off, .sh_size = sizeof strs } };
        memcpy(file + shoff, sh, sizeof sh);
        Elf64_Ehdr *eh = (Elf64_Ehdr *)file;
        eh->e_shoff = shoff;
        eh->e_shentsize = sizeof(Elf64_Shdr);
        eh->e_shnum = 3;
        size_t total = shoff + sizeof sh;
        FILE *f = fopen(path, "wb");
        fwrite(file, 1, total, f);
        fclose(f);
        struct elf_image img;
        char sym[64];
        CHECK(elf_open(path, &img, err, sizeof err));
        elf_symbolize(&img, ram_base + 4, sym, sizeof sym);
        CHECK(strcmp(sym, "alpha+0x4") == 0);
        elf_symbolize(&img, ram_base + 8, sym, sizeof sym);
        CHECK(strcmp(sym, "beta+0x0") == 0);
        elf_symbolize(&img, ram_base + 16, sym, sizeof sym);
        CHECK(sym[0] == 0);                 /* past every symbol */
        /* a corrupt section table is ignored, not trusted */
        img.data[offsetof(Elf64_Ehdr, e_shoff) + 2] = 0x7f;
        elf_symbolize(&img, ram_base + 4, sym, sizeof sym);
        CHECK(sym[0] == 0);
        elf_close(&img);
    }

    /* random corruption: never a crash (ASan/UBSan builds check the rest) */
    srand(1);
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, good, n);
        for (int k = 0; k < 1 + rand() % 4; k++)
            buf[rand() % n] = (uint8_t)rand();
        refused += !try_load(buf, n, err, sizeof err);
    }
    CHECK(refused > 0);
    unlink(path);
    return unit_report("elf");
}
