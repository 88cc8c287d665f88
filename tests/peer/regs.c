/* Sections 6.1 and 6.2: what registers carry across a gate call.
 * At the callee's entry only a0-a7, fa0-fa7, sp, gp, tp (per the gate),
 * ra (the return gate) and fcsr may carry anything; after the return the
 * caller sees the callee's a0/a1/fa0/fa1, its own sp, gp, tp, s0-s11 and
 * fs0-fs11 — even though the callee clobbered all of them and returned
 * with a wrong sp — and zero in every other register. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

/* entry[0..31] x, [32..63] f, [64] fcsr, as the callee found them. */
PEER_BSS(lib) uint64_t lib_entry_regs[65];

/* The callee: records its registers, clobbers all it can, returns with
 * sp pointing elsewhere. */
__asm__(
    ".pushsection .lib.text, \"ax\"\n"
    ".globl lib_regs_entry\n"
    "lib_regs_entry:\n"
    "  addi sp, sp, -528\n"
    "  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "  sd x\\n, 8*\\n(sp)\n"
    "  .endr\n"
    "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "  fsd f\\n, 256+8*\\n(sp)\n"
    "  .endr\n"
    "  addi t0, sp, 528\n"
    "  sd t0, 16(sp)\n"           /* sp at entry */
    "  frcsr t0\n"
    "  sd t0, 512(sp)\n"
    "  la t1, lib_entry_regs\n"
    "  mv t2, sp\n"
    "  li t3, 65\n"
    "1: ld t0, 0(t2)\n"
    "  sd t0, 0(t1)\n"
    "  addi t1, t1, 8\n"
    "  addi t2, t2, 8\n"
    "  addi t3, t3, -1\n"
    "  bnez t3, 1b\n"
    /* Clobber every register but ra. */
    "  .irp n, 3,4,5,6,7,8,9,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "  li x\\n, 0xdead0000 + \\n\n"
    "  .endr\n"
    "  .irp n, 0,1,2,3,4,5,6,7,8,9,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "  fmv.d.x f\\n, x\\n\n"
    "  .endr\n"
    "  li a0, 0x600d\n"
    "  li a1, 0x600e\n"
    "  fmv.d.x fa0, a1\n"
    "  fmv.d.x fa1, a0\n"
    "  li sp, 0x1230\n"           /* a wrong sp to return with */
    "  ret\n"
    ".popsection\n");
extern char lib_regs_entry[];

/* regs_call(gate, out): call gate with every register set to a known value;
 * out[0..31] x, [32..63] f after the return, [64] sp at the call, [65]
 * the return address. */
__asm__(
    ".text\n"
    ".globl regs_call\n"
    "regs_call:\n"
    "  addi sp, sp, -1024\n"
    "  sd ra, 0(sp)\n"
    "  .irp n, 8,9,18,19,20,21,22,23,24,25,26,27\n"
    "  sd x\\n, 8*\\n(sp)\n"
    "  fsd f\\n, 256+8*\\n(sp)\n"
    "  .endr\n"
    "  sd a1, 8(sp)\n"            /* out */
    "  mv t6, a0\n"               /* the gate */
    "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "  li t0, 0xf000 + \\n\n"
    "  fmv.d.x f\\n, t0\n"
    "  .endr\n"
    "  .irp n, 5,6,7,28,29,30\n"
    "  li x\\n, 0x1000 + \\n\n"
    "  .endr\n"
    "  .irp n, 8,9,18,19,20,21,22,23,24,25,26,27\n"
    "  li x\\n, 0x5000 + \\n\n"
    "  .endr\n"
    "  .irp n, 10,11,12,13,14,15,16,17\n"
    "  li x\\n, 0xa000 + \\n\n"
    "  .endr\n"
    "  sd sp, 16(sp)\n"
    "  jalr ra, t6, 0\n"
    "regs_call_ret:\n"
    "  .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "  sd x\\n, 512+8*\\n(sp)\n"
    "  .endr\n"
    "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "  fsd f\\n, 768+8*\\n(sp)\n"
    "  .endr\n"
    "  ld t1, 8(sp)\n"
    "  addi t2, sp, 512\n"
    "  li t3, 64\n"
    "1: ld t0, 0(t2)\n"
    "  sd t0, 0(t1)\n"
    "  addi t1, t1, 8\n"
    "  addi t2, t2, 8\n"
    "  addi t3, t3, -1\n"
    "  bnez t3, 1b\n"
    "  ld t0, 16(sp)\n"
    "  sd t0, 0(t1)\n"            /* out[64]: sp at the call */
    "  la t0, regs_call_ret\n"
    "  sd t0, 8(t1)\n"            /* out[65] */
    "  .irp n, 8,9,18,19,20,21,22,23,24,25,26,27\n"
    "  ld x\\n, 8*\\n(sp)\n"
    "  fld f\\n, 256+8*\\n(sp)\n"
    "  .endr\n"
    "  ld ra, 0(sp)\n"
    "  addi sp, sp, 1024\n"
    "  ret\n");
void regs_call(uint64_t gate, uint64_t *out);

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint64_t out[66];

static int is_arg(int n) { return n >= 10 && n <= 17; }
static int is_saved(int n) { return n == 8 || n == 9 || (n >= 18 && n <= 27); }

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a = peer_space_new(&ia);
    CHECK(a > 1);
    int ok;
    uint64_t ga = peer_spawn(a, lib_start, 0x7700, stack_a, sizeof stack_a, &ok);
    CHECK(ok);
    /* A gate straight to the recording callee, made by lib itself. */
    long gr = pl_call(ga, AG_GATE, (uint64_t)lib_regs_entry, PL_GATE_OWN_DATA, 1024, 0x7711);
    CHECK(gr > 0);
    uint64_t gp = peer_read_gp(), tp = peer_read_tp();

    printf("regs: registers at the callee's entry\n");
    __asm__ volatile("fsrmi 2");   /* fcsr passes unchanged */
    regs_call((uint64_t)gr, out);
    __asm__ volatile("fsrmi 0");
    CHECK_EQ(pl_status(), 0);
    const uint64_t *e = lib_entry_regs;
    CHECK_EQ(e[1], PEER_GATE_RETURN);
    CHECK_EQ(e[2], out[64]);
    CHECK_EQ(e[3], gp);          /* lib's gate: the gp lib gave it (the program's) */
    CHECK_EQ(e[4], 0x7711);      /* and its tp */
    for (int n = 5; n < 32; n++) {
        if (is_arg(n))
            CHECK_EQ(e[n], 0xa000 + n);
        else
            CHECK_EQ(e[n], 0);
    }
    for (int n = 0; n < 32; n++) {
        if (n >= 10 && n <= 17)
            CHECK_EQ(e[32 + n], 0xf000 + n);
        else
            CHECK_EQ(e[32 + n], 0);
    }
    CHECK_EQ(e[64], 2 << 5);

    printf("regs: registers after the return\n");
    CHECK_EQ(out[1], out[65]);       /* ra: the return address */
    CHECK_EQ(out[2], out[64]);       /* sp: the caller's, not the callee's 0x1230 */
    CHECK_EQ(out[3], gp);
    CHECK_EQ(out[4], tp);
    for (int n = 5; n < 32; n++) {
        if (n == 10)
            CHECK_EQ(out[n], 0x600d);
        else if (n == 11)
            CHECK_EQ(out[n], 0x600e);
        else if (is_saved(n))
            CHECK_EQ(out[n], 0x5000 + n);
        else
            CHECK_EQ(out[n], 0);
    }
    for (int n = 0; n < 32; n++) {
        uint64_t f = out[32 + n];
        if (n == 10)
            CHECK_EQ(f, 0x600e);
        else if (n == 11)
            CHECK_EQ(f, 0x600d);
        else if (n == 8 || n == 9 || (n >= 18 && n <= 27))
            CHECK_EQ(f, 0xf000 + n);
        else
            CHECK_EQ(f, 0);
    }

    printf("regs: the same through a caller-data gate\n");
    long gc = pl_call(ga, AG_GATE, (uint64_t)lib_regs_entry, PL_GATE_CALLER_DATA, 1024, 0);
    CHECK(gc > 0);
    /* The callee stores into lib's data: with the caller's (root's) data
     * space it still may, since the root holds everything. */
    for (int n = 0; n < 65; n++)
        lib_entry_regs[n] = ~0UL;
    regs_call((uint64_t)gc, out);
    CHECK_EQ(pl_status(), 0);
    CHECK_EQ(e[3], gp);   /* the caller's gp and tp */
    CHECK_EQ(e[4], tp);
    CHECK_EQ(e[5], 0);
    CHECK_EQ(e[31], 0);
    CHECK_EQ(out[2], out[64]);
    CHECK_EQ(out[8], 0x5008);
    CHECK_EQ(out[5], 0);
    printf("regs: ok (%d checks)\n", ptest_checks);
    return 0;
}
