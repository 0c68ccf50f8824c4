/// A JSON object that remembers the order its keys were first set in.
/// Equality ignores order, as it does for JSON.
///
/// The pairs live in one array: most Kubernetes objects have a handful of keys, where a linear
/// scan beats hashing and one allocation per object keeps a 50 MB list's objects small. An object
/// that grows past `indexedCount` keys (a big ConfigMap's data) gets a key index as well.
public struct JSONObject: Hashable, Sendable, Sequence {
    struct Entry: Sendable {
        var key: String
        var value: JSONValue
        init(key: String, value: JSONValue) { self.key = key; self.value = value }
    }

    var entries: [Entry] = []
    /// Positions by key, kept only while there are more than `indexedCount` entries.
    var index: [String: Int]? = nil
    static let indexedCount = 8

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        entries.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// Room for `n` keys, for a caller that knows how many it will set.
    public mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in entries.indices where entries[i].key == key { return i }
        return nil
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let i = position(of: key) {
                if let v = newValue {
                    entries[i].value = v
                } else {
                    entries.remove(at: i)
                    reindex()
                }
            } else if let v = newValue {
                entries.append(Entry(key: key, value: v))
                if index != nil {
                    index![key] = entries.count - 1
                } else if entries.count > Self.indexedCount {
                    reindex()
                }
            }
        }
    }

    mutating func reindex() {
        guard entries.count > Self.indexedCount else { index = nil; return }
        var d = [String: Int](minimumCapacity: entries.count)
        for (i, e) in entries.enumerated() { d[e.key] = i }
        index = d
    }

    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Entry]>
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard let e = base.next() else { return nil }
            return (e.key, e.value)
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: entries.makeIterator()) }

    public var underestimatedCount: Int { entries.count }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.entries.count == b.entries.count else { return false }
        for e in a.entries {
            guard let v = b[e.key], v == e.value else { return false }
        }
        return true
    }

    /// Order-independent, as equality is.
    public func hash(into h: inout Hasher) {
        var sum = 0
        for e in entries {
            var eh = Hasher()
            eh.combine(e.key)
            eh.combine(e.value)
            sum = sum &+ eh.finalize()
        }
        h.combine(entries.count)
        h.combine(sum)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
