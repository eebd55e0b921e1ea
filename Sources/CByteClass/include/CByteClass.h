// The byte classes `AddressScanner` needs, 32 bytes at a time, as bit masks (bit k for byte k).
// Swift has no portable way to turn a vector comparison into a bit mask (pmovmskb), so this is C,
// in a header of static inline functions that the Swift compiler inlines into its callers.
#ifndef CBYTECLASS_H
#define CBYTECLASS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit k of each mask describes byte k of the 32 classified.
/// Invariant: `dots`, `colons` and `letters` are disjoint subsets of `address`, and `address`
/// holds exactly those plus the decimal digits.
typedef struct {
    /// 0-9 a-f A-F . : (the characters addresses are written with)
    uint32_t address;
    uint32_t dots;
    uint32_t colons;
    /// a-f A-F
    uint32_t letters;
} stag_byte_classes;

#if defined(__SSE2__)
/// `mask`, as a plain integer the optimizer cannot trace back to a vector compare. Without this,
/// LLVM rewrites the popcounts and bit tests the Swift caller does on a movemask into per-lane
/// vector code, one instruction per bit (measured: 2.5x slower than the scalar scan it replaced).
static inline __attribute__((always_inline)) uint32_t stag_opaque(uint32_t mask) {
    __asm__("" : "+r"(mask));
    return mask;
}

/// The four masks of 16 bytes, in the low 16 bits of each field.
static inline __attribute__((always_inline)) stag_byte_classes stag_classify16_sse2(__m128i x) {
    __m128i dot = _mm_cmpeq_epi8(x, _mm_set1_epi8('.'));
    __m128i colon = _mm_cmpeq_epi8(x, _mm_set1_epi8(':'));
    // Unsigned range checks: t <= 9 exactly when min(t, 9) == t.
    __m128i t = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
    __m128i u = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(5)), u);
    __m128i any = _mm_or_si128(_mm_or_si128(dot, colon), _mm_or_si128(digit, letter));
    stag_byte_classes c;
    c.address = stag_opaque((uint32_t)_mm_movemask_epi8(any));
    c.dots = stag_opaque((uint32_t)_mm_movemask_epi8(dot));
    c.colons = stag_opaque((uint32_t)_mm_movemask_epi8(colon));
    c.letters = stag_opaque((uint32_t)_mm_movemask_epi8(letter));
    return c;
}
#endif

/// The classes of the 32 bytes at `p` (all 32 must be readable).
static inline __attribute__((always_inline)) stag_byte_classes stag_classify32(const uint8_t *p) {
#if defined(__SSE2__)
    stag_byte_classes lo = stag_classify16_sse2(_mm_loadu_si128((const __m128i *)p));
    stag_byte_classes hi = stag_classify16_sse2(_mm_loadu_si128((const __m128i *)(p + 16)));
    stag_byte_classes c;
    c.address = lo.address | hi.address << 16;
    c.dots = lo.dots | hi.dots << 16;
    c.colons = lo.colons | hi.colons << 16;
    c.letters = lo.letters | hi.letters << 16;
    return c;
#else
    // Portable: one byte at a time (correct everywhere; the SSE2 path is what x86-64 runs).
    stag_byte_classes c = {0, 0, 0, 0};
    for (int k = 0; k < 32; k++) {
        uint8_t b = p[k];
        uint32_t bit = (uint32_t)1 << k;
        uint8_t lower = b | 0x20;
        if (b == '.') c.dots |= bit;
        else if (b == ':') c.colons |= bit;
        else if (lower >= 'a' && lower <= 'f') c.letters |= bit;
        else if (b >= '0' && b <= '9') {}
        else continue;
        c.address |= bit;
    }
    return c;
#endif
}

#endif
