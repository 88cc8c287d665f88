/* Directories: arrays of 32-byte entries in a cluster chain (or, for
 * FAT16's root, in the fixed region before the data).  A name longer or
 * other than an upper-case 8.3 name is stored VFAT's way: long-name
 * entries (13 UCS-2 characters each, last part first) just before a short
 * entry with a generated "BASIS~N.EXT" name and their checksum.  Names are
 * ASCII here (other characters read as '?'); lookups ignore case. */
#include "fs.h"

#define DATE_2026 (((2026 - 1980) << 9) | (1 << 5) | 1)   /* no clock: every entry is 1 Jan 2026 */

static uint8_t sec[SECTOR];

uint32_t dir_root(void) { return vol.bits == 32 ? vol.root_cluster : 0; }

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Where slot `idx` of a directory lies: 0, KE_NOENT past its end (after
 * growing it by a zeroed cluster when `grow`). */
static long slot(uint32_t dir, uint32_t idx, uint32_t *sector, uint32_t *off, int grow)
{
    *off = (idx % (SECTOR / 32)) * 32;
    if (dir == 0) {
        if (idx >= vol.root_entries)
            return KE_NOENT;
        *sector = vol.root_start + idx / (SECTOR / 32);
        return 0;
    }
    uint32_t per_cluster = vol.spc * (SECTOR / 32), cl = dir;
    for (uint32_t n = idx / per_cluster; n; n--) {
        uint32_t next;
        long r = fat_get(cl, &next);
        if (r < 0)
            return r;
        if (fat_is_eoc(next)) {
            if (!grow)
                return KE_NOENT;
            /* A new zeroed cluster, then the link: a crash between leaves
             * a lost cluster, never a directory with garbage in it. */
            if ((r = fat_alloc(&next)) < 0 || (r = fat_zero_cluster(next)) < 0 || (r = fat_set(cl, next)) < 0)
                return r;
        }
        cl = next;
    }
    *sector = cluster_sector(cl) + (idx % per_cluster) / (SECTOR / 32);
    return 0;
}

static long get_entry(uint32_t dir, uint32_t idx, uint8_t e[32])
{
    uint32_t s, o;
    long r = slot(dir, idx, &s, &o, 0);
    if (r < 0 || (r = disk_read(s, sec)) < 0)
        return r;
    memcpy(e, sec + o, 32);
    return 0;
}

static long put_entry(uint32_t dir, uint32_t idx, const uint8_t e[32])
{
    uint32_t s, o;
    long r = slot(dir, idx, &s, &o, 1);
    if (r < 0 || (r = disk_read(s, sec)) < 0)
        return r;
    memcpy(sec + o, e, 32);
    return disk_write(s, sec);
}

static uint8_t checksum(const uint8_t name[11])
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
    return sum;
}

static uint32_t entry_cluster(const uint8_t e[32])
{
    return (uint32_t)e[26] | (uint32_t)e[27] << 8 | (vol.bits == 32 ? ((uint32_t)e[20] << 16 | (uint32_t)e[21] << 24) : 0);
}

/* The short name as text: "NAME.EXT", lower-cased where the entry says so. */
static void short_text(const uint8_t e[32], char *out)
{
    int n = 0;
    for (int i = 0; i < 8 && e[i] != ' '; i++)
        out[n++] = (char)(e[12] & 0x08 ? lower(e[i]) : e[i]);
    if (n && out[0] == 0x05)
        out[0] = (char)0xe5;
    if (e[8] != ' ') {
        out[n++] = '.';
        for (int i = 8; i < 11 && e[i] != ' '; i++)
            out[n++] = (char)(e[12] & 0x10 ? lower(e[i]) : e[i]);
    }
    out[n] = 0;
}

static const uint8_t lfn_at[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

long dir_next(uint32_t dir, uint32_t *idx, struct node *out)
{
    char lfn[NAME_MAX_FS + 1];
    int lfn_parts = 0, lfn_seen = 0;
    uint8_t lfn_sum = 0;
    uint32_t first = *idx;
    uint8_t e[32];
    for (;; (*idx)++) {
        long r = get_entry(dir, *idx, e);
        if (r == KE_NOENT || (r == 0 && e[0] == 0))
            return KE_NOENT;   /* the end */
        if (r < 0)
            return r;
        if (e[0] == 0xe5) {
            lfn_parts = 0;
            continue;
        }
        if ((e[11] & 0x3f) == ATTR_LFN) {
            int ord = e[0] & 0x1f;
            if (e[0] & 0x40) {
                lfn_parts = ord;
                lfn_seen = 0;
                lfn_sum = e[13];
                first = *idx;
                memset(lfn, 0, sizeof lfn);
            } else if (!lfn_parts || e[13] != lfn_sum || ord != lfn_parts - lfn_seen) {
                lfn_parts = 0;
                continue;
            }
            if (ord < 1 || ord > 20) {
                lfn_parts = 0;
                continue;
            }
            for (int i = 0; i < 13; i++) {
                uint32_t c = e[lfn_at[i]] | (uint32_t)e[lfn_at[i] + 1] << 8;
                int at = (ord - 1) * 13 + i;
                if (c == 0 || c == 0xffff || at >= NAME_MAX_FS)
                    break;
                lfn[at] = c < 0x80 ? (char)c : '?';
            }
            lfn_seen++;
            continue;
        }
        if (e[11] & ATTR_VOLUME) {
            lfn_parts = 0;
            continue;
        }
        int long_ok = lfn_parts && lfn_seen == lfn_parts && checksum(e) == lfn_sum;
        out->parent = dir;
        out->idx = *idx;
        out->first = long_ok ? first : *idx;
        out->attr = e[11];
        out->cluster = entry_cluster(e);
        out->size = e[28] | e[29] << 8 | e[30] << 16 | (uint32_t)e[31] << 24;
        out->root = 0;
        if (long_ok)
            kstrlcpy(out->name, lfn, sizeof out->name);
        else
            short_text(e, out->name);
        (*idx)++;
        if (!strcmp(out->name, ".") || !strcmp(out->name, "..")) {
            lfn_parts = 0;
            first = *idx;
            (*idx)--;
            continue;
        }
        return 0;
    }
}

long dir_find(uint32_t dir, const char *name, struct node *out)
{
    uint32_t idx = 0;
    long r;
    while ((r = dir_next(dir, &idx, out)) == 0)
        if (same_name(out->name, name))
            return 0;
    return r;
}

static void root_node(struct node *n)
{
    memset(n, 0, sizeof *n);
    n->root = 1;
    n->attr = ATTR_DIR;
    n->cluster = dir_root();
    n->name[0] = '/';
}

/* The next path component into part: its length, 0 at the end, < 0 too long. */
static long component(const char **p, char part[NAME_MAX_FS + 1])
{
    while (**p == '/')
        (*p)++;
    long n = 0;
    while ((*p)[n] && (*p)[n] != '/')
        n++;
    if (n > NAME_MAX_FS)
        return KE_INVAL;
    memcpy(part, *p, (size_t)n);
    part[n] = 0;
    *p += n;
    return n;
}

long dir_lookup(const char *path, struct node *out)
{
    char part[NAME_MAX_FS + 1];
    root_node(out);
    long n;
    while ((n = component(&path, part)) > 0) {
        if (!(out->attr & ATTR_DIR))
            return KE_NOENT;
        if (!strcmp(part, "."))
            continue;
        uint32_t dir = out->cluster ? out->cluster : dir_root();
        if (out->root && dir == 0 && !strcmp(part, ".."))
            continue;
        long r = dir_find(dir, part, out);
        if (r < 0)
            return r;
    }
    return n < 0 ? n : 0;
}

long dir_parent(const char *path, struct node *dir, const char **leaf)
{
    const char *end = path + strlen(path);
    while (end > path && end[-1] == '/')
        end--;
    const char *slash = end;
    while (slash > path && slash[-1] != '/')
        slash--;
    if (slash == end)
        return KE_INVAL;   /* no last part: the root itself */
    char up[512];
    if ((size_t)(slash - path) >= sizeof up)
        return KE_INVAL;
    memcpy(up, path, (size_t)(slash - path));
    up[slash - path] = 0;
    long r = dir_lookup(up, dir);
    if (r < 0)
        return r;
    if (!(dir->attr & ATTR_DIR))
        return KE_NOENT;
    *leaf = slash;
    return 0;
}

/* ---- making entries ---- */

static int valid_char(int c) { return c >= 0x20 && c < 0x7f && !(c == '"' || c == '*' || c == '/' || c == ':' || c == '<' || c == '>' || c == '?' || c == '\\' || c == '|'); }
static int short_char(int c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && c < 0x7f && c != ' ' && c != '.' && c != '+' && c != ',' && c != ';' && c != '=' && c != '[' && c != ']' && valid_char(c) && !(c >= 'a' && c <= 'z')); }

/* Whether `name` is already an upper-case 8.3 name: then it is stored as is. */
static int as_short(const char *name, uint8_t out[11])
{
    memset(out, ' ', 11);
    int n = 0, ext = 0, i = 0;
    for (; name[i]; i++) {
        int c = (unsigned char)name[i];
        if (c == '.') {
            if (ext || i == 0)
                return 0;
            ext = 1;
            n = 0;
            continue;
        }
        if (!short_char(c) || n >= (ext ? 3 : 8))
            return 0;
        out[(ext ? 8 : 0) + n++] = (uint8_t)c;
    }
    return i > 0 && (!ext || n > 0);
}

/* A short name for a long one: its letters, upper-cased, BASIS~N.EXT with
 * the first N not taken in the directory. */
static long make_short(uint32_t dir, const char *name, uint8_t out[11])
{
    const char *dot = 0;
    for (const char *p = name; *p; p++)
        if (*p == '.')
            dot = p;
    if (dot == name)
        dot = 0;
    char base[8], ext[3];
    int nb = 0, ne = 0;
    for (const char *p = name; *p && (!dot || p < dot) && nb < 6; p++)
        if (short_char(upper((unsigned char)*p)))
            base[nb++] = (char)upper((unsigned char)*p);
    for (const char *p = dot ? dot + 1 : ""; *p && ne < 3; p++)
        if (short_char(upper((unsigned char)*p)))
            ext[ne++] = (char)upper((unsigned char)*p);
    if (!nb)
        base[nb++] = '_';
    for (int k = 1; k < 1000000; k++) {
        char tail[8];
        int nt = kfmt(tail, sizeof tail, "~%d", k);
        int keep = nb + nt > 8 ? 8 - nt : nb;
        memset(out, ' ', 11);
        memcpy(out, base, (size_t)keep);
        memcpy(out + keep, tail, (size_t)nt);
        memcpy(out + 8, ext, (size_t)ne);
        /* taken? */
        uint8_t e[32];
        int taken = 0;
        for (uint32_t idx = 0;; idx++) {
            long r = get_entry(dir, idx, e);
            if (r == KE_NOENT || (r == 0 && e[0] == 0))
                break;
            if (r < 0)
                return r;
            if (e[0] != 0xe5 && (e[11] & 0x3f) != ATTR_LFN && !memcmp(e, out, 11)) {
                taken = 1;
                break;
            }
        }
        if (!taken)
            return 0;
    }
    return KE_NOMEM;
}

static void short_entry(uint8_t e[32], const uint8_t name[11], uint8_t attr, uint32_t cluster, uint32_t size)
{
    memset(e, 0, 32);
    memcpy(e, name, 11);
    e[11] = attr;
    e[16] = e[18] = e[24] = (uint8_t)DATE_2026;
    e[17] = e[19] = e[25] = (uint8_t)(DATE_2026 >> 8);
    e[20] = (uint8_t)(cluster >> 16);
    e[21] = (uint8_t)(cluster >> 24);
    e[26] = (uint8_t)cluster;
    e[27] = (uint8_t)(cluster >> 8);
    e[28] = (uint8_t)size;
    e[29] = (uint8_t)(size >> 8);
    e[30] = (uint8_t)(size >> 16);
    e[31] = (uint8_t)(size >> 24);
}

long dir_create(uint32_t dir, const char *name, uint8_t attr, uint32_t cluster, uint32_t size, struct node *out)
{
    size_t len = strlen(name);
    if (!len || len > NAME_MAX_FS || !strcmp(name, ".") || !strcmp(name, ".."))
        return KE_INVAL;
    for (size_t i = 0; i < len; i++)
        if (!valid_char((unsigned char)name[i]))
            return KE_INVAL;
    if (name[len - 1] == '.' || name[len - 1] == ' ')
        return KE_INVAL;
    uint8_t sname[11];
    int parts = 0;
    long r;
    if (!as_short(name, sname)) {
        if ((r = make_short(dir, name, sname)) < 0)
            return r;
        parts = (int)((len + 12) / 13);
    }
    /* parts + 1 free slots in a row (deleted or past the end). */
    uint32_t run = 0, at = 0;
    uint8_t e[32];
    for (uint32_t idx = 0; run < (uint32_t)parts + 1; idx++) {
        r = get_entry(dir, idx, e);
        if (r < 0 && r != KE_NOENT)
            return r;
        if (r == KE_NOENT || e[0] == 0 || e[0] == 0xe5) {
            if (!run)
                at = idx;
            run++;
            if (r == KE_NOENT && dir == 0)
                return KE_NOMEM;   /* FAT16's root cannot grow */
        } else
            run = 0;
    }
    /* Long-name parts first, the short entry last: a crash in between
     * leaves long-name parts with no entry, which readers skip. */
    uint8_t sum = checksum(sname);
    for (int p = parts; p >= 1; p--) {
        memset(e, 0, 32);
        e[0] = (uint8_t)(p | (p == parts ? 0x40 : 0));
        e[11] = ATTR_LFN;
        e[13] = sum;
        for (int i = 0; i < 13; i++) {
            size_t k = (size_t)(p - 1) * 13 + (size_t)i;
            uint32_t c = k < len ? (uint8_t)name[k] : k == len ? 0 : 0xffff;
            e[lfn_at[i]] = (uint8_t)c;
            e[lfn_at[i] + 1] = (uint8_t)(c >> 8);
        }
        if ((r = put_entry(dir, at + (uint32_t)(parts - p), e)) < 0)
            return r;
    }
    short_entry(e, sname, attr, cluster, size);
    if ((r = put_entry(dir, at + (uint32_t)parts, e)) < 0)
        return r;
    out->parent = dir;
    out->first = at;
    out->idx = at + (uint32_t)parts;
    out->attr = attr;
    out->cluster = cluster;
    out->size = size;
    out->root = 0;
    kstrlcpy(out->name, name, sizeof out->name);
    return 0;
}

long dir_remove(const struct node *n)
{
    /* The short entry first: from then on the name is gone, and the
     * long-name parts left (if a crash comes now) belong to nothing. */
    uint8_t e[32];
    for (uint32_t k = 0; k <= n->idx - n->first; k++) {
        uint32_t idx = n->idx - k;
        long r = get_entry(n->parent, idx, e);
        if (r < 0)
            return r;
        e[0] = 0xe5;
        if ((r = put_entry(n->parent, idx, e)) < 0)
            return r;
    }
    return 0;
}

long dir_update(const struct node *n)
{
    uint8_t e[32];
    long r = get_entry(n->parent, n->idx, e);
    if (r < 0)
        return r;
    e[20] = (uint8_t)(n->cluster >> 16);
    e[21] = (uint8_t)(n->cluster >> 24);
    e[26] = (uint8_t)n->cluster;
    e[27] = (uint8_t)(n->cluster >> 8);
    for (int i = 0; i < 4; i++)
        e[28 + i] = (uint8_t)(n->size >> (8 * i));
    if (n->attr & ATTR_DIR)
        memset(e + 28, 0, 4);
    e[11] = n->attr;
    return put_entry(n->parent, n->idx, e);
}

long dir_empty(uint32_t dir)
{
    uint32_t idx = 0;
    struct node n;
    long r = dir_next(dir, &idx, &n);
    return r == KE_NOENT ? 1 : r < 0 ? r : 0;
}

long dir_make(uint32_t parent, uint32_t *cl)
{
    long r = fat_alloc(cl);
    if (r < 0 || (r = fat_zero_cluster(*cl)) < 0)
        return r;
    uint8_t e[32];
    uint8_t dot[11] = { '.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ' };
    short_entry(e, dot, ATTR_DIR, *cl, 0);
    if ((r = put_entry(*cl, 0, e)) < 0)
        return r;
    dot[1] = '.';
    short_entry(e, dot, ATTR_DIR, parent == dir_root() ? 0 : parent, 0);
    return put_entry(*cl, 1, e);
}
