#ifndef OSM_CYAML_SHIM_H
#define OSM_CYAML_SHIM_H
#include <yaml.h>
#endif
