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

/* ---- lib/os/calls.c ---- */
struct klib_info;
struct pl_fault;
/* Load a library (an image run in a space of its own) or share the one
 * loaded: -> its gate (G granted to us), *info filled; < 0 an error. */
long os_library(const char *name, struct klib_info *info);
long os_unload(long lib_pid);
/* Bound the next calls into a library: after `ticks`, a call still
 * running in it is unwound and the library freed (0: off). */
long os_watch(long lib_pid, long ticks);
/* In a library's main: make its gate into this space (own data, or the
 * caller's for a shared library), hand it to proc and end this thread. */
long os_serve(uint64_t entry, uint64_t flags, uint64_t stack_need);
uint64_t os_client_space(void);   /* a library's: who asked for it */
/* Run fn(arg); a fault in it (in this program's code) ends fn instead of
 * the program: -> 0, or the cause with *rec filled (cause, pc, addr,
 * missing, space, code_space). */
long os_try(void (*fn)(void *), void *arg, struct pl_fault *rec);
long os_space_new(void);                 /* an empty child space */
long os_space_del(long space);
long os_mem_used(void);                  /* bytes mem has charged to this program */
/* Consent to be debugged by that program; [granted, +len) is what we
 * granted it (it finds it with DBG_SHARED). */
long os_debug_allow(long debugger_pid, const void *granted, size_t len);
long os_debug(long target_pid, long op, long arg);   /* DBG_* in kern.h */
/* ---- lib/os/files.c: directories of the disk ("/disk/...") ---- */
struct os_dirent { char name[256]; long size; int is_dir; };
struct os_dir;
struct os_dir *os_opendir(const char *path);     /* 0 with errno set */
struct os_dirent *os_readdir(struct os_dir *d);  /* 0 at the end */
int os_closedir(struct os_dir *d);
/* ---- lib/os/net.c: sockets through ip (KE_NOENT without a network) ---- */
long os_tcp_listen(int port);                      /* -> a listening socket */
long os_accept(long sock);                         /* -> a connected socket (waits) */
long os_recv(long sock, void *buf, size_t len);    /* -> bytes, 0 at the end of the stream */
long os_send(long sock, const void *buf, size_t len);   /* -> len (waits for room) */
long os_close(long sock);
long os_udp_bind(int port);                        /* -> a UDP socket (port 0: any) */
long os_sendto(long sock, const void *buf, size_t len, uint32_t addr, int port);
long os_recvfrom(long sock, void *buf, size_t len, uint32_t *addr, int *port);
long os_ip_addr(int which);                        /* 0 address, 1 netmask, 2 gateway */
long os_ip_stat(int which);                        /* IP_STAT_* in kern.h */
static inline uint64_t os_time(void) { uint64_t t; __asm__ volatile("rdtime %0" : "=r"(t)); return t; }

#endif
