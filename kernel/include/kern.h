/* What the kernel's spaces share: the memory map, the operations of each
 * service gate, and klib (the small C library every kernel space runs:
 * its code is granted X to all of them, and it keeps no data of its own).
 *
 * Every service is one gate (a few have a second, "admin" gate for the
 * operations that only other kernel spaces may use).  a0 is the operation,
 * a1..a7 its arguments; a result < 0 is an error (KE_*).  A buffer travels
 * as a pass armed by the caller for that call only.
 */
#ifndef KERN_H
#define KERN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "peer_rt.h"

/* ---- memory map (128 MiB of RAM) ---- */
#define KMEM_POOL_BASE   0x81000000UL   /* free RAM that mem hands out */
#define KMEM_POOL_END    0x84000000UL
#define KPROG_SLOT_BASE  0x84000000UL   /* program i is linked at slot i */
#define KPROG_SLOT_SIZE  0x00200000UL   /* 2 MiB: image, heap, 64 KiB stack */
#define KPROG_SLOTS      32
#define KPROG_STACK      0x10000UL
#define KSERVICE_STACK   8192           /* what each service gate asks of its caller's stack */

/* ---- errors ---- */
#define KE_INVAL   (-20)
#define KE_NOMEM   (-21)   /* out of memory or over quota */
#define KE_NOENT   (-22)
#define KE_BUSY    (-23)
#define KE_FAULT   (-24)   /* a gate call to another service was unwound */
#define KE_PERM    (-25)

/* ---- mem (gate: proc, shell for demos) ---- */
enum { MEM_ALLOC = 1,    /* a1 space charged, a2 base (0: anywhere), a3 size -> base; the caller
                            gets R|W|X|P over it (grant made to the caller's space a4) */
       MEM_FREE,         /* a1 base -> 0: revoked, with all derived from it */
       MEM_RECLAIM,      /* a1 space -> bytes taken back */
       MEM_QUOTA,        /* a1 space, a2 bytes -> 0 */
       MEM_USED,         /* a1 space -> bytes charged */
       MEM_FREE_BYTES,   /* -> free bytes in the pool */
       MEM_GRANT_ID };   /* a1 base -> id of mem's grant over the region */

/* ---- sched (gate: everyone) ---- */
enum { SCHED_YIELD = 1, SCHED_SLEEP /* a1 ticks */, SCHED_WAIT /* a1 key, a2 ticks */,
       SCHED_WAKE /* a1 key -> threads woken */, SCHED_SELF /* -> thread id */, SCHED_TICKS,
       /* admin gate (proc, boot) */
       SCHED_CREATE = 16,  /* a1 entry, a2 sp, a3 lo, a4 hi, a5 space, a6 a0, a7 prio -> tid */
       SCHED_KILL,         /* a1 tid */
       SCHED_EXIT,         /* never returns: the running thread ends */
       SCHED_STATE,        /* a1 tid -> KT_* */
       SCHED_IDLE,         /* boot's thread becomes the idle thread: never returns */
       SCHED_COUNT,        /* -> live threads */
       SCHED_HOLD,         /* a1 tid, a2 1: not scheduled until released (a2 0) */
       SCHED_STEP,         /* a1 tid (held), a2 space -> THREAD_STEP's result */
       SCHED_GETREG };     /* a1 tid (held), a2 register (0-66) -> value */
enum { KT_FREE, KT_READY, KT_RUNNING, KT_WAITING, KT_ZOMBIE, KT_FAULTED };
#define SCHED_TICK_HZ 100

/* ---- console (gate: everyone) ---- */
enum { CON_WRITE = 1 /* a1 buf (R pass), a2 len -> len */,
       CON_READ /* a1 buf (W pass), a2 len -> bytes: one edited line, ending in '\n' */ };

/* ---- blk (gate: everyone, through dir; only when the machine has a disk) ---- */
enum { BLK_READ = 1,     /* a1 sector, a2 buf (W pass), a3 len (a multiple of 512) -> len */
       BLK_SECTORS };    /* -> the disk's size in 512-byte sectors */

/* ---- net (gate: ip only; only when the machine has a network device) ---- */
enum { NET_SEND = 1,     /* a1 frame (R pass), a2 len (14..1514) -> len; KE_BUSY: every tx slot in flight */
       NET_RECV,         /* a1 buf (W pass), a2 len -> the next frame's length, 0 when none waits */
       NET_MAC,          /* -> the MAC address, byte 0 in bits 0-7 */
       NET_STATS };      /* a1 NET_STAT_* -> count */
enum { NET_STAT_RX, NET_STAT_TX, NET_STAT_IRQ, NET_STAT_DROP, NET_STAT_RESET };
#define NET_FRAME_MAX 1514
/* A page of net's that ip and netsup may read (boot grants them R): how far
 * the device has filled the receive ring and how far net has emptied it
 * (while they are equal no frame waits, and ip need not call NET_RECV to
 * learn that); how many calls are inside net and since when (netsup's
 * watchdog); how many times net was restarted. */
struct net_doorbell {
    volatile uint16_t rx_ready, rx_seen;
    volatile uint32_t inside;      /* calls running in net */
    volatile uint64_t since;       /* timer value when the first of them came in (0: none) */
    volatile uint64_t restarts;
};
/* net's admin gate (netsup only) and its test-only gate (the shell's inject). */
enum { NET_RESTART = 16 };         /* start afresh: state zeroed, device reset, aperture reopened */
enum { NET_INJECT_WILD = 32,       /* a1 address: net's code stores there (not its own: it faults) */
       NET_INJECT_LOOP,            /* net's code loops forever, holding its turn */
       NET_INJECT_FAULT,           /* net's code runs an illegal instruction, holding its turn */
       NET_INJECT_DMA };           /* a1 address: net points the device's rings at it (outside the aperture) */

/* ---- ip (gate: everyone, through dir; only with a network) ----
 * lwIP in a space of its own, at 10.0.2.15/24 with gateway 10.0.2.2 unless
 * the shell's `ifconfig` says otherwise.  Sockets are small numbers; the
 * calls that wait (accept, recv, recvfrom, send with no room) wait in ip. */
enum { IP_TCP_LISTEN = 1, /* a1 port -> socket */
       IP_ACCEPT,        /* a1 listening socket -> a connected socket */
       IP_RECV,          /* a1 socket, a2 buf (W pass), a3 len -> bytes, 0 at the end of the stream */
       IP_SEND,          /* a1 socket, a2 buf (R pass), a3 len -> bytes taken (all of them) */
       IP_CLOSE,         /* a1 socket -> 0 */
       IP_UDP_BIND,      /* a1 port -> socket */
       IP_SENDTO,        /* a1 socket, a2 buf (R pass), a3 len, a4 IPv4 address, a5 port -> len */
       IP_RECVFROM,      /* a1 socket, a2 buf (W pass): struct ip_from, then the data; a3 len -> data bytes */
       IP_ADDR,          /* a1 0 address, 1 netmask, 2 gateway -> IPv4 (a.b.c.d = a<<24|...) */
       IP_STAT,         /* a1 IP_STAT_* -> count */
       /* admin (the shell) */
       IP_CONFIG = 16,   /* a1 address, a2 netmask, a3 gateway -> 0 */
       IP_DHCP };        /* a1 1: start asking a DHCP server; 0: -> 1 once an address is leased */
struct ip_from { uint32_t addr; uint16_t port, pad; };
enum { IP_STAT_FRAMES_IN, IP_STAT_FRAMES_OUT, IP_STAT_NET_CALLS, IP_STAT_IP_CALLS, IP_STAT_NET_RESTARTS };

/* ---- dir (gate: everyone) ---- */
enum { DIR_LOOKUP = 1,   /* a1,a2 name, a3 space -> gate address, G granted to that space */
       DIR_REGISTER,     /* a1,a2 name, a3 gate (the caller granted dir G|P on it) -> 0 */
       DIR_LIST,         /* a1 buf (W pass), a2 len -> bytes */
       DIR_SPACE_ADD,    /* a1,a2 name, a3 space, a4 rights text (R pass), a5 len */
       DIR_SPACE_DEL,    /* a1 space */
       DIR_SPACES };     /* a1 buf (W pass), a2 len -> bytes */

/* ---- proc (gate: everyone) ---- */
enum { PROC_SPAWN = 1,   /* a1 args (R pass: "name arg..."), a2 len -> pid */
       PROC_WAIT,        /* a1 pid -> exit status (>= 0), or -(fault cause) - 1000 */
       PROC_KILL,        /* a1 pid */
       PROC_EXIT,        /* a1 status: never returns */
       PROC_LIST,        /* a1 buf (W pass), a2 len -> bytes */
       PROC_IMAGES,      /* a1 buf (W pass), a2 len -> bytes: the boot image's programs */
       PROC_IMAGE_READ,  /* a1,a2 name, a3 offset, a4 buf (W pass), a5 len -> bytes */
       /* Libraries: images loaded into spaces of their own, served through
        * their gates (the caller says who it is by its pid, checked against
        * its thread). */
       PROC_LIBRARY,     /* a1,a2 name, a3 pid, a4 struct klib_info * (W pass) -> gate, G granted */
       PROC_SERVE,       /* (a library's init) a1 pid, a2 gate (proc was granted G|P): its thread ends */
       PROC_UNLOAD,      /* a1 pid, a2 library pid: the caller stops using it (the last user frees it) */
       PROC_WATCH,       /* a1 pid, a2 library pid, a3 ticks (0: off): if a call into the library
                            is still running then, the library is stopped and freed */
       PROC_CATCH,       /* a1 pid, a2 pc (0: off): the caller's next fault resumes at pc with
                            a0..a3 = cause, pc, address, missing right, instead of ending it */
       PROC_SPACE_NEW,   /* a1 pid -> a new empty space, the caller's child (destroyed with it) */
       PROC_SPACE_DEL,   /* a1 pid, a2 space: destroy one of the caller's child spaces */
       PROC_MEM,         /* a1 pid -> bytes mem has charged to the caller's space */
       PROC_DEBUG_ALLOW, /* a1 pid, a2 debugger pid (0: none), a3 base, a4 len of what it granted the
                            debugger (for DBG_SHARED): consent to be debugged by it */
       PROC_DEBUG };     /* a1 debugger pid, a2 target pid, a3 DBG_* op, a4 arg -> result */
#define PROC_FAULTED(cause) (-1000 - (long)(cause))

/* What PROC_LIBRARY reports. */
struct klib_info { uint64_t gate, space, pid; };

/* PROC_DEBUG operations: a debugger acts on a program that named it with
 * PROC_DEBUG_ALLOW, and sees registers only where the program's own code
 * runs; in any other space the answer is KE_OPAQUE. */
enum { DBG_STOP = 1,     /* stop the target's thread (it is not scheduled until DBG_GO) */
       DBG_GO,           /* let it run again */
       DBG_STEP,         /* one instruction of the target's own code (calls into other spaces
                            run through as one step) -> 0 or the fault that stopped it */
       DBG_REG,          /* a4 register (0-31, 64 pc) -> value, or KE_OPAQUE */
       DBG_WHERE,        /* -> the code space the target's thread is in */
       DBG_SHARED,       /* a4 0: base, 1: length of the memory the target says it granted us */
       DBG_SPACE };      /* -> the target's space */
#define KE_OPAQUE (-26)

/* What a program finds at the top of its stack (a0 of its first thread). */
struct kstart {
    uint64_t dir_gate;   /* the only gate it is given: the rest it looks up */
    uint64_t pid;
    uint64_t argc;
    uint64_t argv;       /* char ** in the program's own memory */
    uint64_t proc_space; /* for a library: proc's space (it brokers the library's gate) */
    uint64_t client_space; /* for a library: the space of the program that asked for it */
    char args[512];
};

/* Names: up to 16 bytes packed into two registers. */
static inline void kname_pack(const char *s, uint64_t out[2])
{
    out[0] = out[1] = 0;
    for (int i = 0; i < 16 && s[i]; i++)
        out[i / 8] |= (uint64_t)(uint8_t)s[i] << (8 * (i % 8));
}
static inline void kname_unpack(uint64_t a, uint64_t b, char out[17])
{
    for (int i = 0; i < 16; i++)
        out[i] = (char)(((i < 8 ? a : b) >> (8 * (i % 8))) & 0xff);
    out[16] = 0;
}

/* ---- klib ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *kstrlcpy(char *d, const char *s, size_t n);
int kvfmt(char *buf, size_t size, const char *fmt, va_list ap);
int kfmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Format and write through the console gate (a pass of the text). */
int kprintf(uint64_t console_gate, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
long kwrite(uint64_t console_gate, const char *s, size_t n);
/* Format into a caller's buffer passed with W: appends at *pos. */
void kappend(char *buf, size_t size, size_t *pos, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
long katol(const char *s);

/* A space's first code runs on a thread boot makes for it (see boot.c):
 * its init entry gets this message on its stack, fills in its gates and
 * switches back to boot. */
struct kinit {
    uint64_t creator;       /* boot's thread */
    uint64_t gates[8];      /* in: gates given to the space (see each init) */
    uint64_t out[4];        /* out: the gates it made (G|P granted to the root) */
    int64_t  probe[16];     /* out: its own rights over kinit_probe_addr[] */
    uint64_t done;
};
#define KINIT_ENTRY(name, body) \
    __attribute__((noreturn)) void name##_init(struct kinit *m) \
    { \
        body(m); \
        kprobe_rights(m->probe); \
        m->done = 1; \
        peer_thread_switch(m->creator); \
        for (;;) \
            ; \
    }
void kprobe_rights(int64_t probe[16]);
extern const uint64_t kprobe_addr[16];
extern const char *const kprobe_name[16];
#define KPROBES 12

#endif
