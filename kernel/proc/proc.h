/* proc's own shared state: the process table and the gates it uses.
 * proc.c runs programs; lib.c loads libraries into spaces of their own and
 * keeps the watchdog; child.c gives programs spaces of their own to hand
 * out; debug.c is the debugging policy.  All of it runs in proc's space. */
#ifndef PROC_H
#define PROC_H

#include "kern.h"

#define MAX_PROCS 32
/* P_EXITING: the program's thread has set its status and is ending; it is
 * reaped (reclaimed) once sched says the thread is gone.  P_REAPING: one
 * thread of proc's owns it while it reclaims it. */
enum { P_FREE, P_STARTING, P_RUNNING, P_SERVING, P_EXITING, P_REAPING, P_DEAD };
#define CHILD_CHUNK  0x10000UL                        /* bytes of table mem hands out at a time */
#define CHILD_PER_CHUNK (CHILD_CHUNK / sizeof(uint64_t))
#define CHILD_CHUNKS 16

struct proc {
    volatile int state;
    long pid, space, tid, slot_base;
    long slot_grant;            /* proc's grant of the slot to the space */
    long status;
    char name[17];
    /* a library: who uses it (bits: procs[] indices), and its gate */
    int library;
    uint64_t users, gate;
    /* armed by the program itself */
    uint64_t catch_pc;
    long watch_lib;             /* pid of a library under the watchdog, 0: none */
    uint64_t watch_deadline;    /* in sched ticks */
    long debugger;              /* the pid it consented to be debugged by */
    uint64_t shared_base, shared_len;   /* what it says it granted that debugger */
    /* its child spaces, in tables mem charges to it */
    uint64_t *children[CHILD_CHUNKS];
    long nchildren;
};

extern struct proc procs[MAX_PROCS];
extern uint64_t mem_gate, sched_admin, console_gate, dir_gate, dir_admin, fault_gate;

#define say(...) kprintf(console_gate, __VA_ARGS__)
#define KEY_PROC(pid) (0x70726f6300000000UL | (uint64_t)(pid))

struct proc *proc_find(long pid);
/* The process whose thread is calling and which says it is pid; 0 if not. */
struct proc *proc_caller(long pid);
/* Start an image: a program, or a library for `client` (then it ends in
 * PROC_SERVE).  -> the new process, or 0 with *err set. */
struct proc *proc_start(const char *args, long len, struct proc *client, long *err);
/* End a process whose thread cannot run (stopped, or never started), with
 * the process claimed (proc_claim) or not yet visible: reclaim everything
 * it held, wake whoever waits for it. */
void proc_finish(struct proc *p, long status);
/* Take p from state `from` to P_REAPING, if no other thread got there first. */
int proc_claim(struct proc *p, int from);
/* Reclaim p if it is P_EXITING and its thread has ended: 1 once p is dead. */
int proc_reap(struct proc *p);
/* Its thread has ended for good (sched says zombie, or no such thread). */
int proc_thread_gone(const struct proc *p);

/* lib.c */
long lib_load(uint64_t a, uint64_t b, long pid, volatile struct klib_info *out);
long lib_serve(long pid, uint64_t gate);
long lib_unload(long pid, long lib);
long lib_watch(long pid, long lib, long ticks);
void lib_release_all(struct proc *user);
void watchdog_main(void);

/* driver.c: restarting driver spaces (kern.h, drv) */
void driver_watch(void);
long drv_admin(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7);
extern uint8_t watchdog_stack[32768];

/* child.c */
long child_new(long pid);
long child_del(long pid, uint64_t space);
void child_release_all(struct proc *p);

/* debug.c */
long debug_allow(long pid, long debugger, uint64_t base, uint64_t len);
long debug_op(long debugger, long target, long op, long arg);

#endif
