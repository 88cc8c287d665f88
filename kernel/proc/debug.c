/* Debugging, with the policy "a debugger sees exactly what the debuggee
 * granted it".  Memory: the debuggee grants the debugger what it may read
 * (the debugger reads it directly; proc is not involved).  Threads: only
 * proc (through sched, which holds the thread controller) can stop, step
 * and read a thread, so it does that for a debugger that the program named
 * itself with PROC_DEBUG_ALLOW, and only in the program's own code: a step
 * runs calls into other spaces through as one instruction, and registers
 * are withheld (KE_OPAQUE) while the thread is in any other space. */
#include "proc.h"

long debug_allow(long pid, long debugger, uint64_t base, uint64_t len)
{
    struct proc *p = proc_caller(pid);
    if (!p)
        return KE_PERM;
    p->debugger = debugger;
    p->shared_base = base;
    p->shared_len = len;
    return 0;
}

long debug_op(long debugger, long target, long op, long arg)
{
    struct proc *d = proc_caller(debugger), *t = proc_find(target);
    if (!d)
        return KE_PERM;
    if (!t || t->state != P_RUNNING)
        return KE_NOENT;
    if (t->debugger != d->pid)
        return KE_PERM;   /* it did not consent to this debugger */
    switch (op) {
    case DBG_STOP: return pl_call(sched_admin, SCHED_HOLD, t->tid, 1);
    case DBG_GO: return pl_call(sched_admin, SCHED_HOLD, t->tid, 0);
    case DBG_STEP: return pl_call(sched_admin, SCHED_STEP, t->tid, t->space);
    case DBG_SHARED: return (long)(arg ? t->shared_len : t->shared_base);
    case DBG_SPACE: return t->space;
    case DBG_WHERE: return pl_call(sched_admin, SCHED_GETREG, t->tid, 65);
    case DBG_REG: {
        if ((arg < 0 || arg > 31) && arg != 64)
            return KE_INVAL;
        long code = pl_call(sched_admin, SCHED_GETREG, t->tid, 65);
        if (code < 0)
            return code;
        if (code != t->space)
            return KE_OPAQUE;
        return pl_call(sched_admin, SCHED_GETREG, t->tid, arg);
    }
    }
    return KE_INVAL;
}
