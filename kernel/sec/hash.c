/* Password hashes: Argon2id from the reference implementation (Debian's
 * `argon2` source, ref.c, no threads), salts from the machine's entropy
 * source, and a check of the build against Argon2's own test vectors. */
#include "sec.h"
#include <argon2.h>
#include <encoding.h>

struct argon2_kat {
    const char *name;
    argon2_type type;
    uint32_t version, m_kib, t, lanes;
    uint8_t pwd[64];    size_t pwd_len;
    uint8_t salt[64];   size_t salt_len;
    uint8_t secret[64]; size_t secret_len;
    uint8_t ad[64];     size_t ad_len;
    uint8_t tag[64];    size_t tag_len;
};
struct argon2_mcf_kat { const char *pwd, *encoded; };
#include "argon2_kat.h"   /* build/kernel/: generated from kats/ and src/test.c */

#define ENTROPY ((volatile uint64_t *)(PEER_RNG + RNG_DATA))

uint64_t random64(void)
{
    return *ENTROPY;
}

void wipe(volatile void *p, size_t n)
{
    volatile uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = 0;
}

static void random_bytes(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t r = random64();
        memcpy(p + i, &r, n - i < 8 ? n - i : 8);
    }
}

long hash_new(const char *pw, size_t len, char out[SEC_ENCODED])
{
    uint8_t salt[SEC_SALT_LEN];
    random_bytes(salt, sizeof salt);
    int r = argon2id_hash_encoded(SEC_T_COST, SEC_M_KIB, 1, pw, len, salt, sizeof salt, SEC_HASH_LEN, out,
                                  SEC_ENCODED);
    return r == ARGON2_OK ? 0 : r == ARGON2_MEMORY_ALLOCATION_ERROR ? KE_NOMEM : KE_INVAL;
}

long hash_dummy(char out[SEC_ENCODED])
{
    uint8_t salt[SEC_SALT_LEN], tag[SEC_HASH_LEN];
    random_bytes(salt, sizeof salt);
    random_bytes(tag, sizeof tag);
    argon2_context c = {
        .out = tag, .outlen = sizeof tag, .salt = salt, .saltlen = sizeof salt,
        .t_cost = SEC_T_COST, .m_cost = SEC_M_KIB, .lanes = 1, .threads = 1, .version = ARGON2_VERSION_NUMBER,
    };
    return encode_string(out, SEC_ENCODED, &c, Argon2_id) == ARGON2_OK ? 0 : KE_INVAL;
}

int hash_check(const char *encoded, const char *pw, size_t len)
{
    return argon2id_verify(encoded, pw, len) == ARGON2_OK;
}

/* One known-answer vector through argon2_ctx (secret and associated data
 * included): 1 if the tag matches. */
static int kat_ok(const struct argon2_kat *k)
{
    uint8_t out[64], pwd[64], salt[64], secret[64], ad[64];
    memcpy(pwd, k->pwd, k->pwd_len);
    memcpy(salt, k->salt, k->salt_len);
    memcpy(secret, k->secret, k->secret_len);
    memcpy(ad, k->ad, k->ad_len);
    argon2_context c = {
        .out = out, .outlen = (uint32_t)k->tag_len,
        .pwd = pwd, .pwdlen = (uint32_t)k->pwd_len,
        .salt = salt, .saltlen = (uint32_t)k->salt_len,
        .secret = secret, .secretlen = (uint32_t)k->secret_len,
        .ad = ad, .adlen = (uint32_t)k->ad_len,
        .t_cost = k->t, .m_cost = k->m_kib, .lanes = k->lanes, .threads = k->lanes,
        .version = k->version, .flags = ARGON2_DEFAULT_FLAGS,
    };
    return argon2_ctx(&c, k->type) == ARGON2_OK && memcmp(out, k->tag, k->tag_len) == 0;
}

int hash_selftest(uint64_t console_gate)
{
    int ok = 1;
    char line[160];
    size_t pos = 0;
    line[0] = 0;
    for (unsigned i = 0; i < sizeof argon2_kats / sizeof argon2_kats[0]; i++) {
        int good = kat_ok(&argon2_kats[i]);
        kappend(line, sizeof line, &pos, "%s%s %s", i ? ", " : "", argon2_kats[i].name, good ? "ok" : "WRONG");
        ok &= good;
    }
    /* The path a login takes: argon2id_verify on a PHC string, which must
     * accept its password and refuse any other. */
    for (unsigned i = 0; i < sizeof argon2_mcf_kats / sizeof argon2_mcf_kats[0]; i++) {
        const struct argon2_mcf_kat *k = &argon2_mcf_kats[i];
        int good = hash_check(k->encoded, k->pwd, strlen(k->pwd)) &&
                   !hash_check(k->encoded, "passwore", strlen(k->pwd));
        kappend(line, sizeof line, &pos, ", verify %u %s", i + 1, good ? "ok" : "WRONG");
        ok &= good;
    }
    kprintf(console_gate, "sec: Argon2 against its test vectors (kats/, src/test.c): %s: %s\n", line,
            ok ? "all match" : "MISMATCH, refusing to serve");
    return ok;
}
