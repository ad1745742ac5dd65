// libfcgi (Debian libfcgi-dev) plus the few C calls Glibc's Swift module does not expose.
#ifndef SONIC_CFASTCGI_SHIM_H
#define SONIC_CFASTCGI_SHIM_H

#include <fcgiapp.h>
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/socket.h>
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

#endif
