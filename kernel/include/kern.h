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
       SCHED_IRQ_WAKE,     /* a1 key: for interrupt handlers below sched's priority (2); returns at
                              once; wakes the key's waiters soon after, or if none, lets the next
                              WAIT on the key return at once (a token) */
       /* admin gate (proc, boot) */
       SCHED_CREATE = 16,  /* a1 entry, a2 sp, a3 lo, a4 hi, a5 space, a6 a0, a7 prio -> tid */
       SCHED_KILL,         /* a1 tid */
       SCHED_EXIT,         /* a1 key (0: none): the running thread ends and the key's waiters
                              wake, in one step (no other thread runs between); never returns */
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
       CON_READ /* a1 buf (W pass), a2 len -> bytes: one edited line, ending in '\n' */,
       CON_READ_SECRET /* as CON_READ, not echoed (a password); the ring keeps no copy */ };

/* ---- blk (only when the machine has a disk) ----
 * blk serves the disk through WINDOWS: each gate it makes reaches one run of
 * sectors, and its sector numbers count from the window's first sector.  A
 * request that reaches past the window's end is refused (KE_INVAL) before
 * the disk sees it, so a gate's holder can reach its window and nothing else.
 * The windows come from the disk's MBR (sector 0), read when blk starts:
 *   BLK_WIN_FS      partition 1 (a FAT type: 0x01 0x04 0x06 0x0b 0x0c 0x0e),
 *                   read-write: the file system's (boot gives it to fs only);
 *   BLK_WIN_SEC     partition 2 (type 0xda, "non-FS data"), read-write: the
 *                   security service's.  blk's init hands this gate out as
 *                   m->out[BLK_OUT_SEC] (boot: blk_gate_sec); nothing else
 *                   is given it.  blk can be restarted (drv, below): the
 *                   gate then changes, so its holder should also be a
 *                   driver client (DRV_CLIENT with BLK_OUT_SEC and its
 *                   space) and ask its DRV_RESTART gate for the new one
 *                   when a call fails;
 *   BLK_WIN_PUBLIC  partition 1 again, READ-ONLY (BLK_WRITE/FLUSH: KE_PERM):
 *                   the gate published in dir as "blk" (demos, blkread).
 * A window whose partition is missing or of another type has 0 sectors:
 * every operation on it but BLK_SECTORS is KE_NOENT.
 * Operations (a result < 0 is KE_*):                                   */
enum { BLK_READ = 1,     /* a1 sector, a2 buf (W pass), a3 len (a multiple of 512) -> len */
       BLK_SECTORS,      /* -> the window's size in 512-byte sectors */
       BLK_WRITE,        /* a1 sector, a2 buf (R pass), a3 len (a multiple of 512) -> len, on the disk
                            when it returns (the device model writes through to the image file) */
       BLK_FLUSH,        /* -> 0 once the disk has made every completed write durable (virtio FLUSH) */
       BLK_START };      /* -> the window's first sector on the disk (for tools and tests) */
enum { BLK_WIN_FS, BLK_WIN_SEC, BLK_WIN_PUBLIC, BLK_WINDOWS };
/* blk's init message: out[BLK_OUT_*] are the gates it made (the root holds
 * G|P on each), out[BLK_OUT_UP] is 1 if the device came up. */
enum { BLK_OUT_FS, BLK_OUT_SEC, BLK_OUT_PUBLIC, BLK_OUT_IRQ, BLK_OUT_UP };

/* ---- fs (gate: everyone, "fs" in dir; only when the disk has a FAT partition 1) ----
 * Paths are absolute within the volume ("/notes/a.txt"); names are matched
 * ignoring case; a buffer travels as a pass for the call.  A handle names
 * an open file or directory; handles are fs's, not per caller (a callee
 * cannot learn its caller's space), so they are checked but not private. */
enum { FS_OPEN = 1,      /* a1 path (R pass), a2 len, a3 FS_O_* -> handle */
       FS_CLOSE,         /* a1 handle -> 0 */
       FS_READ,          /* a1 handle, a2 buf (W pass), a3 len, a4 offset -> bytes (0 at the end) */
       FS_WRITE,         /* a1 handle, a2 buf (R pass), a3 len, a4 offset -> bytes; on the disk when it returns */
       FS_TRUNCATE,      /* a1 handle, a2 size -> 0 */
       FS_STAT,          /* a1 handle, a2 struct fs_stat * (W pass) -> 0 */
       FS_READDIR,       /* a1 handle of a directory, a2 struct fs_dirent * (W pass), a3 cookie (0 first)
                            -> the next cookie, or 0 past the last entry */
       FS_MKDIR,         /* a1 path (R pass), a2 len -> 0 */
       FS_UNLINK,        /* a1 path (R pass), a2 len -> 0: a file */
       FS_RMDIR,         /* a1 path (R pass), a2 len -> 0: an empty directory */
       FS_RENAME,        /* a1 "old\0new" (R pass), a2 len (both) -> 0; a directory only within its parent */
       FS_SYNC,          /* -> 0: the disk's write cache flushed */
       FS_INFO };        /* a1 buf (W pass), a2 len -> bytes of text: the volume's type and size */
#define FS_O_CREAT 1     /* create the file if it does not exist */
#define FS_O_TRUNC 2     /* cut it to 0 bytes */
#define FS_O_EXCL  4     /* with CREAT: fail (KE_BUSY) if it exists */
#define FS_O_DIR   8     /* it must be a directory (without: a directory opens for READDIR and STAT only) */
struct fs_stat { uint64_t size; uint32_t attr, is_dir; };
struct fs_dirent { char name[256]; uint64_t size; uint32_t attr, is_dir; };
#define KE_ISDIR (-27)
#define KE_NOTDIR (-28)
#define KE_NOTEMPTY (-29)
#define KE_IO (-30)
/* ---- sec (gate: everyone, through dir) ----
 * A login is a gate: SEC_LOGIN returns a new gate into sec (G granted to
 * the space named), the session; the other operations are called on it.
 * A password is passed R for the call and never leaves sec. */
enum { SEC_LOGIN = 1,    /* a1,a2 user name, a3 password (R pass), a4 len, a5 space -> session gate;
                            KE_PERM: wrong name or password (after a delay), KE_BUSY: locked */
       SEC_WHOAMI,       /* (session) a1 buf (W pass), a2 len: the user's name -> uid */
       SEC_PASSWD,       /* (session) a1 buf (R pass): old password then new, a2 old len, a3 new len -> 0 */
       SEC_ADDUSER,      /* (session of root, uid 0) a1,a2 name, a3 password (R pass), a4 len -> uid */
       SEC_LOGOUT };     /* (session) -> 0: the session gate is gone */

/* ---- net (gate: ip only; only when the machine has a network device) ---- */
enum { NET_SEND = 1,     /* a1 frame (R pass), a2 len (14..1514) -> len; KE_BUSY: every tx slot in flight */
       NET_RECV,         /* a1 buf (W pass), a2 len -> the next frame's length, 0 when none waits */
       NET_MAC,          /* -> the MAC address, byte 0 in bits 0-7 */
       NET_STATS };      /* a1 NET_STAT_* -> count */
enum { NET_STAT_RX, NET_STAT_TX, NET_STAT_IRQ, NET_STAT_DROP, NET_STAT_RESET };
#define NET_FRAME_MAX 1514
/* A page of net's that ip may read (boot grants it R): how far the device
 * has filled the receive ring and how far net has emptied it (while they
 * are equal no frame waits, and ip need not call NET_RECV to learn that),
 * and net's gate now: after a restart it differs from the one ip holds
 * (0 while the restart runs), and ip asks proc for the new one before it
 * calls (calling a gate that is gone would stop ip's thread). */
struct net_doorbell { volatile uint16_t rx_ready, rx_seen; volatile uint64_t gate; };
/* What net's init reports (out[]); proc restarts net as a driver (drv). */
enum { NET_OUT_GATE, NET_OUT_IRQ, NET_OUT_UP };
#define NET_KEY_RX 0x6e657872UL    /* SCHED_IRQ_WAKE key of net's handler: frames came */

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
       DIR_SPACES,       /* a1 buf (W pass), a2 len -> bytes */
       DIR_UNREGISTER }; /* a1,a2 name -> 0: the name is free again (admin) */

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
       PROC_DEBUG,       /* a1 debugger pid, a2 target pid, a3 DBG_* op, a4 arg -> result */
       PROC_DONE };      /* a1 pid -> 1: it has ended (PROC_WAIT returns at once), 0: it runs */
#define PROC_FAULTED(cause) (-1000 - (long)(cause))

/* ---- drv: restarting a driver space (kernel/proc/driver.c, in proc) ----
 * A driver that boot registers can be restarted from its pristine image:
 * its space is destroyed (every grant it held or made and every gate it
 * made go; a call running in it faults on its next instruction and is
 * unwound to its caller), its data is zeroed (a driver's data must be all
 * zeros at boot: boot checks), and a fresh space gets its code, its data,
 * its device pages and G on sched again; its restart entry runs its init
 * on a thread of its own; then its interrupt source, the holders of its
 * gates (clients, dir) are given the new gates.  Nothing about blk is in
 * the facility: a network driver registers the same way.
 * Who restarts: a client whose call failed (its DRV_RESTART gate), and
 * proc's watchdog thread when the driver's watch word (in its data, which
 * proc holds) shows one request running past DRV_DEADLINE_TICKS: a driver
 * that loops cannot clear it.  (A driver that lied in it could only deny
 * its own service, which it can do anyway.)
 * A client should call the driver from a frame of its own it can lose (a
 * gate into itself, as fs's disk.c does): after a restart the old gate is
 * gone, and calling a gate that is gone is a fault of the calling frame. */
struct kdriver {
    char name[16];
    uint64_t text_lo, text_hi, data_lo, data_hi;   /* proc holds them with P (boot's grants) */
    uint64_t dev[4][3];      /* device pages to give: base, len, rights (0 len: none) */
    uint64_t entry;          /* void entry(struct kinit *): init, then done = 1, then park */
    uint64_t msg;            /* a struct kinit in its data, for that entry */
    uint64_t stack_lo, stack_hi;   /* in its data: that entry's stack */
    uint64_t sched_gate;     /* given to it as gates[0] (proc holds G|P) */
    uint64_t irq_source, irq_out, irq_prio;        /* out[irq_out] serves irq_source */
    uint64_t inject;         /* its struct kinject (tests), 0: none */
    uint64_t dma_regs;       /* its DMA device's aperture registers (proc reports VIOLATIONS), 0: none */
    uint64_t space;          /* the space it runs in now */
    uint64_t out[8];         /* its gates now */
};
/* A driver's watch word: busy while it serves a request, seq counts them. */
struct kwatch { volatile uint64_t busy, seq; };
/* Misbehaviour on request (tests): real code in the driver's space, run on
 * its next request, then forgotten. */
struct kinject { volatile uint64_t kind, target; };
enum { INJECT_NONE, INJECT_WILD /* store to target */, INJECT_LOOP /* loop forever */,
       INJECT_FAULT /* an illegal instruction */, INJECT_DMA /* a transfer to target, outside its aperture */ };
#define DRV_DEADLINE_TICKS 30
enum { DRV_REGISTER = 1, /* admin (boot): a1 struct kdriver (R pass), a2 its struct kwatch (in its data, or 0)
                            -> driver id */
       DRV_CLIENT,       /* admin: a1 id, a2 out index, a3 space -> a DRV_RESTART gate for that client
                            (G granted to it); the client is given G on out[index] after each restart */
       DRV_PUBLISH,      /* admin: a1 id, a2 out index, a3,a4 name, a5 dir's space: registered in dir,
                            again after each restart */
       DRV_TESTER,       /* admin: a1 id, a2 space -> a DRV_INJECT gate, G granted to that space */
       /* a client's gate */
       DRV_RESTART = 16, /* a1 generation the client saw failing -> its gate now (restarted if still that one) */
       DRV_GEN,          /* -> the generation now (0 at boot) */
       /* a tester's gate */
       DRV_INJECT = 32 };/* a1 INJECT_*, a2 target -> 0 */

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
/* Whether this space (with its caller's passes) holds `right` over the whole range. */
int kheld(uint64_t base, long len, uint64_t right);
/* A service's turn between its caller threads (sleeping in sched on key). */
struct kturn { volatile int taken, waiting; uint64_t key; };
void kturn_take(struct kturn *t, uint64_t sched_gate);
void kturn_give(struct kturn *t, uint64_t sched_gate);
/* A client of a driver proc can restart (drv): the driver's gate for it,
 * proc's DRV_RESTART gate (0: none), the generation the gate belongs to,
 * and the client's shim gate, through which every call goes (klib.c). */
struct kdrv_client { uint64_t gate, restart, shim; long gen; };
void kdrv_client_init(struct kdrv_client *c, uint64_t gate, uint64_t restart);
/* gate(op, a1, a2, a3) with [pass, pass + pass_len) passed `rights` (0: no
 * pass): its result, or KE_FAULT if the call failed or was unwound. */
long kdrv_call(struct kdrv_client *c, long op, long a1, long a2, long a3, uint64_t pass, long pass_len,
               uint64_t rights);
/* After a failed call: proc restarts the driver (once per failure, whoever
 * reports it) -> 1 with c->gate the driver's gate now, 0 if proc gave none. */
int kdrv_renew(struct kdrv_client *c);

/* A space's first code runs on a thread boot makes for it (see boot.c):
 * its init entry gets this message on its stack, fills in its gates and
 * switches back to boot. */
struct kinit {
    uint64_t creator;       /* boot's thread */
    uint64_t gates[8];      /* in: gates given to the space (see each init) */
    uint64_t out[8];        /* out: the gates it made (G|P granted to the root) */
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
