/* What every board offers the command line: options in, exit status out. */
#ifndef PEERLESS_BOARD_H
#define PEERLESS_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cost.h"

/* Exit statuses of the emulator itself; anything else is the guest's. */
#define EXIT_USAGE      2     /* bad command line */
#define EXIT_LIMIT      124   /* the guest ran past --max-insns */
#define EXIT_FAULT      125   /* the guest stopped on a fault it could not handle */
#define EXIT_LOAD       126   /* the program could not be loaded */

struct board_options {
    const char *program;      /* ELF file */
    const char *cmdline;      /* program name and guest arguments (semihosting) */
    uint64_t ram_size;
    uint64_t max_insns;       /* 0: no limit */
    uint64_t icount_ns;       /* --icount NS: virtual time, NS per instruction (board/clock.h); 0: the host's */
    bool stats;
    const char *trace;        /* --trace FILE: a Perfetto trace (peer machine) */
    const struct cost_model *cost;   /* --cost FILE: the cycle model's costs, or NULL */
    /* Booting an operating system, with QEMU's meanings (docs/USAGE.md). */
    const char *bios;         /* raw firmware at the start of RAM, or NULL */
    const char *kernel;       /* --kernel: replaces `program` */
    const char *initrd;
    const char *append;       /* kernel command line (/chosen/bootargs) */
    const char *drive;        /* raw disk image for virtio-blk */
    const char *tap;          /* host TAP interface for virtio-net */
    int gdb_port;             /* --gdb PORT: serve GDB on 127.0.0.1:PORT (0: no debugger) */
    bool gdb_wait;            /* --wait-gdb: stopped at the first instruction until GDB continues */
    bool virtio_console;      /* a virtio-console on stdin/stdout (hvc0) */
};

int virt_run(const struct board_options *o);
int peer_run(const struct board_options *o);

#endif
