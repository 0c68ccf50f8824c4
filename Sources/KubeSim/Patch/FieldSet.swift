import ObjectModel

/// A set of field paths as structured-merge-diff v4 (sigs.k8s.io/structured-merge-diff/v4/fieldpath)
/// keeps them, for managedFields. A path is a list of path elements written as in the `FieldsV1`
/// format: `f:name` (a field), `k:{"name":"x"}` (an associative list's item by its keys),
/// `v:"x"` (a set list's item), `i:0` (an index, unused here: other lists are atomic).
/// Written from the v4 sources as kube-apiserver v1.20 vendors them (not fetched here).
struct FieldSet: Equatable {
    typealias Path = [String]
    private(set) var paths: Set<Path> = []

    init() {}
    init(_ paths: Set<Path>) { self.paths = paths }

    var isEmpty: Bool { paths.isEmpty }
    func contains(_ p: Path) -> Bool { paths.contains(p) }
    mutating func insert(_ p: Path) { paths.insert(p) }
    func union(_ o: FieldSet) -> FieldSet { FieldSet(paths.union(o.paths)) }
    func subtracting(_ o: FieldSet) -> FieldSet { FieldSet(paths.subtracting(o.paths)) }
    func intersection(_ o: FieldSet) -> FieldSet { FieldSet(paths.intersection(o.paths)) }
    /// Whether a member is `p` or lies under it.
    func hasMember(atOrUnder p: Path) -> Bool {
        paths.contains { $0.count >= p.count && Array($0.prefix(p.count)) == p }
    }

    // MARK: FieldsV1

    private final class Node {
        var member = false
        var children: [String: Node] = [:]
    }

    private func tree() -> Node {
        let root = Node()
        for p in paths {
            var n = root
            for e in p {
                if let c = n.children[e] { n = c } else {
                    let c = Node()
                    n.children[e] = c
                    n = c
                }
            }
            n.member = true
        }
        return root
    }

    /// PathElement order (fieldpath/element.go Compare): fields, then keys, values, indexes.
    static func elementLess(_ a: String, _ b: String) -> Bool {
        func rank(_ s: String) -> Int {
            switch s.first { case "f": return 0; case "k": return 1; case "v": return 2; default: return 3 }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb }
        if ra == 3, let x = Int(a.dropFirst(2)), let y = Int(b.dropFirst(2)) { return x < y }
        return a < b
    }

    /// The `fieldsV1` JSON: `{}` for a leaf, `".": {}` for a member that also has children.
    var fieldsV1: JSONValue {
        func encode(_ n: Node) -> JSONValue {
            var o = JSONObject()
            if n.member && !n.children.isEmpty { o["."] = .object(JSONObject()) }
            for k in n.children.keys.sorted(by: Self.elementLess) { o[k] = encode(n.children[k]!) }
            return .object(o)
        }
        return encode(tree())
    }

    init(fieldsV1 v: JSONValue) {
        var out = Set<Path>()
        func walk(_ v: JSONValue, _ p: Path) {
            guard case .object(let o) = v else { return }
            if o.isEmpty, !p.isEmpty { out.insert(p); return }
            for (k, c) in o {
                if k == "." { if !p.isEmpty { out.insert(p) } } else { walk(c, p + [k]) }
            }
        }
        walk(v, [])
        paths = out
    }

    /// Members in Set.Iterate's order (members of a level first, then its children's), as conflicts list them.
    var ordered: [Path] {
        var out: [Path] = []
        func walk(_ n: Node, _ p: Path) {
            let keys = n.children.keys.sorted(by: Self.elementLess)
            for k in keys where n.children[k]!.member { out.append(p + [k]) }
            for k in keys where !n.children[k]!.children.isEmpty { walk(n.children[k]!, p + [k]) }
        }
        walk(tree(), [])
        return out
    }

    /// fieldpath.Path.String: `.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`.
    static func describe(_ p: Path) -> String {
        p.map { e -> String in
            let body = String(e.dropFirst(2))
            switch e.prefix(2) {
            case "f:": return "." + body
            case "k:":
                guard let o = (try? JSONValue(parsing: Array(body.utf8)))?.objectValue else { return "[" + body + "]" }
                return "[" + o.keys.sorted().map { "\($0)=\(o[$0]!.jsonString())" }.joined(separator: ",") + "]"
            case "v:": return "[=" + body + "]"
            default: return "[" + body + "]"
            }
        }.joined()
    }
}
