#include <zlib.h>

/* deflateInit2 is a macro over deflateInit2_: a function Swift can call. */
static inline int sonic_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
}
