/* sec: the security service.  It alone holds the accounts (names, uids,
 * Argon2id hashes), the entropy source and — through blk's window gate —
 * the disk's partition 2 where the accounts are kept (store.c).
 *
 * A login is a gate: SEC_LOGIN checks the password and makes a new gate
 * into sec whose tp names the session, and grants G on it to the space
 * the caller names (as dir's LOOKUP does).  Holding that gate is being
 * logged in: WHOAMI, PASSWD, ADDUSER (root only) and LOGOUT are called on
 * it, and LOGOUT removes it (UNGATE revokes every G over it); a session
 * whose space has gone is freed at the next login.  Nobody can
 * forge one, and passwords come in (passed R for the call, copied into the
 * callee's hunk, which the machine zeroes on return) but never go out:
 * answers are uids, names and error codes.
 *
 * Wrong passwords cost time: each failure sleeps the caller FAIL_DELAY
 * ticks, and FAIL_LOCK failures in a row lock the account for FAIL_LOCK_TICKS
 * (in memory: a reboot forgets).  An unknown name is checked against a
 * dummy hash, so it takes as long as a wrong password and gets the same
 * answer.
 *
 * Start-up (self-test, loading the store, creating root on a blank
 * partition) runs on a thread of sec's own that boot starts before the
 * shell's; calls arriving earlier wait for it. */
#include "sec.h"

#define SESSIONS 16
#define SEC_STACK 24576                 /* Argon2 runs on the caller's stack */
#define KEY_READY 0x7365630000000001UL
#define KEY_TURN  0x7365630000000002UL
#define KEY_PARK  0x7365630000000003UL
#define FAIL_DELAY 50                   /* ticks: 0.5 s */
#define FAIL_LOCK 3
#define FAIL_LOCK_TICKS (30 * SCHED_TICK_HZ)
#define DEFAULT_ROOT_PASSWORD "peerless"   /* documented in kernel/README.md */

struct session { long uid; uint64_t gate, space; };   /* uid -1: free */

static struct session sessions[SESSIONS];
static uint64_t console_gate, sched_gate;
static volatile int ready;        /* 0 starting, 1 serving, -1 refusing (Argon2 is wrong) */
static struct kturn turn;   /* the table and Argon2's arena: one caller at a time */
static char dummy_hash[SEC_ENCODED];
uint8_t sec_stack[32768] __attribute__((aligned(16)));

#define say(...) kprintf(console_gate, __VA_ARGS__)

static long session_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7);

/* A password from the caller's buffer into ours (on this call's hunk). */
static long copy_password(char *dst, uint64_t src, long len)
{
    if (len <= 0 || len > SEC_PW_MAX || !kheld(src, len, PL_R))
        return KE_INVAL;
    for (long i = 0; i < len; i++) {
        dst[i] = ((const volatile char *)src)[i];
        if (dst[i] == '\n' || dst[i] == 0)
            return KE_INVAL;
    }
    dst[len] = 0;
    return len;
}

static void wait_ready(void)
{
    while (!ready)
        pl_call(sched_gate, SCHED_WAIT, KEY_READY, 1);
}

static void take_turn(void) { kturn_take(&turn, sched_gate); }
static void give_turn(void) { kturn_give(&turn, sched_gate); }

static long now(void)
{
    return pl_call(sched_gate, SCHED_TICKS);
}

/* Sessions whose space is gone (a program that ended without LOGOUT)
 * are freed: a grant to a destroyed space fails with PL_E_SPACE (space ids
 * are not reused); a live one gets a second G on its gate, taken back at
 * once. */
static void sweep_sessions(void)
{
    for (int i = 0; i < SESSIONS; i++) {
        struct session *s = &sessions[i];
        if (s->uid < 0)
            continue;
        long g = pl_grant(s->space, s->gate, 8, PL_G);
        if (g > 0)
            pl_revoke(g);
        else if (g == PL_E_SPACE) {
            pl_ungate(s->gate);
            s->uid = -1;
            s->gate = 0;
        }
    }
}

static long sec_login(uint64_t n0, uint64_t n1, uint64_t pw_buf, long pw_len, uint64_t space)
{
    char name[17], pw[SEC_PW_MAX + 1];
    kname_unpack(n0, n1, name);
    if (copy_password(pw, pw_buf, pw_len) < 0)
        return KE_INVAL;
    take_turn();
    struct account *a = account_find(name);
    long r;
    if (a && a->locked_until > (uint64_t)now()) {
        r = KE_BUSY;
    } else if (a && hash_check(a->hash, pw, (size_t)pw_len)) {
        r = KE_NOMEM;
        sweep_sessions();
        for (int i = 0; i < SESSIONS; i++)
            if (sessions[i].uid < 0) {
                long g = pl_make_gate((uint64_t)session_gate, PL_GATE_OWN_DATA, SEC_STACK, 0, (uint64_t)i + 1);
                if (g < 0)
                    break;
                if (pl_grant(space, (uint64_t)g, 8, PL_G) < 0) {
                    pl_ungate((uint64_t)g);
                    r = KE_INVAL;
                    break;
                }
                sessions[i].uid = a->uid;
                sessions[i].gate = (uint64_t)g;
                sessions[i].space = space;
                a->failures = 0;
                r = g;
                break;
            }
    } else {
        if (!a)
            (void)hash_check(dummy_hash, pw, (size_t)pw_len);   /* as long as a wrong password */
        else if (++a->failures >= FAIL_LOCK)
            a->locked_until = (uint64_t)now() + FAIL_LOCK_TICKS;
        r = KE_PERM;
    }
    give_turn();
    wipe(pw, sizeof pw);
    if (r == KE_PERM)
        pl_call(sched_gate, SCHED_SLEEP, FAIL_DELAY);
    return r;
}

/* A new hash for an account (added, or its password changed), saved. */
static long set_password(struct account *a, const char *pw, long len)
{
    char hash[SEC_ENCODED];
    long r = hash_new(pw, (size_t)len, hash);
    if (r < 0)
        return r;
    char old[SEC_ENCODED];
    memcpy(old, a->hash, sizeof old);
    memcpy(a->hash, hash, sizeof hash);
    r = store_save();
    if (r < 0)
        memcpy(a->hash, old, sizeof old);   /* not stored: not changed */
    return r;
}

static long sec_adduser(struct session *s, uint64_t n0, uint64_t n1, uint64_t pw_buf, long pw_len)
{
    char name[17], pw[SEC_PW_MAX + 1];
    kname_unpack(n0, n1, name);
    if (s->uid != SEC_ROOT_UID)
        return KE_PERM;
    if (!account_name_ok(name) || copy_password(pw, pw_buf, pw_len) < 0)
        return KE_INVAL;
    take_turn();
    long r;
    struct account *a = 0;
    if (account_find(name))
        r = KE_BUSY;
    else if (!(a = account_add(name, account_next_uid(), "$argon2id$")))
        r = KE_NOMEM;
    else if ((r = set_password(a, pw, pw_len)) >= 0)
        r = a->uid;
    if (r < 0 && a)
        a->uid = -1;   /* not hashed or not stored: not added */
    give_turn();
    wipe(pw, sizeof pw);
    return r;
}

/* a1: the old password then the new one, a2 and a3 their lengths. */
static long sec_passwd(struct session *s, uint64_t buf, long old_len, long new_len)
{
    char old[SEC_PW_MAX + 1], pw[SEC_PW_MAX + 1];
    if (old_len <= 0 || new_len <= 0 || old_len > SEC_PW_MAX || new_len > SEC_PW_MAX ||
        copy_password(old, buf, old_len) < 0 || copy_password(pw, buf + (uint64_t)old_len, new_len) < 0)
        return KE_INVAL;
    take_turn();
    struct account *a = account_by_uid(s->uid);
    long r = !a ? KE_NOENT : !hash_check(a->hash, old, (size_t)old_len) ? KE_PERM : set_password(a, pw, new_len);
    give_turn();
    wipe(old, sizeof old);
    wipe(pw, sizeof pw);
    if (r == KE_PERM)
        pl_call(sched_gate, SCHED_SLEEP, FAIL_DELAY);
    return r;
}

static long sec_whoami(struct session *s, uint64_t buf, long len)
{
    if (len < 0 || !kheld(buf, len, PL_W))
        return KE_INVAL;
    struct account *a = account_by_uid(s->uid);
    if (!a)
        return KE_NOENT;   /* the account went away */
    volatile char *out = (volatile char *)buf;
    long n = (long)strlen(a->name);
    for (long i = 0; i < len; i++)
        out[i] = i < n ? a->name[i] : 0;
    return s->uid;
}

static long session_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    uint64_t i = peer_read_tp() - 1;
    if (i >= SESSIONS || sessions[i].uid < 0)
        return KE_PERM;
    struct session *s = &sessions[i];
    switch (op) {
    case SEC_WHOAMI: return sec_whoami(s, (uint64_t)a1, a2);
    case SEC_PASSWD: return sec_passwd(s, (uint64_t)a1, a2, a3);
    case SEC_ADDUSER: return sec_adduser(s, (uint64_t)a1, (uint64_t)a2, (uint64_t)a3, a4);
    case SEC_LOGOUT:
        take_turn();
        s->uid = -1;
        pl_ungate(s->gate);
        s->gate = 0;
        give_turn();
        return 0;
    }
    return KE_INVAL;
}

static long sec_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    wait_ready();
    if (ready < 0)
        return KE_NOENT;
    switch (op) {
    case SEC_LOGIN: return sec_login((uint64_t)a1, (uint64_t)a2, (uint64_t)a3, a4, (uint64_t)a5);
    case SEC_WHOAMI: case SEC_PASSWD: case SEC_ADDUSER: case SEC_LOGOUT: return KE_PERM;   /* on a session */
    }
    return KE_INVAL;
}

/* The default root account, its password documented (kernel/README.md). */
static long create_root(void)
{
    struct account *a = account_add("root", SEC_ROOT_UID, "$argon2id$");
    if (!a)
        return KE_NOMEM;
    return set_password(a, DEFAULT_ROOT_PASSWORD, sizeof DEFAULT_ROOT_PASSWORD - 1);
}

/* sec's start-up thread (boot starts it at a priority above the shell's). */
static void start(void)
{
    accounts_clear();
    if (!hash_selftest(console_gate)) {
        ready = -1;
        pl_call(sched_gate, SCHED_WAKE, KEY_READY);
        for (;;)
            pl_call(sched_gate, SCHED_WAIT, KEY_PARK, 0);
    }
    long r = hash_dummy(dummy_hash);   /* unknown names are checked against it */
    if (r < 0)
        say("sec: cannot make the dummy hash (error %ld)\n", r);
    int state = store_load();
    long count = 0;
    for (int i = 0; i < SEC_ACCOUNTS; i++)
        count += accounts[i].uid >= 0;
    if (state == STORE_LOADED) {
        say("sec: %ld accounts loaded from the disk's partition 2 (copy %d, generation %lu)\n", count, store_copy,
            (unsigned long)store_generation);
    } else {
        r = create_root();
        say("sec: %s: created root (uid 0) with the default password; accounts in %s\n",
            state == STORE_EMPTY ? "first boot" : state == STORE_DAMAGED ? "the store is damaged" : "no store",
            store_where());
        if (r < 0)
            say("sec: could not store it (error %ld)\n", r);
    }
    ready = 1;
    pl_call(sched_gate, SCHED_WAKE, KEY_READY);
    for (;;)
        pl_call(sched_gate, SCHED_WAIT, KEY_PARK, 0);
}

static void init(struct kinit *m)
{
    console_gate = m->gates[0];
    sched_gate = m->gates[1];
    turn.key = KEY_TURN;
    store_init(m->gates[2], m->gates[3]);   /* 0: no disk partition 2; no restarts */
    for (int i = 0; i < SESSIONS; i++)
        sessions[i].uid = -1;
    long g = pl_make_gate((uint64_t)sec_gate, PL_GATE_OWN_DATA, SEC_STACK, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)g;
    m->out[1] = (uint64_t)start;
    m->out[2] = (uint64_t)sec_stack;
    m->out[3] = sizeof sec_stack;
}
KINIT_ENTRY(sec, init)
