import ObjectModel

/// A parsed `labelSelector` query: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
/// and 1.20's integer comparisons `a>1`, `a<5` (staging/src/k8s.io/apimachinery/pkg/labels/selector.go:
/// GreaterThanToken/LessThanToken; the value must parse as an int64, and a label matches only when its
/// own value does and compares so).
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case notExists(String)
        case greaterThan(String, Int64)
        case lessThan(String, Int64)
    }
    let requirements: [Requirement]

    var isEmpty: Bool { requirements.isEmpty }

    init(parsing text: String) throws(StatusError) {
        var reqs: [Requirement] = []
        for raw in Self.splitTopLevel(text) {
            let part = raw.trimmingWhitespace
            if part.isEmpty { continue }
            reqs.append(try Self.requirement(part, whole: text))
        }
        requirements = reqs
    }

    func matches(_ labels: [String: String]) -> Bool {
        for r in requirements {
            switch r {
            case .equals(let k, let v): if labels[k] != v { return false }
            case .notEquals(let k, let v): if labels[k] == v { return false }
            case .isIn(let k, let vs): guard let v = labels[k], vs.contains(v) else { return false }
            case .notIn(let k, let vs): if let v = labels[k], vs.contains(v) { return false }
            case .exists(let k): if labels[k] == nil { return false }
            case .notExists(let k): if labels[k] != nil { return false }
            case .greaterThan(let k, let n): guard let v = labels[k].flatMap({ Int64($0) }), v > n else { return false }
            case .lessThan(let k, let n): guard let v = labels[k].flatMap({ Int64($0) }), v < n else { return false }
            }
        }
        return true
    }

    private static func splitTopLevel(_ s: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = s.startIndex
        for i in s.indices {
            switch s[i] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(s[start..<i])
                start = s.index(after: i)
            default: break
            }
        }
        parts.append(s[start...])
        return parts
    }

    private static func requirement(_ p: String, whole: String) throws(StatusError) -> Requirement {
        func bad() -> StatusError {
            StatusError.badRequest("unable to parse requirement: found '\(p)', expected: identifier")
        }
        if p.hasPrefix("!") {
            let k = String(p.dropFirst()).trimmingWhitespace
            guard !k.isEmpty else { throw bad() }
            return .notExists(k)
        }
        for (op, greater) in [(">", true), ("<", false)] {
            guard let r = p.range(of: op) else { continue }
            let key = String(p[..<r.lowerBound]).trimmingWhitespace
            let value = String(p[r.upperBound...]).trimmingWhitespace
            guard !key.isEmpty, !value.isEmpty else { throw bad() }
            // labels.NewRequirement, v1.20.
            guard let n = Int64(value) else {
                throw StatusError.badRequest("for 'Gt', 'Lt' operators, the value must be an integer")
            }
            return greater ? .greaterThan(key, n) : .lessThan(key, n)
        }
        if let r = p.range(of: "!=") {
            return .notEquals(String(p[..<r.lowerBound]).trimmingWhitespace, String(p[r.upperBound...]).trimmingWhitespace)
        }
        if let r = p.range(of: "==") {
            return .equals(String(p[..<r.lowerBound]).trimmingWhitespace, String(p[r.upperBound...]).trimmingWhitespace)
        }
        if let r = p.range(of: "=") {
            return .equals(String(p[..<r.lowerBound]).trimmingWhitespace, String(p[r.upperBound...]).trimmingWhitespace)
        }
        if let open = p.firstIndex(of: "("), p.hasSuffix(")") {
            let head = p[..<open].split(separator: " ", omittingEmptySubsequences: true)
            let values = Set(p[p.index(after: open)..<p.index(before: p.endIndex)]
                .split(separator: ",").map { String($0).trimmingWhitespace })
            guard head.count == 2 else { throw bad() }
            switch head[1] {
            case "in": return .isIn(String(head[0]), values)
            case "notin": return .notIn(String(head[0]), values)
            default: throw bad()
            }
        }
        if p.contains(" ") { throw bad() }
        return .exists(p)
    }
}

extension LabelSelector {
    /// Whether a metav1.LabelSelector (`matchLabels` and `matchExpressions`) selects `labels`.
    static func matches(matchLabels: [String: String], expressions: [JSONValue], labels: [String: String]) -> Bool {
        for (k, v) in matchLabels where labels[k] != v { return false }
        for e in expressions {
            let key = e["key"]?.stringValue ?? ""
            let values = Set(e["values"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            switch e["operator"]?.stringValue {
            case "In"?: guard let v = labels[key], values.contains(v) else { return false }
            case "NotIn"?: if let v = labels[key], values.contains(v) { return false }
            case "Exists"?: if labels[key] == nil { return false }
            case "DoesNotExist"?: if labels[key] != nil { return false }
            default: return false
            }
        }
        return true
    }
}
