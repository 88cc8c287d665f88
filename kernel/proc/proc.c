/* proc: programs.  It loads ELF programs from the boot image into new
 * spaces, starts them on threads of their own, waits for them, kills them,
 * and takes back everything a dead program held.
 *
 * Each program is linked at its own 2 MiB slot of the flat address space
 * (lib/os/app.ld; the boot image records which).  To run one, proc asks mem
 * for the slot (mem grants proc R|W|X|P over it, charged to the new space),
 * copies the segments in, and grants the new space R|W|X|P over the slot —
 * a grant derived from mem's, so freeing the slot revokes both.  The
 * program gets G on dir's gate and nothing else: it looks up what it uses.
 * proc is the program space's fault gate: a program that faults is ended
 * with its fault as its status, and nothing else is disturbed.
 */
#include "proc.h"

struct kimage { const char *name; const uint8_t *data; uint64_t size, kind; };
extern const uint64_t kimage_count;
extern const struct kimage kimage_table[];

struct proc procs[MAX_PROCS];
static long next_pid = 1;
uint64_t mem_gate, sched_admin, console_gate, dir_gate, dir_admin, fault_gate;

#define TID_STARTING (-1000)   /* no thread id: sched's ids are positive */

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static const struct kimage *image(const char *name)
{
    for (uint64_t i = 0; i < kimage_count; i++)
        if (!strcmp(kimage_table[i].name, name))
            return &kimage_table[i];
    return 0;
}

struct proc *proc_find(long pid)
{
    for (int i = 0; i < MAX_PROCS; i++)
        if (procs[i].state != P_FREE && procs[i].pid == pid)
            return &procs[i];
    return 0;
}

/* Check the ELF and copy its segments into the slot; returns the entry. */
static uint64_t load(const struct kimage *im, uint64_t slot)
{
    const struct elf64_ehdr *e = (const struct elf64_ehdr *)im->data;
    if (im->size < sizeof *e || memcmp(e->ident, "\177ELF", 4) || e->ident[4] != 2 || e->machine != 243)
        return 0;
    for (int i = 0; i < e->phnum; i++) {
        const struct elf64_phdr *ph =
            (const struct elf64_phdr *)(im->data + e->phoff + (uint64_t)i * e->phentsize);
        if (ph->type != 1 || !ph->memsz)
            continue;
        if (ph->vaddr < slot || ph->vaddr + ph->memsz > slot + KPROG_SLOT_SIZE - KPROG_STACK ||
            ph->offset + ph->filesz > im->size)
            return 0;
        memcpy((void *)ph->vaddr, im->data + ph->offset, ph->filesz);
        memset((void *)(ph->vaddr + ph->filesz), 0, ph->memsz - ph->filesz);
    }
    return e->entry >= slot && e->entry < slot + KPROG_SLOT_SIZE ? e->entry : 0;
}

/* Take back everything the program held: only once its thread is gone
 * (exit_self says why).  A thread still running keeps it all — a leak,
 * said aloud, rather than a slot that two threads run in. */
static int reclaim(struct proc *p)
{
    if (!proc_thread_gone(p)) {
        say("proc: %s (pid %ld): its thread %ld still runs; its slot is not reclaimed\n", p->name, p->pid, p->tid);
        return 0;
    }
    lib_release_all(p);       /* the libraries only it used */
    child_release_all(p);     /* its child spaces */
    peer_space_set_fault((uint64_t)p->space, 0);
    peer_space_destroy((uint64_t)p->space);         /* its grants and gates */
    pl_call(mem_gate, MEM_FREE, p->slot_base);      /* revokes mem's grant to us */
    pl_call(mem_gate, MEM_RECLAIM, p->space);       /* and anything else charged to it */
    pl_call(dir_admin, DIR_SPACE_DEL, p->space);
    return 1;
}

int proc_claim(struct proc *p, int from)
{
    return __atomic_compare_exchange_n(&p->state, &from, P_REAPING, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

int proc_thread_gone(const struct proc *p)
{
    long st = pl_call(sched_admin, SCHED_STATE, p->tid);
    return st == KT_ZOMBIE || st == KT_FREE;
}

int proc_reap(struct proc *p)
{
    if (p->state == P_EXITING && proc_thread_gone(p) && proc_claim(p, P_EXITING)) {
        reclaim(p);
        p->state = P_DEAD;
        pl_call(sched_admin, SCHED_WAKE, (long)KEY_PROC(p->pid));
    }
    return p->state == P_DEAD;
}

void proc_finish(struct proc *p, long status)
{
    p->status = status;
    reclaim(p);
    p->state = P_DEAD;
    pl_call(sched_admin, SCHED_WAKE, (long)KEY_PROC(p->pid));
}

struct proc *proc_start(const char *args, long len, struct proc *client, long *err)
{
    struct kstart start;
    memset(&start, 0, sizeof start);
    if (len <= 0 || len >= (long)sizeof start.args)
        return *err = KE_INVAL, (struct proc *)0;
    memcpy(start.args, args, (size_t)len);
    char name[17];
    long k = 0;
    while (k < 16 && start.args[k] && start.args[k] != ' ')
        name[k] = start.args[k], k++;
    name[k] = 0;
    const struct kimage *im = image(name);
    if (!im || im->kind == 0)
        return *err = KE_NOENT, (struct proc *)0;
    const struct elf64_ehdr *e = (const struct elf64_ehdr *)im->data;
    uint64_t slot = e->entry & ~(KPROG_SLOT_SIZE - 1);

    /* A program that ended with nobody waiting holds its slot until it is
     * reaped: reap now, so that it can run again at once. */
    for (int i = 0; i < MAX_PROCS; i++)
        proc_reap(&procs[i]);
    struct proc *p = 0;
    for (int i = 0; i < MAX_PROCS && !p; i++) {
        int expect = P_FREE;
        if (__atomic_compare_exchange_n(&procs[i].state, &expect, P_STARTING, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            p = &procs[i];
    }
    if (!p)
        return *err = KE_NOMEM, (struct proc *)0;
    {
        /* Everything but the state, which we hold. */
        struct proc fresh;
        memset(&fresh, 0, sizeof fresh);
        fresh.state = P_STARTING;
        memcpy((void *)((char *)p + sizeof p->state), (char *)&fresh + sizeof fresh.state,
               sizeof fresh - sizeof fresh.state);
    }
    p->library = client != 0;
    if (client)
        p->users = 1UL << (client - procs);
    p->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
    kstrlcpy(p->name, name, sizeof p->name);
    p->space = peer_space_create();
    long r = p->space > 0 ? pl_call(mem_gate, MEM_ALLOC, p->space, (long)slot, KPROG_SLOT_SIZE, (long)pl_self())
                          : KE_NOMEM;
    if (r < 0) {
        if (p->space > 0)
            peer_space_destroy((uint64_t)p->space);
        p->state = P_FREE;
        return *err = r, (struct proc *)0;
    }
    p->slot_base = (long)slot;
    uint64_t entry = load(im, slot);
    if (!entry) {
        reclaim(p);
        p->state = P_FREE;
        return *err = KE_INVAL, (struct proc *)0;
    }
    /* The start block at the top of its stack: its arguments, split. */
    uint64_t top = slot + KPROG_SLOT_SIZE;
    struct kstart *s = (struct kstart *)((top - sizeof *s - 256) & ~15UL);
    uint64_t *argv = (uint64_t *)(top - 256);
    memcpy(s, &start, sizeof *s);
    s->dir_gate = dir_gate;
    s->pid = (uint64_t)p->pid;
    int argc = 0;
    for (char *c = s->args; *c && argc < 30;) {
        while (*c == ' ')
            *c++ = 0;
        if (!*c)
            break;
        argv[argc++] = (uint64_t)c;
        while (*c && *c != ' ')
            c++;
    }
    argv[argc] = 0;
    s->argc = (uint64_t)argc;
    s->argv = (uint64_t)argv;
    if (client) {
        s->proc_space = pl_self();
        s->client_space = (uint64_t)client->space;
    }

    p->slot_grant = pl_grant((uint64_t)p->space, slot, KPROG_SLOT_SIZE, PL_R | PL_W | PL_X | PL_P);
    pl_grant((uint64_t)p->space, dir_gate, 8, PL_G);
    peer_space_set_fault((uint64_t)p->space, fault_gate);
    {
        uint64_t n[2];
        char text[96];
        int tl = client ? kfmt(text, sizeof text, "slot:RWXP %lx+2M dir:G (library of pid %ld)", (unsigned long)slot,
                               client->pid)
                        : kfmt(text, sizeof text, "slot:RWXP %lx+2M dir:G (program)", (unsigned long)slot);
        kname_pack(name, n);
        pl_pass((uint64_t)text, (uint64_t)tl, PL_R);
        pl_call(dir_admin, DIR_SPACE_ADD, n[0], n[1], p->space, (long)text, tl);
    }
    p->state = P_RUNNING;
    /* The new thread may run (a tick) before SCHED_CREATE returns its id
     * here: until then the id reads TID_STARTING, and proc_caller waits. */
    p->tid = TID_STARTING;
    p->tid = pl_call(sched_admin, SCHED_CREATE, (long)entry, (long)s, (long)(top - KPROG_STACK), (long)top,
                     p->space, (long)s, 1);
    if (p->tid <= 0) {
        proc_finish(p, KE_NOMEM);
        p->state = P_FREE;
        return *err = KE_NOMEM, (struct proc *)0;
    }
    return p;
}

static long spawn(const volatile char *args, long len)
{
    char copy[512];
    if (len <= 0 || len >= (long)sizeof copy)
        return KE_INVAL;
    for (long i = 0; i < len; i++)
        copy[i] = args[i];
    long err = 0;
    struct proc *p = proc_start(copy, len, 0, &err);
    return p ? p->pid : err;
}

/* 1 once p has ended and been reaped (a wait for it returns at once). */
static int ended(struct proc *p)
{
    if (p->state == P_RUNNING) {
        long st = pl_call(sched_admin, SCHED_STATE, p->tid);
        if ((st == KT_FAULTED || st == KT_FREE) && proc_claim(p, P_RUNNING)) {
            /* It stopped outside our fault gate's reach. */
            pl_call(sched_admin, SCHED_KILL, p->tid);
            proc_finish(p, PROC_FAULTED(0));
        }
    }
    return proc_reap(p);
}

static long wait(long pid)
{
    struct proc *p = proc_find(pid);
    if (!p || p->library)
        return KE_NOENT;
    while (!ended(p))
        pl_call(sched_admin, SCHED_WAIT, (long)KEY_PROC(pid), 10);
    long status = p->status;
    p->state = P_FREE;
    return status;
}

/* The program's own thread ends here.  It does not reclaim itself: it runs
 * on the program's stack, in the program's slot, and a thread pre-empted
 * after freeing its slot could resume on the stack of the next program
 * loaded there (and the machine zeroes hunks as its calls return).  So it
 * records its status and ends; sched ends it and wakes its waiter in one
 * step, and the waiter — or the watchdog, for a program nobody waits
 * for — reaps it: the slot is freed only once the thread is gone. */
static __attribute__((noreturn)) void exit_self(struct proc *p, long status)
{
    p->status = status;
    __atomic_store_n(&p->state, P_EXITING, __ATOMIC_RELEASE);
    pl_call(sched_admin, SCHED_EXIT, (long)KEY_PROC(p->pid));
    for (;;)
        ;
}

static long list(volatile char *buf, long len)
{
    char out[1024];
    size_t pos = 0;
    kappend(out, sizeof out, &pos, "  PID SPACE THREAD STATE   NAME\n");
    for (int i = 0; i < MAX_PROCS; i++) {
        struct proc *p = &procs[i];
        if (p->state == P_FREE)
            continue;
        kappend(out, sizeof out, &pos, "%5ld %5ld %6ld %-7s %s", p->pid, p->space, p->state == P_SERVING ? 0 : p->tid,
                p->state == P_RUNNING ? "running" : p->state == P_DEAD ? "dead" : p->state == P_SERVING ? "serving"
                : p->state == P_STARTING ? "start" : "exiting",
                p->name);
        if (p->library)
            for (int u = 0; u < MAX_PROCS; u++)
                if (p->users & (1UL << u))
                    kappend(out, sizeof out, &pos, " (library of pid %ld)", procs[u].pid);
        kappend(out, sizeof out, &pos, "\n");
    }
    long n = (long)pos < len ? (long)pos : len;
    for (long i = 0; i < n; i++)
        buf[i] = out[i];
    return n;
}

static long images(volatile char *buf, long len)
{
    char out[1024];
    size_t pos = 0;
    for (uint64_t i = 0; i < kimage_count; i++)
        kappend(out, sizeof out, &pos, "%-10s %7lu %s\n", kimage_table[i].name, (unsigned long)kimage_table[i].size,
                kimage_table[i].kind ? "program" : "file");
    long n = (long)pos < len ? (long)pos : len;
    for (long i = 0; i < n; i++)
        buf[i] = out[i];
    return n;
}

static long image_read(uint64_t a, uint64_t b, uint64_t off, volatile char *buf, long len)
{
    char name[17];
    kname_unpack(a, b, name);
    const struct kimage *im = image(name);
    if (!im)
        return KE_NOENT;
    if (off >= im->size || len <= 0)
        return 0;
    if ((uint64_t)len > im->size - off)
        len = (long)(im->size - off);
    for (long i = 0; i < len; i++)
        buf[i] = (char)im->data[off + (uint64_t)i];
    return len;
}

/* The data space of the caller is the program's (PL_GATE_OWN_DATA makes it
 * ours in here), so programs say who they are by their pid; proc checks it
 * against the thread that calls. */
struct proc *proc_caller(long pid)
{
    struct proc *p = proc_find(pid);
    long tid = pl_call(sched_admin, SCHED_SELF);
    while (p && *(volatile long *)&p->tid == TID_STARTING)
        pl_call(sched_admin, SCHED_YIELD);      /* its spawner has yet to learn its id */
    return p && p->tid == tid ? p : 0;
}

static long proc_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case PROC_SPAWN: return spawn((const volatile char *)a1, a2);
    case PROC_WAIT: return wait(a1);
    case PROC_DONE: {
        struct proc *p = proc_find(a1);
        return !p || p->library ? KE_NOENT : ended(p);
    }
    case PROC_KILL: {
        struct proc *p = proc_find(a1);
        if (p && proc_claim(p, P_SERVING)) {
            /* A library: its users' calls into it fault from now on. */
            proc_finish(p, -9);
            p->state = P_FREE;
            return 0;
        }
        if (!p || p->state != P_RUNNING)
            return KE_NOENT;
        if (p->tid == pl_call(sched_admin, SCHED_SELF))
            exit_self(p, -9);
        if (!proc_claim(p, P_RUNNING))
            return KE_NOENT;   /* it ended meanwhile */
        pl_call(sched_admin, SCHED_KILL, p->tid);
        proc_finish(p, -9);
        if (p->library)
            p->state = P_FREE;   /* nobody waits for a library */
        return 0;
    }
    case PROC_EXIT: {
        struct proc *p = proc_caller(a2);
        if (!p)
            return KE_PERM;
        exit_self(p, a1);
    }
    case PROC_LIST: return list((volatile char *)a1, a2);
    case PROC_IMAGES: return images((volatile char *)a1, a2);
    case PROC_IMAGE_READ: return image_read((uint64_t)a1, (uint64_t)a2, (uint64_t)a3, (volatile char *)a4, a5);
    case PROC_LIBRARY: return lib_load((uint64_t)a1, (uint64_t)a2, a3, (volatile struct klib_info *)a4);
    case PROC_SERVE: return lib_serve(a1, (uint64_t)a2);
    case PROC_UNLOAD: return lib_unload(a1, a2);
    case PROC_WATCH: return lib_watch(a1, a2, a3);
    case PROC_CATCH: {
        struct proc *p = proc_caller(a1);
        if (!p)
            return KE_PERM;
        p->catch_pc = (uint64_t)a2;
        return 0;
    }
    case PROC_SPACE_NEW: return child_new(a1);
    case PROC_SPACE_DEL: return child_del(a1, (uint64_t)a2);
    case PROC_MEM: {
        struct proc *p = proc_caller(a1);
        return p ? pl_call(mem_gate, MEM_USED, p->space) : KE_PERM;
    }
    case PROC_DEBUG_ALLOW: return debug_allow(a1, a2, (uint64_t)a3, (uint64_t)a4);
    case PROC_DEBUG: return debug_op(a1, a2, a3, a4);
    }
    return KE_INVAL;
}

/* A program faulted (outside any gate call that could be unwound). */
static long proc_fault(long cause, long pc, long addr, long missing)
{
    struct proc *p = 0;
    long tid = pl_call(sched_admin, SCHED_SELF);
    for (int i = 0; i < MAX_PROCS && !p; i++)
        if (procs[i].state == P_RUNNING && procs[i].tid == tid)
            p = &procs[i];
    if (!p) {
        pl_call(sched_admin, SCHED_EXIT);
        for (;;)
            ;
    }
    if (p->catch_pc) {
        /* The program asked to handle its next fault itself: it resumes
         * at its handler with the fault's description, once. */
        pl_frame_set(PL_REG_PC, p->catch_pc);
        pl_frame_set(10, (uint64_t)cause);
        pl_frame_set(11, (uint64_t)pc);
        pl_frame_set(12, (uint64_t)addr);
        pl_frame_set(13, (uint64_t)missing);
        p->catch_pc = 0;
        return 0;
    }
    say("proc: %s (pid %ld) faulted: cause %ld at pc 0x%lx, address 0x%lx, missing 0x%lx\n", p->name, p->pid,
        cause, (unsigned long)pc, (unsigned long)addr, (unsigned long)missing);
    exit_self(p, PROC_FAULTED(cause));
}

static void init(struct kinit *m)
{
    mem_gate = m->gates[0];
    sched_admin = m->gates[1];
    console_gate = m->gates[2];
    dir_gate = m->gates[3];
    dir_admin = m->gates[4];
    long g = pl_make_gate((uint64_t)proc_gate, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    fault_gate = (uint64_t)pl_make_gate((uint64_t)proc_fault, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)g;
    m->out[1] = (uint64_t)watchdog_main;
    m->out[2] = (uint64_t)watchdog_stack;
    long da = pl_make_gate((uint64_t)drv_admin, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)da, 8, PL_G | PL_P);
    m->out[3] = (uint64_t)da;
}
KINIT_ENTRY(proc, init)
