/* What boot's files share (boot.c: the order of things and the rights
 * table; space.c: making spaces, granting, running inits; drivers.c:
 * handing blk and net to proc's driver restarts). */
#ifndef BOOT_H
#define BOOT_H
#include "kern.h"

#define SPACE_IMAGE(name) ({ \
    extern char __##name##_text_start[], __##name##_text_end[], __##name##_data_start[], __##name##_data_end[]; \
    (struct peer_image){ (uint64_t)__##name##_text_start, (uint64_t)__##name##_text_end, \
                         (uint64_t)__##name##_data_start, (uint64_t)__##name##_data_end }; })

extern char __klib_text_start[], __klib_text_end[];

struct kspace {
    const char *name;
    long id;
    char rights[256];   /* what boot granted, as text for `spaces` */
    size_t len;
};
/* blk exists only when the machine has a disk, net and ip only when it has
 * a network device: their ids stay 0 otherwise. */
enum { S_MEM, S_SCHED, S_CONSOLE, S_DIR, S_PROC, S_SHELL, S_BLK, S_FS, S_SEC, S_NET, S_IP, NSPACES };
extern struct kspace spaces[NSPACES];
extern long boot_console_gate;

/* space.c */
void boot_halt(const char *why) __attribute__((noreturn));
/* Grant and note it in the space's description. */
void boot_give(struct kspace *s, const char *what, uint64_t base, uint64_t len, uint64_t rights);
/* G|P on a gate (the root got it from the gate's maker) as G to a space. */
void boot_give_gate(struct kspace *s, const char *what, uint64_t gate, uint64_t rights);
void boot_new_space(struct kspace *s, struct peer_image img);
/* Run the space's init on a thread of its own; it fills m->out. */
void boot_run_init(struct kspace *s, void (*init)(struct kinit *), struct kinit *m);

/* drivers.c: blk and net as drivers proc can restart -> the driver id, or < 0. */
/* drivers.c: start blk or net in its space and register it with proc as a
 * driver it can restart -> the driver's id (DRV_REGISTER) */
long boot_start_blk(struct peer_image img, uint64_t drv_admin, uint64_t sched_gate, struct kinit *m);
long boot_start_net(struct peer_image img, uint64_t drv_admin, uint64_t sched_gate, struct kinit *m);

#endif
