/* The `virt` board: QEMU-virt-compatible wiring of one hart, RAM and the
 * devices at the addresses in include/peerless/virt.h, and the loop that
 * runs the hart in slices and lets time and input reach the devices. */
#include "board/board.h"
#include "board/console.h"
#include "core/hart.h"
#include "dev/clint.h"
#include "dev/finisher.h"
#include "dev/plic.h"
#include "dev/semihost.h"
#include "dev/uart16550.h"
#include "loader/elf.h"

#include <peerless/virt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define SLICE        100000    /* instructions between device updates */
#define INPUT_EVERY  16        /* slices between polls of the host console */
#define NS_PER_TICK  (1000000000 / VIRT_TIMEBASE_HZ)

enum { MAX_REGIONS = 8 };

struct virt {
    struct hart hart;
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    struct mmio_region regions[MAX_REGIONS];
    int nregions;
    struct uart16550 *uart;
    struct clint *clint;
    struct plic *plic;
    struct finisher *finisher;
    struct semihost *semihost;
    struct elf_image elf;
    uint64_t start_ns;
    bool finished, reset;
    int exit_code;
};

static uint64_t host_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

/* --- the bus the hart sees --- */

static uint8_t *ram_page(void *ctx, uint64_t page)
{
    struct virt *v = ctx;
    uint64_t off = page - v->ram_base;
    return off < v->ram_size ? v->ram + off : NULL;
}

static struct mmio_region *region_at(struct virt *v, uint64_t addr, int size)
{
    for (int i = 0; i < v->nregions; i++) {
        struct mmio_region *r = &v->regions[i];
        if (addr - r->base < r->size && addr - r->base + size <= r->size)
            return r;
    }
    return NULL;
}

static bool mmio_read(void *ctx, uint64_t addr, int size, uint64_t *val)
{
    struct mmio_region *r = region_at(ctx, addr, size);
    return r && r->read(r->opaque, addr - r->base, size, val);
}

static bool mmio_write(void *ctx, uint64_t addr, int size, uint64_t val)
{
    struct mmio_region *r = region_at(ctx, addr, size);
    return r && r->write(r->opaque, addr - r->base, size, val);
}

static uint64_t mtime_now(void *ctx)
{
    struct virt *v = ctx;
    return (host_ns() - v->start_ns) / NS_PER_TICK;
}

static uint64_t read_time(void *ctx) { return clint_mtime(((struct virt *)ctx)->clint); }

static bool semihost(void *ctx, struct hart *h)
{
    struct virt *v = ctx;
    h->x[10] = semihost_call(v->semihost, h->x[10], h->x[11]);
    return true;
}

/* --- what devices reach --- */

static void set_hart_irq(void *ctx, int irq, int level) { hart_set_irq(&((struct virt *)ctx)->hart, irq, level); }

static bool guest_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
    return n <= UINT32_MAX && hart_read_mem(&((struct virt *)ctx)->hart, addr, buf, (unsigned)n);
}

static bool guest_write(void *ctx, uint64_t addr, const void *buf, size_t n)
{
    return n <= UINT32_MAX && hart_write_mem(&((struct virt *)ctx)->hart, addr, buf, (unsigned)n);
}

static void finish(struct virt *v, int code)
{
    v->finished = true;
    v->exit_code = code;
    v->hart.stop = 1;
}

static void on_finisher(void *ctx, int kind, int code)
{
    struct virt *v = ctx;
    if (kind == FINISHER_RESET) {
        v->reset = true;
        v->hart.stop = 1;
        return;
    }
    finish(v, kind == FINISHER_PASS ? 0 : code);
}

static void on_semihost_exit(void *ctx, int code) { finish(ctx, code); }

/* --- loading --- */

static bool load_segment(void *ctx, uint64_t addr, const uint8_t *data, uint64_t filesz, uint64_t memsz)
{
    struct virt *v = ctx;
    uint64_t off = addr - v->ram_base;
    if (addr < v->ram_base || off > v->ram_size || memsz > v->ram_size - off)
        return false;
    memcpy(v->ram + off, data, filesz);
    memset(v->ram + off + filesz, 0, memsz - filesz);
    hart_code_written(&v->hart, addr, memsz);
    return true;
}

static bool load_program(struct virt *v, char *err, size_t n)
{
    struct elf_sink sink = { load_segment, v };
    if (!elf_load(&v->elf, &sink, err, n))
        return false;
    if (v->elf.entry - v->ram_base >= v->ram_size) {
        snprintf(err, n, "entry point 0x%llx lies outside RAM", (unsigned long long)v->elf.entry);
        return false;
    }
    hart_reset(&v->hart, v->elf.entry);
    clint_update(v->clint);   /* interrupt levels as they stand at reset */
    return true;
}

/* --- reports --- */

static void report_fault(struct virt *v)
{
    struct hart *h = &v->hart;
    fprintf(stderr, "peerless: guest fault: %s (cause %llu) at pc 0x%016llx, tval 0x%016llx\n",
            hart_cause_name(h->fatal_cause), (unsigned long long)(h->fatal_cause & ~(1ull << 63)),
            (unsigned long long)h->fatal_pc, (unsigned long long)h->fatal_tval);
    fprintf(stderr, "  no trap handler to take it: mtvec = 0x%llx\n", (unsigned long long)h->mtvec);
    for (int r = 0; r < 32; r += 4) {
        fprintf(stderr, " ");
        for (int i = r; i < r + 4; i++)
            fprintf(stderr, "  %-4s 0x%016llx", hart_reg_name(i), (unsigned long long)h->x[i]);
        fprintf(stderr, "\n");
    }
}

static void report_stats(struct virt *v, uint64_t ns)
{
    double s = ns / 1e9;
    fprintf(stderr, "instructions: %llu\nwall time: %.6f s\nMIPS: %.1f\n",
            (unsigned long long)v->hart.instret, s, s > 0 ? v->hart.instret / s / 1e6 : 0.0);
}

/* --- the run loop --- */

static void poll_input(struct virt *v)
{
    int c;
    while (uart_rx_room(v->uart) > 0 && (c = console_getc()) >= 0)
        uart_push_input(v->uart, (uint8_t)c);
}

/* The hart is in WFI: sleep until the next timer deadline or input. */
static void idle(struct virt *v)
{
    uint64_t deadline = clint_next_deadline(v->clint), now = mtime_now(v);
    int64_t wait = deadline == UINT64_MAX ? -1 : deadline > now ? (int64_t)((deadline - now) * NS_PER_TICK) : 0;
    console_wait(wait);
    poll_input(v);
    clint_update(v->clint);
}

static int run(struct virt *v, const struct board_options *o)
{
    struct hart *h = &v->hart;
    uint64_t t0 = host_ns();
    unsigned slices = 0;
    for (;;) {
        int64_t budget = SLICE;
        if (o->max_insns) {
            if (h->instret >= o->max_insns) {
                fprintf(stderr, "peerless: guest exceeded --max-insns %llu (pc 0x%llx)\n",
                        (unsigned long long)o->max_insns, (unsigned long long)h->pc);
                return EXIT_LIMIT;
            }
            if (o->max_insns - h->instret < (uint64_t)budget)
                budget = (int64_t)(o->max_insns - h->instret);
        }
        enum run_exit r = hart_run(h, budget);
        if (r == RUN_FATAL) {
            report_fault(v);
            return EXIT_FAULT;
        }
        if (v->finished)
            break;
        if (v->reset) {
            char err[256];
            v->reset = false;
            h->stop = 0;
            if (!load_program(v, err, sizeof err)) {
                fprintf(stderr, "peerless: reset: %s\n", err);
                return EXIT_LOAD;
            }
            continue;
        }
        clint_update(v->clint);
        if (r == RUN_WFI) {
            if (!hart_irq_waiting(h))
                idle(v);
            h->wfi = false;
        } else if (++slices % INPUT_EVERY == 0) {
            poll_input(v);
        }
    }
    if (o->stats)
        report_stats(v, host_ns() - t0);
    return v->exit_code;
}

static void add_region(struct virt *v, struct mmio_region r) { v->regions[v->nregions++] = r; }

int virt_run(const struct board_options *o)
{
    char err[512];
    struct virt *v = calloc(1, sizeof *v);
    if (!v) {
        fprintf(stderr, "peerless: out of memory\n");
        return EXIT_LOAD;
    }
    if (!elf_open(o->program, &v->elf, err, sizeof err)) {
        fprintf(stderr, "peerless: %s\n", err);
        free(v);
        return EXIT_LOAD;
    }
    v->ram_base = VIRT_DRAM_BASE;
    v->ram_size = o->ram_size;
    v->ram = mmap(NULL, v->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (v->ram == MAP_FAILED) {
        fprintf(stderr, "peerless: cannot allocate %llu bytes of guest RAM\n", (unsigned long long)v->ram_size);
        elf_close(&v->elf);
        free(v);
        return EXIT_LOAD;
    }
    v->start_ns = host_ns();

    struct bus bus = {
        .ctx = v, .ram_page = ram_page, .mmio_read = mmio_read, .mmio_write = mmio_write,
        .read_time = read_time, .semihost = semihost,
    };
    hart_init(&v->hart, &bus, 0, v->ram_base, v->ram_size);

    v->plic = plic_new(VIRT_PLIC_NSOURCES, 2);
    plic_connect(v->plic, 0, (struct irq_line){ set_hart_irq, v, IRQ_MEI });
    plic_connect(v->plic, 1, (struct irq_line){ set_hart_irq, v, IRQ_SEI });
    v->clint = clint_new(1, mtime_now, v);
    clint_connect(v->clint, 0, (struct irq_line){ set_hart_irq, v, IRQ_MSI },
                  (struct irq_line){ set_hart_irq, v, IRQ_MTI });
    v->uart = uart_new(1, plic_source_line(v->plic, VIRT_UART0_IRQ));
    v->finisher = finisher_new(on_finisher, v);
    v->semihost = semihost_new((struct guest_mem){ guest_read, guest_write, v }, o->cmdline, on_semihost_exit, v);

    add_region(v, finisher_mmio(v->finisher, VIRT_TEST_BASE));
    add_region(v, clint_mmio(v->clint, VIRT_CLINT_BASE));
    add_region(v, plic_mmio(v->plic, VIRT_PLIC_BASE));
    add_region(v, uart_mmio(v->uart, VIRT_UART0_BASE));

    int status;
    if (!load_program(v, err, sizeof err)) {
        fprintf(stderr, "peerless: %s: %s\n", o->program, err);
        status = EXIT_LOAD;
    } else {
        console_open();
        status = run(v, o);
        console_close();
    }

    semihost_free(v->semihost);
    finisher_free(v->finisher);
    uart_free(v->uart);
    clint_free(v->clint);
    plic_free(v->plic);
    hart_free(&v->hart);
    munmap(v->ram, v->ram_size);
    elf_close(&v->elf);
    free(v);
    return status;
}
