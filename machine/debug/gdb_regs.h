/* The hart's registers as GDB numbers them, and the target description
 * that tells GDB so (standard org.gnu.gdb.riscv.* features). */
#ifndef PEERLESS_GDB_REGS_H
#define PEERLESS_GDB_REGS_H

#include "core/hart.h"

/* GDB's numbering: x0-x31, pc, f0-f31, then CSR n at GDB_REG_CSR + n
 * (so fflags/frm/fcsr are 66-68), and the privilege mode. */
#define GDB_REG_PC    32
#define GDB_REG_F0    33
#define GDB_REG_CSR   65
#define GDB_REG_PRIV  (GDB_REG_CSR + 0x1000)
/* The `g` packet holds x0-x31, pc and f0-f31; GDB asks for the rest with `p`. */
#define GDB_G_REGS    65

/* The target description (qXfer:features:read:target.xml). */
const char *gdb_target_xml(void);

/* Register n: GDB_REG_OK with its value, GDB_REG_NONE for no such
 * register, GDB_REG_UNAVAILABLE when it exists but cannot be read now
 * (an FP CSR while the FPU is off, say). */
enum gdb_reg_status { GDB_REG_OK, GDB_REG_NONE, GDB_REG_UNAVAILABLE };
enum gdb_reg_status gdb_reg_read(struct hart *h, unsigned n, uint64_t *v);
/* Write register n; false if there is no such register or it refuses. */
bool gdb_reg_write(struct hart *h, unsigned n, uint64_t v);

#endif
