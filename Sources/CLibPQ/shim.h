// libpq (Debian libpq-dev), PostgreSQL's own client library, used through its non-blocking API
// by the `Postgres` target; and epoll, which drives it. struct epoll_event is packed on x86_64,
// which Swift does not import faithfully: these wrappers are the only way the Swift code reaches it.
#ifndef SONIC_CLIBPQ_SHIM_H
#define SONIC_CLIBPQ_SHIM_H

#include <libpq-fe.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// Adds `fd` to `epoll` (or changes what it is watched for), level-triggered, with `fd` as its id.
static inline int sonic_pq_epoll_watch(int epoll, int fd, int readable, int writable, int add) {
    struct epoll_event event = {0};
    event.events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0) | EPOLLRDHUP;
    event.data.u64 = (unsigned long long)fd;
    return epoll_ctl(epoll, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
}

static inline int sonic_pq_epoll_forget(int epoll, int fd) { return epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL); }

/// Waits for at most `capacity` (at most 64) ready descriptors; their ids and events go to the arrays.
static inline int sonic_pq_epoll_wait(int epoll, int *ids, unsigned int *events, int capacity, int timeout_ms) {
    struct epoll_event ready[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll, ready, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        ids[i] = (int)ready[i].data.u64;
        events[i] = ready[i].events;
    }
    return count;
}

static inline int sonic_pq_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

/// Bits of the events `sonic_pq_epoll_wait` reports.
static inline unsigned int sonic_pq_event_readable(void) { return EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR; }
static inline unsigned int sonic_pq_event_writable(void) { return EPOLLOUT | EPOLLHUP | EPOLLERR; }

#endif
