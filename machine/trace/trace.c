/* The trace-event JSON writer. */
#include "trace/trace.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CAP 1000000

/* Instructions as microseconds with nanosecond digits: JSON "ts" is in us. */
static void ts(struct trace *t, uint64_t now)
{
    fprintf(t->f, "\"ts\":%llu.%03llu", (unsigned long long)(now / 1000), (unsigned long long)(now % 1000));
}

/* Room for one more event?  Past the cap, say so once and stop. */
static bool room(struct trace *t, uint64_t now)
{
    if (!t->f || t->capped)
        return false;
    if (t->events + 1 >= t->cap) {
        t->capped = true;
        fprintf(t->f, ",\n{\"name\":\"trace capped: later events dropped\",\"ph\":\"i\",\"s\":\"g\",\"pid\":0,\"tid\":0,");
        ts(t, now);
        fprintf(t->f, "}");
        return false;
    }
    fputs(t->events++ ? ",\n" : "\n", t->f);
    return true;
}

bool trace_open(struct trace *t, const char *path, uint64_t cap)
{
    memset(t, 0, sizeof *t);
    t->f = fopen(path, "w");
    if (!t->f)
        return false;
    t->cap = cap ? cap : DEFAULT_CAP;
    fprintf(t->f, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time\":\"1 ns = 1 retired instruction\"},"
                  "\"traceEvents\":[");
    room(t, 0);
    fprintf(t->f, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":0,\"args\":{\"name\":\"hart 0\"}}");
    return true;
}

void trace_close(struct trace *t, uint64_t now)
{
    if (!t->f)
        return;
    trace_space(t, now, t->last_space, NULL);
    fprintf(t->f, "\n]}\n");
    fclose(t->f);
    t->f = NULL;
    free(t->per_space);
}

static void thread_name(struct trace *t, unsigned thread)
{
    /* Name each thread's track the first time it appears (cheap to repeat). */
    fprintf(t->f, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":%u,\"args\":{\"name\":\"thread %u\"}}", thread, thread);
}

void trace_begin(struct trace *t, uint64_t now, unsigned thread, const char *what,
                 uint32_t code_space, uint32_t data_space, uint64_t gate)
{
    if (!room(t, now))
        return;
    thread_name(t, thread);
    if (!room(t, now))
        return;
    fprintf(t->f, "{\"name\":\"%s into space %u\",\"cat\":\"space %u\",\"ph\":\"B\",\"pid\":0,\"tid\":%u,",
            what, code_space, code_space, thread);
    ts(t, now);
    fprintf(t->f, ",\"args\":{\"code space\":%u,\"data space\":%u,\"gate\":\"0x%llx\"}}",
            code_space, data_space, (unsigned long long)gate);
}

void trace_end(struct trace *t, uint64_t now, unsigned thread, const char *why)
{
    if (!room(t, now))
        return;
    fprintf(t->f, "{\"ph\":\"E\",\"pid\":0,\"tid\":%u,", thread);
    ts(t, now);
    fprintf(t->f, ",\"args\":{\"end\":\"%s\"}}", why);
}

void trace_instant(struct trace *t, uint64_t now, unsigned thread, const char *name, const char *fmt, ...)
{
    if (!room(t, now))
        return;
    fprintf(t->f, "{\"name\":\"%s\",\"ph\":\"i\",\"s\":\"t\",\"pid\":0,\"tid\":%u,", name, thread);
    ts(t, now);
    fprintf(t->f, ",\"args\":{");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(t->f, fmt, ap);
    va_end(ap);
    fprintf(t->f, "}}");
}

void trace_space(struct trace *t, uint64_t now, uint32_t new_space, const struct trace_plb *left)
{
    if (!t->f)
        return;
    uint32_t s = t->last_space;
    if (s >= t->nspaces) {
        uint32_t n = s + 64;
        uint64_t *p = realloc(t->per_space, n * sizeof *p);
        if (!p)
            return;
        memset(p + t->nspaces, 0, (n - t->nspaces) * sizeof *p);
        t->per_space = p;
        t->nspaces = n;
    }
    t->per_space[s] += now - t->last_insns;
    t->last_insns = now;
    t->last_space = new_space;
    if (!room(t, now))
        return;
    fprintf(t->f, "{\"name\":\"instructions in space %u\",\"ph\":\"C\",\"pid\":0,", s);
    ts(t, now);
    fprintf(t->f, ",\"args\":{\"instructions\":%llu}}", (unsigned long long)t->per_space[s]);
    if (!left || !room(t, now))
        return;
    fprintf(t->f, "{\"name\":\"protection cache of space %u\",\"ph\":\"C\",\"pid\":0,", s);
    ts(t, now);
    fprintf(t->f, ",\"args\":{\"hits\":%llu,\"misses\":%llu}}", (unsigned long long)left->hits,
            (unsigned long long)left->misses);
}
