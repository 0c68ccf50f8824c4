#ifndef OSM_CURL_LOADER_H
#define OSM_CURL_LOADER_H

// libcurl is opened with dlopen on first use, so commands that never talk to a cluster
// (version, env, completion, install --dry-run) do not pay for loading libcurl and the
// thirty-odd libraries it depends on. The curl_* functions KubeClient calls are defined in
// curl_loader.c and forward to the loaded library.

// Loads libcurl if it is not loaded yet. Returns 0 on success; otherwise a message is
// available from osm_curl_load_error().
int osm_curl_load(void);
const char *osm_curl_load_error(void);

#endif
