#!/usr/bin/env python3
"""Random RV64IMAFDC instruction-sequence generator for differential testing.

Emits one bare-metal assembly program (.S) for a seed and a profile:
  1. a prologue that installs a trap handler, enables the FPU (rv64gc) and
     loads every x and f register, fcsr and a 4 KiB data area with random,
     mostly "interesting" values;
  2. a body of random items (an item is one instruction, or a short
     construct such as address setup + load, a forward branch, a bounded
     loop or an LR/SC pair) that only touch the data area, never write sp
     (x2, the data area's base) and only jump forward inside the program
     (loops are the one backward jump, with a counter they never clobber);
  3. an epilogue that dumps x1..x31, f0..f31, fcsr and the data area in
     hex to the UART and writes PASS to the test finisher.
A trap prints mcause/mepc/mtval and exits with code 1 so it shows up in the
comparison.  `--limit N` keeps only the first N body items (the rest of the
program is identical), which lets rvbisect.py find the first item whose
effect differs between two machines.
"""
import argparse
import random
import struct
import sys

DATA_SIZE = 4096          # bytes of data area; sp points to its middle
SP_BIAS = 2048
UART = 0x10000000
FINISHER = 0x100000
PROFILES = ("rv64gc", "rv64imac")

RMS = ("rne", "rtz", "rdn", "rup", "rmm", "dyn")
BRANCHES = ("beq", "bne", "blt", "bge", "bltu", "bgeu")
ALU_R = ("add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
         "addw", "subw", "sllw", "srlw", "sraw")
MUL_R = ("mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
         "mulw", "divw", "divuw", "remw", "remuw")
ALU_I = ("addi", "slti", "sltiu", "xori", "ori", "andi", "addiw")
SHIFT_I = (("slli", 64), ("srli", 64), ("srai", 64),
           ("slliw", 32), ("srliw", 32), ("sraiw", 32))
LOADS = (("lb", 1), ("lh", 2), ("lw", 4), ("ld", 8), ("lbu", 1), ("lhu", 2), ("lwu", 4))
STORES = (("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8))
AMOS = ("amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
        "amominu", "amomaxu")
ORDER = ("", ".aq", ".rl", ".aqrl")
CREGS = tuple(range(8, 16))   # registers the 3-bit compressed fields reach


def x(n):
    return "x%d" % n


def f(n):
    return "f%d" % n


class Gen:
    def __init__(self, seed, profile):
        self.r = random.Random(seed)
        self.fp = profile == "rv64gc"
        self.nlabel = 0

    # ---- values -------------------------------------------------------
    def int_value(self):
        r = self.r
        k = r.randrange(12)
        if k == 0:
            return r.choice((0, 1, -1, 2, -2))
        if k == 1:
            return r.choice((0x7fffffff, -0x80000000, 0xffffffff, 0x80000000,
                             0x7fffffffffffffff, -0x8000000000000000))
        if k == 2:
            return r.randrange(-16, 17)
        if k == 3:
            v = 1 << r.randrange(64)
            return v + r.choice((-1, 0, 0, 1))
        if k == 4:
            return -(1 << r.randrange(63))
        if k == 5:   # sign-extended 32-bit
            v = r.getrandbits(32)
            return v - (1 << 32) if v >> 31 else v
        if k == 6:   # a NaN-boxed single, or an FP bit pattern, in an x register
            return self.fp_bits(r.random() < 0.5)
        return r.getrandbits(64)

    def single_bits(self):
        r = self.r
        k = r.randrange(10)
        sign = r.getrandbits(1) << 31
        if k == 0:
            return sign | r.choice((0, 0x7f800000))                  # ±0, ±inf
        if k == 1:
            return sign | r.choice((0x7fc00000, 0x7fa00000, 0x7f800001,
                                    0x7fffffff, 0x7fc00001))          # NaNs
        if k == 2:
            return sign | r.choice((1, 0x7fffff, 0x400000, r.getrandbits(23)))  # subnormal
        if k == 3:
            return sign | r.choice((0x00800000, 0x7f7fffff, 0x3f800000, 0x3f000000,
                                    0x3fc00000, 0x40200000, 0x4f000000, 0x4f800000,
                                    0x5f000000, 0x5f800000, 0x4effffff, 0x5effffff))
        if k == 4:   # small integers and halves: rounding-mode sensitive
            v = r.randrange(-8, 9) + r.choice((0, 0.5, 0.25, 0.75))
            return struct.unpack("<I", struct.pack("<f", v))[0]
        return r.getrandbits(32)

    def double_bits(self):
        r = self.r
        k = r.randrange(10)
        sign = r.getrandbits(1) << 63
        if k == 0:
            return sign | r.choice((0, 0x7ff0000000000000))
        if k == 1:
            return sign | r.choice((0x7ff8000000000000, 0x7ff4000000000000,
                                    0x7ff0000000000001, 0x7fffffffffffffff))
        if k == 2:
            return sign | r.choice((1, 0xfffffffffffff, r.getrandbits(52)))
        if k == 3:
            return sign | r.choice((0x0010000000000000, 0x7fefffffffffffff,
                                    0x3ff0000000000000, 0x3fe0000000000000,
                                    0x41e0000000000000, 0x41f0000000000000,
                                    0x43e0000000000000, 0x43f0000000000000,
                                    0x41dfffffffffffff, 0x43dfffffffffffff,
                                    0x3810000000000000, 0x47efffffe0000000,
                                    0x36a0000000000000))
        if k == 4:
            v = r.randrange(-8, 9) + r.choice((0, 0.5, 0.25, 0.75))
            return struct.unpack("<Q", struct.pack("<d", v))[0]
        return r.getrandbits(64)

    def fp_bits(self, boxed_single_ok=True):
        """64 raw bits for an f register: a double, a NaN-boxed single or an
        improperly boxed single (which single-precision ops must see as NaN)."""
        k = self.r.randrange(5)
        if k < 2:
            return self.double_bits()
        if k < 4 or not boxed_single_ok:
            return 0xffffffff00000000 | self.single_bits()
        return (self.r.getrandbits(32) << 32) | self.single_bits()

    def imm12(self):
        r = self.r
        return r.choice((0, 1, -1, 2047, -2048, r.randrange(-16, 17),
                         r.randrange(-2048, 2048)))

    def shamt(self, width):
        return self.r.choice((0, 1, width - 1, width // 2, self.r.randrange(width)))

    # ---- registers ----------------------------------------------------
    def rs(self):
        return self.r.randrange(32)

    def rd(self, avoid=()):
        """A destination: anything but sp (x2), sometimes x0."""
        while True:
            n = self.r.randrange(32)
            if n != 2 and n not in avoid:
                return n

    def crd(self, avoid=()):
        while True:
            n = self.r.choice(CREGS)
            if n not in avoid:
                return n

    def label(self):
        self.nlabel += 1
        return "L%d" % self.nlabel

    # ---- addresses within the data area --------------------------------
    def ea(self, width, aligned=None):
        """A data-area offset (from its start) for an access of width bytes."""
        if aligned is None:
            aligned = self.r.random() < 0.7
        if aligned:
            return self.r.randrange(0, DATA_SIZE // width) * width
        return self.r.randrange(0, DATA_SIZE - width + 1)

    def addr(self, width, avoid, aligned=None, base_choices=None):
        """Returns (setup lines, base register, offset) addressing a data-area
        location.  The base is sp itself or a register set from sp."""
        rel = self.ea(width, aligned) - SP_BIAS
        if base_choices is None and self.r.random() < 0.35:
            return [], 2, rel
        t = self.r.choice(base_choices) if base_choices else self.rd(avoid | {0})
        while t in avoid or t in (0, 2):
            t = self.r.choice(base_choices) if base_choices else self.rd(avoid | {0})
        off = self.r.randrange(max(-2048, rel - 2047), min(2047, rel + 2048) + 1)
        return ["addi %s, sp, %d" % (x(t), rel - off)], t, off

    # ---- instruction classes -------------------------------------------
    def alu(self, avoid):
        r = self.r
        k = r.randrange(8)
        d = x(self.rd(avoid))
        if k < 2:
            return ["%s %s, %s, %s" % (r.choice(ALU_R), d, x(self.rs()), x(self.rs()))]
        if k == 2:
            return ["%s %s, %s, %s" % (r.choice(MUL_R), d, x(self.rs()), x(self.rs()))]
        if k == 3:
            return ["%s %s, %s, %d" % (r.choice(ALU_I), d, x(self.rs()), self.imm12())]
        if k == 4:
            op, w = r.choice(SHIFT_I)
            return ["%s %s, %s, %d" % (op, d, x(self.rs()), self.shamt(w))]
        if k == 5:
            return ["%s %s, 0x%x" % (r.choice(("lui", "auipc")), d,
                                     r.choice((0, 0xfffff, 0x80000, 0x7ffff, r.getrandbits(20))))]
        if k == 6:
            return ["li %s, %d" % (d, self.int_value())]
        return ["csrrw %s, mscratch, %s" % (d, x(self.rs())) if r.random() < 0.5 else
                "csrrs %s, mscratch, %s" % (d, x(self.rs()))]

    def compressed_alu(self, avoid):
        r = self.r
        k = r.randrange(9)
        if k == 0:
            d = self.rd(avoid | {0})
            return ["c.addi %s, %d" % (x(d), r.choice((1, -1, 31, -32, r.randrange(1, 32))))]
        if k == 1:
            d = self.rd(avoid | {0})
            return ["c.addiw %s, %d" % (x(d), r.randrange(-32, 32))]
        if k == 2:
            d = self.rd(avoid | {0})
            return ["c.li %s, %d" % (x(d), r.randrange(-32, 32))]
        if k == 3:
            d = self.rd(avoid | {0})
            return ["c.lui %s, %d" % (x(d), r.choice((1, 31, 0xfffe0, 0xfffff, r.randrange(1, 32))))]
        if k == 4:
            d = self.rd(avoid | {0})
            return ["c.slli %s, %d" % (x(d), r.randrange(1, 64))]
        if k == 5:
            d = self.crd(avoid)
            op = r.choice(("c.srli", "c.srai"))
            return ["%s %s, %d" % (op, x(d), r.randrange(1, 64))] if r.random() < 0.7 else \
                   ["c.andi %s, %d" % (x(d), r.randrange(-32, 32))]
        if k == 6:
            d = self.rd(avoid | {0})
            return ["%s %s, %s" % (r.choice(("c.mv", "c.add")), x(d), x(self.rd({0})))]
        if k == 7:
            d = self.crd(avoid)
            op = r.choice(("c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw"))
            return ["%s %s, %s" % (op, x(d), x(r.choice(CREGS)))]
        d = self.crd(avoid)
        return ["c.addi4spn %s, sp, %d" % (x(d), 4 * r.randrange(1, 256))]

    def load_store(self, avoid):
        r = self.r
        store = r.random() < 0.45
        fpk = self.fp and r.random() < 0.25
        if fpk:
            op, w = r.choice((("fsw", 4), ("fsd", 8)) if store else (("flw", 4), ("fld", 8)))
        else:
            op, w = r.choice(STORES if store else LOADS)
        setup, base, off = self.addr(w, avoid)
        if store:
            src = self.freg(".s" if w == 4 else ".d") if fpk else x(self.rs())
            return setup + ["%s %s, %d(%s)" % (op, src, off, x(base))]
        dst = self.freg(".s" if w == 4 else ".d") if fpk else x(self.rd(avoid))
        return setup + ["%s %s, %d(%s)" % (op, dst, off, x(base))]

    def compressed_load_store(self, avoid):
        r = self.r
        kinds = [("c.lw", 4, False), ("c.ld", 8, False), ("c.sw", 4, True), ("c.sd", 8, True)]
        if self.fp:
            kinds += [("c.fld", 8, False), ("c.fsd", 8, True)]
        op, w, store = r.choice(kinds)
        fpk = op.startswith("c.f")
        if r.random() < 0.4:    # sp-relative forms: unsigned scaled offsets from sp
            off = w * r.randrange(0, 64)
            reg = f(r.randrange(32)) if fpk else x(self.rs() if store else self.rd(avoid | {0}))
            return ["%ssp %s, %d(sp)" % (op, reg, off)]
        ea = self.ea(w)
        off = w * r.randrange(0, min(32, ea // w + 1))   # keeps the addi in range
        rel = ea - SP_BIAS
        t = self.crd(avoid)
        if fpk:
            reg = f(r.choice(CREGS))
        else:
            reg = x(r.choice(CREGS) if store else self.crd(avoid))
        return ["addi %s, sp, %d" % (x(t), rel - off), "%s %s, %d(%s)" % (op, reg, off, x(t))]

    def amo(self, avoid):
        r = self.r
        w = r.choice((4, 8))
        sfx = ".w" if w == 4 else ".d"
        setup, base, off = self.addr(w, avoid, aligned=True)
        lines = setup
        if off != 0 or base == 2:
            t = self.rd(avoid | {0})
            lines = setup + ["addi %s, %s, %d" % (x(t), x(base), off)]
            base = t
        op = r.choice(AMOS)
        return lines + ["%s%s%s %s, %s, (%s)" % (op, sfx, r.choice(ORDER), x(self.rd(avoid)),
                                                x(self.rs()), x(base))]

    def lr_sc(self, avoid):
        """LR then SC to the same address with only ALU work between: the SC
        succeeds; an optional second SC has no reservation and fails."""
        r = self.r
        sfx = r.choice((".w", ".d"))
        w = 4 if sfx == ".w" else 8
        t = self.rd(avoid | {0})
        lines = ["addi %s, sp, %d" % (x(t), self.ea(w, aligned=True) - SP_BIAS)]
        lines.append("lr%s%s %s, (%s)" % (sfx, r.choice(ORDER), x(self.rd(avoid | {t})), x(t)))
        for _ in range(r.randrange(3)):
            lines += self.alu(avoid | {t})
        lines.append("sc%s%s %s, %s, (%s)" % (sfx, r.choice(ORDER), x(self.rd(avoid | {t})),
                                              x(self.rs()), x(t)))
        if r.random() < 0.3:
            lines.append("sc%s %s, %s, (%s)" % (sfx, x(self.rd(avoid | {t})), x(self.rs()), x(t)))
        return lines

    def freg(self, prec):
        """An f register, mostly from the half that holds values of this
        precision: a single-precision op on a double (or the reverse) sees a
        NaN, and too many NaNs would leave little else to test."""
        n = self.r.randrange(16)
        if self.r.random() < 0.15:
            return f(self.r.randrange(32))
        return f(n if prec == ".s" else n + 16)

    def fpu(self, avoid):
        r = self.r
        s = r.choice((".s", ".d"))
        fr = lambda: self.freg(s)
        rm = r.choice(RMS)
        k = r.randrange(14)
        if k < 3:
            return ["%s%s %s, %s, %s, %s" % (r.choice(("fadd", "fsub", "fmul", "fdiv")), s,
                                             fr(), fr(), fr(), rm)]
        if k == 3:
            return ["fsqrt%s %s, %s, %s" % (s, fr(), fr(), rm)]
        if k == 4:
            return ["%s%s %s, %s, %s" % (r.choice(("fmin", "fmax", "fsgnj", "fsgnjn", "fsgnjx")),
                                         s, fr(), fr(), fr())]
        if k == 5:
            return ["%s%s %s, %s, %s, %s, %s" % (r.choice(("fmadd", "fmsub", "fnmadd", "fnmsub")),
                                                 s, fr(), fr(), fr(), fr(), rm)]
        if k == 6:
            return ["fcvt.%s%s %s, %s, %s" % (r.choice(("w", "wu", "l", "lu")), s,
                                              x(self.rd(avoid)), fr(), rm)]
        if k == 7:
            src = r.choice(("w", "wu", "l", "lu"))
            if s == ".d" and src in ("w", "wu"):   # exact: no rounding-mode operand
                return ["fcvt.d.%s %s, %s" % (src, fr(), x(self.rs()))]
            return ["fcvt%s.%s %s, %s, %s" % (s, src, fr(), x(self.rs()), rm)]
        if k == 8:
            if r.random() < 0.5:
                return ["fcvt.s.d %s, %s, %s" % (self.freg(".s"), self.freg(".d"), rm)]
            return ["fcvt.d.s %s, %s" % (self.freg(".d"), self.freg(".s"))]
        if k == 9:
            op = r.choice(("fmv.x.w", "fclass.s")) if s == ".s" else r.choice(("fmv.x.d", "fclass.d"))
            return ["%s %s, %s" % (op, x(self.rd(avoid)), fr())]
        if k == 10:
            return ["%s %s, %s" % ("fmv.w.x" if s == ".s" else "fmv.d.x", fr(), x(self.rs()))]
        if k == 11:
            return ["%s%s %s, %s, %s" % (r.choice(("feq", "flt", "fle")), s,
                                         x(self.rd(avoid)), fr(), fr())]
        if k == 12:
            return self.fcsr_op(avoid)
        if r.random() < 0.5:   # a fresh interesting value, through an x register
            t = self.rd(avoid | {0})
            if s == ".s":
                return ["li %s, 0x%x" % (x(t), self.single_bits()), "fmv.w.x %s, %s" % (fr(), x(t))]
            return ["li %s, 0x%x" % (x(t), self.double_bits()), "fmv.d.x %s, %s" % (fr(), x(t))]
        return self.fcsr_op(avoid)

    def fcsr_op(self, avoid):
        """fcsr/frm/fflags accesses that keep frm a valid rounding mode, so
        dynamic-rounding instructions stay legal."""
        r = self.r
        d = x(self.rd(avoid))
        k = r.randrange(8)
        if k == 0:
            return ["csrr %s, %s" % (d, r.choice(("fcsr", "frm", "fflags")))]
        if k == 1:
            t = self.rd(avoid | {0})
            v = (r.randrange(5) << 5) | r.getrandbits(5)
            if r.random() < 0.3:     # junk in the reserved bits must be ignored
                v |= r.getrandbits(32) << 8
            return ["li %s, 0x%x" % (x(t), v), "csrrw %s, fcsr, %s" % (d, x(t))]
        if k == 2:
            return ["%s %s, fflags, %s" % (r.choice(("csrrw", "csrrs", "csrrc")), d, x(self.rs()))]
        if k == 3:
            return ["%s %s, fflags, %d" % (r.choice(("csrrwi", "csrrsi", "csrrci")), d,
                                           r.getrandbits(5))]
        if k == 4:
            return ["csrrwi %s, frm, %d" % (d, r.randrange(5))]
        if k == 5:
            return ["csrrci %s, %s, %d" % (d, r.choice(("frm", "fcsr")), r.getrandbits(5))]
        if k == 6:
            return ["csrrsi %s, fcsr, %d" % (d, r.getrandbits(5))]
        return ["csrrs %s, fcsr, x0" % d]

    def straight(self, avoid):
        """One straight-line item (no control flow)."""
        r = self.r
        choices = [(self.alu, 30), (self.load_store, 14), (self.amo, 4),
                   (self.compressed_alu, 8), (self.compressed_load_store, 5)]
        if self.fp:
            choices.append((self.fpu, 32))
        total = sum(w for _, w in choices)
        pick = r.randrange(total)
        for fn, w in choices:
            if pick < w:
                return fn(avoid)
            pick -= w
        raise AssertionError

    # ---- control flow ---------------------------------------------------
    def branch(self, pending, index):
        """A forward transfer to a label placed `skip` items later."""
        r = self.r
        k = r.randrange(7)
        lab = self.label()
        skip = r.randrange(0, 4 if k >= 4 else 8)
        pending.setdefault(index + 1 + skip, []).append(lab)
        if k < 3:
            return ["%s %s, %s, %s" % (r.choice(BRANCHES), x(self.rs()), x(self.rs()), lab)]
        if k == 3:
            return ["jal %s, %s" % (x(self.rd()), lab)]
        if k == 4:
            return ["%s %s, %s" % (r.choice(("c.beqz", "c.bnez")), x(r.choice(CREGS)), lab)]
        if k == 5:
            return ["c.j %s" % lab]
        t = self.rd({0})
        if r.random() < 0.5:   # jalr clears bit 0 of the sum
            d = r.randrange(-64, 64)
            return ["la %s, %s%+d" % (x(t), lab, 1 - d), "jalr %s, %d(%s)" % (x(self.rd()), d, x(t))]
        op = r.choice(("c.jr", "c.jalr"))
        return ["la %s, %s" % (x(t), lab), "%s %s" % (op, x(t))]

    def loop(self):
        """A bounded backward loop; the body never writes its counter."""
        r = self.r
        c = self.rd({0})
        lab = self.label()
        lines = ["li %s, %d" % (x(c), r.randrange(1, 5)), "%s:" % lab]
        for _ in range(r.randrange(1, 6)):
            lines += self.straight({2, c})
        lines += ["addi %s, %s, -1" % (x(c), x(c)), "bnez %s, %s" % (x(c), lab)]
        return lines

    def trap(self, which=None):
        """An item that must trap, so the handler's report of mcause, mepc
        and mtval gets compared too."""
        r = self.r
        t = x(self.rd({0}))
        kinds = [
            ["ecall"], ["ebreak"], ["c.ebreak"], [".word 0"], ["unimp"],
            ["csrr %s, 0x7c0" % t],                                   # no such CSR
            ["csrw cycle, %s" % t],                                   # read-only CSR
            # (No misaligned AMO: QEMU 7.2 reports it as a load, not a store/AMO, misalignment.)
            ["addi %s, sp, %d" % (t, r.choice((1, 2))), "lr.w x0, (%s)" % t],
            ["li %s, %d" % (t, r.choice((0, 0x800))), "ld x0, 8(%s)" % t],   # nothing mapped
            ["li %s, %d" % (t, r.choice((0, 0x800))), "sw x0, 0(%s)" % t],
            ["li %s, 0" % t, "jalr x1, 0(%s)" % t],                   # fetch fault
        ]
        if self.fp:
            kinds.append(["csrwi frm, %d" % r.randrange(5, 8), "fadd.d f1, f2, f3, dyn"])
        else:   # the FPU is off (mstatus.FS = 0) in the imac profile
            kinds.append([".word 0x%08x  # fmv.x.d %s, f1" % (0xe2008053 | (int(t[1:]) << 7), t)])
        return kinds[which % len(kinds)] if which is not None else r.choice(kinds)

    def body(self, n):
        """A list of items; each is a list of lines (labels are their own items)."""
        items = []
        pending = {}
        i = 0
        while i < n:
            for lab in pending.pop(i, []):
                items.append(["%s:" % lab])
            k = self.r.randrange(100)
            if k < 10:
                items.append(self.branch(pending, i))
            elif k < 13:
                items.append(self.lr_sc({2}))
            elif k < 16:
                items.append(self.loop())
            else:
                items.append(self.straight({2}))
            i += 1
        for idx in sorted(pending):
            for lab in pending[idx]:
                items.append(["%s:" % lab])
        return items


def emit_program(seed, profile, count, limit=None, force_trap=None):
    g = Gen(seed, profile)
    init_x = [g.int_value() & (2**64 - 1) for _ in range(32)]
    init_f = [(0xffffffff00000000 | g.single_bits()) if i < 16 and g.r.random() < 0.8
              else g.double_bits() if i >= 16 and g.r.random() < 0.8
              else g.fp_bits() for i in range(32)]
    fcsr0 = (g.r.randrange(5) << 5) | g.r.getrandbits(5)
    data = bytes(g.r.getrandbits(8) if g.r.random() < 0.6 else g.r.choice((0, 0xff))
                 for _ in range(DATA_SIZE))
    items = g.body(count)
    if g.r.random() < 0.15 or force_trap is not None:
        items.append(g.trap(force_trap))

    # Truncate to `limit` instruction items, keeping the labels that later
    # instructions or earlier branches refer to (they land at the epilogue).
    kept, n = [], 0
    tail_labels = []
    for it in items:
        is_label = len(it) == 1 and it[0].endswith(":")
        if is_label:
            (kept if limit is None or n <= limit else tail_labels).append(it)
            continue
        if limit is not None and n >= limit:
            continue
        kept.append(it)
        n += 1

    out = []
    w = out.append
    w("# rvgen seed=%d profile=%s count=%d limit=%s" % (seed, profile, count, limit))
    w(".option norvc")
    w(".option norelax")
    w(".section .text")
    w(".globl _start")
    w("_start:")
    w("la t0, trap_handler")
    w("csrw mtvec, t0")
    if g.fp:
        w("li t0, 0x2000")
        w("csrs mstatus, t0")
        w("la x1, init_f")
        for i in range(32):
            w("fld f%d, %d(x1)" % (i, 8 * i))
        w("li t0, 0x%x" % fcsr0)
        w("fscsr t0")
    w("la x1, init_x")
    for i in range(3, 32):
        w("ld x%d, %d(x1)" % (i, 8 * i))
    w("ld x1, 8(x1)")
    w("la sp, data_area + %d" % SP_BIAS)
    w("# ---- body ----")
    n = 0
    for it in kept:
        if len(it) == 1 and it[0].endswith(":"):
            out.extend(it)
            continue
        w("# item %d" % n)
        n += 1
        rvc = any(l.startswith("c.") for l in it)
        if rvc:
            w(".option push")
            w(".option rvc")
        out.extend(it)
        if rvc:
            w(".option pop")
    w("# ---- end of body ----")
    for it in tail_labels:
        out.extend(it)
    out.append(EPILOGUE_SAVE)
    if g.fp:
        for i in range(32):
            w("fsd f%d, %d(x31)" % (i, 256 + 8 * i))
        w("frcsr x1")
        w("sd x1, 512(x31)")
    w("la s0, save_area")
    for i in range(1, 32):
        w("la a0, name_x%d" % i)
        w("ld a1, %d(s0)" % (8 * i))
        w("call put_named")
    if g.fp:
        for i in range(32):
            w("la a0, name_f%d" % i)
            w("ld a1, %d(s0)" % (256 + 8 * i))
            w("call put_named")
        w("la a0, name_fcsr")
        w("ld a1, 512(s0)")
        w("call put_named")
    out.append(EPILOGUE_PRINT)
    # Tables and the data area stay in .text, on pages of their own: a bare
    # program has no C runtime to copy an initialised .data from its load
    # address to a separate run address.
    w(".balign 4096, 0")
    for i in range(1, 32):
        w('name_x%d: .string "x%d"' % (i, i))
    for i in range(32):
        w('name_f%d: .string "f%d"' % (i, i))
    w('name_fcsr: .string "fcsr"')
    w('name_mem: .string "mem"')
    w('trap_msg: .string "TRAP mcause/mepc/mtval"')
    w(".balign 8, 0")
    w("init_x:")
    for v in init_x:
        w(".dword 0x%016x" % v)
    w("init_f:")
    for v in init_f:
        w(".dword 0x%016x" % v)
    w("save_area: .zero 520")
    w(".balign 4096, 0")
    w("data_area:")
    for i in range(0, DATA_SIZE, 16):
        w(".byte " + ",".join("0x%02x" % b for b in data[i:i + 16]))
    return "\n".join(out) + "\n"


EPILOGUE_SAVE = """\
# ---- dump the machine state ----
csrw mscratch, x31
la x31, save_area
""" + "".join("sd x%d, %d(x31)\n" % (i, 8 * i) for i in range(1, 31)) + """\
csrr x1, mscratch
sd x1, 248(x31)
"""

EPILOGUE_PRINT = """\
# the data area: 4 dwords a line, preceded by the line's offset
la s1, data_area
li s2, 0
1:
slli a0, s2, 3
call put_space_hex
li s3, 4
2:
slli t0, s2, 3
add t0, t0, s1
ld a0, 0(t0)
call put_space_hex
addi s2, s2, 1
addi s3, s3, -1
bnez s3, 2b
li a0, 10
call putc
li t0, %(ndw)d
blt s2, t0, 1b
li t0, %(fin)d
li t1, 0x5555
sw t1, 0(t0)
3: j 3b

# put_named(a0 = name, a1 = value): "name value\\n"
put_named:
mv s10, ra
mv s11, a1
call puts
mv a0, s11
call put_space_hex
li a0, 10
call putc
mv ra, s10
ret

# puts(a0 = NUL-terminated string)
puts:
mv s9, ra
mv s8, a0
1:
lbu a0, 0(s8)
beqz a0, 2f
call putc
addi s8, s8, 1
j 1b
2:
mv ra, s9
ret

# put_space_hex(a0): " %%016x"
put_space_hex:
mv s7, ra
mv s6, a0
li a0, 32
call putc
li s5, 60
1:
srl a0, s6, s5
andi a0, a0, 15
addi a0, a0, 48
li t0, 58
blt a0, t0, 2f
addi a0, a0, 39
2:
call putc
addi s5, s5, -4
bgez s5, 1b
mv ra, s7
ret

# putc(a0): wait for the transmitter holding register, then send
putc:
li t0, %(uart)d
1:
lbu t1, 5(t0)
andi t1, t1, 0x20
beqz t1, 1b
sb a0, 0(t0)
ret

.balign 4, 0   # an explicit fill: a 2-byte gap under norvc would otherwise stay unpadded
trap_handler:
la a0, trap_msg
call puts
csrr a0, mcause
call put_space_hex
csrr a0, mepc
call put_space_hex
csrr a0, mtval
call put_space_hex
li a0, 10
call putc
li t0, %(fin)d
li t1, 0x13333
sw t1, 0(t0)
4: j 4b
""" % {"ndw": DATA_SIZE // 8, "fin": FINISHER, "uart": UART}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--profile", choices=PROFILES, default="rv64gc")
    ap.add_argument("--count", type=int, default=500, help="body items to generate")
    ap.add_argument("--limit", type=int, help="keep only the first LIMIT body items")
    ap.add_argument("-o", "--output", help="output file (default stdout)")
    a = ap.parse_args(argv)
    text = emit_program(a.seed, a.profile, a.count, a.limit)
    if a.output:
        with open(a.output, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
