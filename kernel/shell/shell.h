/* What the shell's files share: the gates it was given, and its commands
 * for logging in (login.c). */
#ifndef SHELL_H
#define SHELL_H

#include "kern.h"

/* login.c: the gates it uses (the shell's), then the commands; each takes
 * the command's argument (the rest of the line). */
void login_setup(uint64_t console, uint64_t dir);
void login_cmd(const char *arg);
void logout_cmd(const char *arg);
void whoami_cmd(const char *arg);
void passwd_cmd(const char *arg);
void adduser_cmd(const char *arg);

#endif
