/* cat FILE...: print files of the boot image through fopen/fgets. */
#include <stdio.h>

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            printf("cat: %s: no such file\n", argv[i]);
            status = 1;
            continue;
        }
        char line[128];
        while (fgets(line, sizeof line, f))
            fputs(line, stdout);
        fclose(f);
    }
    return status;
}
