/* The volume: its boot sector (BPB), its allocation tables and, on FAT32,
 * the FSInfo sector's free count.  FAT16 and FAT32, as mkfs.fat makes
 * them; FAT12 (small volumes) is refused with a reason.
 *
 * Every change to the FAT is written to every copy, first to last, each
 * sector through to the disk before the next (disk.c). */
#include "fs.h"

struct volume vol;
static const char *why = "not mounted";
static uint32_t free_count = 0xffffffff, next_free = 2;   /* FSInfo's hints */
static uint8_t sec[SECTOR];

const char *fat_why(void) { return why; }

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t cluster_sector(uint32_t cl) { return vol.data_start + (cl - 2) * vol.spc; }

long fat_mount(void)
{
    long r = disk_read(0, sec);
    if (r < 0)
        return why = "cannot read the boot sector", r;
    uint32_t bps = le16(sec + 11), spc = sec[13], reserved = le16(sec + 14), nfats = sec[16];
    uint32_t root_entries = le16(sec + 17), total = le16(sec + 19), fat16 = le16(sec + 22);
    if (!total)
        total = le32(sec + 32);
    if (sec[510] != 0x55 || sec[511] != 0xaa || bps != SECTOR || !spc || (spc & (spc - 1)) || !reserved ||
        !nfats || !total)
        return why = "no FAT boot sector (or sectors not of 512 bytes)", KE_INVAL;
    uint32_t fat_sectors = fat16 ? fat16 : le32(sec + 36);
    uint32_t root_sectors = (root_entries * 32 + SECTOR - 1) / SECTOR;
    uint32_t data_start = reserved + nfats * fat_sectors + root_sectors;
    if (!fat_sectors || data_start >= total)
        return why = "a boot sector that does not add up", KE_INVAL;
    uint32_t clusters = (total - data_start) / spc;
    vol = (struct volume){ .spc = spc, .fat_start = reserved, .fat_sectors = fat_sectors, .nfats = nfats,
                           .root_start = reserved + nfats * fat_sectors, .root_entries = root_entries,
                           .data_start = data_start, .clusters = clusters };
    if (clusters < 4085)
        return why = "FAT12 (too small a volume): fs reads FAT16 and FAT32", KE_INVAL;
    if (clusters < 65525) {
        vol.bits = 16;
        vol.eoc = 0xffff;
    } else {
        vol.bits = 32;
        vol.eoc = 0x0fffffff;
        vol.root_cluster = le32(sec + 44);
        vol.fsinfo = le16(sec + 48);
        if (vol.root_cluster < 2 || vol.root_cluster >= clusters + 2)
            return why = "FAT32 root directory cluster out of range", KE_INVAL;
    }
    /* The FAT must have an entry for every cluster. */
    if ((uint64_t)fat_sectors * SECTOR * 8 / (uint64_t)vol.bits < clusters + 2)
        return why = "a FAT too small for the volume", KE_INVAL;
    if (vol.fsinfo && vol.fsinfo < reserved && disk_read(vol.fsinfo, sec) == 0 && le32(sec) == 0x41615252 &&
        le32(sec + 484) == 0x61417272) {
        free_count = le32(sec + 488);
        next_free = le32(sec + 492);
        if (next_free < 2 || next_free >= clusters + 2)
            next_free = 2;
    } else
        vol.fsinfo = 0;
    why = "mounted";
    return 0;
}

int fat_is_eoc(uint32_t v) { return vol.bits == 16 ? v >= 0xfff8 : v >= 0x0ffffff8; }

static void locate(uint32_t cl, uint32_t *sector, uint32_t *off)
{
    uint32_t byte = cl * (uint32_t)(vol.bits / 8);
    *sector = vol.fat_start + byte / SECTOR;
    *off = byte % SECTOR;
}

/* The FAT sector fat_get read last (chains are walked one entry at a
 * time): kept in step by fat_set, dropped by fat_forget. */
static uint8_t fatsec[SECTOR];
static uint32_t fatsec_no;
static int fatsec_ok;

void fat_forget(void) { fatsec_ok = 0; }

long fat_get(uint32_t cl, uint32_t *next)
{
    if (cl < 2 || cl >= vol.clusters + 2)
        return KE_INVAL;
    uint32_t s, o;
    locate(cl, &s, &o);
    if (!fatsec_ok || fatsec_no != s) {
        fatsec_ok = 0;
        long r = disk_read(s, fatsec);
        if (r < 0)
            return r;
        fatsec_no = s;
        fatsec_ok = 1;
    }
    *next = vol.bits == 16 ? le16(fatsec + o) : le32(fatsec + o) & 0x0fffffff;
    return 0;
}

long fat_set(uint32_t cl, uint32_t val)
{
    if (cl < 2 || cl >= vol.clusters + 2)
        return KE_INVAL;
    uint32_t s, o;
    locate(cl, &s, &o);
    for (uint32_t copy = 0; copy < vol.nfats; copy++) {
        uint32_t at = s + copy * vol.fat_sectors;
        long r = disk_read(at, sec);
        if (r < 0)
            return r;
        if (vol.bits == 16) {
            sec[o] = (uint8_t)val;
            sec[o + 1] = (uint8_t)(val >> 8);
        } else
            put32(sec + o, (le32(sec + o) & 0xf0000000) | (val & 0x0fffffff));
        if (copy == 0 && fatsec_ok && fatsec_no == at)
            memcpy(fatsec, sec, SECTOR);
        if ((r = disk_write(at, sec)) < 0) {
            fatsec_ok = 0;
            return r;
        }
    }
    return 0;
}

/* FSInfo's free count and next-free hint, kept as fsck.fat checks them:
 * counted here, written by fat_sync at the end of each operation. */
static int fsinfo_dirty;

static void fsinfo_update(int delta)
{
    if (free_count != 0xffffffff)
        free_count += (uint32_t)delta;
    fsinfo_dirty = vol.fsinfo != 0;
}

long fat_sync(void)
{
    if (!fsinfo_dirty)
        return 0;
    long r = disk_read(vol.fsinfo, sec);
    if (r < 0)
        return r;
    put32(sec + 488, free_count);
    put32(sec + 492, next_free);
    if ((r = disk_write(vol.fsinfo, sec)) == 0)
        fsinfo_dirty = 0;
    return r;
}

/* A free cluster (not marked): 0, or KE_NOMEM. */
static long find_free(uint32_t *cl)
{
    for (uint32_t k = 0; k < vol.clusters; k++) {
        uint32_t c = 2 + (next_free - 2 + k) % vol.clusters, v;
        long r = fat_get(c, &v);
        if (r < 0)
            return r;
        if (v == FAT_FREE) {
            *cl = c;
            return 0;
        }
    }
    return KE_NOMEM;
}

static void taken(uint32_t c)
{
    next_free = c + 1 < vol.clusters + 2 ? c + 1 : 2;
    fsinfo_update(-1);
}

long fat_alloc(uint32_t *cl)
{
    long r = find_free(cl);
    if (r < 0 || (r = fat_set(*cl, vol.eoc)) < 0)
        return r;
    taken(*cl);
    return 0;
}

/* A new cluster at the end of the chain ending at `last`: marked end of
 * chain, then linked.  When both entries lie in one FAT sector, that is
 * one write of it per copy, both changes at once. */
long fat_extend(uint32_t last, uint32_t *cl)
{
    long r = find_free(cl);
    if (r < 0)
        return r;
    uint32_t s1, o1, s2, o2;
    locate(last, &s1, &o1);
    locate(*cl, &s2, &o2);
    if (s1 != s2 || vol.bits != 32) {
        if ((r = fat_set(*cl, vol.eoc)) < 0 || (r = fat_set(last, *cl)) < 0)
            return r;
        taken(*cl);
        return 0;
    }
    for (uint32_t copy = 0; copy < vol.nfats; copy++) {
        uint32_t at = s1 + copy * vol.fat_sectors;
        if ((r = disk_read(at, sec)) < 0)
            return r;
        put32(sec + o2, (le32(sec + o2) & 0xf0000000) | vol.eoc);
        put32(sec + o1, (le32(sec + o1) & 0xf0000000) | *cl);
        if (copy == 0 && fatsec_ok && fatsec_no == at)
            memcpy(fatsec, sec, SECTOR);
        if ((r = disk_write(at, sec)) < 0) {
            fatsec_ok = 0;
            return r;
        }
    }
    taken(*cl);
    return 0;
}

long fat_free_chain(uint32_t cl)
{
    int freed = 0;
    for (uint32_t n = 0; cl >= 2 && !fat_is_eoc(cl) && n < vol.clusters; n++) {
        uint32_t next;
        long r = fat_get(cl, &next);
        if (r < 0)
            return r;
        if ((r = fat_set(cl, FAT_FREE)) < 0)
            return r;
        freed++;
        cl = next;
    }
    fsinfo_update(freed);
    return 0;
}

long fat_zero_cluster(uint32_t cl)
{
    memset(sec, 0, sizeof sec);
    for (uint32_t i = 0; i < vol.spc; i++) {
        long r = disk_write(cluster_sector(cl) + i, sec);
        if (r < 0)
            return r;
    }
    return 0;
}
