/* fuzz_main.c: runs a libFuzzer-style target (LLVMFuzzerTestOneInput) over
 * seed files, so every fuzz target's corpus is replayed under ASan + UBSan
 * by ctest even where libFuzzer is not built. Usage: TARGET_seeds DIR...
 * (every regular file under each DIR that the target's fuzz_accepts() takes). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int fuzz_accepts(const char *path);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    size_t got = buf ? fread(buf, 1, (size_t)(n > 0 ? n : 0), f) : 0;
    fclose(f);
    if (!buf)
        return 0;
    LLVMFuzzerTestOneInput(buf, got);
    free(buf);
    return 1;
}

static int walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    struct dirent *e;
    char path[4096];
    /* readdir order is unspecified; the target must not depend on order. */
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            count += walk(path);
        else if (S_ISREG(st.st_mode) && fuzz_accepts(path))
            count += run_file(path);
    }
    closedir(d);
    return count;
}

int main(int argc, char **argv)
{
    int count = 0;
    for (int i = 1; i < argc; i++)
        count += walk(argv[i]);
    printf("replayed %d seed inputs\n", count);
    if (count == 0) {
        fprintf(stderr, "no seed inputs found: the corpus is missing\n");
        return 1;
    }
    return 0;
}
