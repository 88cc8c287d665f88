/* The peer runtime: helpers for C programs on the peer machine.
 *
 * include/peerless/peer.h is the machine's contract (addresses, rights, PL
 * instructions); this header adds what programs build on it: typed access
 * to the control pages, calling a gate, the sections that give a "space"
 * its own pages, and starting code in another space (peer_spawn).
 */
#ifndef PEER_RT_H
#define PEER_RT_H

#include <stddef.h>
#include <stdint.h>
#include <peerless/peer.h>

/* Always inlined, so that a space's code using them stays in its pages. */
#define PEER_INLINE static inline __attribute__((always_inline))

#define PL_FRAME_PC PL_REG_PC

#define PEER_PAGE_SIZE 4096UL
#define PEER_PAGE_DOWN(a) ((uint64_t)(a) & ~(PEER_PAGE_SIZE - 1))

/* ------------------------------------------------------------------ */
/* Control pages: 64-bit registers.                                    */
/* ------------------------------------------------------------------ */

PEER_INLINE void peer_ctl_write(uint64_t page, uint64_t reg, uint64_t value)
{
    *(volatile uint64_t *)(page + reg) = value;
    __asm__ volatile("" ::: "memory");
}
PEER_INLINE uint64_t peer_ctl_read(uint64_t page, uint64_t reg)
{
    __asm__ volatile("" ::: "memory");
    return *(volatile uint64_t *)(page + reg);
}

/* Space controller. */
PEER_INLINE long peer_space_cmd(uint64_t cmd, uint64_t arg0, uint64_t arg1)
{
    peer_ctl_write(PEER_SPACECTL, SPACECTL_ARG0, arg0);
    peer_ctl_write(PEER_SPACECTL, SPACECTL_ARG1, arg1);
    peer_ctl_write(PEER_SPACECTL, SPACECTL_CMD, cmd);
    return (long)peer_ctl_read(PEER_SPACECTL, SPACECTL_RESULT);
}
PEER_INLINE long peer_space_create(void) { return peer_space_cmd(SPACE_CREATE, 0, 0); }
PEER_INLINE long peer_space_destroy(uint64_t space) { return peer_space_cmd(SPACE_DESTROY, space, 0); }
PEER_INLINE long peer_space_set_fault(uint64_t space, uint64_t gate) { return peer_space_cmd(SPACE_SET_FAULT, space, gate); }
PEER_INLINE long peer_space_grant_count(uint64_t space) { return peer_space_cmd(SPACE_GRANT_COUNT, space, 0); }
PEER_INLINE long peer_space_live(void) { return (long)peer_ctl_read(PEER_SPACECTL, SPACECTL_LIVE); }

/* Thread controller. */
PEER_INLINE long peer_thread_cmd(uint64_t cmd, const uint64_t *args, int nargs)
{
    for (int i = 0; i < nargs; i++)
        peer_ctl_write(PEER_THREADCTL, THREADCTL_ARG(i), args[i]);
    peer_ctl_write(PEER_THREADCTL, THREADCTL_CMD, cmd);
    return (long)peer_ctl_read(PEER_THREADCTL, THREADCTL_RESULT);
}
PEER_INLINE long peer_thread_create(uint64_t entry, uint64_t sp, uint64_t stack_lo, uint64_t stack_hi,
                                      uint64_t code_space, uint64_t data_space, uint64_t a0)
{
    const uint64_t args[7] = { entry, sp, stack_lo, stack_hi, code_space, data_space, a0 };
    return peer_thread_cmd(THREAD_CREATE, args, 7);
}
/* Run another thread; returns when some thread switches back to this one.
 * Every register of this thread is kept by the machine meanwhile. */
PEER_INLINE void peer_thread_switch(uint64_t thread)
{
    peer_ctl_write(PEER_THREADCTL, THREADCTL_ARG0, thread);
    peer_ctl_write(PEER_THREADCTL, THREADCTL_CMD, THREAD_SWITCH);
}
PEER_INLINE long peer_thread_stop(uint64_t thread) { return peer_thread_cmd(THREAD_STOP, &thread, 1); }
PEER_INLINE long peer_thread_state(uint64_t thread) { return peer_thread_cmd(THREAD_STATE, &thread, 1); }
PEER_INLINE long peer_thread_set_stack(uint64_t thread, uint64_t lo, uint64_t hi)
{
    const uint64_t args[3] = { thread, lo, hi };
    return peer_thread_cmd(THREAD_SET_STACK, args, 3);
}
PEER_INLINE long peer_thread_fault(uint64_t thread, struct pl_fault *record)
{
    const uint64_t args[2] = { thread, (uint64_t)record };
    return peer_thread_cmd(THREAD_FAULT, args, 2);
}
PEER_INLINE uint64_t peer_thread_current(void) { return peer_ctl_read(PEER_THREADCTL, THREADCTL_CURRENT); }
/* Debugging another thread: step it (until one instruction of `space`
 * retires; 0: any), and read or write its registers (64 = pc). */
PEER_INLINE long peer_thread_step(uint64_t thread, uint64_t space)
{
    uint64_t args[2] = { thread, space };
    return peer_thread_cmd(THREAD_STEP, args, 2);
}
PEER_INLINE long peer_thread_getreg(uint64_t thread, uint64_t reg)
{
    uint64_t args[2] = { thread, reg };
    return peer_thread_cmd(THREAD_GETREG, args, 2);
}
PEER_INLINE long peer_thread_setreg(uint64_t thread, uint64_t reg, uint64_t value)
{
    uint64_t args[3] = { thread, reg, value };
    return peer_thread_cmd(THREAD_SETREG, args, 3);
}

/* Interrupt controller. */
PEER_INLINE void peer_irq_config(unsigned source, uint64_t gate, unsigned prio)
{
    peer_ctl_write(PEER_IRQCTL, IRQCTL_SRC(source) + IRQCTL_SRC_GATE, gate);
    peer_ctl_write(PEER_IRQCTL, IRQCTL_SRC(source) + IRQCTL_SRC_PRIO, prio);
}
PEER_INLINE uint64_t peer_irq_src_read(unsigned source, uint64_t reg)
{
    return peer_ctl_read(PEER_IRQCTL, IRQCTL_SRC(source) + reg);
}
PEER_INLINE uint64_t peer_irq_level(void) { return peer_ctl_read(PEER_IRQCTL, IRQCTL_LEVEL); }
PEER_INLINE void peer_irq_emergency_stack(uint64_t lo, uint64_t hi)
{
    peer_ctl_write(PEER_IRQCTL, IRQCTL_EMERG_LO, lo);
    peer_ctl_write(PEER_IRQCTL, IRQCTL_EMERG_HI, hi);
}

/* Timer. */
PEER_INLINE uint64_t peer_timer_now(void) { return peer_ctl_read(PEER_TIMER, TIMER_NOW); }
PEER_INLINE void peer_timer_set_cmp(uint64_t cmp) { peer_ctl_write(PEER_TIMER, TIMER_CMP, cmp); }
PEER_INLINE void peer_timer_soft(int assert) { peer_ctl_write(PEER_TIMER, TIMER_SOFT, assert ? 1 : 0); }

/* ------------------------------------------------------------------ */
/* Gate calls                                                          */
/* ------------------------------------------------------------------ */

typedef long (*pl_gate_fn)(long, long, long, long, long, long, long, long);

PEER_INLINE long pl_call_args(uint64_t gate, const long a[8])
{
    return ((pl_gate_fn)gate)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
}
/* pl_call(gate, up to 8 arguments): call the gate as a function; missing
 * arguments are 0.  After it, pl_status() is 0 for a normal return or
 * the PL_FAULT_* cause that unwound the call (then the result is 0). */
#define pl_call(gate, ...) pl_call_args((uint64_t)(gate), (const long[8]){ __VA_ARGS__ })

/* Create a gate into the acting space. */
PEER_INLINE long pl_make_gate(uint64_t entry, uint64_t flags, uint64_t stack_need, uint64_t gp, uint64_t tp)
{
    struct pl_gate d = { .entry = entry, .gp = gp, .tp = tp, .flags = flags, .stack_need = stack_need };
    return pl_gate(&d);
}

PEER_INLINE uint64_t peer_read_gp(void) { uint64_t v; __asm__("mv %0, gp" : "=r"(v)); return v; }
PEER_INLINE uint64_t peer_read_tp(void) { uint64_t v; __asm__("mv %0, tp" : "=r"(v)); return v; }
PEER_INLINE uint64_t peer_read_sp(void) { uint64_t v; __asm__ volatile("mv %0, sp" : "=r"(v)); return v; }

/* ------------------------------------------------------------------ */
/* Spaces: code and data on pages of their own (see lib/peer/peer.ld)   */
/* ------------------------------------------------------------------ */

/* Place a function or variable in space NAME's pages (lib, lib2, lib3).
 * Code of a space must not call the root's code (libc, non-inlined
 * helpers): it has no X there.  Inline functions and PL instructions are
 * fine; constants the compiler spills to .rodata are readable when the
 * space was made with peer_space_new (it grants R on .rodata). */
#define PEER_TEXT(name) PEER_TEXT_(name)
#define PEER_DATA(name) PEER_DATA_(name)
#define PEER_BSS(name)  PEER_BSS_(name)
#define PEER_TEXT_(name) __attribute__((section("." #name ".text"), noinline))
#define PEER_DATA_(name) __attribute__((section("." #name ".data")))
#define PEER_BSS_(name)  __attribute__((section("." #name ".bss")))

/* The page-aligned extent of a space's code and data. */
struct peer_image {
    uint64_t text_lo, text_hi;
    uint64_t data_lo, data_hi;
};
#define PEER_IMAGE(name) PEER_IMAGE_(name)
#define PEER_IMAGE_(name) ({ \
    extern char __##name##_text_start[], __##name##_text_end[], \
                __##name##_data_start[], __##name##_data_end[]; \
    (struct peer_image){ (uint64_t)__##name##_text_start, (uint64_t)__##name##_text_end, \
                         (uint64_t)__##name##_data_start, (uint64_t)__##name##_data_end }; })

/* Create a space and grant it its image: X on the code, R|W on the data,
 * R on the shared read-only data; none with P.  Returns the id (< 0 on
 * error). */
long peer_space_new(const struct peer_image *image);

/* ------------------------------------------------------------------ */
/* peer_spawn: run an init function inside another space               */
/* ------------------------------------------------------------------ */
/* A space's code can only run through a gate that space made, and a
 * space makes gates only by running (PL_OP_GATE acts for the running data
 * space).  So the first code of a space runs on a thread of its own:
 * peer_spawn creates a thread whose code and data space are the new space,
 * lends it the thread controller, switches to it, and when the init
 * function has run (typically making the space's gates and granting G on
 * them) the thread switches back and is stopped.
 *
 * The init function and its entry must be in the space's code:
 *
 *     PEER_TEXT(lib) static uint64_t lib_init(uint64_t arg) { ... }
 *     PEER_SPAWN_ENTRY(lib, lib_start, lib_init)
 *     ...
 *     uint64_t gate = peer_spawn(space, lib_start, arg, stack, sizeof stack);
 */
struct peer_spawn_msg {
    uint64_t creator;   /* the thread to switch back to */
    uint64_t arg;       /* for the init function */
    uint64_t result;    /* its return value */
    uint64_t done;      /* 1 once it has returned */
};

#define PEER_SPAWN_ENTRY(name, entry, init) \
    PEER_TEXT(name) __attribute__((noreturn)) void entry(struct peer_spawn_msg *m) \
    { \
        __asm__ volatile(".option push\n.option norelax\nla gp, __global_pointer$\n.option pop"); \
        m->result = init(m->arg); \
        m->done = 1; \
        peer_thread_switch(m->creator); \
        for (;;) \
            ; \
    }

/* Returns the init function's result; the stack (16-byte aligned) becomes
 * the thread's stack region while it runs.  Returns 0 and leaves
 * *ok = 0 if the thread could not be made or did not finish. */
uint64_t peer_spawn(uint64_t space, void (*entry)(struct peer_spawn_msg *), uint64_t arg,
                    void *stack, size_t stack_size, int *ok);

#endif
