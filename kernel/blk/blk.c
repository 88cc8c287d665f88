/* blk: the virtio-blk driver, alone in its space with the disk's registers
 * and the aperture registers of its DMA device (device 1) — boot creates it
 * only when the machine has a disk.  The device half is virtq.c.
 *
 * Callers reach the disk through windows (kern.h): one gate per window,
 * all with the same entry; the gate's tp says which window it is, so a
 * caller cannot choose another.  Sector numbers are the window's; blk
 * checks every request against the window's bounds and rights before the
 * disk sees it.
 *
 * A caller passes its buffer (W to read into, R to write from) for the
 * call; blk copies between it and the bounce buffer with its own loads and
 * stores, so the pass is checked like any access.  Callers on different
 * threads take turns: there is one request slot.
 */
#include "blk.h"
#include "vio.h"

#define KEY_TURN 0x626c6b00UL

struct window {
    uint64_t start, count;   /* disk sectors [start, start + count) */
    int writable;
};
static struct window windows[BLK_WINDOWS];
/* Tests (kern.h, drv): proc writes a misbehaviour here; the next request
 * runs it, in this space, with this space's rights and no others. */
struct kinject blk_inject;
/* Busy while a request is being served: proc's watchdog (which holds our
 * data, to restart us) restarts us if one request stays busy too long. */
struct kwatch blk_watch;
/* A restart (proc/driver.c) runs blk_restart on this stack with this message. */
uint8_t blk_restart_stack[16384] __attribute__((aligned(16)));
struct kinit blk_restart_msg;
static uint64_t sched_gate;
static int up;                     /* the device came up */
static struct kturn turn;   /* between caller threads */

static void take_turn(void) { kturn_take(&turn, sched_gate); }
static void give_turn(void) { kturn_give(&turn, sched_gate); }

/* The injected misbehaviour, once (tests only: proc's DRV_INJECT gate is
 * given to the shell alone).  Each is this driver going wrong on its own:
 * a store outside its rights faults, a loop is cut by proc's watchdog, an
 * illegal instruction faults, a transfer outside the aperture is refused
 * by the machine (the device then needs a reset).  A fault unwinds the
 * call to blk's client with the turn still taken: only a restart (fresh
 * data) lets blk serve again, which is what the client asks for. */
static long misbehave(void)
{
    uint64_t kind = blk_inject.kind, target = blk_inject.target;
    blk_inject.kind = INJECT_NONE;
    if (kind == INJECT_DMA)
        return blk_request_at(target, VIO_BLK_SECTOR);
    vio_misbehave(kind, target, 0x77696c6477696c64UL);   /* "wildwild" */
    return 0;
}

/* Read or write len bytes at window sector `sector`, in bounce-sized requests. */
static long transfer(const struct window *w, int out, uint64_t sector, volatile uint8_t *buf, long len)
{
    if (!up || !w->count)
        return KE_NOENT;
    if (out && !w->writable)
        return KE_PERM;
    if (len <= 0 || len % VIO_BLK_SECTOR || sector >= w->count ||
        (uint64_t)len / VIO_BLK_SECTOR > w->count - sector || !kheld((uint64_t)buf, len, out ? PL_R : PL_W))
        return KE_INVAL;
    take_turn();
    blk_watch.seq++;
    blk_watch.busy = 1;
    long r = misbehave();
    for (long done = 0; r == 0 && done < len;) {
        uint32_t n = len - done < BLK_BOUNCE ? (uint32_t)(len - done) : BLK_BOUNCE;
        uint64_t disk = w->start + sector + (uint64_t)done / VIO_BLK_SECTOR;
        if (out)   /* (kheld() checked the whole buffer: no fault here) */
            memcpy((void *)blk_bounce, (const void *)(buf + done), n);
        r = blk_request(out ? BLK_IO_OUT : BLK_IO_IN, disk, n);
        if (!out && r == 0)
            memcpy((void *)(buf + done), (const void *)blk_bounce, n);
        done += n;
    }
    blk_watch.busy = 0;
    give_turn();
    return r < 0 ? r : len;
}

static long flush(const struct window *w)
{
    if (!up || !w->count)
        return KE_NOENT;
    if (!w->writable)
        return KE_PERM;
    take_turn();
    blk_watch.seq++;
    blk_watch.busy = 1;
    long r = blk_request(BLK_IO_FLUSH, 0, 0);
    blk_watch.busy = 0;
    give_turn();
    return r;
}

static long blk_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    uint64_t which = peer_read_tp();
    if (which >= BLK_WINDOWS)
        return KE_INVAL;
    const struct window *w = &windows[which];
    switch (op) {
    case BLK_READ: return transfer(w, 0, (uint64_t)a1, (volatile uint8_t *)a2, a3);
    case BLK_WRITE: return transfer(w, 1, (uint64_t)a1, (volatile uint8_t *)a2, a3);
    case BLK_FLUSH: return flush(w);
    case BLK_SECTORS: return up ? (long)w->count : KE_NOENT;
    case BLK_START: return up ? (long)w->start : KE_NOENT;
    }
    return KE_INVAL;
}

/* The windows, from the MBR in sector 0: partition 1 if it is FAT,
 * partition 2 if it is 0xda, each only if it lies on the disk and they do
 * not overlap. */
static void read_partitions(void)
{
    if (blk_request(BLK_IO_IN, 0, VIO_BLK_SECTOR) < 0)
        return;
    volatile uint8_t *mbr = blk_bounce;
    if (mbr[510] != 0x55 || mbr[511] != 0xaa)
        return;
    struct window part[2];
    uint8_t type[2];
    for (int i = 0; i < 2; i++) {
        volatile uint8_t *e = mbr + 446 + 16 * i;
        type[i] = e[4];
        part[i].start = e[8] | e[9] << 8 | e[10] << 16 | (uint64_t)e[11] << 24;
        part[i].count = e[12] | e[13] << 8 | e[14] << 16 | (uint64_t)e[15] << 24;
        part[i].writable = 1;
        if (!part[i].start || part[i].start > blk_capacity || part[i].count > blk_capacity - part[i].start)
            part[i].count = 0;
    }
    static const uint8_t fat_types[] = { 0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e };
    int fat = 0;
    for (unsigned i = 0; i < sizeof fat_types; i++)
        fat |= type[0] == fat_types[i];
    if (part[0].count && part[1].count && part[0].start < part[1].start + part[1].count &&
        part[1].start < part[0].start + part[0].count)
        return;   /* overlapping: neither */
    if (fat && part[0].count) {
        windows[BLK_WIN_FS] = part[0];
        windows[BLK_WIN_PUBLIC] = part[0];
        windows[BLK_WIN_PUBLIC].writable = 0;
    }
    if (type[1] == 0xda && part[1].count)
        windows[BLK_WIN_SEC] = part[1];
}

/* m->gates: [0] sched, [1] the space to grant the gates to (0: the root, at boot). */
static void init(struct kinit *m)
{
    sched_gate = m->gates[0];
    turn.key = KEY_TURN;   /* set here: a restart starts from zeroed data */
    blk_set_sched(sched_gate);
    up = blk_open_aperture() == 0 && blk_device_init() == 0;
    if (up)
        read_partitions();
    for (uint64_t i = 0; i < BLK_WINDOWS; i++) {
        long g = pl_make_gate((uint64_t)blk_gate, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, i);
        pl_grant(m->gates[1] ? m->gates[1] : PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
        m->out[BLK_OUT_FS + i] = (uint64_t)g;
    }
    /* Its interrupt handler calls sched: it needs room for that call too. */
    long irq = pl_make_gate((uint64_t)blk_irq, PL_GATE_OWN_DATA, KSERVICE_STACK + 1024, 0, 0);
    m->out[BLK_OUT_IRQ] = (uint64_t)irq;
    m->out[BLK_OUT_UP] = (uint64_t)up;
}
KINIT_ENTRY(blk, init)

/* After a restart (proc/driver.c): the same init on a thread proc made in
 * the fresh space; proc kills the thread once it sees done. */
void blk_restart(struct kinit *m)
{
    init(m);
    m->done = 1;
    for (;;)
        pl_call(sched_gate, SCHED_WAIT, 0x626c6b7aUL, 0);
}
