/* Sorting: quicksort (median of three, insertion sort for short runs) of
 * a large array of pseudo-random 32-bit ints, then a check that the result
 * is ordered and a checksum of it.  Exercises data-dependent branches and
 * loads/stores over several MiB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "bench_common.h"

#define COUNT (4 * 1024 * 1024)

static void insertion_sort(int32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        int32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(int32_t *a, int32_t *b)
{
    int32_t t = *a;
    *a = *b;
    *b = t;
}

static void quicksort(int32_t *a, long n)
{
    /* Recurse into the smaller part, loop on the larger: depth stays
     * logarithmic whatever the input. */
    while (n > 16) {
        long mid = n / 2;
        if (a[mid] < a[0]) swap(&a[mid], &a[0]);
        if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
        int32_t pivot = a[mid];
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            swap(&a[i], &a[j]);
            i++;
            j--;
        }
        long left = j + 1;          /* a[0..j] <= pivot <= a[j+1..n-1] */
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

int main(void)
{
    int32_t *a = malloc(COUNT * sizeof *a);
    if (!a) {
        printf("sort: out of memory\n");
        return 1;
    }
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    uint64_t sum_before = 0;
    for (long i = 0; i < COUNT; i++) {
        a[i] = (int32_t)bench_rand(&seed);
        sum_before += (uint32_t)a[i];
    }

    quicksort(a, COUNT);

    uint64_t sum_after = 0, check = 0;
    for (long i = 0; i < COUNT; i++) {
        if (i > 0 && a[i - 1] > a[i]) {
            printf("sort: not ordered at %ld\n", i);
            return 1;
        }
        sum_after += (uint32_t)a[i];
        check = bench_mix(check, (uint32_t)a[i]);
    }
    if (sum_after != sum_before) {
        printf("sort: elements lost or changed\n");
        return 1;
    }
    printf("sort: %d ints, min %ld max %ld checksum %016llx\n", COUNT,
           (long)a[0], (long)a[COUNT - 1], (unsigned long long)check);
    free(a);
    return 0;
}
