/* The demo that `make run` boots until the peer kernel exists: it shows the
 * machine it runs on (from its CSRs), draws the Mandelbrot set with the FPU,
 * and exits through semihosting with status 0. */
#include <stdio.h>
#include <stdint.h>

static uint64_t csr_misa(void) { uint64_t v; __asm__ volatile("csrr %0, misa" : "=r"(v)); return v; }
static uint64_t csr_instret(void) { uint64_t v; __asm__ volatile("csrr %0, minstret" : "=r"(v)); return v; }

int main(void)
{
    uint64_t misa = csr_misa();
    printf("Peerless demo: a bare-metal C program on the virt machine\n");
    printf("ISA: RV%d", 16 << (misa >> 62));
    for (int i = 0; i < 26; i++)
        if (misa & (1u << i))
            putchar('A' + i);
    printf("\n\n");

    static const char shade[] = " .:-=+*#%@";
    for (int row = 0; row < 24; row++) {
        for (int col = 0; col < 72; col++) {
            double cr = -2.2 + col * 3.0 / 72, ci = -1.2 + row * 2.4 / 24, zr = 0, zi = 0;
            int n = 0;
            while (n < 200 && zr * zr + zi * zi < 4) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                n++;
            }
            putchar(n == 200 ? '@' : shade[n % 9]);
        }
        putchar('\n');
    }
    printf("\n%llu instructions retired so far\n", (unsigned long long)csr_instret());
    return 0;
}
