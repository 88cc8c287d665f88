/* fs: the FAT file system's gate (operations in kern.h) and its handles.
 *
 * Crash safety.  There is no journal; instead every change is written
 * through to the disk (disk.c) in an order chosen so that a crash at any
 * point leaves a volume that mounts and reads correctly, whose only damage
 * is of a kind fsck.fat repairs by freeing or trimming — never a directory
 * entry that points at garbage, never a cluster in two files:
 *
 *   write (growing)   1. a free cluster is marked end-of-chain in every FAT copy
 *                     and 2. linked from the file's last cluster (one sector write
 *                     per copy when both entries share a sector), 3. its data written;
 *                     after all of them, 4. the entry's size (and first cluster).
 *                     A crash before 4 leaves the old size: after 1 fsck.fat -n
 *                     finds lost clusters; after 2, a chain longer than the size
 *                     (it would trim it).  Bytes written over existing data are
 *                     not atomic: a crash mid-write leaves some old, some new.
 *   truncate          1. the entry's size, 2. end-of-chain at the last kept
 *                     cluster, 3. the rest freed: fsck.fat may find a chain
 *                     longer than the size (after 1) or lost clusters (after 2).
 *   create, mkdir     1. (mkdir) the directory's cluster: allocated, zeroed,
 *                     . and ..; 2. long-name parts; 3. the short entry.
 *                     Before 3: lost clusters, or orphan long-name parts.
 *   delete, rmdir     1. the short entry, then its long-name parts, marked
 *                     deleted; 2. the chain freed: lost clusters in between.
 *   rename            1. the new entry, 2. (a directory) its "..", 3. the old
 *                     entry deleted: between 1 and 3 two entries share one
 *                     chain, which fsck.fat reports (and the old one is stale).
 *
 * FAT32's FSInfo sector (a free-cluster count and a hint, which fsck.fat
 * checks and would correct) is written once at the end of each operation.
 * Every FAT change is written to the first copy, then the second: a crash
 * between them leaves copies that differ, and fsck.fat takes the first,
 * which is the newer, so every case above holds with it.
 * Writes are on the disk when FS_WRITE returns (the device model writes the
 * image file); FS_SYNC also asks the disk to flush (virtio FLUSH: fsync).
 */
#include "fs.h"

#define MAXH 32
#define KEY_TURN 0x66730000UL

struct handle {
    int used;
    uint32_t gen;
    struct node n;
    uint32_t last_index, last_cluster;   /* where the chain walk last ended */
};
static struct handle handles[MAXH];
static uint64_t sched_gate;
static int mounted;
static struct kturn turn;   /* one operation at a time */
static uint8_t buf[4096];
static char path[512], path2[512];

/* ---- helpers ---- */

/* Copy a path from the caller's buffer: 0, or KE_INVAL. */
static long take_path(const volatile char *src, long len, char *dst)
{
    if (len <= 0 || len >= 512 || !kheld((uint64_t)src, len, PL_R))
        return KE_INVAL;
    for (long i = 0; i < len; i++)
        dst[i] = src[i];
    dst[len] = 0;
    return (long)strlen(dst) == len ? 0 : KE_INVAL;
}

static struct handle *handle(long h)
{
    long i = (h & 0xff) - 1;
    if (i < 0 || i >= MAXH || !handles[i].used || handles[i].gen != (uint32_t)(h >> 8))
        return 0;
    return &handles[i];
}

/* Every open handle of the same entry sees the same cluster and size; a
 * handle's place in the chain stays good unless the chain was cut. */
static void share(const struct node *n)
{
    for (int i = 0; i < MAXH; i++) {
        struct handle *o = &handles[i];
        if (!o->used || o->n.root || o->n.parent != n->parent || o->n.idx != n->idx)
            continue;
        if (o->n.cluster != n->cluster || n->size < o->n.size)
            o->last_index = o->last_cluster = 0;
        o->n.cluster = n->cluster;
        o->n.size = n->size;
    }
}

static void forget(const struct node *n)
{
    for (int i = 0; i < MAXH; i++)
        if (handles[i].used && !handles[i].n.root && handles[i].n.parent == n->parent && handles[i].n.idx == n->idx)
            handles[i].used = 0;
}

static uint32_t cluster_bytes(void) { return vol.spc * SECTOR; }

/* The disk sector holding byte `pos` of the file: walks (and, when
 * `grow`, extends) the chain.  0, or KE_*. */
static long file_sector(struct handle *h, uint64_t pos, int grow, uint32_t *sector)
{
    uint32_t index = (uint32_t)(pos / cluster_bytes());
    long r;
    if (!h->n.cluster) {
        if (!grow)
            return KE_IO;
        uint32_t c;
        if ((r = fat_alloc(&c)) < 0)
            return r;
        h->n.cluster = c;   /* the entry learns it with the size, last */
    }
    uint32_t cl = h->n.cluster, at = 0;
    if (h->last_cluster && h->last_index <= index) {
        cl = h->last_cluster;
        at = h->last_index;
    }
    for (; at < index; at++) {
        uint32_t next;
        if ((r = fat_get(cl, &next)) < 0)
            return r;
        if (fat_is_eoc(next) || next < 2) {
            if (!grow)
                return KE_IO;
            if ((r = fat_extend(cl, &next)) < 0)
                return r;
        }
        cl = next;
    }
    h->last_index = index;
    h->last_cluster = cl;
    *sector = cluster_sector(cl) + (uint32_t)(pos % cluster_bytes()) / SECTOR;
    return 0;
}

/* ---- operations ---- */

static long op_open(const volatile char *p, long len, long flags)
{
    long r = take_path(p, len, path);
    if (r < 0)
        return r;
    struct node n;
    r = dir_lookup(path, &n);
    if (r == KE_NOENT && (flags & FS_O_CREAT) && !(flags & FS_O_DIR)) {
        struct node dir;
        const char *leaf;
        if ((r = dir_parent(path, &dir, &leaf)) < 0)
            return r;
        r = dir_create(dir.cluster ? dir.cluster : dir_root(), leaf, ATTR_ARCHIVE, 0, 0, &n);
    } else if (r == 0 && (flags & FS_O_CREAT) && (flags & FS_O_EXCL))
        return KE_BUSY;
    if (r < 0)
        return r;
    if ((flags & FS_O_DIR) && !(n.attr & ATTR_DIR))
        return KE_NOTDIR;
    if ((n.attr & ATTR_DIR) && (flags & FS_O_TRUNC))
        return KE_ISDIR;
    for (int i = 0; i < MAXH; i++)
        if (!handles[i].used) {
            struct handle *h = &handles[i];
            h->used = 1;
            h->gen++;
            h->n = n;
            if (n.attr & ATTR_DIR && !n.cluster)
                h->n.cluster = dir_root();   /* ".." of a root child */
            h->last_index = h->last_cluster = 0;
            if ((flags & FS_O_TRUNC) && n.size) {
                /* 1. the entry, 2. the chain freed (see the top). */
                uint32_t chain = h->n.cluster;
                h->n.size = 0;
                h->n.cluster = 0;
                if ((r = dir_update(&h->n)) < 0 || (r = fat_free_chain(chain)) < 0) {
                    h->used = 0;
                    return r;
                }
                share(&h->n);
            }
            return (long)(h->gen << 8) | (i + 1);
        }
    return KE_NOMEM;
}

static long op_read(struct handle *h, volatile uint8_t *dst, long len, long off)
{
    if (h->n.attr & ATTR_DIR)
        return KE_ISDIR;
    if (len < 0 || off < 0 || !kheld((uint64_t)dst, len, PL_W))
        return KE_INVAL;
    if ((uint64_t)off >= h->n.size)
        return 0;
    if ((uint64_t)len > h->n.size - (uint64_t)off)
        len = (long)(h->n.size - (uint64_t)off);
    long done = 0;
    while (done < len) {
        uint64_t pos = (uint64_t)off + (uint64_t)done;
        uint32_t s;
        long r = file_sector(h, pos, 0, &s);
        if (r < 0)
            return done ? done : r;
        /* up to the end of the cluster, the request, or our buffer */
        uint32_t in_sector = (uint32_t)(pos % SECTOR);
        uint64_t take = cluster_bytes() - (uint32_t)(pos % cluster_bytes());
        if (take > (uint64_t)(len - done))
            take = (uint64_t)(len - done);
        if (take > sizeof buf - in_sector)
            take = sizeof buf - in_sector;
        if ((r = disk_read_run(s, buf, (uint32_t)((in_sector + take + SECTOR - 1) / SECTOR))) < 0)
            return done ? done : r;
        memcpy((void *)(dst + done), buf + in_sector, take);   /* kheld() checked dst */
        done += (long)take;
    }
    return done;
}

static long op_write(struct handle *h, const volatile uint8_t *src, long len, long off)
{
    if (h->n.attr & ATTR_DIR)
        return KE_ISDIR;
    if (len < 0 || off < 0 || !kheld((uint64_t)src, len, PL_R))
        return KE_INVAL;
    if ((uint64_t)off + (uint64_t)len > 0xffffffffUL)
        return KE_NOMEM;
    /* From the old end when writing past it: the gap reads as zeros. */
    uint64_t from = (uint64_t)off < h->n.size ? (uint64_t)off : h->n.size, to = (uint64_t)off + (uint64_t)len;
    long r = 0;
    for (uint64_t pos = from; pos < to;) {
        uint32_t s;
        if ((r = file_sector(h, pos, 1, &s)) < 0)
            break;
        uint32_t in_sector = (uint32_t)(pos % SECTOR), n = SECTOR - in_sector;
        if (n > to - pos)
            n = (uint32_t)(to - pos);
        if (in_sector || n < SECTOR) {
            /* part of a sector: what lies beyond the old end is zeros */
            if (pos - in_sector < h->n.size) {
                if ((r = disk_read_run(s, buf, 1)) < 0)
                    break;
            } else
                memset(buf, 0, SECTOR);
        }
        if (pos >= (uint64_t)off)
            memcpy(buf + in_sector, (const void *)(src + (pos - (uint64_t)off)), n);   /* kheld() checked src */
        else   /* the gap between the old end and off reads as zeros */
            for (uint32_t i = 0; i < n; i++)
                buf[in_sector + i] = pos + i >= (uint64_t)off ? src[pos + i - (uint64_t)off] : 0;
        if ((r = disk_write_run(s, buf, 1)) < 0)
            break;
        pos += n;   /* the size is written once, after the data (see the top) */
    }
    uint32_t old = h->n.size;
    if (r == 0 && to > h->n.size)
        h->n.size = (uint32_t)to;
    if (h->n.size != old || r == 0) {
        long u = dir_update(&h->n);
        if (r == 0)
            r = u;
    }
    share(&h->n);
    return r < 0 ? r : len;
}

static long op_truncate(struct handle *h, long size)
{
    if (h->n.attr & ATTR_DIR)
        return KE_ISDIR;
    if (size < 0 || (uint64_t)size > 0xffffffffUL)
        return KE_INVAL;
    if ((uint64_t)size >= h->n.size) {
        if ((uint64_t)size == h->n.size)
            return 0;
        /* growing: zeros, written as data */
        static const uint8_t zero[SECTOR];
        uint64_t pos = h->n.size;
        while (pos < (uint64_t)size) {
            long n = (uint64_t)size - pos < SECTOR ? (long)((uint64_t)size - pos) : SECTOR;
            long r = op_write(h, zero, n, (long)pos);
            if (r < 0)
                return r;
            pos += (uint64_t)n;
        }
        return 0;
    }
    uint32_t keep = (uint32_t)((size + cluster_bytes() - 1) / cluster_bytes()), chain = h->n.cluster;
    h->n.size = (uint32_t)size;
    if (!keep)
        h->n.cluster = 0;
    long r = dir_update(&h->n);   /* 1. the entry */
    share(&h->n);
    if (r < 0 || !chain)
        return r;
    if (!keep)
        return fat_free_chain(chain);
    uint32_t last = chain, next;
    for (uint32_t i = 1; i < keep; i++)
        if ((r = fat_get(last, &last)) < 0)
            return r;
    if ((r = fat_get(last, &next)) < 0)
        return r;
    if (fat_is_eoc(next))
        return 0;
    if ((r = fat_set(last, vol.eoc)) < 0)   /* 2. the new end */
        return r;
    return fat_free_chain(next);            /* 3. the rest */
}

static long op_stat(struct handle *h, volatile struct fs_stat *st)
{
    if (!kheld((uint64_t)st, sizeof *st, PL_W))
        return KE_INVAL;
    st->size = h->n.size;
    st->attr = h->n.attr;
    st->is_dir = (h->n.attr & ATTR_DIR) != 0;
    return 0;
}

static long op_readdir(struct handle *h, volatile struct fs_dirent *d, long cookie)
{
    if (!(h->n.attr & ATTR_DIR))
        return KE_NOTDIR;
    if (cookie < 0 || !kheld((uint64_t)d, sizeof *d, PL_W))
        return KE_INVAL;
    uint32_t idx = (uint32_t)cookie;
    struct node n;
    long r = dir_next(h->n.cluster, &idx, &n);
    if (r == KE_NOENT)
        return 0;
    if (r < 0)
        return r;
    size_t len = strlen(n.name);
    for (size_t i = 0; i <= len; i++)
        d->name[i] = n.name[i];
    d->size = n.attr & ATTR_DIR ? 0 : n.size;
    d->attr = n.attr;
    d->is_dir = (n.attr & ATTR_DIR) != 0;
    return idx;
}

static long op_mkdir(const volatile char *p, long len)
{
    long r = take_path(p, len, path);
    struct node dir, n;
    const char *leaf;
    if (r < 0 || (r = dir_parent(path, &dir, &leaf)) < 0)
        return r;
    uint32_t parent = dir.cluster ? dir.cluster : dir_root();
    if (dir_find(parent, leaf, &n) == 0)
        return KE_BUSY;
    uint32_t cl;
    if ((r = dir_make(parent, &cl)) < 0)
        return r;
    return dir_create(parent, leaf, ATTR_DIR, cl, 0, &n);
}

static long op_remove(const volatile char *p, long len, int want_dir)
{
    long r = take_path(p, len, path);
    struct node n;
    if (r < 0 || (r = dir_lookup(path, &n)) < 0)
        return r;
    if (n.root)
        return KE_BUSY;
    if (want_dir && !(n.attr & ATTR_DIR))
        return KE_NOTDIR;
    if (!want_dir && (n.attr & ATTR_DIR))
        return KE_ISDIR;
    if (want_dir && (r = dir_empty(n.cluster)) != 1)
        return r < 0 ? r : KE_NOTEMPTY;
    forget(&n);
    if ((r = dir_remove(&n)) < 0)
        return r;
    return n.cluster ? fat_free_chain(n.cluster) : 0;
}

static long op_rename(const volatile char *p, long len)
{
    static char both[1024];
    if (len < 3 || len >= (long)sizeof both || !kheld((uint64_t)p, len, PL_R))
        return KE_INVAL;
    for (long i = 0; i < len; i++)
        both[i] = p[i];
    both[len] = 0;
    long first = (long)strlen(both), second = len - first - 1;
    if (first == 0 || first >= 512 || second <= 0 || second >= 512 || (long)strlen(both + first + 1) != second)
        return KE_INVAL;
    memcpy(path, both, (size_t)first + 1);
    memcpy(path2, both + first + 1, (size_t)second + 1);
    long r;
    struct node from, dir, to, made;
    const char *leaf;
    if ((r = dir_lookup(path, &from)) < 0)
        return r;
    if (from.root)
        return KE_BUSY;
    if ((r = dir_parent(path2, &dir, &leaf)) < 0)
        return r;
    uint32_t parent = dir.cluster ? dir.cluster : dir_root();
    if ((from.attr & ATTR_DIR) && parent != from.parent)
        return KE_INVAL;   /* directories move only within their parent */
    if (dir_find(parent, leaf, &to) == 0) {
        if (to.parent == from.parent && to.idx == from.idx)
            ;   /* the same entry under another case: replace it by the new name */
        else if ((to.attr & ATTR_DIR) || (from.attr & ATTR_DIR))
            return KE_BUSY;
        else {
            forget(&to);
            if ((r = dir_remove(&to)) < 0 || (to.cluster && (r = fat_free_chain(to.cluster)) < 0))
                return r;
        }
    }
    if ((r = dir_create(parent, leaf, from.attr, from.cluster, from.size, &made)) < 0)
        return r;
    forget(&from);
    return dir_remove(&from);
}

static long op_info(volatile char *dst, long len)
{
    if (len <= 0 || !kheld((uint64_t)dst, len, PL_W))
        return KE_INVAL;
    char text[160];
    int n = mounted ? kfmt(text, sizeof text, "FAT%d, %u clusters of %u bytes, mounted; %ld driver restarts asked\n",
                           vol.bits, vol.clusters, cluster_bytes(), fs_restarts)
                    : kfmt(text, sizeof text, "not mounted: %s\n", fat_why());
    if (n > len)
        n = (int)len;
    for (int i = 0; i < n; i++)
        dst[i] = text[i];
    return n;
}

static void take_turn(void) { kturn_take(&turn, sched_gate); }
static void give_turn(void) { kturn_give(&turn, sched_gate); }

static long serve(long op, long a1, long a2, long a3, long a4)
{
    if (op == FS_INFO)
        return op_info((volatile char *)a1, a2);
    if (!mounted)
        return KE_NOENT;
    struct handle *h = 0;
    if (op >= FS_CLOSE && op <= FS_READDIR && !(h = handle(a1)))
        return KE_INVAL;
    switch (op) {
    case FS_OPEN: return op_open((const volatile char *)a1, a2, a3);
    case FS_CLOSE: h->used = 0; return 0;
    case FS_READ: return op_read(h, (volatile uint8_t *)a2, a3, a4);
    case FS_WRITE: return op_write(h, (const volatile uint8_t *)a2, a3, a4);
    case FS_TRUNCATE: return op_truncate(h, a2);
    case FS_STAT: return op_stat(h, (volatile struct fs_stat *)a2);
    case FS_READDIR: return op_readdir(h, (volatile struct fs_dirent *)a2, a3);
    case FS_MKDIR: return op_mkdir((const volatile char *)a1, a2);
    case FS_UNLINK: return op_remove((const volatile char *)a1, a2, 0);
    case FS_RMDIR: return op_remove((const volatile char *)a1, a2, 1);
    case FS_RENAME: return op_rename((const volatile char *)a1, a2);
    case FS_SYNC: return disk_flush();
    }
    return KE_INVAL;
}

/* The operation runs in a frame of its own (a gate into ourselves): a
 * fault in fs's code would unwind only that frame, and we still give the
 * turn back and forget what we cached, instead of stopping every caller.
 * (The caller's pass was granted to our space for the outer call: the
 * inner frame holds it too.) */
static uint64_t inner;
#define SERVE_STACK (KSERVICE_STACK + 4096)

static long serve_gate(long op, long a1, long a2, long a3, long a4)
{
    long r = serve(op, a1, a2, a3, a4);
    long f = fat_sync();   /* FSInfo's hints, once per operation */
    return r >= 0 && f < 0 ? f : r;
}

static long fs_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    take_turn();
    long r = pl_call(inner, op, a1, a2, a3, a4);
    if (pl_status())
        r = KE_IO;
    if (r == KE_FAULT || r == KE_IO)
        disk_forget();   /* a failed request or a fault: reread what we cached */
    give_turn();
    return r;
}

static void init(struct kinit *m)
{
    sched_gate = m->gates[1];
    turn.key = KEY_TURN;
    disk_init(m->gates[0], m->gates[2]);
    mounted = fat_mount() == 0;
    inner = (uint64_t)pl_make_gate((uint64_t)serve_gate, PL_GATE_OWN_DATA, SERVE_STACK, 0, 0);
    long g = pl_make_gate((uint64_t)fs_gate, PL_GATE_OWN_DATA, SERVE_STACK + 1024, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)g;
    m->out[1] = (uint64_t)mounted;
}
KINIT_ENTRY(fs, init)
