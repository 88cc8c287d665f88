/* Checks for the peer machine's guest tests.
 *
 * Every CHECK counts; the first that fails prints its line and the values
 * and exits with its number (capped at 254), so the exit code names the
 * failing check and 0 means all passed.
 */
#ifndef PTEST_H
#define PTEST_H

#include <stdio.h>
#include <stdlib.h>
#include "peer_rt.h"

#define ANY (~(uint64_t)0)   /* a fault-record field not to compare */

static int ptest_checks;

static inline void ptest_fail(int line, const char *what)
{
    printf("FAIL check %d (line %d): %s\n", ptest_checks, line, what);
    exit(ptest_checks < 254 ? ptest_checks : 254);
}

#define CHECK(cond) do { ptest_checks++; if (!(cond)) ptest_fail(__LINE__, #cond); } while (0)

#define CHECK_EQ(a, b) do { \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b); \
        ptest_checks++; \
        if (a_ != b_) { \
            printf("  %s = 0x%lx, expected %s = 0x%lx\n", #a, (unsigned long)a_, #b, (unsigned long)b_); \
            ptest_fail(__LINE__, #a " == " #b); \
        } \
    } while (0)

static inline void ptest_print_fault(const char *who, long status, const struct pl_fault *f)
{
    printf("  %s: status %ld, record cause %lu pc 0x%lx addr 0x%lx missing 0x%lx space %lu code %lu thread %lu\n",
           who, status, (unsigned long)f->cause, (unsigned long)f->pc, (unsigned long)f->addr,
           (unsigned long)f->missing, (unsigned long)f->space, (unsigned long)f->code_space,
           (unsigned long)f->thread);
}

/* A call was unwound by a fault: its result is 0, the status is the cause
 * and the record says what was tried, where and by whom. */
static inline void ptest_expect_fault(int line, long result, long status, const struct pl_fault *f,
                                      uint64_t cause, uint64_t pc, uint64_t addr, uint64_t missing,
                                      uint64_t space)
{
    ptest_checks++;
    int ok = result == 0 && (uint64_t)status == cause && f->cause == cause &&
             (pc == ANY || f->pc == pc) && (addr == ANY || f->addr == addr) &&
             (missing == ANY || f->missing == missing) && (space == ANY || f->space == space);
    if (!ok) {
        printf("  result %ld; expected status/cause %lu pc 0x%lx addr 0x%lx missing 0x%lx space %lu\n",
               result, (unsigned long)cause, (unsigned long)pc, (unsigned long)addr,
               (unsigned long)missing, (unsigned long)space);
        ptest_print_fault("observed", status, f);
        ptest_fail(line, "fault reported precisely");
    }
}

/* After a gate call made by this code: check that it was unwound so. */
#define EXPECT_FAULT(result, cause, pc, addr, missing, space) do { \
        long r__ = (result); \
        long st__ = pl_status(); \
        struct pl_fault f__ = { 0 }; \
        long fi__ = pl_faultinfo(&f__); \
        CHECK_EQ(fi__, 0); \
        ptest_expect_fault(__LINE__, r__, st__, &f__, (cause), (pc), (addr), (missing), (space)); \
    } while (0)

/* After a gate call made by this code: it returned normally with value. */
#define EXPECT_RETURN(result, value) do { \
        long r__ = (result); \
        long st__ = pl_status(); \
        if (st__ != 0) { \
            struct pl_fault f__ = { 0 }; \
            pl_faultinfo(&f__); \
            ptest_print_fault("unexpected fault", st__, &f__); \
        } \
        CHECK_EQ(st__, 0); \
        CHECK_EQ(r__, (value)); \
    } while (0)

/* Counter `reg` (COUNTERS_*) of `space`. */
static inline uint64_t counter(uint64_t space, uint64_t reg)
{
    peer_ctl_write(PEER_COUNTERS, COUNTERS_SPACE, space);
    return peer_ctl_read(PEER_COUNTERS, reg);
}

/* DMA buffers: fill one with a byte; check it holds only that byte (one
 * check, failing at the first byte that differs). */
static inline void fill(volatile uint8_t *p, unsigned n, uint8_t v)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = v;
}

static inline void check_filled(volatile const uint8_t *p, unsigned n, uint8_t v)
{
    for (unsigned i = 0; i < n; i++)
        if (p[i] != v) {
            printf("  byte %u: 0x%02x, expected 0x%02x\n", i, p[i], v);
            CHECK(0);
        }
    ptest_checks++;
}

/* A new space from `img`, whose init `entry` runs there (on `stack`, 4 KiB,
 * with `arg`) and makes its gate: returns the gate, the space in *space. */
static inline uint64_t ptest_spawn(const struct peer_image *img, void (*entry)(struct peer_spawn_msg *),
                                   uint64_t arg, uint8_t *stack, long *space)
{
    *space = peer_space_new(img);
    CHECK(*space > 1);
    int ok;
    uint64_t gate = peer_spawn(*space, entry, arg, stack, 4096, &ok);
    CHECK(ok);
    return gate;
}

#endif
