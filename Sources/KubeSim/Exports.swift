// `import KubeSim` is enough to use it: `object`, `objects` and `put` speak YAML's `JSONValue`,
// so the library's users get that module (JSONValue, JSONObject, YAML.emit/parse) with it.
@_exported import YAML
