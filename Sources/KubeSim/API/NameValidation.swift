/// The name rules `create` enforces, with the API server's own wording.
enum NameValidation {
    /// `prefix`: a `generateName`, checked as 1.20's path.ValidatePathSegmentName and the
    /// NameIsDNS* functions do with prefix true (a trailing '-' masked, `.` and `..` allowed).
    static func check(_ name: String, _ rule: ResourceType.NameRule, prefix: Bool = false) -> String? {
        var name = name
        // maskTrailingDash (apimachinery/pkg/api/validation/generic.go): `src[:len(src)-2] + "a"`, which
        // drops the character before the dash too.
        if prefix, rule != .pathSegment, name.utf8.count > 1, name.hasSuffix("-") { name = String(name.dropLast(2)) + "a" }
        switch rule {
        case .dns1123Label:
            if name.count > 63 { return "must be no more than 63 characters" }
            if !isLabel(name) {
                return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            }
        case .dns1035Label:
            if name.count > 63 { return "must be no more than 63 characters" }
            if !isLabel(name) || !(name.first?.isLetter ?? false) {
                return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            }
        case .dns1123Subdomain:
            if name.count > 253 { return "must be no more than 253 characters" }
            if !name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isLabel(Substring($0)) }) {
                return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            }
        case .pathSegment:
            if !prefix, name == "." || name == ".." { return "may not be '\(name)'" }
            if name.contains("/") { return "may not contain '/'" }
            if name.contains("%") { return "may not contain '%'" }
        }
        return nil
    }

    private static func isLabel<S: StringProtocol>(_ s: S) -> Bool {
        let u = Array(s.utf8)
        guard let f = u.first, let l = u.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        guard alnum(f), alnum(l) else { return false }
        return u.allSatisfy { alnum($0) || $0 == 0x2D }
    }
}
