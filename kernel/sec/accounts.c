/* The account table and its text form, one account a line:
 *
 *     name:uid:$argon2id$v=19$m=1024,t=3,p=1$<salt, base64>$<tag, base64>
 *
 * (the hash is Argon2's PHC string: it carries its own type, version and
 * parameters, so old hashes stay checkable when the defaults change). */
#include "sec.h"

struct account accounts[SEC_ACCOUNTS];

void accounts_clear(void)
{
    wipe(accounts, sizeof accounts);
    for (int i = 0; i < SEC_ACCOUNTS; i++)
        accounts[i].uid = -1;
}

/* 1..16 of [a-z0-9_-], starting with a letter. */
int account_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SEC_NAME_MAX || name[0] < 'a' || name[0] > 'z')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

struct account *account_find(const char *name)
{
    for (int i = 0; i < SEC_ACCOUNTS; i++)
        if (accounts[i].uid >= 0 && !strcmp(accounts[i].name, name))
            return &accounts[i];
    return 0;
}

struct account *account_by_uid(long uid)
{
    for (int i = 0; i < SEC_ACCOUNTS; i++)
        if (uid >= 0 && accounts[i].uid == uid)
            return &accounts[i];
    return 0;
}

long account_next_uid(void)
{
    long uid = SEC_FIRST_UID;
    for (int i = 0; i < SEC_ACCOUNTS; i++)
        if (accounts[i].uid >= uid)
            uid = accounts[i].uid + 1;
    return uid;
}

static int hash_ok(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n >= SEC_ENCODED || strncmp(h, "$argon2", 7))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (h[i] == ':' || h[i] == '\n' || h[i] < ' ')
            return 0;
    return 1;
}

struct account *account_add(const char *name, long uid, const char *hash)
{
    if (!account_name_ok(name) || uid < 0 || !hash_ok(hash) || account_find(name) || account_by_uid(uid))
        return 0;
    for (int i = 0; i < SEC_ACCOUNTS; i++)
        if (accounts[i].uid < 0) {
            struct account *a = &accounts[i];
            memset(a, 0, sizeof *a);
            kstrlcpy(a->name, name, sizeof a->name);
            kstrlcpy(a->hash, hash, sizeof a->hash);
            a->uid = uid;
            return a;
        }
    return 0;
}

long accounts_format(char *buf, long size)
{
    size_t pos = 0;
    for (int i = 0; i < SEC_ACCOUNTS; i++) {
        const struct account *a = &accounts[i];
        if (a->uid < 0)
            continue;
        kappend(buf, (size_t)size, &pos, "%s:%ld:%s\n", a->name, a->uid, a->hash);
        if (pos >= (size_t)size - 1)   /* kappend stops there: it did not fit */
            return -1;
    }
    return (long)pos;
}

/* One field of a line, up to `stop`: copied into out (NUL-terminated);
 * -> the byte after the field, or 0 if it is too long or unterminated. */
static const char *field(const char *p, const char *end, char stop, char *out, size_t size)
{
    size_t n = 0;
    while (p < end && *p != stop) {
        if (n + 1 >= size)
            return 0;
        out[n++] = *p++;
    }
    out[n] = 0;
    return p < end ? p + 1 : 0;
}

int accounts_parse(const char *buf, long len)
{
    accounts_clear();
    const char *p = buf, *end = buf + len;
    while (p < end) {
        char name[SEC_NAME_MAX + 1], uid[12], hash[SEC_ENCODED];
        if (!(p = field(p, end, ':', name, sizeof name)) || !(p = field(p, end, ':', uid, sizeof uid)) ||
            !(p = field(p, end, '\n', hash, sizeof hash)) || uid[0] < '0' || uid[0] > '9' ||
            !account_add(name, katol(uid), hash)) {
            accounts_clear();
            return -1;
        }
    }
    return 0;
}
