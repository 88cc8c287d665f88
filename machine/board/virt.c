/* The `virt` board: QEMU-virt-compatible wiring of one hart, RAM and the
 * devices at the addresses in include/peerless/virt.h, and the loop that
 * runs the hart in slices and lets time and input reach the devices. */
#include "board/board.h"
#include "board/clock.h"
#include "board/console.h"
#include "board/loop.h"
#include "board/sysbus.h"
#include "board/virt_boot.h"
#include "loader/elf.h"
#include "board/virt_fdt.h"
#include "dev/clint.h"
#include "dev/finisher.h"
#include "dev/plic.h"
#include "dev/semihost.h"
#include "dev/uart16550.h"
#include "dev/virtio_blk.h"
#include "dev/virtio_console.h"
#include "dev/virtio_net.h"

#include <peerless/virt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS_PER_TICK  (1000000000 / VIRT_TIMEBASE_HZ)
/* While the guest idles with a network device, look at the network this
 * often: the console wait below only wakes for console input. */
#define NET_IDLE_POLL_NS 1000000
#define MENVCFG_STCE     (1ull << 63)   /* Sstc: stimecmp drives STIP */

struct virt {
    struct hart hart;
    struct sysbus bus;
    struct uart16550 *uart;
    struct clint *clint;
    struct plic *plic;
    struct finisher *finisher;
    struct semihost *semihost;
    const struct board_options *opts;
    struct virtio_mmio *virtio[VIRT_VIRTIO_SLOTS];   /* every slot: a device or an empty one */
    struct virtio_blk *blk;
    struct virtio_net *net;
    struct virtio_console *vcon;
    int ndevices;                                     /* slots holding a device */
    struct board_clock clock;
    bool finished, reset;
    int exit_code;
};

static uint64_t mtime_now(void *ctx) { return clock_ns(&((struct virt *)ctx)->clock) / NS_PER_TICK; }
static uint64_t read_time(void *ctx) { return clint_mtime(((struct virt *)ctx)->clint); }
static uint8_t *ram_page(void *ctx, uint64_t page) { return sysbus_ram_page(&((struct virt *)ctx)->bus, page); }
static bool mmio_read(void *ctx, uint64_t a, int size, uint64_t *v) { return sysbus_mmio_read(&((struct virt *)ctx)->bus, a, size, v); }
static bool mmio_write(void *ctx, uint64_t a, int size, uint64_t v) { return sysbus_mmio_write(&((struct virt *)ctx)->bus, a, size, v); }

/* Semihosting is for bare-metal programs, as QEMU's -semihosting-config
 * in the reference command; booted firmware must see a plain ebreak (or
 * OpenSBI would take semihosting for its console). */
static bool semihost(void *ctx, struct hart *h)
{
    if (((struct virt *)ctx)->opts->bios)
        return false;
    h->x[10] = semihost_call(((struct virt *)ctx)->semihost, h->x[10], h->x[11]);
    return true;
}

static void set_hart_irq(void *ctx, int irq, int level) { hart_set_irq(&((struct virt *)ctx)->hart, irq, level); }

/* DMA from virtio devices: guest physical RAM, nothing else. */
static uint8_t *dma_range(struct virt *v, uint64_t addr, uint64_t n)
{
    uint64_t off = addr - v->bus.ram_base;
    return addr >= v->bus.ram_base && off <= v->bus.ram_size && n <= v->bus.ram_size - off ? v->bus.ram + off : NULL;
}

static bool dma_read(void *ctx, uint64_t addr, void *buf, uint64_t n)
{
    uint8_t *p = dma_range(ctx, addr, n);
    if (p)
        memcpy(buf, p, n);
    return p != NULL;
}

static bool dma_write(void *ctx, uint64_t addr, const void *buf, uint64_t n)
{
    struct virt *v = ctx;
    uint8_t *p = dma_range(v, addr, n);
    if (!p)
        return false;
    memcpy(p, buf, n);
    hart_code_written(&v->hart, addr, n);   /* a disk read may bring in code */
    return true;
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
    struct virt_boot boot;
    if (!virt_boot_load(&v->bus, v->opts, VIRT_VIRTIO_SLOTS, &boot, err, n))
        return false;
    hart_reset(&v->hart, boot.entry);
    if (boot.fdt_addr)
        v->hart.x[11] = boot.fdt_addr;   /* a1: the device tree, as QEMU's reset vector passes it */
    clint_update(v->clint);   /* interrupt levels as they stand at reset */
    return true;
}

static void report_fault(struct virt *v)
{
    struct hart *h = &v->hart;
    /* Name the function, from the program's symbols (read again: only now
     * are they wanted). */
    char sym[160] = "", why[256];
    const char *elf = v->opts->bios ? v->opts->kernel : v->opts->program;
    struct elf_image img;
    if (elf && elf_open(elf, &img, why, sizeof why)) {
        elf_symbolize(&img, h->fatal_pc, sym, sizeof sym);
        elf_close(&img);
    }
    fprintf(stderr, "peerless: guest fault: %s (cause %llu) at pc 0x%016llx%s%s%s, tval 0x%016llx\n",
            hart_cause_name(h->fatal_cause), (unsigned long long)(h->fatal_cause & ~(1ull << 63)),
            (unsigned long long)h->fatal_pc, *sym ? " (" : "", sym, *sym ? ")" : "",
            (unsigned long long)h->fatal_tval);
    fprintf(stderr, "  no trap handler to take it: mtvec = 0x%llx\n", (unsigned long long)h->mtvec);
    report_registers(h);
}

/* Host input goes to the virtio console when there is one, else the UART. */
static void poll_input_virtio(struct virt *v)
{
    uint8_t buf[256];
    while (virtio_console_can_receive(v->vcon)) {
        size_t n = 0;
        int c;
        while (n < sizeof buf && (c = console_getc()) >= 0)
            buf[n++] = (uint8_t)c;
        if (n == 0 || !virtio_console_receive(v->vcon, buf, n))
            return;
    }
}

static void poll_input(struct virt *v)
{
    if (v->vcon) {
        poll_input_virtio(v);
        return;
    }
    int c;
    while (uart_rx_room(v->uart) > 0 && (c = console_getc()) >= 0)
        uart_push_input(v->uart, (uint8_t)c);
}

/* The next timer deadline in the clock's nanoseconds (UINT64_MAX: none). */
static uint64_t deadline_ns(struct virt *v)
{
    uint64_t deadline = clint_next_deadline(v->clint);
    /* With Sstc on, the supervisor's timer is the hart's stimecmp, which
     * the CLINT does not know: wake for it too. */
    if ((v->hart.menvcfg & MENVCFG_STCE) && v->hart.stimecmp < deadline)
        deadline = v->hart.stimecmp;
    /* A deadline centuries away (far beyond what nanoseconds hold) is none. */
    return deadline > UINT64_MAX / NS_PER_TICK ? UINT64_MAX : deadline * NS_PER_TICK;
}

static int64_t until_deadline(void *ctx)
{
    struct virt *v = ctx;
    /* On the host's clock nothing is known ahead: no deadline to look up. */
    return v->clock.ns_per_insn ? clock_insns_until(&v->clock, deadline_ns(v)) : INT64_MAX;
}

/* The hart is in WFI: sleep until the next timer deadline or input. */
static void idle(struct virt *v)
{
    clock_idle(&v->clock, deadline_ns(v), v->net ? NET_IDLE_POLL_NS : -1);
    poll_input(v);
    if (v->net)
        virtio_net_poll(v->net);
    clint_update(v->clint);
}

/* --- the run loop's view of this board --- */

static void tick(void *ctx, bool input)
{
    struct virt *v = ctx;
    clint_update(v->clint);
    if (v->net)
        virtio_net_poll(v->net);
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
    for (int i = 0; i < VIRT_VIRTIO_SLOTS; i++)
        virtio_mmio_reset(v->virtio[i]);   /* the rebooted driver finds them as at power-on */
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

static const struct virtio_device_ops empty_slot = { .device_id = 0 };

/* The virtio-mmio slots: the disk, the network and the console in the
 * first ones, in that order; empty transports (device id 0) in the rest,
 * as QEMU's virt has. */
static bool add_virtio(struct virt *v, const struct board_options *o, char *err, size_t n)
{
    struct dma_port dma = { dma_read, dma_write, v };
    if (o->drive) {
        v->blk = virtio_blk_new(o->drive, dma, plic_source_line(v->plic, VIRT_VIRTIO_IRQ(v->ndevices)), err, n);
        if (!v->blk)
            return false;
        v->virtio[v->ndevices++] = virtio_blk_transport(v->blk);
    }
    if (o->tap) {
        int fd = virtio_net_open_tap(o->tap, err, n);
        if (fd < 0)
            return false;
        static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };   /* QEMU's default */
        v->net = virtio_net_new(fd, mac, dma, plic_source_line(v->plic, VIRT_VIRTIO_IRQ(v->ndevices)));
        if (!v->net) {
            close(fd);
            snprintf(err, n, "out of memory");
            return false;
        }
        v->virtio[v->ndevices++] = virtio_net_transport(v->net);
    }
    if (o->virtio_console) {
        v->vcon = virtio_console_new(1, dma, plic_source_line(v->plic, VIRT_VIRTIO_IRQ(v->ndevices)));
        if (!v->vcon) {
            snprintf(err, n, "out of memory");
            return false;
        }
        v->virtio[v->ndevices++] = virtio_console_transport(v->vcon);
    }
    for (int i = 0; i < VIRT_VIRTIO_SLOTS; i++) {
        if (i >= v->ndevices) {
            v->virtio[i] = virtio_mmio_new(&empty_slot, v, dma, (struct irq_line){ 0 });
            if (!v->virtio[i]) {
                snprintf(err, n, "out of memory");
                return false;
            }
        }
        sysbus_add(&v->bus, virtio_mmio_region(v->virtio[i], VIRT_VIRTIO_BASE + VIRT_VIRTIO_STRIDE * i));
    }
    return true;
}

static void free_virtio(struct virt *v)
{
    for (int i = v->ndevices; i < VIRT_VIRTIO_SLOTS; i++)
        virtio_mmio_free(v->virtio[i]);
    virtio_blk_free(v->blk);
    virtio_net_free(v->net);
    virtio_console_free(v->vcon);
}

int virt_run(const struct board_options *o)
{
    char err[512];
    struct virt *v = calloc(1, sizeof *v);
    if (!v) {
        fprintf(stderr, "peerless: out of memory\n");
        return EXIT_LOAD;
    }
    v->opts = o;
    if (!sysbus_init(&v->bus, VIRT_DRAM_BASE, o->ram_size)) {
        fprintf(stderr, "peerless: cannot allocate %llu bytes of guest RAM\n", (unsigned long long)o->ram_size);
        free(v);
        return EXIT_LOAD;
    }
    clock_init(&v->clock, &v->hart, o->icount_ns);

    struct bus bus = {
        .ctx = v, .ram_page = ram_page, .mmio_read = mmio_read, .mmio_write = mmio_write,
        .read_time = read_time, .semihost = semihost, .ram = v->bus.ram,
    };
    hart_init(&v->hart, &bus, 0, v->bus.ram_base, v->bus.ram_size);
    if (o->cost)
        v->hart.cost = *o->cost;
    v->bus.hart = &v->hart;

    v->plic = plic_new(VIRT_PLIC_NSOURCES, 2);
    plic_connect(v->plic, 0, (struct irq_line){ set_hart_irq, v, IRQ_MEI });
    plic_connect(v->plic, 1, (struct irq_line){ set_hart_irq, v, IRQ_SEI });
    v->clint = clint_new(1, mtime_now, v);
    clint_connect(v->clint, 0, (struct irq_line){ set_hart_irq, v, IRQ_MSI },
                  (struct irq_line){ set_hart_irq, v, IRQ_MTI });
    v->uart = uart_new(1, plic_source_line(v->plic, VIRT_UART0_IRQ));
    v->finisher = finisher_new(on_finisher, v);
    v->semihost = semihost_new(sysbus_guest_mem(&v->bus), o->cmdline, on_semihost_exit, v);

    sysbus_add(&v->bus, finisher_mmio(v->finisher, VIRT_TEST_BASE));
    sysbus_add(&v->bus, clint_mmio(v->clint, VIRT_CLINT_BASE));
    sysbus_add(&v->bus, plic_mmio(v->plic, VIRT_PLIC_BASE));
    sysbus_add(&v->bus, uart_mmio(v->uart, VIRT_UART0_BASE));

    int status;
    if (!add_virtio(v, o, err, sizeof err)) {
        fprintf(stderr, "peerless: %s\n", err);
        status = EXIT_LOAD;
    } else if (!load_program(v, err, sizeof err)) {
        fprintf(stderr, "peerless: %s\n", err);
        status = EXIT_LOAD;
    } else {
        struct board_loop loop = { &v->hart, v, tick, wake, idle_cb, until_deadline, stopped, fatal, NULL };
        console_open();
        status = board_run_loop(&loop, o);
        console_close();
    }

    free_virtio(v);
    semihost_free(v->semihost);
    finisher_free(v->finisher);
    uart_free(v->uart);
    clint_free(v->clint);
    plic_free(v->plic);
    hart_free(&v->hart);
    sysbus_free(&v->bus);
    free(v);
    return status;
}
