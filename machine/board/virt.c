/* The `virt` board: QEMU-virt-compatible wiring of one hart, RAM and the
 * devices at the addresses in include/peerless/virt.h, and the loop that
 * runs the hart in slices and lets time and input reach the devices. */
#include "board/board.h"
#include "board/console.h"
#include "board/loop.h"
#include "board/sysbus.h"
#include "dev/clint.h"
#include "dev/finisher.h"
#include "dev/plic.h"
#include "dev/semihost.h"
#include "dev/uart16550.h"

#include <peerless/virt.h>
#include <stdio.h>
#include <stdlib.h>

#define NS_PER_TICK  (1000000000 / VIRT_TIMEBASE_HZ)

struct virt {
    struct hart hart;
    struct sysbus bus;
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

static uint64_t mtime_now(void *ctx) { return (host_ns() - ((struct virt *)ctx)->start_ns) / NS_PER_TICK; }
static uint64_t read_time(void *ctx) { return clint_mtime(((struct virt *)ctx)->clint); }
static uint8_t *ram_page(void *ctx, uint64_t page) { return sysbus_ram_page(&((struct virt *)ctx)->bus, page); }
static bool mmio_read(void *ctx, uint64_t a, int size, uint64_t *v) { return sysbus_mmio_read(&((struct virt *)ctx)->bus, a, size, v); }
static bool mmio_write(void *ctx, uint64_t a, int size, uint64_t v) { return sysbus_mmio_write(&((struct virt *)ctx)->bus, a, size, v); }

static bool semihost(void *ctx, struct hart *h)
{
    h->x[10] = semihost_call(((struct virt *)ctx)->semihost, h->x[10], h->x[11]);
    return true;
}

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

static bool load_program(struct virt *v, char *err, size_t n)
{
    if (!sysbus_load(&v->bus, &v->elf, err, n))
        return false;
    hart_reset(&v->hart, v->elf.entry);
    clint_update(v->clint);   /* interrupt levels as they stand at reset */
    return true;
}

static void report_fault(struct virt *v)
{
    struct hart *h = &v->hart;
    fprintf(stderr, "peerless: guest fault: %s (cause %llu) at pc 0x%016llx, tval 0x%016llx\n",
            hart_cause_name(h->fatal_cause), (unsigned long long)(h->fatal_cause & ~(1ull << 63)),
            (unsigned long long)h->fatal_pc, (unsigned long long)h->fatal_tval);
    fprintf(stderr, "  no trap handler to take it: mtvec = 0x%llx\n", (unsigned long long)h->mtvec);
    report_registers(h);
}

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

/* --- the run loop's view of this board --- */

static void tick(void *ctx, bool input)
{
    struct virt *v = ctx;
    clint_update(v->clint);
    if (input)
        poll_input(v);
}

static bool wake(void *ctx) { return hart_irq_waiting(&((struct virt *)ctx)->hart); }
static void idle_cb(void *ctx) { idle(ctx); }

static bool stopped(void *ctx, int *status)
{
    struct virt *v = ctx;
    if (v->finished) {
        *status = v->exit_code;
        return true;
    }
    char err[256];
    v->reset = false;
    v->hart.stop = 0;
    if (!load_program(v, err, sizeof err)) {
        fprintf(stderr, "peerless: reset: %s\n", err);
        *status = EXIT_LOAD;
        return true;
    }
    return false;
}

static int fatal(void *ctx)
{
    report_fault(ctx);
    return EXIT_FAULT;
}

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
    if (!sysbus_init(&v->bus, VIRT_DRAM_BASE, o->ram_size)) {
        fprintf(stderr, "peerless: cannot allocate %llu bytes of guest RAM\n", (unsigned long long)o->ram_size);
        elf_close(&v->elf);
        free(v);
        return EXIT_LOAD;
    }
    v->start_ns = host_ns();

    struct bus bus = {
        .ctx = v, .ram_page = ram_page, .mmio_read = mmio_read, .mmio_write = mmio_write,
        .read_time = read_time, .semihost = semihost,
    };
    hart_init(&v->hart, &bus, 0, v->bus.ram_base, v->bus.ram_size);
    v->bus.hart = &v->hart;

    v->plic = plic_new(VIRT_PLIC_NSOURCES, 2);
    plic_connect(v->plic, 0, (struct irq_line){ set_hart_irq, v, IRQ_MEI });
    plic_connect(v->plic, 1, (struct irq_line){ set_hart_irq, v, IRQ_SEI });
    v->clint = clint_new(1, mtime_now, v);
    clint_connect(v->clint, 0, (struct irq_line){ set_hart_irq, v, IRQ_MSI },
                  (struct irq_line){ set_hart_irq, v, IRQ_MTI });
    v->uart = uart_new(1, plic_source_line(v->plic, VIRT_UART0_IRQ));
    v->finisher = finisher_new(on_finisher, v);
    v->semihost = semihost_new((struct guest_mem){ guest_read, guest_write, v }, o->cmdline, on_semihost_exit, v);

    sysbus_add(&v->bus, finisher_mmio(v->finisher, VIRT_TEST_BASE));
    sysbus_add(&v->bus, clint_mmio(v->clint, VIRT_CLINT_BASE));
    sysbus_add(&v->bus, plic_mmio(v->plic, VIRT_PLIC_BASE));
    sysbus_add(&v->bus, uart_mmio(v->uart, VIRT_UART0_BASE));

    int status;
    if (!load_program(v, err, sizeof err)) {
        fprintf(stderr, "peerless: %s: %s\n", o->program, err);
        status = EXIT_LOAD;
    } else {
        struct board_loop loop = { &v->hart, v, tick, wake, idle_cb, stopped, fatal };
        console_open();
        status = board_run_loop(&loop, o);
        console_close();
    }

    semihost_free(v->semihost);
    finisher_free(v->finisher);
    uart_free(v->uart);
    clint_free(v->clint);
    plic_free(v->plic);
    hart_free(&v->hart);
    sysbus_free(&v->bus);
    elf_close(&v->elf);
    free(v);
    return status;
}
