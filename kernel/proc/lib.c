/* Libraries in spaces of their own, and the watchdog.
 *
 * A library is an image of the boot image started like a program, but for
 * a client: its start block names the client's space and proc's.  Its
 * main makes its gate, grants proc G|P over it and calls PROC_SERVE; its
 * thread then ends, and the space stays, reachable only through that gate.
 * proc grants G on the gate to each program that asks for the library
 * (PROC_LIBRARY), and frees the library when the last of them stops using
 * it or ends.  Calls into a library run on the caller's thread, so a
 * library has no fault gate once it serves: a fault in it unwinds the
 * caller's call, and the caller learns it from pl_status().
 *
 * The watchdog bounds a call: a program arms it over a library (PROC_WATCH)
 * before calling in; proc's watchdog thread checks the deadlines each few
 * ticks, and when one passes it revokes the library's rights over its own
 * memory.  The looping code then faults on its next fetch, which unwinds
 * the call to the program, and the library's space is reclaimed.
 */
#include "proc.h"

uint8_t watchdog_stack[32768] __attribute__((aligned(16)));

static struct proc *serving(const char *name)
{
    for (int i = 0; i < MAX_PROCS; i++)
        if (procs[i].state == P_SERVING && procs[i].library && !strcmp(procs[i].name, name))
            return &procs[i];
    return 0;
}

static long give(struct proc *lib, struct proc *user, volatile struct klib_info *out)
{
    long g = pl_grant((uint64_t)user->space, lib->gate, 8, PL_G);
    if (g < 0)
        return g;
    lib->users |= 1UL << (user - procs);
    out->gate = lib->gate;
    out->space = (uint64_t)lib->space;
    out->pid = (uint64_t)lib->pid;
    return (long)lib->gate;
}

long lib_load(uint64_t a, uint64_t b, long pid, volatile struct klib_info *out)
{
    struct proc *user = proc_caller(pid);
    if (!user)
        return KE_PERM;
    char name[17];
    kname_unpack(a, b, name);
    struct proc *lib = serving(name);
    if (lib)
        return give(lib, user, out);
    long err = 0;
    lib = proc_start(name, (long)strlen(name), user, &err);
    if (!lib)
        return err;
    /* It serves once its thread, which made the gate, is gone (lib_serve);
     * or it ended without serving, and is reaped here. */
    while (!proc_reap(lib)) {
        if (lib->state == P_RUNNING && lib->gate && proc_thread_gone(lib)) {
            lib->state = P_SERVING;
            break;
        }
        pl_call(sched_admin, SCHED_WAIT, (long)KEY_PROC(lib->pid), 10);
    }
    if (lib->state == P_DEAD) {
        long st = lib->status;
        lib->state = P_FREE;
        return st < 0 ? st : KE_INVAL;
    }
    return give(lib, user, out);
}

/* On the library's own thread, which ends here.  The library serves (and
 * can be freed, its slot reused) only once this thread is gone: lib_load
 * makes it P_SERVING when sched says so (exit_self says why). */
long lib_serve(long pid, uint64_t gate)
{
    struct proc *lib = proc_caller(pid);
    if (!lib || !lib->library || lib->state != P_RUNNING || lib->gate)
        return KE_PERM;
    if ((pl_query(gate) & (PL_G | PL_P)) != (PL_G | PL_P))
        return KE_PERM;   /* we could not hand it on */
    peer_space_set_fault((uint64_t)lib->space, 0);
    lib->gate = gate;
    pl_call(sched_admin, SCHED_EXIT, (long)KEY_PROC(lib->pid));
    for (;;)
        ;
}

static void drop_user(struct proc *lib, struct proc *user)
{
    lib->users &= ~(1UL << (user - procs));
    if (user->watch_lib == lib->pid)
        user->watch_lib = 0;
    if (!lib->users && proc_claim(lib, P_SERVING)) {
        proc_finish(lib, 0);
        lib->state = P_FREE;
    }
}

long lib_unload(long pid, long libpid)
{
    struct proc *user = proc_caller(pid), *lib = proc_find(libpid);
    if (!user)
        return KE_PERM;
    if (!lib || !lib->library || !(lib->users & (1UL << (user - procs))))
        return KE_NOENT;
    drop_user(lib, user);
    return 0;
}

void lib_release_all(struct proc *user)
{
    for (int i = 0; i < MAX_PROCS; i++)
        if (procs[i].library && procs[i].state != P_FREE && (procs[i].users & (1UL << (user - procs))))
            drop_user(&procs[i], user);
}

long lib_watch(long pid, long libpid, long ticks)
{
    struct proc *user = proc_caller(pid), *lib = proc_find(libpid);
    if (!user)
        return KE_PERM;
    if (ticks <= 0) {
        user->watch_lib = 0;
        return 0;
    }
    if (!lib || !lib->library || !(lib->users & (1UL << (user - procs))))
        return KE_NOENT;
    user->watch_deadline = (uint64_t)pl_call(sched_admin, SCHED_TICKS) + (uint64_t)ticks;
    user->watch_lib = libpid;
    return 0;
}

/* proc's own thread (boot starts it): every 2 ticks, the deadlines (and
 * the drivers' watch words: driver.c), and the programs that ended with
 * nobody waiting for them are reaped. */
void watchdog_main(void)
{
    for (;;) {
        pl_call(sched_admin, SCHED_SLEEP, 2);
        driver_watch();
        uint64_t now = (uint64_t)pl_call(sched_admin, SCHED_TICKS);
        for (int i = 0; i < MAX_PROCS; i++)
            proc_reap(&procs[i]);
        for (int i = 0; i < MAX_PROCS; i++) {
            struct proc *user = &procs[i];
            long libpid = user->watch_lib;
            if (user->state != P_RUNNING || !libpid || now < user->watch_deadline)
                continue;
            user->watch_lib = 0;
            struct proc *lib = proc_find(libpid);
            if (!lib || !proc_claim(lib, P_SERVING))
                continue;
            say("proc: watchdog: a call from %s (pid %ld) into %s (pid %ld) ran past its deadline; "
                "revoking %s's rights and reclaiming it\n",
                user->name, user->pid, lib->name, lib->pid, lib->name);
            /* From now on the library cannot fetch its next instruction:
             * the call it loops in is unwound to its caller. */
            pl_revoke(lib->slot_grant);
            lib->users = 0;
            proc_finish(lib, -9);
            lib->state = P_FREE;
        }
    }
}
