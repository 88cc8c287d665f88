/* virtio-console: transmitted chains come out of the host descriptor in
 * order; input fills the guest's receive buffers, truncated to their size. */
#define _GNU_SOURCE   /* pipe2 */
#include "dev/virtio_console.h"
#include "unit.h"
#include "virtio_driver.h"

#include <fcntl.h>
#include <unistd.h>

#define BUF (RAM_BASE + 0x10000)

int main(void)
{
    int p[2];
    CHECK_EQ(pipe2(p, O_NONBLOCK), 0);
    struct virtio_console *c = virtio_console_new(p[1], test_dma, test_irq);
    struct mmio_region r = virtio_mmio_region(virtio_console_transport(c), 0x10003000);
    CHECK_EQ(rd32(&r, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
    CHECK(driver_init(&r, 2, 1ull << VIRTIO_F_VERSION_1));

    /* Output: "hello, " and "world" in two descriptors of one chain. */
    memcpy(at(BUF), "hello, world", 12);
    set_desc(1, 0, BUF, 7, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, 1, BUF + 7, 5, 0, 0);
    offer(&r, 1, 0);
    char out[32] = { 0 };
    CHECK_EQ(read(p[0], out, sizeof out), 12);
    CHECK(!memcmp(out, "hello, world", 12));
    CHECK_EQ(used_idx(1), 1);

    /* Input: nothing to receive into until the guest offers a buffer. */
    CHECK(!virtio_console_can_receive(c));
    CHECK(!virtio_console_receive(c, (const uint8_t *)"ls\n", 3));
    set_desc(0, 0, BUF + 0x100, 4, VIRTQ_DESC_F_WRITE, 0);
    set16(avail_addr(0) + 4, 0);
    set16(avail_addr(0) + 2, 1);
    CHECK(virtio_console_can_receive(c));
    CHECK(virtio_console_receive(c, (const uint8_t *)"echo\n", 5));
    CHECK_EQ(used_idx(0), 1);
    CHECK_EQ(used_len(0, 0), 4);        /* truncated to the buffer */
    CHECK(!memcmp(at(BUF + 0x100), "echo", 4));
    CHECK_EQ(irq_level, 1);

    /* A transmit chain pointing outside RAM breaks the device only. */
    set_desc(1, 0, 0x2000, 64, 0, 0);
    offer(&r, 1, 0);
    CHECK(rd32(&r, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    CHECK_EQ(read(p[0], out, sizeof out), -1);   /* nothing was written */

    virtio_console_free(c);
    close(p[0]);
    close(p[1]);
    (void)used_id;
    return unit_report("virtio_console");
}
