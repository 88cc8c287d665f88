/* The cycle model's file: names, numbers, comments, and clear refusals. */
#include "core/cost.h"
#include "unit.h"

#include <string.h>

static const char *path = "/tmp/peerless-test-cost";

static bool load(const char *text, struct cost_model *m, char *err)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    *m = default_costs;
    return cost_model_load(m, path, err, 256);
}

int main(void)
{
    struct cost_model m;
    char err[256];
    CHECK(load("# a comment\n\ntlb_miss = 7\ngate_call=3   # trailing\n", &m, err));
    CHECK_EQ(m.tlb_miss, 7);
    CHECK_EQ(m.gate_call, 3);
    CHECK_EQ(m.gate_return, default_costs.gate_return);
    CHECK(!load("tlb_miss = 7\nwhat = 1\n", &m, err));
    CHECK(strstr(err, ":2: unknown cost 'what'") != NULL);
    CHECK(!load("tlb_miss = seven\n", &m, err));
    CHECK(strstr(err, ":1: expected") != NULL);
    CHECK(!load("tlb_miss = 7 8\n", &m, err));
    CHECK(!load("pl_op = 99999999\n", &m, err));
    CHECK(!cost_model_load(&m, "/nonexistent/peerless", err, sizeof err));
    CHECK(strstr(err, "No such file") != NULL);
    remove(path);
    return unit_report("cost");
}
