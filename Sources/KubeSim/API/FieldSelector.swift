import ObjectModel

/// A parsed `fieldSelector` query: `path=value`, `path==value`, `path!=value`, comma-joined.
/// Paths are dotted field paths such as `metadata.name` or `involvedObject.name`.
struct FieldSelector: Sendable {
    struct Requirement: Sendable {
        let path: [String]
        let value: String
        let equal: Bool
    }
    let requirements: [Requirement]

    init(parsing text: String) throws(StatusError) {
        var reqs: [Requirement] = []
        for part in text.split(separator: ",") {
            let p = String(part).trimmingWhitespace
            if p.isEmpty { continue }
            let (k, v, eq): (String, String, Bool)
            if let r = p.range(of: "!=") {
                (k, v, eq) = (String(p[..<r.lowerBound]), String(p[r.upperBound...]), false)
            } else if let r = p.range(of: "==") {
                (k, v, eq) = (String(p[..<r.lowerBound]), String(p[r.upperBound...]), true)
            } else if let r = p.range(of: "=") {
                (k, v, eq) = (String(p[..<r.lowerBound]), String(p[r.upperBound...]), true)
            } else {
                throw StatusError.badRequest("invalid selector: '\(text)'; can't understand '\(p)'")
            }
            reqs.append(Requirement(path: k.trimmingWhitespace.split(separator: ".").map(String.init),
                                    value: v.trimmingWhitespace, equal: eq))
        }
        requirements = reqs
    }

    func matches(_ object: JSONValue) -> Bool {
        for r in requirements {
            var cur: JSONValue? = object
            for k in r.path { cur = cur?[k] }
            let actual: String
            switch cur {
            case .string(let s)?: actual = s
            case .int(let i)?: actual = String(i)
            case .bool(let b)?: actual = b ? "true" : "false"
            default: actual = ""
            }
            if (actual == r.value) != r.equal { return false }
        }
        return true
    }
}

extension FieldSelector {
    /// The field labels each resource's selector conversion accepts (every kind: metadata.name and
    /// metadata.namespace); anything else is `field label not supported: X`.
    static func supported(_ label: String, resource: String, custom: Bool) -> Bool {
        if label == "metadata.name" || label == "metadata.namespace" { return true }
        if custom { return false }
        switch resource {
        case "pods":
            return ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase",
                    "status.podIP", "status.podIPs", "status.nominatedNodeName"].contains(label)
        case "events":
            return label.hasPrefix("involvedObject.") || ["reason", "reportingComponent", "source", "type"].contains(label)
        case "secrets": return label == "type"
        case "namespaces": return label == "status.phase"
        default: return false
        }
    }
}
