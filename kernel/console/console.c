/* console: the UART driver, alone in its space with the UART's page.
 *
 * Input and output are interrupt-driven through two rings, each with one
 * producer and one consumer:
 *   rx: the interrupt handler produces (rx_head), the reader consumes (rx_tail);
 *   tx: writers produce (tx_head), the handler consumes (tx_tail).
 * Each index is written by one side only, and the data slot is written
 * before the index that publishes it, so the handler and the code it
 * interrupts never need a lock.  (Writers on different threads do take
 * turns among themselves: a thread may be pre-empted mid-write.)
 */
#include "kern.h"

#define UART ((volatile uint8_t *)PEER_UART0_BASE)
#define RBR 0
#define THR 0
#define IER 1
#define IIR 2
#define LSR 5
#define IER_RDI 0x01
#define IER_THRI 0x02
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define RX_SIZE 256
#define TX_SIZE 4096
#define KEY_RX 0x636f6e73UL

static volatile uint8_t rx[RX_SIZE], tx[TX_SIZE];
static volatile uint32_t rx_head, rx_tail, tx_head, tx_tail;
static volatile int writer_turn;   /* 0 free, 1 taken: between writer threads only */
static uint64_t sched_gate;
static volatile long irq_count;

static long console_irq(long source)
{
    irq_count++;
    (void)UART[IIR];
    /* Input stays in the UART while the ring is full (its receive
     * interrupt off until the reader makes room): typed-ahead or piped
     * input is not dropped. */
    while ((UART[LSR] & LSR_DR) && rx_head - rx_tail < RX_SIZE) {
        rx[rx_head % RX_SIZE] = UART[RBR];
        __asm__ volatile("fence w, w" ::: "memory");
        rx_head++;
    }
    while (tx_tail != tx_head && (UART[LSR] & LSR_THRE)) {
        UART[THR] = tx[tx_tail % TX_SIZE];
        tx_tail++;
    }
    uint8_t rdi = rx_head - rx_tail < RX_SIZE ? IER_RDI : 0;
    UART[IER] = tx_tail != tx_head ? rdi | IER_THRI : rdi;
    return 0;
}

static void take_turn(void)
{
    while (__atomic_exchange_n(&writer_turn, 1, __ATOMIC_ACQUIRE))
        pl_call(sched_gate, SCHED_YIELD);
}
static void give_turn(void) { __atomic_store_n(&writer_turn, 0, __ATOMIC_RELEASE); }

static void put_bytes(const volatile char *s, long n)
{
    for (long i = 0; i < n; i++) {
        while (tx_head - tx_tail >= TX_SIZE) {
            UART[IER] = IER_RDI | IER_THRI;
            pl_call(sched_gate, SCHED_YIELD);
        }
        tx[tx_head % TX_SIZE] = (uint8_t)s[i];
        __asm__ volatile("fence w, w" ::: "memory");
        tx_head++;
    }
    /* Enabling THRI while THR is empty raises the interrupt: the handler
     * drains the ring (now, or as the UART takes the bytes). */
    UART[IER] = IER_RDI | IER_THRI;
}

static long con_write(const volatile char *buf, long len)
{
    if (len < 0 || !kheld((uint64_t)buf, len, PL_R))
        return KE_INVAL;
    take_turn();
    put_bytes(buf, len);
    give_turn();
    return len;
}

/* One line, edited: backspace works, CR is a newline, ^D on an empty line
 * is the end of input.  The line is echoed as typed, or (a secret) not
 * echoed but for its newline, and wiped from the ring as it is taken (the
 * slot is the reader's until rx_tail moves past it). */
static long con_read(volatile char *buf, long len, int secret)
{
    long n = 0;
    if (!kheld((uint64_t)buf, len, PL_W))
        return KE_INVAL;
    while (n < len) {
        while (rx_tail == rx_head)
            pl_call(sched_gate, SCHED_WAIT, KEY_RX, 1);
        char c = (char)rx[rx_tail % RX_SIZE];
        if (secret)
            rx[rx_tail % RX_SIZE] = 0;
        rx_tail++;
        UART[IER] = IER_RDI | IER_THRI;   /* room again: the handler sets IER as it should be */
        if (c == '\r')
            c = '\n';
        if (c == 0x7f || c == 8) {
            if (n > 0) {
                n--;
                if (!secret)
                    con_write("\b \b", 3);
            }
            continue;
        }
        if (c == 4 && n == 0)
            return 0;
        buf[n++] = c;
        if (!secret || c == '\n')
            con_write(&c, 1);
        if (c == '\n')
            break;
    }
    return n;
}

static long console_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case CON_WRITE: return con_write((const volatile char *)a1, a2);
    case CON_READ: return con_read((volatile char *)a1, a2, 0);
    case CON_READ_SECRET: return con_read((volatile char *)a1, a2, 1);
    }
    return KE_INVAL;
}

static void init(struct kinit *m)
{
    sched_gate = m->gates[0];
    long g = pl_make_gate((uint64_t)console_gate, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    long i = pl_make_gate((uint64_t)console_irq, PL_GATE_OWN_DATA, 1024, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    UART[IER] = IER_RDI;
    m->out[0] = (uint64_t)g;
    m->out[1] = (uint64_t)i;
}
KINIT_ENTRY(console, init)
