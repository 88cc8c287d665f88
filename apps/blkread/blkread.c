/* blkread [SECTOR]: on a FAT disk without SECTOR, shows the volume's boot
 * sector (the start of the window) and that the window is read-only.
 * Otherwise it reads two sectors of the disk's public window (blk's
 * read-only view of partition 1, found in dir as "blk") into a buffer
 * passed for the call, and checks them against the pattern
 * tests/peer/mkdisk.py --mbr writes.  Then it tries what the window must
 * refuse: a read without the pass (blk cannot write the buffer), reads
 * past the window's end (where partition 2 begins), a write and a flush. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

static uint8_t buf[1024];

static unsigned mismatches(long first)
{
    unsigned bad = 0;
    for (int i = 0; i < 1024; i++)
        if (buf[i] != (uint8_t)(31 * (first + i / 512) + 7 * (i % 512) + 0x5a))
            bad++;
    return bad;
}

static long rd(uint64_t blk, long sector, long len)
{
    pl_pass((uint64_t)buf, sizeof buf, PL_W);
    return pl_call(blk, BLK_READ, sector, (long)buf, len);
}

int main(int argc, char **argv)
{
    long sector = argc > 1 ? atol(argv[1]) : 0;
    uint64_t blk = os_lookup("blk");
    if (!blk) {
        printf("blkread: no disk (blk is not in dir)\n");
        return 1;
    }
    long size = pl_call(blk, BLK_SECTORS);
    printf("blkread: the public window has %ld sectors, from disk sector %ld\n", size, pl_call(blk, BLK_START));

    /* A driver restarted meanwhile (proc's watchdog, a crash) unwinds the
     * call, and its gate is gone: calling it again would be our fault. */
    long first = rd(blk, argc > 1 ? atol(argv[1]) : 0, 512);
    if (pl_status()) {
        printf("blkread: the read was unwound (status %ld): blk stopped; look it up again after its restart\n",
               pl_status());
        return 2;
    }
    /* On a FAT disk (make run's), the window starts with the volume's boot
     * sector: show it instead of checking the test pattern. */
    if (argc < 2 && first == 512 && buf[510] == 0x55 && buf[511] == 0xaa &&
        (!memcmp(buf + 82, "FAT32   ", 8) || !memcmp(buf + 54, "FAT1", 4))) {
        int fat32 = !memcmp(buf + 82, "FAT32   ", 8);
        printf("blkread: sector 0 is a %s boot sector: OEM '%.8s', label '%.11s', %u bytes a sector\n",
               fat32 ? "FAT32" : "FAT16", (char *)buf + 3, (char *)buf + (fat32 ? 71 : 43), buf[11] | buf[12] << 8);
        pl_pass((uint64_t)buf, sizeof buf, PL_R);
        long w = pl_call(blk, BLK_WRITE, 0L, (long)buf, 512L);
        printf("blkread: past the end -> %ld, write -> %ld (the public window is read-only)\n",
               rd(blk, size, 512), w);
        return w == KE_PERM ? 0 : 1;
    }
    long r = rd(blk, sector, sizeof buf);
    unsigned bad = mismatches(sector);
    printf("blkread: sectors %ld-%ld -> %ld (status %ld): %s\n", sector, sector + 1, r, pl_status(),
           r == (long)sizeof buf && !bad ? "every byte as the image has it" : "WRONG");
    printf("blkread: first bytes %02x %02x %02x %02x\n", buf[0], buf[1], buf[2], buf[3]);

    memset(buf, 0xee, sizeof buf);
    long r2 = pl_call(blk, BLK_READ, sector, (long)buf, 512L);
    int untouched = buf[0] == 0xee && buf[511] == 0xee;
    printf("blkread: without a pass -> %ld, buffer %s\n", r2, untouched ? "untouched" : "WRITTEN");
    long r3 = rd(blk, 1L << 40, 512);
    long r4 = rd(blk, size, 512);
    long r5 = rd(blk, size - 1, 1024);
    int still = buf[0] == 0xee && buf[511] == 0xee;
    printf("blkread: past the end -> %ld; at the window's end -> %ld; across it -> %ld; buffer %s\n", r3, r4, r5,
           still ? "untouched" : "WRITTEN");
    long last = rd(blk, size - 2, 1024);
    printf("blkread: the window's last two sectors -> %ld: %s\n", last,
           last == 1024 && !mismatches(size - 2) ? "as the image has them" : "WRONG");
    pl_pass((uint64_t)buf, sizeof buf, PL_R);
    long w = pl_call(blk, BLK_WRITE, 0L, (long)buf, 512L);
    long f = pl_call(blk, BLK_FLUSH);
    printf("blkread: write -> %ld, flush -> %ld (the public window is read-only)\n", w, f);
    return r == (long)sizeof buf && !bad && r2 == KE_INVAL && untouched && r3 == KE_INVAL && r4 == KE_INVAL &&
                   r5 == KE_INVAL && still && last == 1024 && w == KE_PERM && f == KE_PERM
               ? 0
               : 1;
}
