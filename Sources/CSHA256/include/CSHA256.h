// SHA-256 block compression with the x86 SHA extensions, for ServiceTags' `SHA256`. Swift cannot
// reach these instructions, so this one function is C; everything else about the hash (padding,
// buffering, the portable rounds) stays in Swift.
#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (and the SSSE3 and SSE4.1 the routine also uses), else
/// 0 (always 0 on other architectures). Asks CPUID each call: callers cache the answer.
int stag_sha256_hardware_available(void);

/// Compresses `blocks` consecutive 64-byte blocks at `data` into `state` (a, b, ..., h in FIPS
/// 180-4 order). Only call it when `stag_sha256_hardware_available()` returned 1.
void stag_sha256_hardware_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
