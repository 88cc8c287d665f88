/* The host side of the guest console: stdin in raw mode when it is a
 * terminal, polled without blocking, and waited on while the guest idles. */
#ifndef PEERLESS_CONSOLE_H
#define PEERLESS_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

void console_open(void);            /* raw mode if stdin is a tty; restored at exit */
void console_close(void);
/* Read one byte if one is ready: returns 0..255, or -1 if none (or at EOF). */
int console_getc(void);
/* Sleep until input is ready or `timeout_ns` passes (-1: no limit, 0: don't). */
void console_wait(int64_t timeout_ns);

#endif
