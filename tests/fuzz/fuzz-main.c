/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* A plain driver for the fuzz targets (tests/fuzz/fuzz.h), for builds
 * without libFuzzer: runs each file named on the command line (each file
 * in a directory) through fuzz_run() once.
 *
 * usage: fuzz-TARGET [--valid] FILE|DIR...
 *
 * Prints "N inputs, M rejected".  With --valid, every input must be
 * accepted: each rejected one is printed with its error, and the exit
 * status is 1 if there is any.  A failed self-check aborts. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

struct fuzz_stats {
    size_t n_inputs;
    size_t n_rejected;
    bool valid;                 /* --valid given? */
};

static void
run_file(const char *name, struct fuzz_stats *stats)
{
    struct ds data = DS_EMPTY_INITIALIZER;
    FILE *file = fopen(name, "rb");

    if (!file) {
        ovs_fatal(errno, "%s: open failed", name);
    }
    for (int c; (c = getc(file)) != EOF;) {
        ds_put_char(&data, c);
    }
    fclose(file);

    char *error = fuzz_run((const uint8_t *) data.string, data.length);
    stats->n_inputs++;
    if (error) {
        stats->n_rejected++;
        if (stats->valid) {
            printf("%s: rejected: %s\n", name, error);
        }
        free(error);
    }
    ds_destroy(&data);
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

static void
run_dir(const char *name, struct fuzz_stats *stats)
{
    DIR *dir = opendir(name);
    char **names = NULL;
    size_t n = 0, allocated = 0;
    struct dirent *de;

    if (!dir) {
        ovs_fatal(errno, "%s: opendir failed", name);
    }
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] != '.') {
            if (n >= allocated) {
                names = x2nrealloc(names, &allocated, sizeof *names);
            }
            names[n++] = xasprintf("%s/%s", name, de->d_name);
        }
    }
    closedir(dir);

    if (n) {
        qsort(names, n, sizeof *names, compare_strings);
    }
    for (size_t i = 0; i < n; i++) {
        run_file(names[i], stats);
        free(names[i]);
    }
    free(names);
}

int
main(int argc, char *argv[])
{
    struct fuzz_stats stats = { 0, 0, false };
    int i = 1;

    set_program_name(argv[0]);
    if (i < argc && !strcmp(argv[i], "--valid")) {
        stats.valid = true;
        i++;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: %s [--valid] FILE|DIR...\n", program_name);
        return 2;
    }
    for (; i < argc; i++) {
        struct stat st;

        if (stat(argv[i], &st)) {
            ovs_fatal(errno, "%s: stat failed", argv[i]);
        }
        if (S_ISDIR(st.st_mode)) {
            run_dir(argv[i], &stats);
        } else {
            run_file(argv[i], &stats);
        }
    }
    printf("%"PRIuSIZE" inputs, %"PRIuSIZE" rejected\n", stats.n_inputs,
           stats.n_rejected);
    return stats.valid && stats.n_rejected ? 1 : 0;
}
