/* The security space's own shared state.  sec.c serves the gates (login,
 * sessions, accounts); accounts.c keeps the account table and its text
 * form; store.c keeps that text on the disk's partition 2; hash.c wraps
 * Argon2 (the reference implementation, built from Debian's source) and
 * checks it against Argon2's own test vectors; alloc.c is the little libc
 * Argon2 needs (an allocator over an arena of sec's own pages).  All of it
 * runs in sec's space, and nothing here ever leaves it but uids, names and
 * yes/no answers. */
#ifndef SEC_H
#define SEC_H

#include "kern.h"

/* Account hashes: Argon2id, 1 MiB, 3 passes, one lane; 16-byte salt, 32-byte
 * tag.  Stored with each hash (in its PHC string), so changing these
 * affects new hashes only. */
#define SEC_M_KIB      1024
#define SEC_T_COST     3
#define SEC_SALT_LEN   16
#define SEC_HASH_LEN   32
#define SEC_ENCODED    128     /* "$argon2id$v=19$m=1024,t=3,p=1$<22>$<43>" fits */
#define SEC_PW_MAX     128     /* bytes of a password */
#define SEC_NAME_MAX   16      /* bytes of a user name (two registers) */
#define SEC_ACCOUNTS   32
#define SEC_ROOT_UID   0
#define SEC_FIRST_UID  1000

/* ---- accounts.c ---- */
struct account {
    char name[SEC_NAME_MAX + 1];
    long uid;                  /* -1: free slot */
    char hash[SEC_ENCODED];    /* Argon2 PHC string: type, version, m, t, p, salt, tag */
    /* in memory only: */
    int failures;              /* wrong passwords since the last login */
    uint64_t locked_until;     /* sched ticks */
};
extern struct account accounts[SEC_ACCOUNTS];
void accounts_clear(void);
int account_name_ok(const char *name);
struct account *account_find(const char *name);
struct account *account_by_uid(long uid);
struct account *account_add(const char *name, long uid, const char *hash);
long account_next_uid(void);
/* The text form ("name:uid:hash\n" per account): -> bytes, or -1 if it does
 * not fit. */
long accounts_format(char *buf, long size);
/* Parse the text form into the table: 0, or -1 if it is malformed (the
 * table is then empty). */
int accounts_parse(const char *buf, long len);

/* ---- store.c ---- */
/* Where the accounts live: the disk's partition 2 through blk's window gate
 * for it, or nowhere (memory only). */
#define STORE_LOADED   0
#define STORE_EMPTY    1       /* a blank partition: first boot */
#define STORE_DAMAGED  2       /* neither copy is valid: left alone */
#define STORE_NONE     3       /* no disk, or too small */
extern int store_copy;              /* which copy holds the store (-1: none) */
extern uint64_t store_generation;
void store_init(uint64_t window, uint64_t restart);   /* blk's partition-2 gate, proc's DRV_RESTART gate (0s: none) */
int store_load(void);
long store_save(void);         /* 0, or KE_* */
const char *store_where(void); /* for messages */

/* ---- hash.c ---- */
/* The PHC string of a new Argon2id hash of the password with a fresh salt
 * from the entropy source: 0, or KE_*. */
long hash_new(const char *pw, size_t len, char out[SEC_ENCODED]);
/* A hash string with the same parameters and a random salt and tag: no
 * password matches it, and checking one against it takes as long as
 * against a real hash. */
long hash_dummy(char out[SEC_ENCODED]);
/* 1 if the password matches the stored hash (in constant time), 0 if not. */
int hash_check(const char *encoded, const char *pw, size_t len);
/* Argon2 against its own test vectors: 1 if every one matches. */
int hash_selftest(uint64_t console_gate);
/* 64 bits from the machine's entropy source. */
uint64_t random64(void);
/* memset that the compiler may not drop. */
void wipe(volatile void *p, size_t n);

/* ---- alloc.c ---- */
void *sec_malloc(size_t n);
void sec_free(void *p);
size_t sec_arena_used(void);

#endif
