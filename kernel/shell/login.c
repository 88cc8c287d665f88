/* The shell's login commands.  The shell holds at most one session: the
 * gate sec made for it at login (kern.h, sec).  Passwords are read from the
 * console without echo into one buffer, passed to sec R for the call and
 * wiped right after; the shell keeps no copy and checks nothing itself —
 * sec decides (adduser: root only; passwd: the old password again). */
#include "shell.h"

#define PW_MAX 128

static uint64_t sec_gate;     /* looked up in dir at first use */
static uint64_t session;      /* our session gate; 0: nobody is logged in */
static char user[17];
static char secret[3 * (PW_MAX + 1) + 1];   /* old, new, new again: back to back */

#define say shell_say
#define console_gate shell_console_gate
#define dir_gate shell_dir_gate

static void wipe(volatile char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = 0;
}

static int find_sec(const char *cmd)
{
    if (!sec_gate) {
        uint64_t n[2];
        kname_pack("sec", n);
        long g = pl_call(dir_gate, DIR_LOOKUP, n[0], n[1], pl_self());
        if (g > 0)
            sec_gate = (uint64_t)g;
    }
    if (!sec_gate)
        say("%s: there is no security service\n", cmd);
    return sec_gate != 0;
}

/* A password, not echoed, into secret[at..]: -> its length (without the
 * newline), or -1. */
static long read_secret(const char *prompt, size_t at)
{
    say("%s", prompt);
    long room = PW_MAX + 1;
    pl_pass((uint64_t)(secret + at), (uint64_t)room, PL_W);
    long n = pl_call(console_gate, CON_READ_SECRET, (long)(secret + at), room);
    if (n > 0 && secret[at + (size_t)n - 1] == '\n')
        return n - 1 > 0 ? n - 1 : -1;
    /* Too long: take the rest of the line too, so that none of it is
     * read as a command. */
    while (n == room && secret[at + (size_t)n - 1] != '\n') {
        pl_pass((uint64_t)(secret + at), (uint64_t)room, PL_W);
        n = pl_call(console_gate, CON_READ_SECRET, (long)(secret + at), room);
    }
    return -1;
}

/* A new password, twice, into secret[at..]: -> its length, or -1. */
static long read_new(const char *cmd, const char *prompt, size_t at)
{
    long n = read_secret(prompt, at);
    long m = n > 0 ? read_secret("again: ", at + (size_t)n + 1) : -1;
    if (n <= 0 || m != n || memcmp(secret + at, secret + at + n + 1, (size_t)n)) {
        say("%s: the passwords differ or are empty (at most %d bytes)\n", cmd, PW_MAX);
        return -1;
    }
    return n;
}

static void drop_session(void)
{
    if (session)
        pl_call(session, SEC_LOGOUT);
    session = 0;
    user[0] = 0;
}

void login_cmd(const char *arg)
{
    if (!*arg || strlen(arg) > 16) {
        say("usage: login USER\n");
        return;
    }
    if (!find_sec("login"))
        return;
    long n = read_secret("password: ", 0);
    if (n < 0) {
        say("login: no password given\n");
        return;
    }
    uint64_t name[2];
    kname_pack(arg, name);
    pl_pass((uint64_t)secret, (uint64_t)n, PL_R);
    long g = pl_call(sec_gate, SEC_LOGIN, name[0], name[1], (long)secret, n, pl_self());
    wipe(secret, sizeof secret);
    if (g == KE_PERM)
        say("login: wrong user name or password\n");
    else if (g == KE_BUSY)
        say("login: %s is locked after repeated failures; try again later\n", arg);
    else if (g < 0 || pl_status())
        say("login: refused (error %ld)\n", g < 0 ? g : -pl_status());
    else {
        drop_session();
        session = (uint64_t)g;
        char who[17] = { 0 };
        pl_pass((uint64_t)who, 16, PL_W);
        long uid = pl_call(session, SEC_WHOAMI, (long)who, 16);
        kstrlcpy(user, who, sizeof user);
        say("login: %s logged in (uid %ld)\n", user, uid);
    }
}

void logout_cmd(const char *arg)
{
    if (!session) {
        say("logout: nobody is logged in\n");
        return;
    }
    say("logout: %s logged out\n", user);
    drop_session();
}

void whoami_cmd(const char *arg)
{
    if (!session) {
        say("whoami: nobody is logged in\n");
        return;
    }
    char who[17] = { 0 };
    pl_pass((uint64_t)who, 16, PL_W);
    long uid = pl_call(session, SEC_WHOAMI, (long)who, 16);
    if (uid < 0)
        say("whoami: the session is no longer valid (error %ld)\n", uid);
    else
        say("%s (uid %ld)\n", who, uid);
}

void passwd_cmd(const char *arg)
{
    if (!session) {
        say("passwd: log in first\n");
        return;
    }
    long old = read_secret("old password: ", 0);
    long n = old > 0 ? read_new("passwd", "new password: ", (size_t)old) : -1;
    if (old > 0 && n > 0) {
        /* the old password then the new one, back to back */
        pl_pass((uint64_t)secret, (uint64_t)(old + n), PL_R);
        long r = pl_call(session, SEC_PASSWD, (long)secret, old, n);
        if (r == 0)
            say("passwd: password changed for %s\n", user);
        else if (r == KE_PERM)
            say("passwd: wrong password; unchanged\n");
        else
            say("passwd: refused (error %ld); unchanged\n", r);
    } else if (old <= 0)
        say("passwd: no password given\n");
    wipe(secret, sizeof secret);
}

void adduser_cmd(const char *arg)
{
    if (!*arg || strlen(arg) > 16) {
        say("usage: adduser NAME\n");
        return;
    }
    if (!session) {
        say("adduser: log in as root first\n");
        return;
    }
    long n = read_new("adduser", "password for the new user: ", 0);
    if (n > 0) {
        uint64_t name[2];
        kname_pack(arg, name);
        pl_pass((uint64_t)secret, (uint64_t)n, PL_R);
        long uid = pl_call(session, SEC_ADDUSER, name[0], name[1], (long)secret, n);
        if (uid >= 0)
            say("adduser: %s added (uid %ld)\n", arg, uid);
        else if (uid == KE_PERM)
            say("adduser: only root may add users\n");
        else if (uid == KE_BUSY)
            say("adduser: %s exists\n", arg);
        else if (uid == KE_INVAL)
            say("adduser: a name is 1-16 of a-z 0-9 _ -, starting with a letter\n");
        else
            say("adduser: refused (error %ld)\n", uid);
    }
    wipe(secret, sizeof secret);
}
