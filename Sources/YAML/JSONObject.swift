/// A JSON object that remembers the order its keys were first set in.
/// Equality ignores order, as it does for JSON.
///
/// Keys and values are kept in order in two arrays, so that going through an object (writing
/// JSON or YAML, merging values) never hashes a key; a key is found by a scan while the object
/// is small (most of a Kubernetes object's maps), through an index once it grows past that.
public struct JSONObject: Hashable, Sendable, Sequence {
    public private(set) var keys: [String] = []
    private var values: [JSONValue] = []
    /// Key to position, kept once there are more than `scanLimit` keys.
    private var index: [String: Int]? = nil
    private static let scanLimit = 8

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    private mutating func reindex() {
        guard keys.count > Self.scanLimit else { index = nil; return }
        var index = [String: Int](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { index[k] = i }
        self.index = index
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            if let i = position(of: key) {
                if let v = newValue {
                    values[i] = v
                } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                    reindex()
                }
            } else if let v = newValue {
                keys.append(key)
                values.append(v)
                if index != nil { index![key] = keys.count - 1 } else if keys.count > Self.scanLimit { reindex() }
            }
        }
    }

    public struct Iterator: IteratorProtocol {
        let keys: [String]
        let values: [JSONValue]
        var i = 0
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (keys[i], values[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(keys: keys, values: values) }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        for (k, v) in a {
            guard let w = b[k], w == v else { return false }
        }
        return true
    }

    /// Independent of the order (as `==`): each pair's hash, summed.
    public func hash(into h: inout Hasher) {
        var sum = 0
        for (k, v) in self {
            var pair = Hasher()
            pair.combine(k)
            pair.combine(v)
            sum &+= pair.finalize()
        }
        h.combine(count)
        h.combine(sum)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
