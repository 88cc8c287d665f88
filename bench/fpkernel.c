/* Floating-point kernels in double precision: a dense matrix multiply
 * (loads and fused multiply-adds) and an n-body simulation (divides and
 * square roots).  The checksums are the exact bit patterns of the results,
 * so any rounding difference between emulators shows up.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include "bench_common.h"

#define N        160     /* matrix order */
#define MM_REPS  8
#define BODIES   5
#define STEPS    700000

static double ma[N][N], mb[N][N], mc[N][N];

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static void matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            mc[i][j] = 0.0;
        for (int k = 0; k < N; k++) {
            double aik = ma[i][k];
            for (int j = 0; j < N; j++)
                mc[i][j] += aik * mb[k][j];
        }
    }
}

static uint64_t matmul_bench(void)
{
    uint64_t seed = 0xB7E151628AED2A6BULL;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            /* Values in [-1, 1) with 53 random bits. */
            ma[i][j] = (double)(int64_t)bench_rand(&seed) * 0x1p-63;
            mb[i][j] = (double)(int64_t)bench_rand(&seed) * 0x1p-63;
        }
    uint64_t sum = 0;
    for (int rep = 0; rep < MM_REPS; rep++) {
        matmul();
        /* Feed the product back in (scaled) so repetitions differ. */
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                ma[i][j] = mc[i][j] * (1.0 / N);
        for (int i = 0; i < N; i++)
            sum = bench_mix(sum, bits(mc[i][i]));
    }
    return sum;
}

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static double energy(const struct body *b)
{
    double e = 0.0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * b[i].mass *
             (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y,
                   dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void step(struct body *b, double dt)
{
    for (int i = 0; i < BODIES; i++)
        for (int j = i + 1; j < BODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y,
                   dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            b[i].vx -= dx * b[j].mass * mag;
            b[i].vy -= dy * b[j].mass * mag;
            b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag;
            b[j].vy += dy * b[i].mass * mag;
            b[j].vz += dz * b[i].mass * mag;
        }
    for (int i = 0; i < BODIES; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

static uint64_t nbody_bench(double *e0, double *e1)
{
    /* A heavy central body and four lighter ones on rough orbits
     * (units: G = 1). */
    struct body b[BODIES] = {
        {0, 0, 0, 0, 0, 0, 40.0},
        {5.0, 0, 0.1, 0, 2.8, 0, 0.04},
        {0, 9.0, -0.2, -2.1, 0, 0.05, 0.012},
        {-15.0, 0.5, 0, 0.1, -1.6, 0, 0.002},
        {0, -22.0, 0.3, 1.35, 0, -0.02, 0.003},
    };
    /* Zero total momentum so the system does not drift. */
    double px = 0, py = 0, pz = 0;
    for (int i = 1; i < BODIES; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / b[0].mass;
    b[0].vy = -py / b[0].mass;
    b[0].vz = -pz / b[0].mass;

    *e0 = energy(b);
    for (int s = 0; s < STEPS; s++)
        step(b, 0.001);
    *e1 = energy(b);
    uint64_t sum = 0;
    for (int i = 0; i < BODIES; i++) {
        sum = bench_mix(sum, bits(b[i].x));
        sum = bench_mix(sum, bits(b[i].vy));
    }
    return sum;
}

int main(void)
{
    uint64_t mm = matmul_bench();
    double e0, e1;
    uint64_t nb = nbody_bench(&e0, &e1);
    /* Energy is conserved to well within 1% over this run; a wildly wrong
     * FPU would not be. */
    if (!(fabs(e1 - e0) < 0.01 * fabs(e0))) {
        printf("fpkernel: n-body energy not conserved\n");
        return 1;
    }
    printf("fpkernel: matmul %016llx nbody %016llx energy %016llx %016llx\n",
           (unsigned long long)mm, (unsigned long long)nb,
           (unsigned long long)bits(e0), (unsigned long long)bits(e1));
    return 0;
}
