import ObjectModel

/// Every object, by group resource and `namespace/name`. Not thread-safe: `Cluster` locks around it.
struct ObjectStore {
    /// The last resourceVersion handed out; strictly increasing over the server's life.
    private(set) var resourceVersion = 1000
    private var buckets: [String: [String: StoredObject]] = [:]

    static func key(_ namespace: String?, _ name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "/" + name
    }

    mutating func nextResourceVersion() -> Int {
        resourceVersion += 1
        return resourceVersion
    }

    func get(_ storageKey: String, _ namespace: String?, _ name: String) -> StoredObject? {
        buckets[storageKey]?[Self.key(namespace, name)]
    }

    /// Every object of a resource, in no order (cheaper than `list`).
    func values(_ storageKey: String) -> Dictionary<String, StoredObject>.Values {
        (buckets[storageKey] ?? [:]).values
    }

    /// Objects sorted by key, as etcd returns them; `namespace` nil means all namespaces.
    func list(_ storageKey: String, namespace: String?) -> [(key: String, object: StoredObject)] {
        guard let bucket = buckets[storageKey] else { return [] }
        var out: [(key: String, object: StoredObject)] = []
        if let namespace {
            let prefix = namespace + "/"
            for (k, v) in bucket where k.hasPrefix(prefix) { out.append((k, v)) }
        } else {
            for (k, v) in bucket { out.append((k, v)) }
        }
        out.sort { $0.key < $1.key }
        return out
    }

    @discardableResult
    mutating func put(_ storageKey: String, _ namespace: String?, _ name: String, _ value: JSONValue) -> StoredObject {
        let s = StoredObject(value)
        buckets[storageKey, default: [:]][Self.key(namespace, name)] = s
        return s
    }

    @discardableResult
    mutating func remove(_ storageKey: String, _ namespace: String?, _ name: String) -> StoredObject? {
        buckets[storageKey]?.removeValue(forKey: Self.key(namespace, name))
    }

    /// Removes every namespaced object in `namespace`; returns how many.
    @discardableResult
    mutating func removeAll(inNamespace namespace: String) -> Int {
        let prefix = namespace + "/"
        var n = 0
        for sk in buckets.keys {
            let doomed = buckets[sk]!.keys.filter { $0.hasPrefix(prefix) }
            for k in doomed { buckets[sk]!.removeValue(forKey: k); n += 1 }
        }
        return n
    }
}
