/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Fuzz targets for the logical flow language.
 *
 * Each target (fuzz-actions.c, fuzz-expr.c) defines fuzz_run(), which
 * pushes one input through a compiler stage and its self-checks, and the
 * libFuzzer entry point LLVMFuzzerTestOneInput() on top of it.  Rejecting
 * bad input is not a bug; a self-check that fails is, and aborts, so that
 * libFuzzer and the sanitizers report it with the input.
 *
 * tests/fuzz/build.sh links the targets with libFuzzer (clang,
 * -fsanitize=fuzzer,address).  The normal build links them with
 * fuzz-main.c instead, a plain driver that runs files through fuzz_run(),
 * so that the seed corpora are replayed by the test suite. */

#ifndef OVN_FUZZ_H
#define OVN_FUZZ_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Runs the 'size' bytes at 'data' through the target.  Returns NULL if
 * the input was accepted, otherwise a malloc'd error saying why it was
 * rejected.  Aborts if a self-check fails. */
char *fuzz_run(const uint8_t *data, size_t size);

/* The libFuzzer entry point; calls fuzz_run() and ignores its verdict. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with 'message' and the input, for a failed self-check. */
void fuzz_check_failed(const char *input, const char *message, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/* The logical ports both targets resolve, for 'lookup_port' callbacks:
 * "p1".."p9" -> tunnel keys 1..9.  Ignores 'aux'. */
bool fuzz_lookup_port(const void *aux, const char *name, unsigned int *key);

#endif /* fuzz.h */
