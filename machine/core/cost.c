/* The cycle model's defaults and its file format. */
#include "core/cost.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cost_model default_costs = {
    .tlb_miss = 20,
    .gate_call = 4,
    .gate_return = 4,
    .trap_entry = 8,
    .pl_op = 4,
};

static const struct { const char *name; size_t off; } fields[] = {
    { "tlb_miss", offsetof(struct cost_model, tlb_miss) },
    { "gate_call", offsetof(struct cost_model, gate_call) },
    { "gate_return", offsetof(struct cost_model, gate_return) },
    { "trap_entry", offsetof(struct cost_model, trap_entry) },
    { "pl_op", offsetof(struct cost_model, pl_op) },
};

bool cost_model_load(struct cost_model *m, const char *path, char *err, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, n, "%s: %s", path, strerror(errno));
        return false;
    }
    char line[256];
    int lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char name[64];
        unsigned long value;
        char extra;
        if (sscanf(line, " %63[a-z_] = %lu %c", name, &value, &extra) != 2) {
            char *p = line;
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                p++;
            if (*p) {
                snprintf(err, n, "%s:%d: expected `name = number`", path, lineno);
                ok = false;
            }
            continue;
        }
        size_t i = 0;
        while (i < sizeof fields / sizeof fields[0] && strcmp(fields[i].name, name))
            i++;
        if (i == sizeof fields / sizeof fields[0] || value > 1000000) {
            snprintf(err, n, "%s:%d: %s '%s'", path, lineno, i == sizeof fields / sizeof fields[0] ?
                     "unknown cost" : "cost too large for", name);
            ok = false;
            continue;
        }
        *(unsigned *)((char *)m + fields[i].off) = (unsigned)value;
    }
    fclose(f);
    return ok;
}
