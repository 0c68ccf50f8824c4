// The shared test support (kube-sim harness, process runner, osm binary, kubectl lookup, PTY
// runner), visible in every file of this target.
@_exported import TestSupport
