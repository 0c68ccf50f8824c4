#ifndef OSM_ZLIB_LOADER_H
#define OSM_ZLIB_LOADER_H

// zlib is opened with dlopen on first use (only Helm release records need it), so that no
// command pays at start-up for loading it: linked, it cost `osm version` ~1.4% more
// instructions (the loader searching one more library). When a cluster command has loaded
// libcurl, libz is already in the process and opening it again costs nearly nothing.

// Loads libz.so.1 if it is not loaded yet. Returns 0 on success; otherwise a message is
// available from osm_zlib_load_error().
int osm_zlib_load(void);
const char *osm_zlib_load_error(void);

// zlib's functions (deflateInit2 and inflateInit2 are macros over the *_ versions), forwarded
// to the loaded library; `strm` is a z_stream (from CZlib's zlib.h, which this header leaves
// out so the type has one home). Each returns Z_VERSION_ERROR when libz cannot be loaded.
int osm_deflateInit2(void *strm, int level, int method, int windowBits, int memLevel, int strategy);
int osm_deflate(void *strm, int flush);
int osm_deflateEnd(void *strm);
unsigned long osm_deflateBound(void *strm, unsigned long sourceLen);
int osm_inflateInit2(void *strm, int windowBits);
int osm_inflate(void *strm, int flush);
int osm_inflateEnd(void *strm);
// Ready for the next gzip member, keeping the allocated state.
int osm_inflateReset(void *strm);
int osm_deflateReset(void *strm);

#endif
