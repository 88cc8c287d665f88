/* The peer kernel's OS calls, for programs (lib/os).  Every call is a gate
 * call into a service space: no trap, no task switch.  A buffer travels as
 * a pass for that call only.  Results < 0 are errors (KE_* in
 * kernel/include/kern.h). */
#ifndef PEERLESS_OS_H
#define PEERLESS_OS_H

#include <stddef.h>
#include <stdint.h>

long os_write(const void *buf, size_t len);        /* console */
long os_read(void *buf, size_t len);               /* one line from the console */
long os_spawn(const char *cmdline);                /* -> pid */
long os_wait(long pid);                            /* -> exit status */
long os_kill(long pid);
long os_yield(void);
long os_sleep(long ticks);                         /* 100 ticks a second */
long os_ticks(void);
long os_pid(void);
uint64_t os_lookup(const char *name);              /* a service gate, G granted to us */
uint64_t os_dir_gate(void);
__attribute__((noreturn)) void os_exit(int status);

#endif
