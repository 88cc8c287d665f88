/* Host console input.  Output needs nothing: devices write to fd 1. */
#include "board/console.h"

#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static struct termios saved;
static bool raw, at_eof;

void console_close(void)
{
    if (raw)
        tcsetattr(0, TCSANOW, &saved);
    raw = false;
}

void console_open(void)
{
    if (!isatty(0) || tcgetattr(0, &saved) != 0)
        return;
    struct termios t = saved;
    /* Keys go to the guest as typed; Ctrl-C still stops the emulator. */
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_iflag &= ~(ICRNL | IXON);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(0, TCSANOW, &t) == 0) {
        raw = true;
        atexit(console_close);
    }
}

int console_getc(void)
{
    if (at_eof)
        return -1;
    struct pollfd p = { .fd = 0, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP)))
        return -1;
    unsigned char c;
    ssize_t n = read(0, &c, 1);
    if (n <= 0) {
        at_eof = true;   /* EOF or error: never poll again */
        return -1;
    }
    return c;
}

void console_wait(int64_t timeout_ns)
{
    if (timeout_ns == 0)
        return;
    if (at_eof) {
        if (timeout_ns < 0)
            pause();     /* nothing can ever arrive: wait for a signal */
        else
            nanosleep(&(struct timespec){ timeout_ns / 1000000000, timeout_ns % 1000000000 }, NULL);
        return;
    }
    struct pollfd p = { .fd = 0, .events = POLLIN };
    int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000);
    poll(&p, 1, ms);
}
