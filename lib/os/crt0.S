/* Start-up of a program under the peer kernel.  proc has loaded the
 * segments (and zeroed .bss) and starts the first thread at _start with
 * a0 = the start block (struct kstart) at the top of the stack, sp just
 * below it.  gp and tp are ours to set. */
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      tp, __tls_base
    andi    sp, sp, -16
    call    os_start
1:  j       1b
