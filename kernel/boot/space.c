/* boot's hands: creating a space, granting to it (and noting the grant in
 * the text `spaces` shows), running its init on a thread of its own with
 * the thread controller lent for the init only. */
#include "boot.h"

long boot_console_gate;
static uint8_t init_stack[16384] __attribute__((aligned(16)));

struct kspace spaces[NSPACES] = {
    { .name = "mem" }, { .name = "sched" }, { .name = "console" },
    { .name = "dir" }, { .name = "proc" }, { .name = "shell" }, { .name = "blk" }, { .name = "fs" }, { .name = "sec" },
    { .name = "net" }, { .name = "ip" },
};

void boot_halt(const char *why)
{
    kprintf(boot_console_gate, "boot: %s\n", why);
    *(volatile uint32_t *)PEER_TEST_BASE = (2u << 16) | 0x3333u;
    for (;;)
        ;
}

static const char *rights_text(uint64_t r, char out[8])
{
    int n = 0;
    if (r & PL_R) out[n++] = 'R';
    if (r & PL_W) out[n++] = 'W';
    if (r & PL_X) out[n++] = 'X';
    if (r & PL_G) out[n++] = 'G';
    if (r & PL_P) out[n++] = 'P';
    out[n] = 0;
    return out;
}

void boot_give(struct kspace *s, const char *what, uint64_t base, uint64_t len, uint64_t rights)
{
    if (pl_grant((uint64_t)s->id, base, len, rights) < 0)
        boot_halt("a grant failed");
    char r[8];
    kappend(s->rights, sizeof s->rights, &s->len, "%s%s:%s", s->len ? " " : "", what, rights_text(rights, r));
}

void boot_new_space(struct kspace *s, struct peer_image img)
{
    s->id = peer_space_create();
    if (s->id <= 0)
        boot_halt("cannot create a space");
    boot_give(s, "text", img.text_lo, img.text_hi - img.text_lo, PL_R | PL_X);
    boot_give(s, "data", img.data_lo, img.data_hi - img.data_lo, PL_R | PL_W | PL_P);
    /* klib's code runs in every kernel space; it has no data. */
    if (pl_grant((uint64_t)s->id, (uint64_t)__klib_text_start,
                 (uint64_t)(__klib_text_end - __klib_text_start), PL_R | PL_X) < 0)
        boot_halt("a grant failed");
}

void boot_run_init(struct kspace *s, void (*init)(struct kinit *), struct kinit *m)
{
    long lend = pl_grant((uint64_t)s->id, PEER_THREADCTL, PEER_PAGE_SIZE, PL_R | PL_W);
    uint64_t hi = (uint64_t)init_stack + sizeof init_stack;
    struct kinit *msg = (struct kinit *)((hi - sizeof *msg) & ~15UL);
    memcpy(msg, m, sizeof *msg);
    msg->creator = peer_thread_current();
    msg->done = 0;
    long t = peer_thread_create((uint64_t)init, (uint64_t)msg, (uint64_t)init_stack, hi,
                                (uint64_t)s->id, (uint64_t)s->id, (uint64_t)msg);
    if (t <= 0)
        boot_halt("cannot create an init thread");
    peer_thread_switch((uint64_t)t);
    peer_thread_stop((uint64_t)t);
    if (lend <= 0 || pl_revoke(lend) != 0)
        boot_halt("cannot take back the thread controller");
    if (!msg->done)
        boot_halt("a space's init did not finish");
    memcpy(m, msg, sizeof *m);
    memset(init_stack, 0, sizeof init_stack);
}

void boot_give_gate(struct kspace *s, const char *what, uint64_t gate, uint64_t rights)
{
    boot_give(s, what, gate, 8, rights);
}
