/* The OS calls beyond the basics: libraries in their own spaces, catching
 * one's own faults, child spaces, debugging.  Each is a call to proc, which
 * checks that the calling thread is the pid it claims. */
#include <setjmp.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

const struct kstart *os_start_block(void);
uint64_t os_proc_gate(void);
#define PROC(...) pl_call(os_proc_gate(), __VA_ARGS__)

long os_library(const char *name, struct klib_info *info)
{
    uint64_t n[2];
    kname_pack(name, n);
    pl_pass((uint64_t)info, sizeof *info, PL_W);
    return PROC(PROC_LIBRARY, n[0], n[1], os_pid(), (long)info);
}
long os_unload(long lib) { return PROC(PROC_UNLOAD, os_pid(), lib); }
long os_watch(long lib, long ticks) { return PROC(PROC_WATCH, os_pid(), lib, ticks); }
uint64_t os_client_space(void) { return os_start_block()->client_space; }

long os_serve(uint64_t entry, uint64_t flags, uint64_t stack_need)
{
    long gate = pl_make_gate(entry, flags, stack_need, peer_read_gp(), peer_read_tp());
    if (gate < 0)
        return gate;
    long g = pl_grant(os_start_block()->proc_space, (uint64_t)gate, 8, PL_G | PL_P);
    if (g < 0)
        return g;
    return PROC(PROC_SERVE, os_pid(), gate);   /* returns only on an error */
}

/* proc resumes a caught fault here, with the fault in a0..a3, on the
 * faulting code's own stack: back to os_try's setjmp. */
static jmp_buf catch_point;
static volatile struct pl_fault caught;
static __attribute__((noreturn, used)) void catch_landing(long cause, long pc, long addr, long missing)
{
    caught.cause = (uint64_t)cause;
    caught.pc = (uint64_t)pc;
    caught.addr = (uint64_t)addr;
    caught.missing = (uint64_t)missing;
    longjmp(catch_point, 1);
}

long os_try(void (*fn)(void *), void *arg, struct pl_fault *rec)
{
    if (setjmp(catch_point)) {
        caught.space = pl_self();
        caught.code_space = pl_code_space();
        caught.thread = 0;
        if (rec)
            memcpy(rec, (const void *)&caught, sizeof *rec);
        return (long)caught.cause;
    }
    PROC(PROC_CATCH, os_pid(), (long)catch_landing);
    fn(arg);
    PROC(PROC_CATCH, os_pid(), 0);
    return 0;
}

long os_space_new(void) { return PROC(PROC_SPACE_NEW, os_pid()); }
long os_space_del(long space) { return PROC(PROC_SPACE_DEL, os_pid(), space); }
long os_mem_used(void) { return PROC(PROC_MEM, os_pid()); }
long os_debug_allow(long debugger, const void *granted, size_t len)
{
    return PROC(PROC_DEBUG_ALLOW, os_pid(), debugger, (long)granted, (long)len);
}
long os_debug(long target, long op, long arg) { return PROC(PROC_DEBUG, os_pid(), target, op, arg); }
