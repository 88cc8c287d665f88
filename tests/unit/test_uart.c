/* ns16550a UART: registers, FIFO, interrupt identification and the
 * interrupt line, transmit through a pipe. */
#include "unit.h"
#include "dev/uart16550.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct wire { int level, changes; };

static void wire_set(void *ctx, int n, int level)
{
    struct wire *w = ctx;
    if (level != w->level)
        w->changes++;
    w->level = level;
}

static struct mmio_region r;

static uint8_t rd(int off)
{
    uint64_t v = 0xdead;
    CHECK(r.read(r.opaque, (uint64_t)off, 1, &v));
    CHECK(v <= 0xff);
    return (uint8_t)v;
}

static void wr(int off, uint8_t v)
{
    CHECK(r.write(r.opaque, (uint64_t)off, 1, v));
}

/* Read whatever the UART has written to the pipe (non-blocking). */
static ssize_t drain(int fd, char *buf, size_t cap)
{
    ssize_t n = read(fd, buf, cap);
    return n < 0 ? 0 : n;
}

int main(void)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return 2;
    fcntl(pfd[0], F_SETFL, O_NONBLOCK);
    struct wire w = { .level = -1 };
    struct uart16550 *u = uart_new(pfd[1], (struct irq_line){ wire_set, &w, 10 });
    r = uart_mmio(u, 0x10000000);
    char buf[64];

    /* The region. */
    CHECK_EQ(r.base, 0x10000000);
    CHECK_EQ(r.size, 0x100);

    /* Reset state as in QEMU; the line starts low. */
    CHECK_EQ(w.level, 0);
    CHECK_EQ(rd(1), 0x00);
    CHECK_EQ(rd(2), 0x01);
    CHECK_EQ(rd(3), 0x00);
    CHECK_EQ(rd(4), 0x08);
    CHECK_EQ(rd(5), 0x60);
    CHECK_EQ(rd(6), 0xb0);
    CHECK_EQ(rd(7), 0x00);
    CHECK_EQ(uart_rx_room(u), 1);

    /* Transmit: bytes reach the fd at once, THR stays empty. */
    wr(0, 'h');
    wr(0, 'i');
    CHECK_EQ(drain(pfd[0], buf, sizeof buf), 2);
    CHECK(memcmp(buf, "hi", 2) == 0);
    CHECK_EQ(rd(5) & 0x60, 0x60);
    CHECK_EQ(w.level, 0);          /* no interrupts enabled */

    /* Scratch register. */
    wr(7, 0xa5);
    CHECK_EQ(rd(7), 0xa5);

    /* THR-empty interrupt: enabling it raises the line; reading IIR
     * acknowledges it; the next transmit re-arms it. */
    wr(1, 0x02);
    CHECK_EQ(w.level, 1);
    CHECK_EQ(rd(2), 0x02);
    CHECK_EQ(w.level, 0);
    CHECK_EQ(rd(2), 0x01);
    wr(0, '!');
    CHECK_EQ(w.level, 1);
    CHECK_EQ(drain(pfd[0], buf, sizeof buf), 1);
    wr(1, 0x00);
    CHECK_EQ(w.level, 0);
    CHECK_EQ(rd(2), 0x01);
    /* Re-enabling re-raises even though it was acknowledged. */
    wr(1, 0x02);
    CHECK_EQ(w.level, 1);
    wr(1, 0x00);
    CHECK_EQ(w.level, 0);

    /* Receive without FIFO: one holding register. */
    uart_push_input(u, 'a');
    CHECK_EQ(rd(5) & 0x01, 1);     /* DR */
    CHECK_EQ(w.level, 0);          /* RDI not enabled */
    CHECK_EQ(uart_rx_room(u), 0);
    wr(1, 0x01);
    CHECK_EQ(w.level, 1);
    CHECK_EQ(rd(2), 0x04);
    CHECK_EQ(rd(0), 'a');
    CHECK_EQ(w.level, 0);
    CHECK_EQ(rd(5) & 0x01, 0);
    CHECK_EQ(rd(2), 0x01);
    CHECK_EQ(uart_rx_room(u), 1);

    /* Received data outranks THR-empty. */
    wr(1, 0x03);
    CHECK_EQ(rd(2), 0x02);         /* THRE only; also acknowledges it */
    wr(1, 0x01);
    wr(1, 0x03);                   /* re-arm THRE */
    uart_push_input(u, 'b');
    CHECK_EQ(rd(2), 0x04);
    CHECK_EQ(rd(0), 'b');
    CHECK_EQ(rd(2), 0x02);
    CHECK_EQ(w.level, 0);

    /* Overrun: a second byte without a read; line status outranks data. */
    wr(1, 0x05);
    uart_push_input(u, 'c');
    uart_push_input(u, 'd');
    CHECK_EQ(rd(2), 0x06);
    CHECK_EQ(rd(5) & 0x03, 0x03);  /* OE and DR; reading clears OE */
    CHECK_EQ(rd(5) & 0x02, 0);
    CHECK_EQ(rd(2), 0x04);
    CHECK_EQ(rd(0), 'd');          /* the newer byte replaced the older */
    CHECK_EQ(w.level, 0);
    wr(1, 0x00);

    /* Divisor latch. */
    wr(1, 0x05);
    wr(3, 0x83);
    CHECK_EQ(rd(0), 0x0c);         /* reset divisor */
    CHECK_EQ(rd(1), 0x00);
    wr(0, 0x34);
    wr(1, 0x12);
    CHECK_EQ(rd(0), 0x34);
    CHECK_EQ(rd(1), 0x12);
    CHECK_EQ(drain(pfd[0], buf, sizeof buf), 0);   /* DLL write sent nothing */
    wr(3, 0x03);
    CHECK_EQ(rd(3), 0x03);
    CHECK_EQ(rd(1), 0x05);         /* IER untouched by DLM writes */
    wr(1, 0x00);

    /* FIFO: 16 bytes deep, IIR reports FIFOs enabled. */
    wr(2, 0x07);
    CHECK_EQ(rd(2), 0xc1);
    CHECK_EQ(uart_rx_room(u), 16);
    for (int i = 0; i < 16; i++)
        uart_push_input(u, (uint8_t)('A' + i));
    CHECK_EQ(uart_rx_room(u), 0);
    uart_push_input(u, 'Z');       /* dropped: overrun */
    CHECK_EQ(rd(5) & 0x03, 0x03);
    for (int i = 0; i < 16; i++)
        CHECK_EQ(rd(0), 'A' + i);
    CHECK_EQ(rd(5) & 0x01, 0);
    CHECK_EQ(rd(0), 0);            /* empty FIFO reads 0 */
    CHECK_EQ(uart_rx_room(u), 16);

    /* Trigger level 14: below it the timeout interrupt reports the data. */
    wr(2, 0xc1);
    wr(1, 0x01);
    uart_push_input(u, '1');
    CHECK_EQ(w.level, 1);
    CHECK_EQ(rd(2), 0xcc);
    for (int i = 0; i < 13; i++)
        uart_push_input(u, '2');
    CHECK_EQ(rd(2), 0xc4);
    /* Clearing the receive FIFO drops the data and the interrupt. */
    wr(2, 0xc3);
    CHECK_EQ(rd(5) & 0x01, 0);
    CHECK_EQ(w.level, 0);
    CHECK_EQ(rd(2), 0xc1);

    /* Turning the FIFO off flushes it and goes back to one byte. */
    uart_push_input(u, 'x');
    wr(2, 0x00);
    CHECK_EQ(rd(2), 0x01);
    CHECK_EQ(rd(5) & 0x01, 0);
    CHECK_EQ(uart_rx_room(u), 1);
    CHECK_EQ(w.level, 0);
    wr(1, 0x00);

    /* Loopback: transmitted bytes come back, nothing reaches the fd, MSR
     * mirrors MCR. */
    wr(4, 0x1f);
    CHECK_EQ(rd(4), 0x1f);
    CHECK_EQ(rd(6), 0xf0);
    wr(4, 0x10 | 0x02);
    CHECK_EQ(rd(6), 0x10);         /* RTS -> CTS */
    wr(0, 'L');
    CHECK_EQ(drain(pfd[0], buf, sizeof buf), 0);
    CHECK_EQ(rd(5) & 0x01, 1);
    CHECK_EQ(rd(0), 'L');
    wr(4, 0x08);
    CHECK_EQ(rd(6), 0xb0);

    /* LSR and MSR ignore writes. */
    wr(5, 0x00);
    CHECK_EQ(rd(5), 0x60);
    wr(6, 0x00);
    CHECK_EQ(rd(6), 0xb0);

    /* Any access size works on the low byte; offsets past 7 fault. */
    CHECK(r.write(r.opaque, 0, 4, 0x12345600 | 'w'));
    CHECK_EQ(drain(pfd[0], buf, sizeof buf), 1);
    CHECK_EQ(buf[0], 'w');
    uint64_t v;
    CHECK(r.read(r.opaque, 5, 4, &v));
    CHECK_EQ(v, 0x60);
    CHECK(!r.read(r.opaque, 8, 1, &v));
    CHECK(!r.write(r.opaque, 0xff, 1, 0));
    CHECK(!r.read(r.opaque, UINT64_MAX, 1, &v));

    uart_free(u);

    struct wire w2 = { .level = -1 };
    struct uart16550 *u2 = uart_new(-1, (struct irq_line){ wire_set, &w2, 10 });
    r = uart_mmio(u2, 0);
    wr(0, 'q');                    /* no output fd: dropped */
    CHECK_EQ(rd(5), 0x60);
    uart_free(u2);
    close(pfd[0]);
    close(pfd[1]);
    return unit_report("uart");
}
