/* virtio-blk.  Requests are served synchronously when the driver notifies:
 * a 16-byte header in the readable part, data, and a status byte at the
 * very end of the writable part.  A request the image cannot serve (past
 * its end, a partial sector, an I/O error) gets VIRTIO_BLK_S_IOERR. */
#include "dev/virtio_blk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (64u << 10)   /* bytes moved between the image and RAM at a time */

struct virtio_blk {
    struct virtio_mmio *t;
    int fd;
    bool read_only;
    uint64_t sectors;
    char id[VIRTIO_BLK_ID_BYTES];
};

static bool config_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    struct virtio_blk *b = dev;
    /* capacity (le64) at 0, blk_size (le32) at 20; the rest reads as 0. */
    uint8_t cfg[24] = { 0 };
    for (int i = 0; i < 8; i++)
        cfg[i] = (uint8_t)(b->sectors >> (8 * i));
    cfg[20] = VIRTIO_BLK_SECTOR & 0xff;
    cfg[21] = VIRTIO_BLK_SECTOR >> 8;
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        if (off + i < sizeof cfg)
            v |= (uint64_t)cfg[off + i] << (8 * i);
    *val = v;
    return true;
}

static bool config_write(void *dev, uint64_t off, int size, uint64_t val) { return true; }

/* Move `len` bytes between the image at byte `pos` and the chain at `off`. */
static bool transfer(struct virtio_blk *b, const struct virtq_chain *c, uint64_t off, uint64_t pos,
                     uint64_t len, bool to_guest)
{
    uint8_t *buf = malloc(CHUNK);
    bool ok = buf != NULL;
    while (ok && len) {
        size_t n = len < CHUNK ? (size_t)len : CHUNK;
        if (to_guest) {
            ok = pread(b->fd, buf, n, (off_t)pos) == (ssize_t)n &&
                 virtio_chain_write(b->t, c, off, buf, n);
        } else {
            ok = virtio_chain_read(b->t, c, off, buf, n) &&
                 pwrite(b->fd, buf, n, (off_t)pos) == (ssize_t)n;
        }
        off += n, pos += n, len -= n;
    }
    free(buf);
    return ok;
}

static bool in_range(const struct virtio_blk *b, uint64_t sector, uint64_t len)
{
    return len % VIRTIO_BLK_SECTOR == 0 && sector <= b->sectors &&
           len / VIRTIO_BLK_SECTOR <= b->sectors - sector;
}

/* Serve one request; returns the number of bytes written to the guest. */
static uint32_t serve(struct virtio_blk *b, const struct virtq_chain *c)
{
    uint8_t hdr[16];
    if (c->write_len == 0 || !virtio_chain_read(b->t, c, 0, hdr, sizeof hdr))
        return 0;                              /* nowhere to put a status */
    uint32_t type = (uint32_t)hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24;
    uint64_t sector = 0;
    for (int i = 0; i < 8; i++)
        sector |= (uint64_t)hdr[8 + i] << (8 * i);
    uint64_t data_out = c->read_len - sizeof hdr, data_in = c->write_len - 1;
    uint8_t status = VIRTIO_BLK_S_OK;
    uint32_t written = 0;
    switch (type) {
    case VIRTIO_BLK_T_IN:
        if (!in_range(b, sector, data_in) || !transfer(b, c, 0, sector * VIRTIO_BLK_SECTOR, data_in, true))
            status = VIRTIO_BLK_S_IOERR;
        else
            written = (uint32_t)data_in;
        break;
    case VIRTIO_BLK_T_OUT:
        if (b->read_only || !in_range(b, sector, data_out) ||
            !transfer(b, c, sizeof hdr, sector * VIRTIO_BLK_SECTOR, data_out, false))
            status = VIRTIO_BLK_S_IOERR;
        break;
    case VIRTIO_BLK_T_FLUSH:
        if (!b->read_only && fsync(b->fd) != 0)
            status = VIRTIO_BLK_S_IOERR;
        break;
    case VIRTIO_BLK_T_GET_ID: {
        uint64_t n = data_in < VIRTIO_BLK_ID_BYTES ? data_in : VIRTIO_BLK_ID_BYTES;
        if (!virtio_chain_write(b->t, c, 0, b->id, n))
            status = VIRTIO_BLK_S_IOERR;
        else
            written = (uint32_t)n;
        break;
    }
    default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    if (!virtio_chain_write(b->t, c, c->write_len - 1, &status, 1))
        return written;
    return written + 1;
}

static void notify(void *dev, int q)
{
    struct virtio_blk *b = dev;
    static struct virtq_chain c;   /* large; one request at a time */
    while (virtio_pop(b->t, q, &c) == 1)
        virtio_push(b->t, &c, serve(b, &c));
}

static const struct virtio_device_ops blk_ops = {
    .device_id = VIRTIO_ID_BLOCK,
    .features = 1ull << VIRTIO_BLK_F_FLUSH | 1ull << VIRTIO_BLK_F_BLK_SIZE,
    .num_queues = 1,
    .config_read = config_read, .config_write = config_write, .notify = notify,
};

static const struct virtio_device_ops blk_ro_ops = {
    .device_id = VIRTIO_ID_BLOCK,
    .features = 1ull << VIRTIO_BLK_F_FLUSH | 1ull << VIRTIO_BLK_F_BLK_SIZE | 1ull << VIRTIO_BLK_F_RO,
    .num_queues = 1,
    .config_read = config_read, .config_write = config_write, .notify = notify,
};

struct virtio_blk *virtio_blk_new(const char *path, struct dma_port dma, struct irq_line irq,
                                  char *err, size_t errlen)
{
    bool ro = false;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        ro = true;
    }
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot open disk image %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "disk image %s is not a regular file", path);
        close(fd);
        return NULL;
    }
    struct virtio_blk *b = calloc(1, sizeof *b);
    if (b)
        b->t = virtio_mmio_new(ro ? &blk_ro_ops : &blk_ops, b, dma, irq);
    if (!b || !b->t) {
        snprintf(err, errlen, "out of memory");
        free(b);
        close(fd);
        return NULL;
    }
    b->fd = fd;
    b->read_only = ro;
    b->sectors = (uint64_t)st.st_size / VIRTIO_BLK_SECTOR;   /* a partial last sector is not reachable */
    /* The id a driver shows (/sys/block/vda/serial): the image's inode. */
    snprintf(b->id, sizeof b->id, "peerless-%llx", (unsigned long long)st.st_ino);
    return b;
}

void virtio_blk_free(struct virtio_blk *b)
{
    if (!b)
        return;
    virtio_mmio_free(b->t);
    close(b->fd);
    free(b);
}

struct virtio_mmio *virtio_blk_transport(struct virtio_blk *b) { return b->t; }
