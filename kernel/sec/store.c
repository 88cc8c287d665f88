/* The account store on the disk's partition 2 (type 0xDA), which blk lets
 * only this space reach, through a window gate whose sectors count from the
 * partition's start.  Layout, in 512-byte sectors of the partition:
 *
 *     0            header of copy 0
 *     1            header of copy 1
 *     2 .. 16      copy 0: the accounts' text form (accounts.c), zero-padded
 *     17 .. 31     copy 1
 *
 * A header names its copy, its generation, the text's length and the
 * BLAKE2b-256 of the text, and ends with the BLAKE2b-256 of itself.  The
 * valid header with the highest generation whose copy matches its sum is
 * the store.  An update writes the other copy, flushes, then writes that
 * copy's header with the next generation and flushes: a crash at any point
 * leaves the old header and copy valid (a torn write fails its sum).
 *
 * A partition whose two header sectors are all zeros is blank (first
 * boot).  One that is neither blank nor valid is left alone: sec keeps its
 * accounts in memory and says so, rather than overwrite what it cannot
 * read. */
#include "sec.h"
#include <blake2/blake2.h>

#define SECTOR        512
#define COPY_SECTORS  15
#define STORE_SECTORS (2 + 2 * COPY_SECTORS)
#define STORE_VERSION 1
static const char store_magic[8] = "PLSECACC";

struct header {
    char magic[8];
    uint32_t version;
    uint32_t copy;          /* 0 or 1: which copy it describes (= its own sector) */
    uint64_t generation;
    uint32_t length;        /* bytes of text in the copy */
    uint32_t accounts;
    uint8_t text_sum[32];   /* BLAKE2b-256 of those bytes */
    uint8_t header_sum[32]; /* BLAKE2b-256 of the header up to here */
};
_Static_assert(sizeof(struct header) <= SECTOR, "store: a header is one sector");

static struct kdrv_client disk;     /* blk's partition-2 window, through our shim (klib) */
static int state = STORE_NONE;
int store_copy = -1;                /* the copy holding the store, -1: none yet */
uint64_t store_generation;
static uint8_t sector_buf[SECTOR] __attribute__((aligned(8)));
static char copy_buf[COPY_SECTORS * SECTOR] __attribute__((aligned(8)));

void store_init(uint64_t window, uint64_t restart)
{
    kdrv_client_init(&disk, window, restart);
}

/* One request on partition 2 (as fs does, kernel/fs/disk.c): a request
 * that fails is reported to proc, which restarts blk (once per failure,
 * whoever reports it) and gives back the new window gate; the request is
 * tried once more (a whole sector's contents: idempotent). */
static long io(long op, uint64_t sector, void *buf, long len, uint64_t rights)
{
    long want = op == BLK_FLUSH ? 0 : len;
    long r = kdrv_call(&disk, op, (long)sector, (long)buf, len, (uint64_t)buf, len, buf ? rights : 0);
    if (r == want || !kdrv_renew(&disk))
        return r;
    return kdrv_call(&disk, op, (long)sector, (long)buf, len, (uint64_t)buf, len, buf ? rights : 0);
}

static long flush(void)
{
    return io(BLK_FLUSH, 0, 0, 0, 0);
}

static void sum(uint8_t out[32], const void *p, size_t n)
{
    blake2b(out, 32, p, n, 0, 0);
}

/* Header i, if valid: its copy's text is then in copy_buf. */
static int read_valid(int i, struct header *h)
{
    if (io(BLK_READ, (uint64_t)i, sector_buf, SECTOR, PL_W) != SECTOR)
        return 0;
    memcpy(h, sector_buf, sizeof *h);
    uint8_t s[32];
    sum(s, h, offsetof(struct header, header_sum));
    if (memcmp(h->magic, store_magic, 8) || h->version != STORE_VERSION || h->copy != (uint32_t)i ||
        memcmp(s, h->header_sum, 32) || h->length > sizeof copy_buf)
        return 0;
    if (io(BLK_READ, 2 + (uint64_t)i * COPY_SECTORS, copy_buf, sizeof copy_buf, PL_W) != (long)sizeof copy_buf)
        return 0;
    sum(s, copy_buf, h->length);
    return !memcmp(s, h->text_sum, 32);
}

static int blank(int i)
{
    if (io(BLK_READ, (uint64_t)i, sector_buf, SECTOR, PL_W) != SECTOR)
        return 0;
    for (int k = 0; k < SECTOR; k++)
        if (sector_buf[k])
            return 0;
    return 1;
}

int store_load(void)
{
    store_copy = -1;
    if (!disk.gate)
        return state = STORE_NONE;
    long sectors = kdrv_call(&disk, BLK_SECTORS, 0, 0, 0, 0, 0, 0);
    if (sectors < STORE_SECTORS)
        return state = STORE_NONE;
    struct header h[2];
    int valid[2];
    for (int i = 0; i < 2; i++)
        valid[i] = read_valid(i, &h[i]);
    int best = valid[0] && (!valid[1] || h[0].generation > h[1].generation) ? 0 : valid[1] ? 1 : -1;
    if (best < 0)
        return state = blank(0) && blank(1) ? STORE_EMPTY : STORE_DAMAGED;
    if (!read_valid(best, &h[best]))   /* copy_buf holds the last copy read: read the best again */
        return state = STORE_DAMAGED;
    if (accounts_parse(copy_buf, h[best].length) < 0)
        return state = STORE_DAMAGED;
    store_copy = best;
    store_generation = h[best].generation;
    return state = STORE_LOADED;
}

long store_save(void)
{
    if (state == STORE_NONE || state == STORE_DAMAGED)
        return 0;   /* memory only */
    memset(copy_buf, 0, sizeof copy_buf);
    long len = accounts_format(copy_buf, sizeof copy_buf);
    if (len < 0)
        return KE_NOMEM;
    int next = store_copy == 0 ? 1 : 0;
    struct header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, store_magic, 8);
    h.version = STORE_VERSION;
    h.copy = (uint32_t)next;
    h.generation = store_generation + 1;
    h.length = (uint32_t)len;
    for (int i = 0; i < SEC_ACCOUNTS; i++)
        h.accounts += accounts[i].uid >= 0;
    sum(h.text_sum, copy_buf, (size_t)len);
    sum(h.header_sum, &h, offsetof(struct header, header_sum));
    memset(sector_buf, 0, sizeof sector_buf);
    memcpy(sector_buf, &h, sizeof h);
    if (io(BLK_WRITE, 2 + (uint64_t)next * COPY_SECTORS, copy_buf, sizeof copy_buf, PL_R) != (long)sizeof copy_buf ||
        flush() < 0 || io(BLK_WRITE, (uint64_t)next, sector_buf, SECTOR, PL_R) != SECTOR || flush() < 0)
        return KE_FAULT;
    store_copy = next;
    store_generation = h.generation;
    state = STORE_LOADED;
    return 0;
}

const char *store_where(void)
{
    switch (state) {
    case STORE_LOADED: case STORE_EMPTY: return "the disk's partition 2";
    case STORE_DAMAGED: return "memory only (partition 2 is damaged: left alone)";
    }
    return "memory only (no disk partition 2)";
}
