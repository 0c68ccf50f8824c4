#include "curl_loader.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

// The functions KubeClient uses, resolved from the loaded library.
static struct {
    CURLcode (*global_init)(long);
    curl_version_info_data *(*version_info)(CURLversion);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_send)(CURL *, const void *, size_t, size_t *);
    CURLcode (*easy_recv)(CURL *, void *, size_t, size_t *);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLSH *(*share_init)(void);
    CURLSHcode (*share_cleanup)(CURLSH *);
    CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    const struct curl_easyoption *(*easy_option_by_id)(CURLoption);
    const char *(*multi_strerror)(CURLMcode);
    const char *(*share_strerror)(CURLSHcode);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char error_text[512] = "libcurl was not loaded";

#define RESOLVE(field, name)                                                               \
    do {                                                                                   \
        *(void **)(&api.field) = dlsym(lib, name);                                         \
        if (api.field == NULL) {                                                           \
            snprintf(error_text, sizeof error_text, "libcurl.so.4 lacks %s: install libcurl " OSM_CURL_MIN_VERSION_TEXT " or later (apt-get install libcurl4)", name); \
            return;                                                                        \
        }                                                                                  \
    } while (0)

static void load_once(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
    if (lib == NULL) {
        const char *why = dlerror();
        snprintf(error_text, sizeof error_text,
                 "cannot load libcurl (%s): install it with 'apt-get install libcurl4'", why ? why : "not found");
        return;
    }
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(version_info, "curl_version_info");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_reset, "curl_easy_reset");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(easy_perform, "curl_easy_perform");
    RESOLVE(easy_send, "curl_easy_send");
    RESOLVE(easy_recv, "curl_easy_recv");
    RESOLVE(multi_init, "curl_multi_init");
    RESOLVE(multi_add_handle, "curl_multi_add_handle");
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(multi_cleanup, "curl_multi_cleanup");
    RESOLVE(multi_info_read, "curl_multi_info_read");
    RESOLVE(multi_perform, "curl_multi_perform");
    RESOLVE(multi_poll, "curl_multi_poll");
    RESOLVE(multi_wakeup, "curl_multi_wakeup");
    RESOLVE(multi_setopt, "curl_multi_setopt");
    RESOLVE(share_init, "curl_share_init");
    RESOLVE(share_cleanup, "curl_share_cleanup");
    RESOLVE(share_setopt, "curl_share_setopt");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    RESOLVE(easy_option_by_id, "curl_easy_option_by_id");
    RESOLVE(multi_strerror, "curl_multi_strerror");
    RESOLVE(share_strerror, "curl_share_strerror");
    curl_version_info_data *info = api.version_info(CURLVERSION_NOW);
    if (info == NULL || osm_curl_version_problem(info->version_num, info->version, error_text, sizeof error_text) != 0) {
        if (info == NULL) snprintf(error_text, sizeof error_text, "libcurl.so.4 does not report its version: install libcurl " OSM_CURL_MIN_VERSION_TEXT " or later (apt-get install libcurl4)");
        return;
    }
    loaded = 1;
}

int osm_curl_version_problem(unsigned int version_num, const char *version, char *message, size_t capacity) {
    if (version_num >= OSM_CURL_MIN_VERSION) return 0;
    // Older libraries refuse CURLOPT_CAINFO_BLOB (7.77.0) and the client certificate and key
    // blobs (7.71.0): without them the only way to pass credentials would be files on disk.
    snprintf(message, capacity,
             "libcurl %s is too old: osm needs " OSM_CURL_MIN_VERSION_TEXT " or later, which takes the certificate authority and client certificate from memory (CURLOPT_CAINFO_BLOB); upgrade libcurl4 (apt-get install libcurl4)",
             version ? version : "(unknown version)");
    return -1;
}

int osm_curl_load(void) {
    pthread_once(&once, load_once);
    return loaded ? 0 : -1;
}

const char *osm_curl_load_error(void) { return loaded ? NULL : error_text; }

#define ENSURE(fail) do { if (osm_curl_load() != 0) return fail; } while (0)

CURLcode curl_global_init(long flags) { ENSURE(CURLE_FAILED_INIT); return api.global_init(flags); }
curl_version_info_data *curl_version_info(CURLversion v) { ENSURE(NULL); return api.version_info(v); }
CURL *curl_easy_init(void) { ENSURE(NULL); return api.easy_init(); }
void curl_easy_cleanup(CURL *h) { if (loaded) api.easy_cleanup(h); }
void curl_easy_reset(CURL *h) { if (loaded) api.easy_reset(h); }
const char *curl_easy_strerror(CURLcode c) { ENSURE(error_text); return api.easy_strerror(c); }

// The variadic setters take one argument: a long, a pointer or a curl_off_t, all one
// 64-bit integer-class argument on the LP64 targets we build for, so it is passed on as is.
CURLcode curl_easy_setopt(CURL *h, CURLoption o, ...) {
    ENSURE(CURLE_FAILED_INIT);
    va_list ap;
    va_start(ap, o);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return api.easy_setopt(h, o, arg);
}

CURLcode curl_easy_getinfo(CURL *h, CURLINFO i, ...) {
    ENSURE(CURLE_FAILED_INIT);
    va_list ap;
    va_start(ap, i);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return api.easy_getinfo(h, i, arg);
}

// Port-forward tunnels: a CONNECT_ONLY handle of their own, then raw bytes over its connection.
CURLcode curl_easy_perform(CURL *h) { ENSURE(CURLE_FAILED_INIT); return api.easy_perform(h); }
CURLcode curl_easy_send(CURL *h, const void *buf, size_t len, size_t *n) { ENSURE(CURLE_FAILED_INIT); return api.easy_send(h, buf, len, n); }
CURLcode curl_easy_recv(CURL *h, void *buf, size_t len, size_t *n) { ENSURE(CURLE_FAILED_INIT); return api.easy_recv(h, buf, len, n); }

CURLM *curl_multi_init(void) { ENSURE(NULL); return api.multi_init(); }
CURLMcode curl_multi_add_handle(CURLM *m, CURL *h) { ENSURE(CURLM_INTERNAL_ERROR); return api.multi_add_handle(m, h); }
CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h) { ENSURE(CURLM_INTERNAL_ERROR); return api.multi_remove_handle(m, h); }
CURLMcode curl_multi_cleanup(CURLM *m) { ENSURE(CURLM_INTERNAL_ERROR); return api.multi_cleanup(m); }
CURLMsg *curl_multi_info_read(CURLM *m, int *n) { ENSURE(NULL); return api.multi_info_read(m, n); }
CURLMcode curl_multi_perform(CURLM *m, int *n) { ENSURE(CURLM_INTERNAL_ERROR); return api.multi_perform(m, n); }
CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd fds[], unsigned int n, int ms, int *ret) {
    ENSURE(CURLM_INTERNAL_ERROR);
    return api.multi_poll(m, fds, n, ms, ret);
}
CURLMcode curl_multi_wakeup(CURLM *m) { ENSURE(CURLM_INTERNAL_ERROR); return api.multi_wakeup(m); }

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption o, ...) {
    ENSURE(CURLM_INTERNAL_ERROR);
    va_list ap;
    va_start(ap, o);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return api.multi_setopt(m, o, arg);
}

CURLSH *curl_share_init(void) { ENSURE(NULL); return api.share_init(); }
CURLSHcode curl_share_cleanup(CURLSH *s) { ENSURE(CURLSHE_NOT_BUILT_IN); return api.share_cleanup(s); }

CURLSHcode curl_share_setopt(CURLSH *s, CURLSHoption o, ...) {
    ENSURE(CURLSHE_NOT_BUILT_IN);
    va_list ap;
    va_start(ap, o);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return api.share_setopt(s, o, arg);
}

struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s) { ENSURE(NULL); return api.slist_append(l, s); }
void curl_slist_free_all(struct curl_slist *l) { if (loaded) api.slist_free_all(l); }
const struct curl_easyoption *curl_easy_option_by_id(CURLoption id) { ENSURE(NULL); return api.easy_option_by_id(id); }
const char *curl_multi_strerror(CURLMcode c) { ENSURE(error_text); return api.multi_strerror(c); }
const char *curl_share_strerror(CURLSHcode c) { ENSURE(error_text); return api.share_strerror(c); }
