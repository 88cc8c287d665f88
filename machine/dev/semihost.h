/* RISC-V semihosting: the ARM semihosting calls (as QEMU implements them)
 * reached by the `slli x0,x0,0x1f; ebreak; srai x0,x0,7` sequence.  The
 * hart passes the operation number (a0) and the parameter (a1, on RV64 the
 * address of a block of 64-bit words) and puts the result in a0.
 *
 * Files are host files relative to the current directory.  The name ":tt"
 * is the console: opened for reading (modes 0-3) it is stdin, for writing
 * (4-7) stdout, for appending (8-11) stderr.  ":semihosting-features"
 * advertises the extended exit call and that stdout/stderr split.
 */
#ifndef PEERLESS_SEMIHOST_H
#define PEERLESS_SEMIHOST_H

#include "dev/device.h"

/* Operation numbers. */
enum {
    SEMIHOST_SYS_OPEN = 0x01, SEMIHOST_SYS_CLOSE = 0x02, SEMIHOST_SYS_WRITEC = 0x03,
    SEMIHOST_SYS_WRITE0 = 0x04, SEMIHOST_SYS_WRITE = 0x05, SEMIHOST_SYS_READ = 0x06,
    SEMIHOST_SYS_READC = 0x07, SEMIHOST_SYS_ISERROR = 0x08, SEMIHOST_SYS_ISTTY = 0x09,
    SEMIHOST_SYS_SEEK = 0x0a, SEMIHOST_SYS_FLEN = 0x0c, SEMIHOST_SYS_TMPNAM = 0x0d,
    SEMIHOST_SYS_REMOVE = 0x0e, SEMIHOST_SYS_RENAME = 0x0f, SEMIHOST_SYS_CLOCK = 0x10,
    SEMIHOST_SYS_TIME = 0x11, SEMIHOST_SYS_SYSTEM = 0x12, SEMIHOST_SYS_ERRNO = 0x13,
    SEMIHOST_SYS_GET_CMDLINE = 0x15, SEMIHOST_SYS_HEAPINFO = 0x16, SEMIHOST_SYS_EXIT = 0x18,
    SEMIHOST_SYS_EXIT_EXTENDED = 0x20, SEMIHOST_SYS_ELAPSED = 0x30, SEMIHOST_SYS_TICKFREQ = 0x31,
};

/* SYS_EXIT reason meaning "the program returned normally". */
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026

struct semihost;

/* `cmdline` is what SYS_GET_CMDLINE returns (program name and guest
 * arguments, space-separated; copied).  on_exit is called for SYS_EXIT with
 * the process exit code (the subcode for a normal exit, else 1); the board
 * must then stop the hart. */
struct semihost *semihost_new(struct guest_mem mem, const char *cmdline,
                              void (*on_exit)(void *ctx, int code), void *ctx);
/* Closes every host file the guest left open. */
void semihost_free(struct semihost *s);

/* Perform call `op` with parameter `arg`; returns the new value of a0
 * (calls without a result, SYS_WRITEC and SYS_WRITE0, return `op`, leaving
 * a0 unchanged).  Guest errors (bad pointers, bad handles) return -1 and
 * set the value SYS_ERRNO reports. */
uint64_t semihost_call(struct semihost *s, uint64_t op, uint64_t arg);

/* Host descriptors for console input, output and error; default 0, 1, 2.
 * SYS_WRITEC and SYS_WRITE0 write to `out` (QEMU 7.2 without a semihosting
 * chardev writes them to its stderr instead). */
void semihost_set_console(struct semihost *s, int in_fd, int out_fd, int err_fd);

/* Time base for SYS_CLOCK and SYS_ELAPSED, in nanoseconds since any fixed
 * origin; default: the host's monotonic clock. */
void semihost_set_clock(struct semihost *s, uint64_t (*now_ns)(void *ctx), void *ctx);

/* What SYS_HEAPINFO reports: heap base and limit (stack base = heap limit,
 * stack limit = heap base, as QEMU does).  Default zeros, meaning unknown;
 * QEMU reports the largest free gap of RAM after loading. */
void semihost_set_heapinfo(struct semihost *s, uint64_t heap_base, uint64_t heap_limit);

#endif
