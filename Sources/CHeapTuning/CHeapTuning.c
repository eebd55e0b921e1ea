#define _GNU_SOURCE
#include "CHeapTuning.h"

// A libc header first: it is what defines __GLIBC__.
#include <stdlib.h>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/// The transparent huge page size on x86-64 and arm64 with 4 KiB pages.
static const uintptr_t huge_page = (uintptr_t)2 << 20;
/// glibc's ceiling for M_MMAP_THRESHOLD on 64-bit systems (HEAP_MAX_SIZE / 2); above it the call fails.
static const int largest_heap_block = 32 << 20;

int stag_heap_prefer_huge_pages(size_t bytes) {
    if (bytes > (size_t)largest_heap_block) bytes = (size_t)largest_heap_block;
    // One arena: a helper thread's blocks (half of a compile's build) come from this heap too
    // instead of an arena of its own, whose pages would be faulted in 4 KiB at a time.
    if (mallopt(M_ARENA_MAX, 1) != 1) return -1;
    // Without these, every array over 128 KiB is an mmap of its own, faulted in page by page and
    // unmapped when freed; and freed heap at the top would be trimmed, to be faulted in again.
    if (mallopt(M_MMAP_THRESHOLD, largest_heap_block) != 1) return -1;
    if (mallopt(M_TRIM_THRESHOLD, INT32_MAX) != 1) return -1;
    if (mallopt(M_TOP_PAD, (int)huge_page) != 1) return -1;
    void *before = sbrk(0);
    void *block = malloc(bytes);
    if (block == NULL) return -2;
    // An allocation never used may be removed by the compiler, and with it the heap's growth.
    __asm__ volatile("" : : "r"(block) : "memory");
    void *after = sbrk(0);
    free(block);  // stays in the heap (trim threshold above): what comes next is carved from it
    uintptr_t from = ((uintptr_t)before + huge_page - 1) & ~(huge_page - 1);
    uintptr_t to = (uintptr_t)after & ~(huge_page - 1);
    // Served without growing the heap: by mmap (a heap that cannot grow in place), from free heap,
    // or from another arena (called off the main thread).
    if (after == (void *)-1 || before == (void *)-1 || to <= from) return -3;
    if (madvise((void *)from, to - from, MADV_HUGEPAGE) != 0) return -4;
    return (int)((to - from) >> 20);
}
#else
int stag_heap_prefer_huge_pages(size_t bytes) {
    (void)bytes;
    return -1;
}
#endif
