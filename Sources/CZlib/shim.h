#ifndef OSM_CZLIB_SHIM_H
#define OSM_CZLIB_SHIM_H
#include <zlib.h>
#endif
