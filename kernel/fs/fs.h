/* fs: a FAT file system (FAT16 and FAT32, VFAT long names) in its own
 * space, on blk's partition-1 window.  Files: disk.c (a small write-through
 * sector cache over blk), fat.c (the volume and its allocation tables),
 * dir.c (directories, long names), fs.c (the gate: handles and operations).
 */
#ifndef FS_H
#define FS_H

#include "kern.h"

#define SECTOR 512
#define NAME_MAX_FS 255

/* ---- disk.c ---- */
void disk_init(uint64_t blk_gate, uint64_t drv_gate);   /* blk's window, proc's DRV_RESTART gate (or 0) */
extern long fs_restarts;                                /* driver restarts we asked for */
long disk_read(uint32_t sector, uint8_t *buf);                  /* one sector through the cache */
long disk_write(uint32_t sector, const uint8_t *buf);           /* the cache and the disk, now */
long disk_read_run(uint32_t sector, uint8_t *buf, uint32_t n);  /* n sectors, straight from the disk */
long disk_write_run(uint32_t sector, const uint8_t *buf, uint32_t n);
long disk_flush(void);
void disk_forget(void);                                         /* drop the cache (after a failed write) */

/* ---- fat.c: the volume ---- */
struct volume {
    uint32_t spc;            /* sectors per cluster */
    uint32_t fat_start, fat_sectors, nfats;
    uint32_t root_start, root_entries;   /* FAT16's fixed root directory */
    uint32_t data_start, clusters;       /* clusters 2 .. clusters + 1 */
    uint32_t root_cluster;               /* FAT32's root directory (0 on FAT16) */
    uint32_t fsinfo;                     /* FAT32: FSInfo sector (0: none) */
    int bits;                            /* 16 or 32 */
    uint32_t eoc;                        /* what we write as end of chain */
};
extern struct volume vol;
#define FAT_FREE 0
long fat_mount(void);                               /* 0, or KE_* with the reason on the console */
const char *fat_why(void);
long fat_get(uint32_t cl, uint32_t *next);          /* the entry of cluster cl */
void fat_forget(void);                              /* drop fat_get's sector (after a failure) */
long fat_set(uint32_t cl, uint32_t val);            /* in every copy of the FAT */
int fat_is_eoc(uint32_t v);
long fat_alloc(uint32_t *cl);                       /* a free cluster, marked end of chain */
long fat_extend(uint32_t last, uint32_t *cl);       /* a free cluster, marked end of chain, after last */
long fat_sync(void);                                /* FSInfo's count and hint to the disk */
long fat_free_chain(uint32_t cl);                   /* from cl to the end */
uint32_t cluster_sector(uint32_t cl);
long fat_zero_cluster(uint32_t cl);

/* ---- dir.c ---- */
/* A directory is named by its first cluster; 0 is FAT16's fixed root. */
struct node {
    uint32_t parent;         /* the directory holding the entry */
    uint32_t first, idx;     /* its slots: long-name entries from `first`, the short entry at `idx` */
    uint8_t attr;
    uint32_t cluster, size;
    int root;                /* the root directory itself (no entry) */
    char name[NAME_MAX_FS + 1];
};
#define ATTR_RO 0x01
#define ATTR_HIDDEN 0x02
#define ATTR_SYSTEM 0x04
#define ATTR_VOLUME 0x08
#define ATTR_DIR 0x10
#define ATTR_ARCHIVE 0x20
#define ATTR_LFN 0x0f
uint32_t dir_root(void);
long dir_lookup(const char *path, struct node *out);            /* a whole path from the root */
long dir_parent(const char *path, struct node *dir, const char **leaf);   /* the directory a path's last part goes in */
long dir_next(uint32_t dir, uint32_t *idx, struct node *out);   /* the next entry at or after *idx (skips . ..) */
long dir_find(uint32_t dir, const char *name, struct node *out);
long dir_create(uint32_t dir, const char *name, uint8_t attr, uint32_t cluster, uint32_t size, struct node *out);
long dir_remove(const struct node *n);                          /* its slots marked deleted (not its clusters) */
long dir_update(const struct node *n);                          /* its cluster and size into its short entry */
long dir_empty(uint32_t dir);                                   /* 1 if only . and .. */
long dir_make(uint32_t parent, uint32_t *cl);                   /* a new directory cluster with . and .. */

#endif
