import ObjectModel

/// k8s.io/apimachinery's validation helpers (label keys and values, qualified names, config keys),
/// with their messages.
enum MetaValidation {
    static let qualifiedNameMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValueMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let configKeyMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func matchesQualifiedName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let f = u.first, let l = u.last, isAlnum(f), isAlnum(l) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    static func qualifiedName(_ value: String) -> [String] {
        var errs: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errs.append("prefix part must be non-empty")
            } else if let m = NameValidation.check(parts[0], .dns1123Subdomain) {
                errs.append("prefix part " + m)
            }
        default:
            return ["a qualified name " + qualifiedNameMsg + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errs.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errs.append("name part must be no more than 63 characters")
        }
        if !matchesQualifiedName(name) { errs.append("name part " + qualifiedNameMsg) }
        return errs
    }

    static func labelValue(_ v: String) -> [String] {
        var errs: [String] = []
        if v.utf8.count > 63 { errs.append("must be no more than 63 characters") }
        if !v.isEmpty && !matchesQualifiedName(v) { errs.append(labelValueMsg) }
        return errs
    }

    static func labels(_ m: JSONValue?, _ field: String) -> [FieldError] {
        guard let o = m?.objectValue else { return [] }
        var out: [FieldError] = []
        for k in o.keys.sorted() {
            for msg in qualifiedName(k) { out.append(.invalid(field, GoValue.quote(k), msg)) }
            let v = o[k]?.stringValue ?? ""
            for msg in labelValue(v) { out.append(.invalid(field, GoValue.quote(v), msg)) }
        }
        return out
    }

    static func configKey(_ k: String) -> [String] {
        var errs: [String] = []
        if k.utf8.count > 253 { errs.append("must be no more than 253 characters") }
        if k.isEmpty || !k.utf8.allSatisfy({ isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }) { errs.append(configKeyMsg) }
        if k == "." { errs.append("must not be '.'") } else if k == ".." { errs.append("must not be '..'") } else if k.hasPrefix("..") {
            errs.append("must not start with '..'")
        }
        return errs
    }

    /// Labels, annotations and owner references of `metadata`.
    static func objectMeta(_ meta: JSONValue?) -> [FieldError] {
        var out = labels(meta?["labels"], "metadata.labels")
        if let a = meta?["annotations"]?.objectValue {
            var total = 0
            for k in a.keys.sorted() {
                for msg in qualifiedName(k.lowercased()) { out.append(.invalid("metadata.annotations", GoValue.quote(k), msg)) }
                total += k.utf8.count + (a[k]?.stringValue?.utf8.count ?? 0)
            }
            if total > 256 * 1024 { out.append(.tooLong("metadata.annotations", 256 * 1024)) }
        }
        for (i, r) in (meta?["ownerReferences"]?.arrayValue ?? []).enumerated() {
            let f = "metadata.ownerReferences[\(i)]"
            if (r["apiVersion"]?.stringValue ?? "").isEmpty {
                out.append(.invalid(f + ".apiVersion", GoValue.quote(""), "version must not be empty"))
            }
            if (r["kind"]?.stringValue ?? "").isEmpty { out.append(.invalid(f + ".kind", GoValue.quote(""), "kind must not be empty")) }
            if (r["name"]?.stringValue ?? "").isEmpty { out.append(.invalid(f + ".name", GoValue.quote(""), "name must not be empty")) }
            if (r["uid"]?.stringValue ?? "").isEmpty { out.append(.invalid(f + ".uid", GoValue.quote(""), "uid must not be empty")) }
        }
        return out
    }

    /// Go's `%#v` of a metav1.LabelSelector.
    static func goLabelSelector(_ s: JSONValue?) -> String {
        let ml = s?["matchLabels"]?.stringMap
        let exprs = s?["matchExpressions"]?.arrayValue
        let e: String
        if let exprs {
            e = "[]v1.LabelSelectorRequirement{" + exprs.map { x in
                "v1.LabelSelectorRequirement{Key:\(GoValue.quote(x["key"]?.stringValue ?? "")), Operator:\(GoValue.quote(x["operator"]?.stringValue ?? "")), Values:\(GoValue.strings(x["values"]?.arrayValue?.compactMap(\.stringValue)))}"
            }.joined(separator: ", ") + "}"
        } else {
            e = "[]v1.LabelSelectorRequirement(nil)"
        }
        return "v1.LabelSelector{MatchLabels:\(GoValue.stringMap(ml)), MatchExpressions:\(e)}"
    }
}
