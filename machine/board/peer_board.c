/* The `peer` board: the same hart as virt, with the peer protection unit
 * attached instead of privilege modes, the control pages, the UART, the
 * test finisher, the copy engine, a virtio-blk slot (the --drive disk,
 * or device id 0 without one), a virtio-net slot (the --netdev TAP, or
 * device id 0) — all three DMA devices — and the entropy source at the
 * addresses of include/peerless/peer.h. */
#include "board/board.h"
#include "board/clock.h"
#include "board/console.h"
#include "board/loop.h"
#include "board/sysbus.h"
#include "dev/dmaengine.h"
#include "dev/finisher.h"
#include "dev/rng.h"
#include "dev/semihost.h"
#include "dev/virtio_blk.h"
#include "dev/virtio_net.h"
#include "dev/uart16550.h"
#include "peer/inspect.h"
#include "peer/peer.h"

#include <peerless/peer.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NS_PER_TICK (1000000000 / PEER_TIMEBASE_HZ)
/* While the guest idles with a network device, look at the network this
 * often (the console wait wakes only for console input), as virt does. */
#define NET_IDLE_POLL_NS 1000000

struct peer_board {
    struct hart hart;
    struct sysbus bus;
    struct peer unit;
    struct uart16550 *uart;
    struct finisher *finisher;
    struct semihost *semihost;
    struct dmaengine *dma;
    struct virtio_blk *blk;        /* NULL without --drive */
    struct virtio_mmio *no_disk;   /* without --drive: an empty slot in its place */
    struct virtio_net *net;        /* NULL without --netdev */
    struct virtio_mmio *no_net;    /* without --netdev: an empty slot */
    struct rng *rng;
    struct elf_image elf;
    struct trace trace;
    struct board_clock clock;
    bool finished;
    int exit_code;
};

static uint64_t now(void *ctx) { return clock_ns(&((struct peer_board *)ctx)->clock) / NS_PER_TICK; }
static uint8_t *ram_page(void *ctx, uint64_t page) { return sysbus_ram_page(&((struct peer_board *)ctx)->bus, page); }
static bool mmio_read(void *ctx, uint64_t a, int size, uint64_t *v) { return sysbus_mmio_read(&((struct peer_board *)ctx)->bus, a, size, v); }
static bool mmio_write(void *ctx, uint64_t a, int size, uint64_t v) { return sysbus_mmio_write(&((struct peer_board *)ctx)->bus, a, size, v); }
static uint64_t read_time(void *ctx) { return now(ctx); }

/* Semihosting is a bring-up aid for the root space's code only. */
static bool semihost(void *ctx, struct hart *h)
{
    struct peer_board *b = ctx;
    if (h->code_space != PEER_ROOT_SPACE)
        return false;
    h->x[10] = semihost_call(b->semihost, h->x[10], h->x[11]);
    return true;
}

static bool dma_read(void *ctx, uint64_t addr, void *buf, uint64_t n)
{
    return peer_dma_read(&((struct peer_board *)ctx)->unit, DMA_DEV_ENGINE, addr, buf, n);
}

static bool dma_write(void *ctx, uint64_t addr, const void *buf, uint64_t n)
{
    return peer_dma_write(&((struct peer_board *)ctx)->unit, DMA_DEV_ENGINE, addr, buf, n);
}

/* The disk's DMA: every descriptor, ring and buffer access is confined by
 * DMA device 1's aperture and its owner's rights at that moment. */
static bool blk_dma_read(void *ctx, uint64_t addr, void *buf, uint64_t n)
{
    return peer_dma_read(&((struct peer_board *)ctx)->unit, DMA_DEV_BLK, addr, buf, n);
}

static bool blk_dma_write(void *ctx, uint64_t addr, const void *buf, uint64_t n)
{
    return peer_dma_write(&((struct peer_board *)ctx)->unit, DMA_DEV_BLK, addr, buf, n);
}

/* The network device's DMA: confined by DMA device 2's aperture, the same way. */
static bool net_dma_read(void *ctx, uint64_t addr, void *buf, uint64_t n)
{
    return peer_dma_read(&((struct peer_board *)ctx)->unit, DMA_DEV_NET, addr, buf, n);
}

static bool net_dma_write(void *ctx, uint64_t addr, const void *buf, uint64_t n)
{
    return peer_dma_write(&((struct peer_board *)ctx)->unit, DMA_DEV_NET, addr, buf, n);
}

static void finish(struct peer_board *b, int code)
{
    b->finished = true;
    b->exit_code = code;
    b->hart.stop = 1;
}

static void on_finisher(void *ctx, int kind, int code)
{
    /* Reset is not offered on the peer machine: it ends the run as a failure. */
    finish(ctx, kind == FINISHER_PASS ? 0 : kind == FINISHER_FAIL ? code : 1);
}

static void on_semihost_exit(void *ctx, int code) { finish(ctx, code); }

static void poll_input(struct peer_board *b)
{
    int c;
    while (uart_rx_room(b->uart) > 0 && (c = console_getc()) >= 0)
        uart_push_input(b->uart, (uint8_t)c);
}

/* --- reports --- */

static void symbolize(void *ctx, uint64_t addr, char *buf, size_t n)
{
    elf_symbolize(&((struct peer_board *)ctx)->elf, addr, buf, n);
}

static int report_fault(struct peer_board *b)
{
    const struct thread *t = b->unit.cur;
    const struct pl_fault *f = &t->fault;
    char sym[160];
    elf_symbolize(&b->elf, f->pc, sym, sizeof sym);
    fprintf(stderr, "peerless: thread %llu stopped: %s (fault %llu) at pc 0x%016llx%s%s%s, address 0x%016llx, "
            "missing right %s, data space %llu, code space %llu; no gate call to unwind\n",
            (unsigned long long)f->thread, peer_fault_name(f->cause), (unsigned long long)f->cause,
            (unsigned long long)f->pc, *sym ? " (" : "", sym, *sym ? ")" : "",
            (unsigned long long)f->addr, peer_right_name(f->missing),
            (unsigned long long)f->space, (unsigned long long)f->code_space);
    peer_report_unwound(&b->unit, t, symbolize, b, stderr);
    report_registers(&b->hart);
    return EXIT_FAULT;
}

/* --stats: each thread's last fault that a gate frame unwound (the
 * faulting thread's was in the report of the stop already). */
static void report_unwound(struct peer_board *b)
{
    const struct peer *p = &b->unit;
    unsigned shown = 0;
    for (uint32_t id = 0; id < p->nthreads; id++) {
        const struct thread *t = p->threads[id];
        if (!t || !t->unwound.valid || (p->stopped && t == p->cur))
            continue;
        if (shown++ == 16) {
            fprintf(stderr, "peerless: (more threads' unwound faults not shown)\n");
            break;
        }
        peer_report_unwound(p, t, symbolize, b, stderr);
    }
}

/* --- the run loop's view of this board --- */

static void tick(void *ctx, bool input)
{
    struct peer_board *b = ctx;
    peer_update_timer(&b->unit);
    if (b->net)
        virtio_net_poll(b->net);
    if (input)
        poll_input(b);
}

static bool wake(void *ctx) { return peer_irq_deliverable(&((struct peer_board *)ctx)->unit); }

/* The timer's deadline in the clock's nanoseconds (UINT64_MAX: none). */
static uint64_t deadline_ns(struct peer_board *b)
{
    uint64_t d = peer_timer_deadline(&b->unit);
    return d > UINT64_MAX / NS_PER_TICK ? UINT64_MAX : d * NS_PER_TICK;
}

static int64_t until_deadline(void *ctx)
{
    struct peer_board *b = ctx;
    /* On the host's clock nothing is known ahead: no deadline to look up. */
    return b->clock.ns_per_insn ? clock_insns_until(&b->clock, deadline_ns(b)) : INT64_MAX;
}

static void idle(void *ctx)
{
    struct peer_board *b = ctx;
    clock_idle(&b->clock, deadline_ns(b), b->net ? NET_IDLE_POLL_NS : -1);
    poll_input(b);
    if (b->net)
        virtio_net_poll(b->net);
    peer_update_timer(&b->unit);
}

static bool stopped(void *ctx, int *status)
{
    struct peer_board *b = ctx;
    if (b->unit.stopped) {
        *status = report_fault(b);
        return true;
    }
    *status = b->exit_code;
    return b->finished;
}

static int fatal(void *ctx) { return report_fault(ctx); }

static bool monitor(void *ctx, const char *cmd, FILE *out) { return peer_inspect(&((struct peer_board *)ctx)->unit, cmd, out); }

int peer_run(const struct board_options *o)
{
    char err[512];
    struct peer_board *b = calloc(1, sizeof *b);
    if (!b) {
        fprintf(stderr, "peerless: out of memory\n");
        return EXIT_LOAD;
    }
    if (!elf_open(o->program, &b->elf, err, sizeof err)) {
        fprintf(stderr, "peerless: %s\n", err);
        free(b);
        return EXIT_LOAD;
    }
    if (!sysbus_init(&b->bus, PEER_DRAM_BASE, o->ram_size)) {
        fprintf(stderr, "peerless: cannot allocate %llu bytes of guest RAM\n", (unsigned long long)o->ram_size);
        elf_close(&b->elf);
        free(b);
        return EXIT_LOAD;
    }
    clock_init(&b->clock, &b->hart, o->icount_ns);

    struct bus bus = {
        .ctx = b, .ram_page = ram_page, .mmio_read = mmio_read, .mmio_write = mmio_write,
        .read_time = read_time, .semihost = semihost, .ram = b->bus.ram,
    };
    hart_init(&b->hart, &bus, 0, b->bus.ram_base, b->bus.ram_size);
    b->bus.hart = &b->hart;
    if (o->cost)
        b->hart.cost = *o->cost;
    int status = EXIT_LOAD;
    if (!peer_init(&b->unit, &b->hart, now, b)) {
        fprintf(stderr, "peerless: out of memory\n");
        goto out;
    }
    b->uart = uart_new(1, peer_irq_line(&b->unit, IRQ_SRC_UART));
    b->finisher = finisher_new(on_finisher, b);
    b->semihost = semihost_new(sysbus_guest_mem(&b->bus), o->cmdline, on_semihost_exit, b);
    b->dma = dmaengine_new((struct dma_port){ dma_read, dma_write, b }, peer_irq_line(&b->unit, IRQ_SRC_DMA));
    b->rng = rng_new();
    if (!b->rng) {
        fprintf(stderr, "peerless: out of memory\n");
        goto devices;
    }
    struct dma_port blk_dma = { blk_dma_read, blk_dma_write, b };
    if (o->drive) {
        b->blk = virtio_blk_new(o->drive, blk_dma, peer_irq_line(&b->unit, IRQ_SRC_BLK), err, sizeof err);
        if (!b->blk) {
            fprintf(stderr, "peerless: %s\n", err);
            goto devices;
        }
        sysbus_add(&b->bus, virtio_mmio_region(virtio_blk_transport(b->blk), PEER_VIRTIO_BLK));
    } else {
        /* Device id 0, as virt's empty slots: software can ask whether
         * there is a disk without faulting. */
        static const struct virtio_device_ops empty_slot = { .device_id = 0 };
        b->no_disk = virtio_mmio_new(&empty_slot, b, blk_dma, (struct irq_line){ 0 });
        if (!b->no_disk) {
            fprintf(stderr, "peerless: out of memory\n");
            goto devices;
        }
        sysbus_add(&b->bus, virtio_mmio_region(b->no_disk, PEER_VIRTIO_BLK));
    }

    static const struct virtio_device_ops empty_slot = { .device_id = 0 };
    struct dma_port net_dma = { net_dma_read, net_dma_write, b };
    if (o->tap) {
        int fd = virtio_net_open_tap(o->tap, err, sizeof err);
        if (fd < 0) {
            fprintf(stderr, "peerless: %s\n", err);
            goto devices;
        }
        static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };   /* QEMU's default, as virt */
        b->net = virtio_net_new(fd, mac, net_dma, peer_irq_line(&b->unit, IRQ_SRC_NET));
        if (!b->net) {
            close(fd);
            fprintf(stderr, "peerless: out of memory\n");
            goto devices;
        }
        sysbus_add(&b->bus, virtio_mmio_region(virtio_net_transport(b->net), PEER_VIRTIO_NET));
    } else {
        b->no_net = virtio_mmio_new(&empty_slot, b, net_dma, (struct irq_line){ 0 });
        if (!b->no_net) {
            fprintf(stderr, "peerless: out of memory\n");
            goto devices;
        }
        sysbus_add(&b->bus, virtio_mmio_region(b->no_net, PEER_VIRTIO_NET));
    }

    sysbus_add(&b->bus, finisher_mmio(b->finisher, PEER_TEST_BASE));
    sysbus_add(&b->bus, uart_mmio(b->uart, PEER_UART0_BASE));
    sysbus_add(&b->bus, peer_spacectl(&b->unit));
    sysbus_add(&b->bus, peer_threadctl(&b->unit));
    sysbus_add(&b->bus, peer_irqctl(&b->unit));
    sysbus_add(&b->bus, peer_timer(&b->unit));
    sysbus_add(&b->bus, peer_dmactl(&b->unit));
    sysbus_add(&b->bus, dmaengine_mmio(b->dma, PEER_DMAENGINE));
    sysbus_add(&b->bus, peer_counters(&b->unit));
    sysbus_add(&b->bus, rng_mmio(b->rng, PEER_RNG));

    if (o->trace && !trace_open(&b->trace, o->trace, 0)) {
        fprintf(stderr, "peerless: cannot write the trace %s\n", o->trace);
    } else if (!sysbus_load(&b->bus, &b->elf, err, sizeof err)) {
        fprintf(stderr, "peerless: %s: %s\n", o->program, err);
    } else {
        if (o->trace)
            b->unit.trace = &b->trace;
        /* No privilege modes: the hart runs as U mode would, FPU on. */
        hart_reset(&b->hart, b->elf.entry);
        b->hart.priv = PRIV_U;
        b->hart.mstatus |= 1ull << 13;
        peer_set_env(&b->unit, PEER_ROOT_SPACE, PEER_ROOT_SPACE);
        struct board_loop loop = { &b->hart, b, tick, wake, idle, until_deadline, stopped, fatal, monitor };
        console_open();
        status = board_run_loop(&loop, o);
        console_close();
        if (o->trace)   /* the running space's last counts, into the trace */
            peer_set_env(&b->unit, b->hart.code_space, b->hart.data_space);
        if (o->stats) {
            peer_report_counters(&b->unit, stderr);
            report_unwound(b);
        }
    }
    trace_close(&b->trace, b->hart.instret);
devices:
    virtio_blk_free(b->blk);
    virtio_mmio_free(b->no_disk);
    virtio_net_free(b->net);
    virtio_mmio_free(b->no_net);
    rng_free(b->rng);
    dmaengine_free(b->dma);
    semihost_free(b->semihost);
    finisher_free(b->finisher);
    uart_free(b->uart);
    peer_free(&b->unit);
out:
    hart_free(&b->hart);
    sysbus_free(&b->bus);
    elf_close(&b->elf);
    free(b);
    return status;
}
