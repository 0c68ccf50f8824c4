#ifndef OSM_CCURL_SHIM_H
#define OSM_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt/getinfo are variadic macros Swift cannot call; these typed wrappers can.
static inline CURLcode osm_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode osm_curl_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode osm_curl_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode osm_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode osm_curl_setopt_blob(CURL *h, CURLoption o, struct curl_blob *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*osm_curl_data_cb)(char *, size_t, size_t, void *);
static inline CURLcode osm_curl_setopt_datacb(CURL *h, CURLoption o, osm_curl_data_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode osm_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode osm_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode osm_curl_getinfo_socket(CURL *h, curl_socket_t *v) { return curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, v); }
static inline CURLMcode osm_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLSHcode osm_curl_share_setopt_long(CURLSH *s, CURLSHoption o, long v) { return curl_share_setopt(s, o, v); }

// Locking for a CURLSH used from several threads.
typedef void (*osm_curl_lock_cb)(CURL *, curl_lock_data, curl_lock_access, void *);
typedef void (*osm_curl_unlock_cb)(CURL *, curl_lock_data, void *);
static inline CURLSHcode osm_curl_share_setopt_lock(CURLSH *s, osm_curl_lock_cb lock, osm_curl_unlock_cb unlock, void *user) {
    CURLSHcode rc = curl_share_setopt(s, CURLSHOPT_LOCKFUNC, lock);
    if (rc != CURLSHE_OK) return rc;
    rc = curl_share_setopt(s, CURLSHOPT_UNLOCKFUNC, unlock);
    if (rc != CURLSHE_OK) return rc;
    return curl_share_setopt(s, CURLSHOPT_USERDATA, user);
}
// CURLMsg's result lives in a union.
static inline CURLcode osm_curl_msg_result(const CURLMsg *m) { return m->data.result; }

#endif
