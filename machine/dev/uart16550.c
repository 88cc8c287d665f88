/* ns16550a UART.  Behaviour follows QEMU's hw/char/serial.c where the
 * guest can observe it: register reset values, IIR priorities, the THR-empty
 * interrupt being re-armed by IER writes and cleared by reading IIR, FIFO
 * control, loopback.  Transmission is instantaneous: a THR write leaves
 * THRE and TEMT set again at once. */
#include "dev/uart16550.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

enum {
    REG_RBR_THR = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3,
    REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
    NREGS = 8,
};

#define IER_RDI   0x01   /* received data available */
#define IER_THRI  0x02   /* transmitter holding register empty */
#define IER_RLSI  0x04   /* receiver line status */
#define IER_MSI   0x08   /* modem status */

#define IIR_NO_INT 0x01
#define IIR_MSI    0x00
#define IIR_THRI   0x02
#define IIR_RDI    0x04
#define IIR_RLSI   0x06
#define IIR_CTI    0x0c  /* character timeout */
#define IIR_FE     0xc0  /* FIFOs enabled */

#define FCR_FE    0x01
#define FCR_RFR   0x02   /* clear receive FIFO */
#define FCR_XFR   0x04   /* clear transmit FIFO */

#define LCR_DLAB  0x80

#define MCR_DTR   0x01
#define MCR_RTS   0x02
#define MCR_OUT1  0x04
#define MCR_OUT2  0x08
#define MCR_LOOP  0x10

#define LSR_DR    0x01
#define LSR_OE    0x02
#define LSR_BI    0x10
#define LSR_THRE  0x20
#define LSR_TEMT  0x40
#define LSR_INT_ANY 0x1e  /* overrun, parity, framing, break */

#define MSR_DELTA_ANY 0x0f
#define MSR_CTS   0x10
#define MSR_DSR   0x20
#define MSR_DCD   0x80

#define FIFO_LEN 16

struct uart16550 {
    int out_fd;
    struct irq_line irq;
    int irq_level;           /* last level driven, -1 before the first */

    uint8_t rbr;             /* receive holding register, FIFO off */
    uint8_t ier, iir, fcr, lcr, mcr, lsr, msr, scr;
    uint16_t divisor;
    bool thr_ipending;       /* THR-empty interrupt armed */
    int rx_trigger;          /* FIFO trigger level: 1, 4, 8 or 14 */

    uint8_t fifo[FIFO_LEN];  /* receive FIFO, a ring */
    int fifo_head, fifo_count;
};

static void update_irq(struct uart16550 *u)
{
    uint8_t id = IIR_NO_INT;
    bool fifo_on = u->fcr & FCR_FE;

    /* Highest priority first, as in the 16550 datasheet.  The FIFO's
     * character-timeout interrupt is modelled as firing immediately: the
     * board delivers input in batches, so by the time the guest looks no
     * more bytes of the batch are on their way. */
    if ((u->ier & IER_RLSI) && (u->lsr & LSR_INT_ANY))
        id = IIR_RLSI;
    else if ((u->ier & IER_RDI) && (u->lsr & LSR_DR))
        id = (!fifo_on || u->fifo_count >= u->rx_trigger) ? IIR_RDI : IIR_CTI;
    else if ((u->ier & IER_THRI) && u->thr_ipending)
        id = IIR_THRI;
    else if ((u->ier & IER_MSI) && (u->msr & MSR_DELTA_ANY))
        id = IIR_MSI;

    u->iir = id | (fifo_on ? IIR_FE : 0);
    int level = id != IIR_NO_INT;
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(&u->irq, level);
    }
}

static void receive(struct uart16550 *u, uint8_t byte)
{
    if (u->fcr & FCR_FE) {
        if (u->fifo_count == FIFO_LEN) {
            u->lsr |= LSR_OE;
        } else {
            u->fifo[(u->fifo_head + u->fifo_count) % FIFO_LEN] = byte;
            u->fifo_count++;
        }
    } else {
        if (u->lsr & LSR_DR)
            u->lsr |= LSR_OE;
        u->rbr = byte;
    }
    u->lsr |= LSR_DR;
    update_irq(u);
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;   /* the host output is gone: drop, as a real line would */
        p += w;
        n -= (size_t)w;
    }
}

static void transmit(struct uart16550 *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP)
        receive(u, byte);
    else if (u->out_fd >= 0)
        write_all(u->out_fd, &byte, 1);
    u->lsr |= LSR_THRE | LSR_TEMT;
    u->thr_ipending = true;
    update_irq(u);
}

static uint8_t read_rbr(struct uart16550 *u)
{
    uint8_t v;
    if (u->fcr & FCR_FE) {
        v = 0;
        if (u->fifo_count > 0) {
            v = u->fifo[u->fifo_head];
            u->fifo_head = (u->fifo_head + 1) % FIFO_LEN;
            u->fifo_count--;
        }
        if (u->fifo_count == 0)
            u->lsr &= ~(LSR_DR | LSR_BI);
    } else {
        v = u->rbr;
        u->lsr &= ~(LSR_DR | LSR_BI);
    }
    update_irq(u);
    return v;
}

static uint8_t read_reg(struct uart16550 *u, int reg)
{
    uint8_t v;
    switch (reg) {
    case REG_RBR_THR:
        return (u->lcr & LCR_DLAB) ? (uint8_t)u->divisor : read_rbr(u);
    case REG_IER:
        return (u->lcr & LCR_DLAB) ? (uint8_t)(u->divisor >> 8) : u->ier;
    case REG_IIR_FCR:
        v = u->iir;
        /* Reading IIR while it reports THR-empty acknowledges that. */
        if ((v & 0x0f) == IIR_THRI) {
            u->thr_ipending = false;
            update_irq(u);
        }
        return v;
    case REG_LCR:
        return u->lcr;
    case REG_MCR:
        return u->mcr;
    case REG_LSR:
        v = u->lsr;
        if (u->lsr & (LSR_BI | LSR_OE)) {   /* error bits clear on read */
            u->lsr &= ~(LSR_BI | LSR_OE);
            update_irq(u);
        }
        return v;
    case REG_MSR:
        if (u->mcr & MCR_LOOP) {
            /* Loopback wires RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
            return (uint8_t)(((u->mcr & (MCR_OUT1 | MCR_OUT2)) << 4) |
                             ((u->mcr & MCR_RTS) << 3) |
                             ((u->mcr & MCR_DTR) << 5));
        }
        v = u->msr;
        if (u->msr & MSR_DELTA_ANY) {
            u->msr &= ~MSR_DELTA_ANY;
            update_irq(u);
        }
        return v;
    default:
        return u->scr;
    }
}

static void write_fcr(struct uart16550 *u, uint8_t val)
{
    if (val == u->fcr)
        return;
    /* Switching the FIFOs on or off flushes both of them. */
    if ((val ^ u->fcr) & FCR_FE)
        val |= FCR_RFR | FCR_XFR;
    if (val & FCR_RFR) {
        u->lsr &= ~(LSR_DR | LSR_BI);
        u->fifo_head = u->fifo_count = 0;
    }
    if (val & FCR_XFR) {
        u->lsr |= LSR_THRE;
        u->thr_ipending = true;
    }
    u->fcr = val & 0xc9;   /* the clear bits self-reset */
    static const int trigger[4] = { 1, 4, 8, 14 };
    u->rx_trigger = trigger[u->fcr >> 6];
    update_irq(u);
}

static void write_reg(struct uart16550 *u, int reg, uint8_t val)
{
    switch (reg) {
    case REG_RBR_THR:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0xff00) | val);
            return;
        }
        u->thr_ipending = false;
        u->lsr &= ~(LSR_THRE | LSR_TEMT);
        transmit(u, val);
        return;
    case REG_IER: {
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0x00ff) | (val << 8));
            return;
        }
        uint8_t changed = (u->ier ^ val) & 0x0f;
        u->ier = val & 0x0f;
        /* Enabling the THR-empty interrupt while THR is empty raises it,
         * even if it had been acknowledged before (drivers rely on this). */
        if (changed & IER_THRI)
            u->thr_ipending = (u->ier & IER_THRI) && (u->lsr & LSR_THRE);
        if (changed)
            update_irq(u);
        return;
    }
    case REG_IIR_FCR:
        write_fcr(u, val);
        return;
    case REG_LCR:
        u->lcr = val;
        return;
    case REG_MCR:
        u->mcr = val & 0x1f;
        return;
    case REG_LSR:
    case REG_MSR:
        return;   /* read-only */
    default:
        u->scr = val;
        return;
    }
}

static bool uart_read(void *opaque, uint64_t off, int size, uint64_t *val)
{
    if (off >= NREGS)
        return false;
    *val = read_reg(opaque, (int)off);
    return true;
}

static bool uart_write(void *opaque, uint64_t off, int size, uint64_t val)
{
    if (off >= NREGS)
        return false;
    write_reg(opaque, (int)off, (uint8_t)val);
    return true;
}

struct uart16550 *uart_new(int out_fd, struct irq_line irq)
{
    struct uart16550 *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->out_fd = out_fd;
    u->irq = irq;
    u->irq_level = -1;
    /* QEMU's reset state. */
    u->lsr = LSR_TEMT | LSR_THRE;
    u->msr = MSR_DCD | MSR_DSR | MSR_CTS;
    u->mcr = MCR_OUT2;
    u->divisor = 0x0c;
    u->rx_trigger = 1;
    update_irq(u);
    return u;
}

void uart_free(struct uart16550 *u)
{
    free(u);
}

struct mmio_region uart_mmio(struct uart16550 *u, uint64_t base)
{
    return (struct mmio_region){
        .name = "uart16550", .base = base, .size = UART_MMIO_SIZE, .opaque = u,
        .read = uart_read, .write = uart_write,
    };
}

int uart_rx_room(const struct uart16550 *u)
{
    if (u->fcr & FCR_FE)
        return FIFO_LEN - u->fifo_count;
    return (u->lsr & LSR_DR) ? 0 : 1;
}

void uart_push_input(struct uart16550 *u, uint8_t byte)
{
    receive(u, byte);
}
