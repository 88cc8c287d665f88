/* fs's view of the disk: blk's partition-1 window, through a small cache
 * of sectors.  The cache is write-through: a write reaches the disk (blk
 * returns only when the device has it) before disk_write returns, so the
 * order in which fs writes sectors is the order they reach the disk, and
 * fs's crash-safety argument (fs.c) rests on that. */
#include "fs.h"

long fs_restarts;

#define CACHED 32

static struct { uint32_t sector; int valid; uint32_t used; uint8_t data[SECTOR]; } cache[CACHED];
static uint32_t clock_;
static struct kdrv_client blk;   /* blk's partition-1 window, through our shim (klib) */

void disk_init(uint64_t blk_gate, uint64_t drv_gate)
{
    kdrv_client_init(&blk, blk_gate, drv_gate);
}

/* One request: 0, or KE_*.  A request that fails (an error, or the call
 * unwound: the driver faulted, or the watchdog stopped it) is reported to
 * proc, which restarts the driver and gives us the fresh driver's gate;
 * the request is then tried once more.  Requests are idempotent (a
 * sector's whole contents), so trying again is safe. */
static long blk_io(int op, uint32_t sector, const void *buf, uint32_t n)
{
    long want = op == BLK_FLUSH ? 0 : (long)n * SECTOR;
    uint64_t rights = op == BLK_READ ? PL_W : PL_R;
    long r = kdrv_call(&blk, op, sector, (long)buf, want, (uint64_t)buf, want, buf ? rights : 0);
    if (r == want)
        return 0;
    if (blk.restart) {
        fs_restarts++;
        if (kdrv_renew(&blk)) {
            r = kdrv_call(&blk, op, sector, (long)buf, want, (uint64_t)buf, want, buf ? rights : 0);
            if (r == want)
                return 0;
        }
    }
    return r < 0 ? r : KE_IO;
}

static int slot_of(uint32_t sector)
{
    for (int i = 0; i < CACHED; i++)
        if (cache[i].valid && cache[i].sector == sector)
            return i;
    return -1;
}

long disk_read(uint32_t sector, uint8_t *buf)
{
    int i = slot_of(sector);
    if (i < 0) {
        i = 0;
        for (int k = 1; k < CACHED; k++)
            if (!cache[k].valid || (cache[i].valid && cache[k].used < cache[i].used))
                i = k;
        cache[i].valid = 0;
        long r = blk_io(BLK_READ, sector, cache[i].data, 1);
        if (r < 0)
            return r;
        cache[i].valid = 1;
        cache[i].sector = sector;
    }
    cache[i].used = ++clock_;
    memcpy(buf, cache[i].data, SECTOR);
    return 0;
}

long disk_write(uint32_t sector, const uint8_t *buf)
{
    int i = slot_of(sector);
    long r = blk_io(BLK_WRITE, sector, buf, 1);
    if (i >= 0) {
        if (r < 0)
            cache[i].valid = 0;   /* what the disk holds is unknown now */
        else
            memcpy(cache[i].data, buf, SECTOR);
    }
    return r;
}

long disk_read_run(uint32_t sector, uint8_t *buf, uint32_t n)
{
    /* Write-through: the disk holds whatever the cache does. */
    return blk_io(BLK_READ, sector, buf, n);
}

long disk_write_run(uint32_t sector, const uint8_t *buf, uint32_t n)
{
    long r = blk_io(BLK_WRITE, sector, buf, n);
    for (uint32_t k = 0; k < n; k++) {
        int i = slot_of(sector + k);
        if (i >= 0) {
            if (r < 0)
                cache[i].valid = 0;
            else
                memcpy(cache[i].data, buf + (uint64_t)k * SECTOR, SECTOR);
        }
    }
    return r;
}

long disk_flush(void) { return blk_io(BLK_FLUSH, 0, 0, 0); }

void disk_forget(void)
{
    fat_forget();
    for (int i = 0; i < CACHED; i++)
        cache[i].valid = 0;
}
