#define _GNU_SOURCE
#include "CThreadPlacement.h"

#include <sched.h>
#include <stdlib.h>

#if defined(__GLIBC__) && defined(__linux__)
/// What the trampoline needs: the real entry point and the affinity to widen back to.
struct stag_thread_start_box {
    void *(*start)(void *);
    void *context;
    cpu_set_t all;
};

static void *stag_thread_trampoline(void *argument) {
    struct stag_thread_start_box box = *(struct stag_thread_start_box *)argument;
    free(argument);
    // Only the first placement is steered: from here the scheduler may move it anywhere the
    // creator may run (a failure leaves it where it is, which is still correct).
    (void)sched_setaffinity(0, sizeof box.all, &box.all);
    return box.start(box.context);
}
#endif

int stag_thread_start(pthread_t *thread, void *(*start)(void *), void *context) {
#if defined(__GLIBC__) && defined(__linux__)
    struct stag_thread_start_box *box = malloc(sizeof *box);
    int cpu = sched_getcpu();
    if (box != NULL && cpu >= 0 && sched_getaffinity(0, sizeof box->all, &box->all) == 0
        && CPU_ISSET(cpu, &box->all) && CPU_COUNT(&box->all) > 1) {
        cpu_set_t others = box->all;
        CPU_CLR(cpu, &others);
        pthread_attr_t attributes;
        if (pthread_attr_init(&attributes) == 0) {
            box->start = start;
            box->context = context;
            int placed = pthread_attr_setaffinity_np(&attributes, sizeof others, &others);
            int started = placed == 0 ? pthread_create(thread, &attributes, stag_thread_trampoline, box) : -1;
            pthread_attr_destroy(&attributes);
            if (started == 0) return 0;  // the thread frees the box
        }
    }
    free(box);
#endif
    return pthread_create(thread, NULL, start, context);
}
