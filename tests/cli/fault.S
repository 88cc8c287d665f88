/* A program that loads from where no memory is, with no trap handler. */
    .globl _start
_start:
    li t0, 0x1234
    call faulty
faulty:
    ld t1, 0(t0)
1:  j 1b
