// Starting a helper thread on a core other than the caller's. The calls it needs
// (sched_getaffinity, pthread_attr_setaffinity_np) are GNU extensions that Swift's Glibc module
// does not declare, so these two functions are C; what runs on the thread stays in Swift.
#ifndef CTHREADPLACEMENT_H
#define CTHREADPLACEMENT_H

#include <pthread.h>

/// pthread_create(thread, NULL, start, context), except that where the caller may run on more
/// than one CPU (glibc on Linux), the new thread is first placed on one of those other than the
/// caller's, and widens its own affinity back to the caller's whole set as its first step. Returns
/// pthread_create's result (0 on success).
///
/// Why: Linux places a new thread on its creator's CPU when it judges the other CPUs no better,
/// and then a creator that keeps computing (as every caller here does: it starts a helper, then
/// works beside it) holds it off until the next scheduler tick. On the 2-core machines stag is
/// measured on that was 2-4 ms for a thread meant to save 1 ms; placed elsewhere it starts in
/// ~0.05 ms.
int stag_thread_start(pthread_t *thread, void *(*start)(void *), void *context);

#endif
