// libfcgi (Debian libfcgi-dev) plus the few C calls Glibc's Swift module does not expose.
#ifndef SONIC_CFASTCGI_SHIM_H
#define SONIC_CFASTCGI_SHIM_H

#include <fcgiapp.h>
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>

/// Returns memory freed by a large wake of parked requests to the operating system.
static inline int sonic_malloc_trim(void) { return malloc_trim(0); }

/// Raises the soft open-file limit to the hard one; returns the new soft limit or -1.
static inline long sonic_raise_nofile_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    return (long)limit.rlim_cur;
}

/// Watches `fd` for its peer closing (or sending anything), once; `id` comes back from wait.
static inline int sonic_epoll_watch(int epoll, int fd, unsigned long long id) {
    struct epoll_event event;
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    event.data.u64 = id;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

/// Arms `fd` to be reported once when readable (`add`: newly, else again); its id is `fd`.
static inline int sonic_epoll_arm(int epoll, int fd, int add) {
    struct epoll_event event;
    event.events = EPOLLIN | EPOLLONESHOT;
    event.data.u64 = (unsigned long long)fd;
    return epoll_ctl(epoll, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
}

/// Removes `fd` from the set.
static inline int sonic_epoll_forget(int epoll, int fd) { return epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL); }

/// Adds `fd` reported whenever readable (level-triggered), with its id `fd`: the stop signal.
static inline int sonic_epoll_add(int epoll, int fd) {
    struct epoll_event event;
    event.events = EPOLLIN;
    event.data.u64 = (unsigned long long)fd;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

/// Accepts a connection on `listener`, close-on-exec and (over TCP) without Nagle's delay: an
/// answer written in several pieces must not wait for nginx's delayed ACK. -1 with errno as accept(2).
static inline int sonic_accept(int listener) {
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0) {
        int yes = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  /* fails harmlessly on a Unix socket */
    }
    return fd;
}

/// A close-on-exec eventfd starting at 0.
static inline int sonic_eventfd(void) { return eventfd(0, EFD_CLOEXEC); }

/// Waits up to `timeout_ms` for watched descriptors; writes their ids, returns how many (or -1).
/// (struct epoll_event is packed on x86_64, which Swift does not import faithfully.)
static inline int sonic_epoll_wait(int epoll, unsigned long long *ids, int capacity, int timeout_ms) {
    struct epoll_event events[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll, events, capacity, timeout_ms);
    for (int i = 0; i < count; i++) ids[i] = events[i].data.u64;
    return count;
}

#endif
