// `import KubeSim` is enough to use it: `object`, `objects` and `put` speak ObjectModel's
// `JSONValue`, so the library's users get those modules (JSONValue, JSONObject, YAML.emit/parse) with it.
@_exported import ObjectModel
@_exported import YAMLCodec
