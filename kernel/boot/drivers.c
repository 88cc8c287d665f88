/* blk and net as drivers proc can restart (kern.h, drv).  boot starts each
 * in a space of its own (start_driver), then proc is given
 * each one's pages and devices with P (so that it can give them to a
 * fresh space), and once for both the interrupt controller (to point the
 * source at the new handler), klib with P and G|P on sched's gate.  boot
 * then registers the driver: where its code, data, devices, restart entry
 * and watch word are, and the gates its init made. */
#include "boot.h"

struct driver_parts {
    const char *name, *text, *data, *dev, *dma;   /* names for `spaces` */
    uint64_t dev_base, dma_dev, irq_source, irq_out;
    struct kinject *inject;
    struct kinit *restart_msg;
    uint8_t *restart_stack;
    size_t restart_stack_size;
    struct kwatch *watch;
    void (*restart)(struct kinit *);
    int space;                                     /* S_BLK or S_NET */
    int report_dma;                                /* proc reports the aperture's violations */
};

/* Make the driver's space: its image, its device's page, its DMA device's
 * aperture registers (it opens the aperture over its own pages itself)
 * and G on sched to wait; check that its data is all zeros (proc restarts
 * it from its image), run its init, and point its interrupt source at its
 * handler, below sched's priority (the handler posts SCHED_IRQ_WAKE). */
static void start_driver(const struct driver_parts *p, struct peer_image img, void (*init)(struct kinit *),
                         uint64_t sched_gate, struct kinit *m)
{
    struct kspace *s = &spaces[p->space];
    boot_new_space(s, img);
    boot_give(s, p->dev, p->dev_base, PEER_PAGE_SIZE, PL_R | PL_W);
    boot_give(s, p->dma, PEER_DMACTL + DMACTL_DEV(p->dma_dev), 0x100, PL_R | PL_W);
    boot_give_gate(s, "sched", sched_gate, PL_G);
    m->gates[0] = sched_gate;
    for (const uint8_t *b = (const uint8_t *)img.data_lo; b < (const uint8_t *)img.data_hi; b++)
        if (*b) {
            static char why[96];
            size_t pos = 0;
            kappend(why, sizeof why, &pos, "%s's data is not all zeros: it could not be restarted from its image",
                    p->name);
            boot_halt(why);
        }
    boot_run_init(s, init, m);
    peer_irq_config((unsigned)p->irq_source, m->out[p->irq_out], 1);
}

static long register_driver(const struct driver_parts *p, struct peer_image img, uint64_t drv_admin,
                            uint64_t sched_gate, const struct kinit *m)
{
    static int proc_has_common;
    struct kspace *proc = &spaces[S_PROC];
    uint64_t dma = PEER_DMACTL + DMACTL_DEV(p->dma_dev);
    boot_give(proc, p->text, img.text_lo, img.text_hi - img.text_lo, PL_R | PL_X | PL_P);
    boot_give(proc, p->data, img.data_lo, img.data_hi - img.data_lo, PL_R | PL_W | PL_P);
    boot_give(proc, p->dev, p->dev_base, PEER_PAGE_SIZE, PL_R | PL_W | PL_P);
    boot_give(proc, p->dma, dma, 0x100, PL_R | PL_W | PL_P);
    if (!proc_has_common) {
        boot_give(proc, "irqctl", PEER_IRQCTL, PEER_PAGE_SIZE, PL_R | PL_W);
        boot_give(proc, "klib", (uint64_t)__klib_text_start, (uint64_t)(__klib_text_end - __klib_text_start),
                  PL_R | PL_X | PL_P);
        boot_give_gate(proc, "sched", sched_gate, PL_G | PL_P);
        proc_has_common = 1;
    }
    static struct kdriver d;
    memset(&d, 0, sizeof d);
    kstrlcpy(d.name, p->name, sizeof d.name);
    d.text_lo = img.text_lo, d.text_hi = img.text_hi, d.data_lo = img.data_lo, d.data_hi = img.data_hi;
    d.dev[0][0] = p->dev_base, d.dev[0][1] = PEER_PAGE_SIZE, d.dev[0][2] = PL_R | PL_W;
    d.dev[1][0] = dma, d.dev[1][1] = 0x100, d.dev[1][2] = PL_R | PL_W;
    d.entry = (uint64_t)p->restart;
    d.msg = (uint64_t)p->restart_msg;
    d.stack_lo = (uint64_t)p->restart_stack;
    d.stack_hi = (uint64_t)p->restart_stack + p->restart_stack_size;
    d.sched_gate = sched_gate;
    d.irq_source = p->irq_source, d.irq_out = p->irq_out, d.irq_prio = 1;
    d.inject = (uint64_t)p->inject;
    d.dma_regs = p->report_dma ? dma : 0;
    d.space = (uint64_t)spaces[p->space].id;
    memcpy(d.out, m->out, sizeof d.out);
    pl_pass((uint64_t)&d, sizeof d, PL_R);
    return pl_call(drv_admin, DRV_REGISTER, (long)&d, (long)p->watch);
}

long boot_start_blk(struct peer_image img, uint64_t drv_admin, uint64_t sched_gate, struct kinit *m)
{
    extern void blk_init(struct kinit *);
    extern struct kinject blk_inject;
    extern struct kinit blk_restart_msg;
    extern uint8_t blk_restart_stack[16384];
    extern struct kwatch blk_watch;
    extern void blk_restart(struct kinit *);
    struct driver_parts p = { "blk", "blk-text", "blk-data", "disk", "dma1",
                              PEER_VIRTIO_BLK, DMA_DEV_BLK, IRQ_SRC_BLK, BLK_OUT_IRQ,
                              &blk_inject, &blk_restart_msg, blk_restart_stack, sizeof blk_restart_stack,
                              &blk_watch, blk_restart, S_BLK, 1 };
    start_driver(&p, img, blk_init, sched_gate, m);
    return register_driver(&p, img, drv_admin, sched_gate, m);
}

long boot_start_net(struct peer_image img, uint64_t drv_admin, uint64_t sched_gate, struct kinit *m)
{
    extern void net_init(struct kinit *);
    extern struct kinject net_inject;
    extern struct kinit net_restart_msg;
    extern uint8_t net_restart_stack[16384];
    extern struct kwatch net_watch;
    extern void net_restart(struct kinit *);
    struct driver_parts p = { "net", "net-text", "net-data", "nic", "dma2",
                              PEER_VIRTIO_NET, DMA_DEV_NET, IRQ_SRC_NET, NET_OUT_IRQ,
                              &net_inject, &net_restart_msg, net_restart_stack, sizeof net_restart_stack,
                              &net_watch, net_restart, S_NET, 0 };
    start_driver(&p, img, net_init, sched_gate, m);
    return register_driver(&p, img, drv_admin, sched_gate, m);
}
