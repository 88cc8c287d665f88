/* An agent: a space's code that does, on request through its gate, one
 * thing a test wants to try from inside that space (load, store, jump,
 * grant, call another gate...).  Include this file once per space, with
 * AGENT defined as the space's section name (lib, lib2 or lib3):
 *
 *     #define AGENT lib
 *     #include "agent.h"
 *     #undef AGENT
 *
 * It defines, in that space's pages:
 *   long lib_agent(op, a, b, c, d, e, f, g)    the gate entry
 *   PEER_SPAWN_ENTRY lib_start                  init: makes the gate, returns its address
 *   long lib_status; struct pl_fault lib_fault  status and record of the agent's last AG_CALL
 *   lib_load_insn, lib_store_insn, ...          the exact instructions that access memory
 */
#include "peer_rt.h"

#ifndef AGENT_OPS
#define AGENT_OPS
enum agent_op {
    AG_ECHO = 1,   /* a + 1 */
    AG_LOAD,       /* ld [a] */
    AG_STORE,      /* sd b -> [a] */
    AG_LOAD32,     /* lw [a] */
    AG_STORE32,    /* sw b -> [a] */
    AG_JUMP,       /* call a as a function (a fetch) */
    AG_CALL,       /* call gate a with (b, c, d, e, f, g); keeps status and record */
    AG_GRANT,      /* grant to space a: [b, b+c) rights d */
    AG_REVOKE,     /* revoke grant a */
    AG_DROP,       /* drop grant a */
    AG_QUERY,      /* rights at a */
    AG_SELF,       /* SELF a (0 data space, 1 code space) */
    AG_PASS,       /* arm a pass of [a, a+b) rights c and return */
    AG_PASS_CALL,  /* arm a pass of [a, a+b) rights c, call gate d with (e, f, g) */
    AG_GRANT_ALL,  /* GRANT_ALL to space a, mask b */
    AG_UNGATE,     /* UNGATE a */
    AG_SCRIBBLE,   /* fill 1 KiB of its stack with 0xa5; returns its address */
    AG_SP,         /* its sp at entry (about) */
    AG_SPIN,       /* spin until [a] != 0 or b iterations, registers full; returns their sum */
    AG_TP,         /* its tp */
    AG_STATUS,     /* pl_status() */
    AG_GATE,       /* make a gate into this space: entry a, flags b, stack need c, tp d */
    AG_AMOADD,     /* amoadd.d b -> [a]; returns the old value */
    AG_INSN,       /* execute instruction kind a (enum agent_insn) */
    AG_EMUL,       /* the custom-1 instruction on (a, b): only a fault handler gives it meaning */
    AG_FRAME_GET,  /* FRAME_GET a */
    AG_GRANT2,     /* grant [c, c+d) rights e to space a, then call gate f to have a grant it on
                      to space b; returns the second grant's id, the first goes to _granted */
    AG_PASS_STACK, /* pass 32 bytes of its own stack (R) to gate a and have it AG_LOAD them */
};
/* AG_INSN kinds: instructions a space may or may not execute. */
enum agent_insn {
    INSN_CSRR_MSTATUS, INSN_MRET, INSN_SRET, INSN_SFENCE, INSN_ECALL, INSN_EBREAK,
    INSN_RDCYCLE, INSN_RDTIME, INSN_RDINSTRET, INSN_FRCSR, INSN_KINDS
};
/* The sum AG_SPIN returns when every register kept its value. */
#define AG_SPIN_SUM 0x0c0c0c0c0c0c0c06UL

/* A store and a load the agent behind `gate` makes (ptest.h checks them):
 * say, to a control page only that space holds. */
static void agent_store(uint64_t gate, uint64_t addr, uint64_t v) { EXPECT_RETURN(pl_call(gate, AG_STORE, addr, v), 0); }
static long agent_load(uint64_t gate, uint64_t addr)
{
    long v = pl_call(gate, AG_LOAD, addr);
    CHECK_EQ(pl_status(), 0);
    return v;
}
#endif

#define AG_CAT_(a, b) a##b
#define AG_CAT(a, b) AG_CAT_(a, b)
#define AG_STR_(a) #a
#define AG_STR(a) AG_STR_(a)
#define AG(x) AG_CAT(AGENT, x)

PEER_BSS(AGENT) long AG(_status);
PEER_BSS(AGENT) struct pl_fault AG(_fault);
PEER_BSS(AGENT) long AG(_spin_left);
PEER_BSS(AGENT) long AG(_granted);

/* Something to jump to: needs nothing but X. */
PEER_TEXT(AGENT) long AG(_nop)(void) { return 0x600d; }

PEER_TEXT(AGENT) long AG(_load)(uint64_t a)
{
    long v;
    __asm__ volatile(".globl " AG_STR(AGENT) "_load_insn\n" AG_STR(AGENT) "_load_insn: ld %0, 0(%1)"
                     : "=r"(v) : "r"(a) : "memory");
    return v;
}
PEER_TEXT(AGENT) void AG(_store)(uint64_t a, uint64_t v)
{
    __asm__ volatile(".globl " AG_STR(AGENT) "_store_insn\n" AG_STR(AGENT) "_store_insn: sd %1, 0(%0)"
                     :: "r"(a), "r"(v) : "memory");
}
PEER_TEXT(AGENT) long AG(_load32)(uint64_t a)
{
    long v;
    __asm__ volatile(".globl " AG_STR(AGENT) "_load32_insn\n" AG_STR(AGENT) "_load32_insn: lw %0, 0(%1)"
                     : "=r"(v) : "r"(a) : "memory");
    return v;
}
PEER_TEXT(AGENT) void AG(_store32)(uint64_t a, uint64_t v)
{
    __asm__ volatile(".globl " AG_STR(AGENT) "_store32_insn\n" AG_STR(AGENT) "_store32_insn: sw %1, 0(%0)"
                     :: "r"(a), "r"(v) : "memory");
}

PEER_TEXT(AGENT) long AG(_amoadd)(uint64_t a, uint64_t v)
{
    long old;
    __asm__ volatile(".globl " AG_STR(AGENT) "_amo_insn\n" AG_STR(AGENT) "_amo_insn: amoadd.d %0, %2, (%1)"
                     : "=r"(old) : "r"(a), "r"(v) : "memory");
    return old;
}

/* Each kind at a label NAME_insn_KIND, so that tests know the fault pc. */
#define AG_INSN_AT(kind, text) \
    ".globl " AG_STR(AGENT) "_insn_" #kind "\n" AG_STR(AGENT) "_insn_" #kind ": " text "\n"
PEER_TEXT(AGENT) long AG(_insn)(long kind)
{
    long v = -1;
    switch (kind) {
    case INSN_CSRR_MSTATUS: __asm__ volatile(AG_INSN_AT(0, "csrr %0, mstatus") : "=r"(v)); break;
    case INSN_MRET: __asm__ volatile(AG_INSN_AT(1, "mret")); break;
    case INSN_SRET: __asm__ volatile(AG_INSN_AT(2, "sret")); break;
    case INSN_SFENCE: __asm__ volatile(AG_INSN_AT(3, "sfence.vma")); break;
    case INSN_ECALL: __asm__ volatile(AG_INSN_AT(4, "ecall") ::: "memory"); break;
    case INSN_EBREAK: __asm__ volatile(AG_INSN_AT(5, "ebreak") ::: "memory"); break;
    case INSN_RDCYCLE: __asm__ volatile(AG_INSN_AT(6, "rdcycle %0") : "=r"(v)); break;
    case INSN_RDTIME: __asm__ volatile(AG_INSN_AT(7, "rdtime %0") : "=r"(v)); break;
    case INSN_RDINSTRET: __asm__ volatile(AG_INSN_AT(8, "rdinstret %0") : "=r"(v)); break;
    case INSN_FRCSR: __asm__ volatile(AG_INSN_AT(9, "frcsr %0") : "=r"(v)); break;
    }
    return v;
}

/* custom-1 (opcode 0x2b) is not an instruction of the peer machine. */
PEER_TEXT(AGENT) long AG(_emul)(long a, long b)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    __asm__ volatile(".globl " AG_STR(AGENT) "_emul_insn\n" AG_STR(AGENT) "_emul_insn: .insn r 0x2b, 0, 0, a0, a0, a1"
                     : "+r"(a0) : "r"(a1) : "memory");
    return a0;
}

/* Sets 22 integer and 24 FP registers, spins, and sums them: an
 * interrupt taken meanwhile must leave every one as it was. */
PEER_TEXT(AGENT) long AG(_spin)(uint64_t flag, uint64_t max)
{
    long sum, left = (long)max;
    __asm__ volatile(
        "li t0, 0x0101010101010101\n li t1, 0x0202020202020202\n li t2, 0x0303030303030303\n"
        "li t3, 0x0404040404040404\n li t4, 0x0505050505050505\n li t5, 0x0606060606060606\n"
        "li a2, 0x1111111111111111\n li a3, 0x1212121212121212\n li a4, 0x1313131313131313\n"
        "li a5, 0x1414141414141414\n li a6, 0x1515151515151515\n li a7, 0x1616161616161616\n"
        "li s2, 0x2121212121212121\n li s3, 0x2222222222222222\n li s4, 0x2323232323232323\n"
        "li s5, 0x2424242424242424\n li s6, 0x2525252525252525\n li s7, 0x2626262626262626\n"
        "li s8, 0x2727272727272727\n li s9, 0x2828282828282828\n li s10, 0x2929292929292929\n"
        "li s11, 0x2a2a2a2a2a2a2a2a\n"
        "fmv.d.x ft0, t0\n fmv.d.x ft1, t1\n fmv.d.x ft2, t2\n fmv.d.x ft3, t3\n"
        "fmv.d.x ft4, t4\n fmv.d.x ft5, t5\n fmv.d.x ft6, a2\n fmv.d.x ft7, a3\n"
        "fmv.d.x ft8, a4\n fmv.d.x ft9, a5\n fmv.d.x ft10, a6\n fmv.d.x ft11, a7\n"
        "fmv.d.x fs0, s2\n fmv.d.x fs1, s3\n fmv.d.x fs2, s4\n fmv.d.x fs3, s5\n"
        "fmv.d.x fs4, s6\n fmv.d.x fs5, s7\n fmv.d.x fs6, s8\n fmv.d.x fs7, s9\n"
        "fmv.d.x fs8, s10\n fmv.d.x fs9, s11\n fmv.d.x fs10, t0\n fmv.d.x fs11, t1\n"
        "1: ld t6, 0(%[flag])\n bnez t6, 2f\n addi %[left], %[left], -1\n bnez %[left], 1b\n"
        "2:\n"
        "add t6, t0, t1\n add t6, t6, t2\n add t6, t6, t3\n add t6, t6, t4\n add t6, t6, t5\n"
        "add t6, t6, a2\n add t6, t6, a3\n add t6, t6, a4\n add t6, t6, a5\n add t6, t6, a6\n add t6, t6, a7\n"
        "add t6, t6, s2\n add t6, t6, s3\n add t6, t6, s4\n add t6, t6, s5\n add t6, t6, s6\n add t6, t6, s7\n"
        "add t6, t6, s8\n add t6, t6, s9\n add t6, t6, s10\n add t6, t6, s11\n"
        "slli t6, t6, 1\n"   /* the FP registers come next, each once more */
        "fmv.x.d t0, ft0\n add t6, t6, t0\n fmv.x.d t0, ft1\n add t6, t6, t0\n"
        "fmv.x.d t0, ft2\n add t6, t6, t0\n fmv.x.d t0, ft3\n add t6, t6, t0\n"
        "fmv.x.d t0, ft4\n add t6, t6, t0\n fmv.x.d t0, ft5\n add t6, t6, t0\n"
        "fmv.x.d t0, ft6\n add t6, t6, t0\n fmv.x.d t0, ft7\n add t6, t6, t0\n"
        "fmv.x.d t0, ft8\n add t6, t6, t0\n fmv.x.d t0, ft9\n add t6, t6, t0\n"
        "fmv.x.d t0, ft10\n add t6, t6, t0\n fmv.x.d t0, ft11\n add t6, t6, t0\n"
        "fmv.x.d t0, fs0\n add t6, t6, t0\n fmv.x.d t0, fs1\n add t6, t6, t0\n"
        "fmv.x.d t0, fs2\n add t6, t6, t0\n fmv.x.d t0, fs3\n add t6, t6, t0\n"
        "fmv.x.d t0, fs4\n add t6, t6, t0\n fmv.x.d t0, fs5\n add t6, t6, t0\n"
        "fmv.x.d t0, fs6\n add t6, t6, t0\n fmv.x.d t0, fs7\n add t6, t6, t0\n"
        "fmv.x.d t0, fs8\n add t6, t6, t0\n fmv.x.d t0, fs9\n add t6, t6, t0\n"
        "fmv.x.d t0, fs10\n add t6, t6, t0\n fmv.x.d t0, fs11\n add t6, t6, t0\n"
        "mv %[sum], t6\n"
        : [sum] "=r"(sum), [left] "+r"(left)
        : [flag] "r"(flag)
        : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a2", "a3", "a4", "a5", "a6", "a7",
          "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
          "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "ft8", "ft9", "ft10", "ft11",
          "fs0", "fs1", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "memory");
    AG(_spin_left) = left;
    return sum;
}

PEER_TEXT(AGENT) long AG(_agent)(long op, long a, long b, long c, long d, long e, long f, long g)
{
    switch (op) {
    case AG_ECHO: return a + 1;
    case AG_LOAD: return AG(_load)(a);
    case AG_STORE: AG(_store)(a, b); return 0;
    case AG_LOAD32: return AG(_load32)(a);
    case AG_STORE32: AG(_store32)(a, b); return 0;
    case AG_JUMP: return ((long (*)(void))a)();
    case AG_CALL: {
        long r = pl_call(a, b, c, d, e, f, g);
        AG(_status) = pl_status();
        pl_faultinfo(&AG(_fault));
        return r;
    }
    case AG_GRANT: return pl_grant(a, b, c, d);
    case AG_REVOKE: return pl_revoke(a);
    case AG_DROP: return pl_drop(a);
    case AG_QUERY: return pl_query(a);
    case AG_SELF: return a ? (long)pl_code_space() : (long)pl_self();
    case AG_PASS: return pl_pass(a, b, c);
    case AG_PASS_CALL: {
        long p = pl_pass(a, b, c);
        if (p < 0)
            return p;
        long r = pl_call(d, e, f, g);
        AG(_status) = pl_status();
        pl_faultinfo(&AG(_fault));
        return r;
    }
    case AG_GRANT_ALL: return pl_grant_all(a, b);
    case AG_UNGATE: return pl_ungate(a);
    case AG_SCRIBBLE: {
        volatile uint8_t buf[1024];
        for (int i = 0; i < (int)sizeof buf; i++)
            buf[i] = 0xa5;
        return (long)buf;
    }
    case AG_SP: return (long)peer_read_sp();
    case AG_SPIN: return AG(_spin)(a, b);
    case AG_TP: return (long)peer_read_tp();
    case AG_STATUS: return pl_status();
    case AG_GATE: return pl_make_gate(a, b, c, peer_read_gp(), d);
    case AG_AMOADD: return AG(_amoadd)(a, b);
    case AG_INSN: return AG(_insn)(a);
    case AG_EMUL: return AG(_emul)(a, b);
    case AG_FRAME_GET: return pl_frame_get(a);
    case AG_GRANT2: {
        long first = pl_grant(a, c, d, e);
        AG(_granted) = first;
        if (first < 0)
            return first;
        long r = pl_call(f, AG_GRANT, b, c, d, e & ~(long)PL_P);
        AG(_status) = pl_status();
        return r;
    }
    case AG_PASS_STACK: {
        volatile uint64_t local[4] = { 0x3333, 0x3334, 0x3335, 0x3336 };
        long p = pl_pass((uint64_t)local, sizeof local, PL_R);
        if (p < 0)
            return p;
        long r = pl_call(a, AG_LOAD, (long)&local[1]);
        AG(_status) = pl_status();
        return r;
    }
    }
    return -1000;
}

/* Init (on the spawn thread): make the agent's gate, with tp = arg so
 * that tests can tell whose tp a callee sees. */
PEER_TEXT(AGENT) uint64_t AG(_init)(uint64_t arg)
{
    return (uint64_t)pl_make_gate((uint64_t)AG(_agent), PL_GATE_OWN_DATA, 2048, peer_read_gp(), arg);
}
PEER_SPAWN_ENTRY(AGENT, AG(_start), AG(_init))
