/* Putting a program, or firmware + kernel + initrd + device tree, into the
 * `virt` board's RAM, where QEMU's virt would put them. */
#ifndef PEERLESS_VIRT_BOOT_H
#define PEERLESS_VIRT_BOOT_H

#include "board/board.h"
#include "board/sysbus.h"

struct virt_boot {
    uint64_t entry;           /* where the hart starts, in M mode */
    uint64_t fdt_addr;        /* a1 at reset; 0 when no device tree is given */
};

/* Without --bios: the ELF program, at its physical addresses.  With
 * --bios: the firmware (raw) at the start of RAM, the kernel (raw Image,
 * or ELF) at RAM + 2 MiB, the initrd after it, and the device tree near
 * the top of RAM.  False with a one-line reason in err. */
bool virt_boot_load(struct sysbus *bus, const struct board_options *o, int nvirtio,
                    struct virt_boot *out, char *err, size_t n);

#endif
