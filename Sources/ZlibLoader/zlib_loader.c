#include "zlib_loader.h"

#include <zlib.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    int (*deflateInit2_)(z_streamp, int, int, int, int, int, const char *, int);
    int (*deflate)(z_streamp, int);
    int (*deflateEnd)(z_streamp);
    uLong (*deflateBound)(z_streamp, uLong);
    int (*inflateInit2_)(z_streamp, int, const char *, int);
    int (*inflate)(z_streamp, int);
    int (*inflateEnd)(z_streamp);
    int (*inflateReset)(z_streamp);
    int (*deflateReset)(z_streamp);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char error_text[512] = "zlib was not loaded";

#define RESOLVE(field, name)                                                              \
    do {                                                                                  \
        *(void **)(&api.field) = dlsym(lib, name);                                        \
        if (api.field == NULL) {                                                          \
            snprintf(error_text, sizeof error_text, "libz.so.1 lacks %s: install zlib 1.2 or later (apt-get install zlib1g)", name); \
            return;                                                                       \
        }                                                                                 \
    } while (0)

static void load_once(void) {
    void *lib = dlopen("libz.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (lib == NULL) {
        const char *why = dlerror();
        snprintf(error_text, sizeof error_text, "cannot load zlib (%s): install it with 'apt-get install zlib1g'",
                 why ? why : "not found");
        return;
    }
    RESOLVE(deflateInit2_, "deflateInit2_");
    RESOLVE(deflate, "deflate");
    RESOLVE(deflateEnd, "deflateEnd");
    RESOLVE(deflateBound, "deflateBound");
    RESOLVE(inflateInit2_, "inflateInit2_");
    RESOLVE(inflate, "inflate");
    RESOLVE(inflateEnd, "inflateEnd");
    RESOLVE(inflateReset, "inflateReset");
    RESOLVE(deflateReset, "deflateReset");
    loaded = 1;
}

int osm_zlib_load(void) {
    pthread_once(&once, load_once);
    return loaded ? 0 : -1;
}

const char *osm_zlib_load_error(void) { return loaded ? NULL : error_text; }

#define ENSURE() do { if (osm_zlib_load() != 0) return Z_VERSION_ERROR; } while (0)

int osm_deflateInit2(void *strm, int level, int method, int windowBits, int memLevel, int strategy) {
    ENSURE();
    return api.deflateInit2_(strm, level, method, windowBits, memLevel, strategy, ZLIB_VERSION, (int)sizeof(z_stream));
}
int osm_deflate(void *strm, int flush) { ENSURE(); return api.deflate(strm, flush); }
int osm_deflateEnd(void *strm) { ENSURE(); return api.deflateEnd(strm); }
unsigned long osm_deflateBound(void *strm, unsigned long sourceLen) {
    if (osm_zlib_load() != 0) return 0;
    return api.deflateBound(strm, sourceLen);
}
int osm_inflateInit2(void *strm, int windowBits) {
    ENSURE();
    return api.inflateInit2_(strm, windowBits, ZLIB_VERSION, (int)sizeof(z_stream));
}
int osm_inflate(void *strm, int flush) { ENSURE(); return api.inflate(strm, flush); }
int osm_inflateEnd(void *strm) { ENSURE(); return api.inflateEnd(strm); }
int osm_inflateReset(void *strm) { ENSURE(); return api.inflateReset(strm); }
int osm_deflateReset(void *strm) { ENSURE(); return api.deflateReset(strm); }
