/* What the shell's files share. */
#ifndef SHELL_H
#define SHELL_H
#include "kern.h"

extern uint64_t shell_console_gate, shell_dir_gate;
#define shell_say(...) kprintf(shell_console_gate, __VA_ARGS__)
/* disk.c: the commands on /disk; 1 if `word` was one of them. */
int shell_disk_command(const char *word, size_t len, char *arg);
/* inject.c: the driver isolation tests */
extern uint64_t shell_inject_gate, shell_net_inject, shell_ip_admin;
void shell_inject(const char *arg);
void shell_canary(void);
void shell_ifconfig(const char *arg);
void shell_netstat(void);
extern uint64_t shell_sched_gate;

/* login.c: logging in to sec; each takes the command's argument (the rest
 * of the line). */
void login_cmd(const char *arg);
void logout_cmd(const char *arg);
void whoami_cmd(const char *arg);
void passwd_cmd(const char *arg);
void adduser_cmd(const char *arg);

#endif
