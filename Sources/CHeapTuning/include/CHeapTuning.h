// Backing the heap with transparent huge pages before a command builds tens of MB of arrays.
// mallopt and madvise's MADV_HUGEPAGE are not in Swift's Glibc module, so this is C.
#ifndef CHEAPTUNING_H
#define CHEAPTUNING_H

#include <stddef.h>

/// On glibc Linux: makes malloc keep one arena for all threads, serve blocks up to 32 MiB from
/// the main heap (not one mmap each), never give freed heap back and grow the heap 2 MiB at a
/// time; then grows the heap by `bytes` (at most 32 MiB) at once and asks the kernel to back that range with transparent huge pages (MADV_HUGEPAGE; honoured
/// where THP is `madvise` or `always`). Returns the MiB so advised, or, when nothing was advised:
/// -1 (mallopt refused, or not glibc on Linux), -2 (no memory), -3 (the block did not grow the
/// heap: a heap that cannot grow in place, or a call off the main thread, whose blocks come from
/// another arena), -4 (madvise refused: a kernel without THP). The process is correct either way;
/// only its page faults differ.
///
/// Why: a fresh `stag compile` process touched ~13 MiB of new memory in 4 KiB pages, 4,600 page
/// faults and a quarter of its time; in 2 MiB pages, under 1,000. Call it once, early, on the main
/// thread, before other threads allocate (a thread that already has an arena keeps it).
int stag_heap_prefer_huge_pages(size_t bytes);

#endif
