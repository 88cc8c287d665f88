/* An ordinary C program: printf, malloc, arguments, exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("hello from an ordinary C program: %d argument%s\n", argc - 1, argc == 2 ? "" : "s");
    for (int i = 1; i < argc; i++)
        printf("  argv[%d] = %s\n", i, argv[i]);
    size_t n = 100000;
    char *p = malloc(n);
    if (!p) {
        printf("malloc failed\n");
        return 1;
    }
    memset(p, 'x', n);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += p[i];
    printf("malloc'd %zu bytes at %p, sum %ld\n", n, (void *)p, sum);
    free(p);
    return argc > 1 && !strcmp(argv[1], "fail") ? 3 : 0;
}
