import ObjectModel

/// pkg/apis/core/validation/validation.go ValidatePodUpdate (v1.20): of a pod's spec only container and init
/// container images, activeDeadlineSeconds (set, or lowered) and tolerations (added, or a tolerationSeconds
/// changed) may change.
enum PodUpdateValidation {
    static let onlyThese = "pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` (only additions to existing tolerations)"

    static func validate(_ new: JSONValue, old: JSONValue) -> [FieldError] {
        // A real server's stored pod is read back defaulted; one seeded with `put` may not have been.
        var rawOld = old["spec"] ?? [:]
        ObjectDefaults.defaultPodSpec(&rawOld)
        ObjectDefaults.defaultPodOnly(&rawOld)
        let newSpec = normalized(new["spec"] ?? [:]), oldSpec = normalized(rawOld)
        var errs: [FieldError] = []
        // ValidateContainerUpdates: the same number of containers, each with an image.
        for key in ["containers", "initContainers"] {
            let a = newSpec[key]?.arrayValue ?? [], b = oldSpec[key]?.arrayValue ?? []
            if a.count != b.count {
                errs.append(.forbidden("spec.\(key)", "pod updates may not add or remove containers"))
                return errs
            }
            for (i, c) in a.enumerated() where (c["image"]?.stringValue ?? "").isEmpty {
                errs.append(.required("spec.\(key)[\(i)].image"))
            }
        }
        if newSpec == oldSpec { return errs }
        // activeDeadlineSeconds: within [0, MaxInt32], never raised, never removed.
        if let n = newSpec["activeDeadlineSeconds"]?.intValue {
            if n < 0 || n > Int(Int32.max) {
                errs.append(.invalid("spec.activeDeadlineSeconds", String(n), "must be between 0 and 2147483647, inclusive"))
                return errs
            }
            if let o = oldSpec["activeDeadlineSeconds"]?.intValue, o < n {
                errs.append(.invalid("spec.activeDeadlineSeconds", String(n), "must be less than or equal to previous value"))
                return errs
            }
        } else if oldSpec["activeDeadlineSeconds"] != nil {
            errs.append(.invalid("spec.activeDeadlineSeconds", "<nil>", "must not update from a positive integer to nil value"))
        }
        // validateOnlyAddedTolerations: every old toleration is still there (tolerationSeconds aside).
        let newTolerations = newSpec["tolerations"]?.arrayValue ?? []
        for o in oldSpec["tolerations"]?.arrayValue ?? [] {
            let found = newTolerations.contains { n in
                var a = o, b = n
                a["tolerationSeconds"] = nil
                b["tolerationSeconds"] = nil
                return a == b
            }
            if !found {
                errs.append(.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"))
                break
            }
        }
        // The rest must be equal once the updatable fields are taken from the old spec.
        var munged = newSpec
        for key in ["containers", "initContainers"] {
            guard let list = newSpec[key]?.arrayValue, let olds = oldSpec[key]?.arrayValue else { continue }
            munged[key] = .array(zip(list, olds).map { n, o in
                var n = n
                n["image"] = o["image"]
                return n
            })
        }
        munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]
        munged["tolerations"] = oldSpec["tolerations"]
        if normalized(munged) != oldSpec {
            // diff.ObjectDiff: the JSON of both specs, their common prefix, then `A:` and `B:` from where they differ
            // (here the v1 JSON kube-sim stores, not the internal type's).
            errs.append(.forbidden("spec", onlyThese + "\n" + stringDiff(normalized(munged).jsonString(), oldSpec.jsonString())))
        }
        return errs
    }

    /// apiequality.Semantic.DeepEqual treats nil and empty slices and maps alike.
    private static func normalized(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var out = JSONObject()
            for (k, x) in o {
                let n = normalized(x)
                switch n {
                case .null: continue
                case .object(let m) where m.isEmpty && k != "securityContext" && k != "resources": continue
                case .array(let a) where a.isEmpty: continue
                default: out[k] = n
                }
            }
            return .object(out)
        case .array(let a): return .array(a.map(normalized))
        default: return v
        }
    }

    /// apimachinery/pkg/util/diff StringDiff.
    static func stringDiff(_ a: String, _ b: String) -> String {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0
        while i < x.count, i < y.count, x[i] == y[i] { i += 1 }
        return String(decoding: x[..<i], as: UTF8.self) + "\n\nA: " + String(decoding: x[i...], as: UTF8.self)
            + "\n\nB: " + String(decoding: y[i...], as: UTF8.self) + "\n\n"
    }
}
