import KubeClient
import ObjectModel

/// Local validation of names, so a typo fails before any request.
package enum KubernetesNames {
    /// RFC 1123 label: what a namespace name must be.
    package static func isDNS1123Label(_ s: String) -> Bool {
        s.utf8.count <= 63 && isLabelPart(Array(s.utf8))
    }

    /// Lower-case letters, digits and '-', starting and ending with a letter or digit.
    static func isLabelPart(_ u: [UInt8]) -> Bool {
        guard !u.isEmpty else { return false }
        func alnum(_ c: UInt8) -> Bool { (97...122).contains(c) || (48...57).contains(c) }
        guard alnum(u.first!), alnum(u.last!) else { return false }
        return u.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// RFC 1123 subdomain: what most objects' names (a Secret's) must be: at most 253
    /// characters, '.'-separated parts as a label's.
    package static func isDNS1123Subdomain(_ s: String) -> Bool {
        s.utf8.count <= 253 && s.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { isLabelPart(Array($0)) }
    }

    /// Why `s` cannot name a namespace: first what client-go refuses in a request path, in its
    /// words (`invalid namespace "../x": [may not contain '/']`), then anything not an RFC 1123 label.
    package static func namespaceProblem(_ s: String) -> String? {
        if isDNS1123Label(s) { return nil }
        if let problem = KubeRequest.pathSegmentProblem(s) { return "invalid namespace \(GoFormat.quoted(s)): \(problem)" }
        return "invalid namespace name \(GoFormat.quoted(s)): a namespace name must be at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit"
    }

    /// A label value: empty, or <= 63 chars of [A-Za-z0-9-_.] starting and ending alphanumeric.
    package static func isLabelValue(_ s: String) -> Bool {
        let u = Array(s.utf8)
        if u.isEmpty { return true }
        guard u.count <= 63 else { return false }
        func alnum(_ c: UInt8) -> Bool { (97...122).contains(c) || (65...90).contains(c) || (48...57).contains(c) }
        guard alnum(u.first!), alnum(u.last!) else { return false }
        return u.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}

/// The one check of a `--mesh-name` for the commands that look a mesh up (`install` has
/// upstream's own text, `InstallValues.invalidMeshNameMessage`, for what is not a label value):
/// one wording, whichever command.
package enum MeshName {
    /// Throws unless `name` is a label value, and not empty where a mesh must be named.
    package static func check(_ name: String, allowEmpty: Bool = false) throws(OSMError) {
        if name.isEmpty {
            guard allowEmpty else {
                throw OSMError(.invalidInput, "Invalid mesh-name: it must not be empty; give the mesh's name with --mesh-name (e.g. --mesh-name osm)")
            }
            return
        }
        guard KubernetesNames.isLabelValue(name) else {
            throw OSMError(.invalidInput, "Invalid mesh-name [\(name)]; it must be a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
        }
    }
}
