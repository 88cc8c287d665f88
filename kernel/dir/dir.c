/* dir: the name service.  A service registers a gate under a name, having
 * granted dir G|P over it; anyone who holds G on dir's gate may look a name
 * up, and dir grants G over the named gate to the space the caller names.
 * dir also keeps the list of spaces and what each was given, for `spaces`.
 * It holds nothing but its own pages and the gates it was handed. */
#include "kern.h"

#define MAX_NAMES 32
#define MAX_SPACES 128

struct entry { char name[17]; uint64_t gate; };
struct space { uint64_t id; char name[17]; char rights[256]; };

static struct entry names[MAX_NAMES];
static struct space spaces[MAX_SPACES];

static struct entry *lookup(uint64_t a, uint64_t b)
{
    char name[17];
    kname_unpack(a, b, name);
    for (int i = 0; i < MAX_NAMES; i++)
        if (names[i].gate && !strcmp(names[i].name, name))
            return &names[i];
    return 0;
}

static long dir_register(uint64_t a, uint64_t b, uint64_t gate)
{
    if ((pl_query(gate) & (PL_G | PL_P)) != (PL_G | PL_P))
        return KE_PERM;   /* we could not hand it on */
    if (lookup(a, b))
        return KE_BUSY;
    for (int i = 0; i < MAX_NAMES; i++)
        if (!names[i].gate) {
            kname_unpack(a, b, names[i].name);
            names[i].gate = gate;
            return 0;
        }
    return KE_NOMEM;
}

static long list(volatile char *buf, long len)
{
    char out[1024];
    size_t pos = 0;
    for (int i = 0; i < MAX_NAMES; i++)
        if (names[i].gate)
            kappend(out, sizeof out, &pos, "%-10s gate 0x%lx\n", names[i].name, (unsigned long)names[i].gate);
    long n = (long)pos < len ? (long)pos : len;
    for (long i = 0; i < n; i++)
        buf[i] = out[i];
    return n;
}

static long list_spaces(volatile char *buf, long len)
{
    long n = 0;
    for (int i = 0; i < MAX_SPACES && n < len; i++) {
        if (!spaces[i].id)
            continue;
        char line[320];
        int k = kfmt(line, sizeof line, "%3lu %-9s %s\n", (unsigned long)spaces[i].id, spaces[i].name,
                     spaces[i].rights);
        if (k > (int)sizeof line - 1)
            k = sizeof line - 1;
        for (int j = 0; j < k && n < len; j++)
            buf[n++] = line[j];
    }
    return n;
}

static long space_add(uint64_t a, uint64_t b, uint64_t id, const volatile char *text, long len)
{
    struct space *s = 0;
    for (int i = 0; i < MAX_SPACES && !s; i++)
        if (!spaces[i].id || spaces[i].id == id)
            s = &spaces[i];
    if (!s)
        return KE_NOMEM;
    s->id = id;
    kname_unpack(a, b, s->name);
    if (len > (long)sizeof s->rights - 1)
        len = sizeof s->rights - 1;
    for (long i = 0; i < len; i++)
        s->rights[i] = text[i];
    s->rights[len > 0 ? len : 0] = 0;
    return 0;
}

static long dir_user(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case DIR_LOOKUP: {
        struct entry *e = lookup((uint64_t)a1, (uint64_t)a2);
        if (!e)
            return KE_NOENT;
        long g = pl_grant((uint64_t)a3, e->gate, 8, PL_G);
        return g < 0 ? g : (long)e->gate;
    }
    case DIR_LIST: return list((volatile char *)a1, a2);
    case DIR_SPACES: return list_spaces((volatile char *)a1, a2);
    }
    return KE_PERM;
}

static long dir_admin(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case DIR_REGISTER: return dir_register((uint64_t)a1, (uint64_t)a2, (uint64_t)a3);
    case DIR_SPACE_ADD: return space_add((uint64_t)a1, (uint64_t)a2, (uint64_t)a3, (const volatile char *)a4, a5);
    case DIR_UNREGISTER: {
        struct entry *e = lookup((uint64_t)a1, (uint64_t)a2);
        if (!e)
            return KE_NOENT;
        e->gate = 0;
        return 0;
    }
    case DIR_SPACE_DEL:
        for (int i = 0; i < MAX_SPACES; i++)
            if (spaces[i].id == (uint64_t)a1)
                spaces[i].id = 0;
        return 0;
    }
    return dir_user(op, a1, a2, a3, a4, a5, a6, a7);
}

static void init(struct kinit *m)
{
    long u = pl_make_gate((uint64_t)dir_user, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    long a = pl_make_gate((uint64_t)dir_admin, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)u, 8, PL_G | PL_P);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)a, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)u;
    m->out[1] = (uint64_t)a;
}
KINIT_ENTRY(dir, init)
