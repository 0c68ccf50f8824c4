#ifndef OSM_CURL_LOADER_H
#define OSM_CURL_LOADER_H

#include <stddef.h>

// libcurl is opened with dlopen on first use, so commands that never talk to a cluster
// (version, env, completion, install --dry-run) do not pay for loading libcurl and the
// thirty-odd libraries it depends on. The curl_* functions KubeClient calls are defined in
// curl_loader.c and forward to the loaded library.

// Loads libcurl if it is not loaded yet. Returns 0 on success; otherwise a message is
// available from osm_curl_load_error().
int osm_curl_load(void);
const char *osm_curl_load_error(void);

// The oldest libcurl whose options osm uses: CURLOPT_CAINFO_BLOB needs 7.77.0
// (CURLOPT_SSLCERT_BLOB / SSLKEY_BLOB 7.71.0, curl_easy_option_by_id 7.73.0, curl_multi_wakeup 7.68.0).
#define OSM_CURL_MIN_VERSION 0x074D00u
#define OSM_CURL_MIN_VERSION_TEXT "7.77.0"

// 0 if a libcurl of this version (CURLVERSION_NOW's version_num, e.g. 0x075801 for 7.88.1)
// has every option osm uses; otherwise -1 and a message naming the version in `message`.
// Called when the library is loaded; public so that the gate can be tested with any number.
int osm_curl_version_problem(unsigned int version_num, const char *version, char *message, size_t capacity);

#endif
