/* lwIP's platform header for the ip space: RV64, little-endian; the few C
 * library functions lwIP calls come from klib (memcpy, memset, memcmp,
 * strlen, strncmp) and port.c (atoi).  picolibc's headers declare them;
 * none of picolibc's code is linked (kernel/README.md). */
#ifndef IP_ARCH_CC_H
#define IP_ARCH_CC_H

#define BYTE_ORDER LITTLE_ENDIAN

void ip_assert_failed(const char *msg, int line, const char *file) __attribute__((noreturn));
unsigned ip_rand(void);

#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) ip_assert_failed((x), __LINE__, __FILE__)
#define LWIP_RAND() ((u32_t)ip_rand())

#endif
