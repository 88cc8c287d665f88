/* blkread [SECTOR]: reads two sectors of the disk through blk (the driver
 * space, found in dir) into a buffer passed for the call, and checks them
 * against the pattern tests/peer/mkdisk.py writes.  Then it asks again
 * without passing the buffer: blk cannot write it, and says so. */
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

int main(int argc, char **argv)
{
    long sector = argc > 1 ? atol(argv[1]) : 0;
    uint64_t blk = os_lookup("blk");
    if (!blk) {
        printf("blkread: no disk (blk is not in dir)\n");
        return 1;
    }
    printf("blkread: the disk has %ld sectors\n", pl_call(blk, BLK_SECTORS));

    pl_pass((uint64_t)buf, sizeof buf, PL_W);
    long r = pl_call(blk, BLK_READ, sector, (long)buf, (long)sizeof buf);
    unsigned bad = mismatches(sector);
    printf("blkread: sectors %ld-%ld -> %ld (status %ld): %s\n", sector, sector + 1, r, pl_status(),
           r == (long)sizeof buf && !bad ? "every byte as the image has it" : "WRONG");
    printf("blkread: first bytes %02x %02x %02x %02x\n", buf[0], buf[1], buf[2], buf[3]);

    memset(buf, 0xee, sizeof buf);
    long r2 = pl_call(blk, BLK_READ, sector, (long)buf, 512L);
    int untouched = buf[0] == 0xee && buf[511] == 0xee;
    printf("blkread: without a pass -> %ld, buffer %s\n", r2, untouched ? "untouched" : "WRITTEN");
    long r3 = pl_call(blk, BLK_READ, 1L << 40, (long)buf, 512L);
    printf("blkread: past the end -> %ld\n", r3);
    return r == (long)sizeof buf && !bad && r2 == KE_INVAL && untouched && r3 == KE_INVAL ? 0 : 1;
}
