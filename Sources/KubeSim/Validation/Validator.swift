import ObjectModel

/// The value rules kube-apiserver's validation applies on create and update, per kind, with its messages.
enum Validator {
    static let maxConfigMapSize = 1024 * 1024

    /// pkg/apis/coordination/validation/validation.go ValidateLeaseSpec (v1.20): every field optional.
    static func lease(_ o: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        if let d = o[path: "spec", "leaseDurationSeconds"]?.intValue, d <= 0 {
            errs.append(.invalid("spec.leaseDurationSeconds", String(d), "must be greater than 0"))
        }
        if let n = o[path: "spec", "leaseTransitions"]?.intValue, n < 0 {
            errs.append(.invalid("spec.leaseTransitions", String(n), "must be greater than or equal to 0"))
        }
        return errs
    }

    /// `old` is the stored object on update: some rules ratchet, holding only where it already met them.
    static func validate(_ o: JSONValue, _ t: ResourceType, old: JSONValue? = nil) -> [FieldError] {
        var errs = MetaValidation.objectMeta(o["metadata"])
        switch t.kind {
        case "ConfigMap": errs += configMap(o)
        case "Secret": errs += secret(o)
        case "Service": errs += service(o)
        case "Pod": errs += podSpec(o["spec"], "spec", restartPolicies: ["Always", "OnFailure", "Never"])
        case "Deployment", "ReplicaSet": errs += deployment(o)
        case "ClusterRole", "Role":
            for (i, r) in (o["rules"]?.arrayValue ?? []).enumerated() { errs += policyRule(r, "rules[\(i)]", namespaced: t.kind == "Role") }
        case "ClusterRoleBinding", "RoleBinding": errs += binding(o, namespaced: t.kind == "RoleBinding")
        case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration": errs += webhooks(o, v1: t.version == "v1", old: old)
        case "CustomResourceDefinition": errs += crd(o, v1: t.version == "v1")
        case "Lease": errs += lease(o)
        case "StatefulSet", "DaemonSet", "Job": errs += workload(o, kind: t.kind)
        default: break
        }
        return errs
    }

    static func validateUpdate(_ new: JSONValue, old: JSONValue, _ t: ResourceType, minor: Int) -> [FieldError] {
        var errs = validate(new, t, old: old)
        switch t.kind {
        case "ConfigMap", "Secret":
            if old["immutable"]?.boolValue == true {
                let why = "field is immutable when `immutable` is set"
                if new["immutable"]?.boolValue != true { errs.append(.forbidden("immutable", why)) }
                if new["data"] != old["data"] { errs.append(.forbidden("data", why)) }
                if t.kind == "ConfigMap", new["binaryData"] != old["binaryData"] { errs.append(.forbidden("binaryData", why)) }
            }
            if t.kind == "Secret", let ot = old["type"]?.stringValue, let nt = new["type"]?.stringValue, ot != nt {
                errs.append(.invalid("type", GoValue.quote(nt), "field is immutable"))
            }
        case "Service":
            let oldIP = old[path: "spec", "clusterIP"]?.stringValue ?? ""
            let newIP = new[path: "spec", "clusterIP"]?.stringValue ?? ""
            if !oldIP.isEmpty, oldIP != newIP, old[path: "spec", "type"]?.stringValue != "ExternalName",
               new[path: "spec", "type"]?.stringValue != "ExternalName" {
                if minor >= 20 {
                    let ips = new[path: "spec", "clusterIPs"]?.arrayValue?.compactMap(\.stringValue) ?? [newIP]
                    errs.append(.invalid("spec.clusterIPs[0]", GoValue.strings(ips), "may not change once set"))
                } else {
                    errs.append(.invalid("spec.clusterIP", GoValue.quote(newIP), "field is immutable"))
                }
            }
        case "StatefulSet":
            // ValidateStatefulSetUpdate: only replicas, template and updateStrategy may change.
            var a = new["spec"]?.objectValue ?? JSONObject(), b = old["spec"]?.objectValue ?? JSONObject()
            for k in ["replicas", "template", "updateStrategy"] { a[k] = nil; b[k] = nil }
            if a != b {
                errs.append(.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'template', and 'updateStrategy' are forbidden"))
            }
        case "Job":
            // ValidateJobSpecUpdate: completions, selector and template are immutable.
            for k in ["completions", "selector", "template"] where new[path: "spec", k] != old[path: "spec", k] {
                errs.append(.invalid("spec.\(k)", GoValue.scalar(new[path: "spec", k]), "field is immutable"))
            }
        case "Deployment", "ReplicaSet", "DaemonSet":
            if new[path: "spec", "selector"] != old[path: "spec", "selector"] {
                errs.append(.invalid("spec.selector", MetaValidation.goLabelSelector(new[path: "spec", "selector"]), "field is immutable"))
            }
        case "Pod" where !t.custom:
            errs += PodUpdateValidation.validate(new, old: old)
        case "ClusterRoleBinding", "RoleBinding":
            if new["roleRef"] != old["roleRef"] {
                let r = new["roleRef"]
                let v = "rbac.RoleRef{APIGroup:\(GoValue.quote(r?["apiGroup"]?.stringValue ?? "")), Kind:\(GoValue.quote(r?["kind"]?.stringValue ?? "")), Name:\(GoValue.quote(r?["name"]?.stringValue ?? ""))}"
                errs.append(.invalid("roleRef", v, "cannot change roleRef"))
            }
        default: break
        }
        return errs
    }

    // MARK: - core/v1

    private static func configMap(_ o: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        var total = 0
        let data = o["data"]?.objectValue ?? JSONObject()
        let binary = o["binaryData"]?.objectValue ?? JSONObject()
        for k in data.keys.sorted() {
            for m in MetaValidation.configKey(k) { errs.append(.invalid("data[\(k)]", GoValue.quote(k), m)) }
            total += data[k]?.stringValue?.utf8.count ?? 0
        }
        for k in binary.keys.sorted() {
            for m in MetaValidation.configKey(k) { errs.append(.invalid("binaryData[\(k)]", GoValue.quote(k), m)) }
            if data[k] != nil { errs.append(.invalid("binaryData[\(k)]", GoValue.quote(k), "duplicate of key present in data")) }
            total += Base64.decode(binary[k]?.stringValue ?? "")?.count ?? 0
        }
        if total > maxConfigMapSize { errs.append(.tooLong("[]", maxConfigMapSize)) }
        return errs
    }

    private static func secret(_ o: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        let data = o["data"]?.objectValue ?? JSONObject()
        var total = 0
        for k in data.keys.sorted() {
            for m in MetaValidation.configKey(k) { errs.append(.invalid("data[\(k)]", GoValue.quote(k), m)) }
            total += Base64.decode(data[k]?.stringValue ?? "")?.count ?? 0
        }
        switch o["type"]?.stringValue {
        case "kubernetes.io/tls"?:
            for k in ["tls.crt", "tls.key"] where data[k] == nil { errs.append(.required("data[\(k)]")) }
        case "kubernetes.io/dockerconfigjson"?:
            if data[".dockerconfigjson"] == nil { errs.append(.required("data[.dockerconfigjson]")) }
        case "kubernetes.io/service-account-token"?:
            if o[path: "metadata", "annotations", "kubernetes.io/service-account.name"] == nil {
                errs.append(.required("metadata.annotations[kubernetes.io/service-account.name]"))
            }
        default: break
        }
        if total > maxConfigMapSize { errs.append(.tooLong("data", maxConfigMapSize)) }
        return errs
    }

    private static func portRange(_ v: Int, _ field: String) -> FieldError? {
        (1...65535).contains(v) ? nil : .invalid(field, String(v), "must be between 1 and 65535, inclusive")
    }

    private static func service(_ o: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        let spec = o["spec"] ?? [:]
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !types.contains(type) { errs.append(.notSupported("spec.type", GoValue.quote(type), types)) }
        let ports = spec["ports"]?.arrayValue ?? []
        let headless = spec["clusterIP"]?.stringValue == "None"
        if ports.isEmpty && type != "ExternalName" && !headless { errs.append(.required("spec.ports")) }
        var names = Set<String>()
        for (i, p) in ports.enumerated() {
            let f = "spec.ports[\(i)]"
            let name = p["name"]?.stringValue ?? ""
            if name.isEmpty {
                if ports.count > 1 { errs.append(.required(f + ".name")) }
            } else {
                if let m = NameValidation.check(name, .dns1123Label) { errs.append(.invalid(f + ".name", GoValue.quote(name), m)) }
                if !names.insert(name).inserted { errs.append(.duplicate(f + ".name", GoValue.quote(name))) }
            }
            if let e = portRange(p["port"]?.intValue ?? 0, f + ".port") { errs.append(e) }
            let proto = p["protocol"]?.stringValue ?? "TCP"
            if !["SCTP", "TCP", "UDP"].contains(proto) { errs.append(.notSupported(f + ".protocol", GoValue.quote(proto), ["SCTP", "TCP", "UDP"])) }
            if let tp = p["targetPort"]?.intValue, tp != 0, let e = portRange(tp, f + ".targetPort") { errs.append(e) }
        }
        errs += MetaValidation.labels(spec["selector"], "spec.selector")
        if let a = spec["sessionAffinity"]?.stringValue, !["ClientIP", "None"].contains(a) {
            errs.append(.notSupported("spec.sessionAffinity", GoValue.quote(a), ["ClientIP", "None"]))
        }
        return errs
    }

    static func podSpec(_ spec: JSONValue?, _ path: String, restartPolicies: [String]) -> [FieldError] {
        var errs: [FieldError] = []
        let containers = spec?["containers"]?.arrayValue ?? []
        if containers.isEmpty { errs.append(.required(path + ".containers")) }
        var names = Set<String>()
        for (key, list) in [("initContainers", spec?["initContainers"]?.arrayValue ?? []), ("containers", containers)] {
            for (i, c) in list.enumerated() {
                let f = "\(path).\(key)[\(i)]"
                let name = c["name"]?.stringValue ?? ""
                if name.isEmpty {
                    errs.append(.required(f + ".name"))
                } else {
                    if let m = NameValidation.check(name, .dns1123Label) { errs.append(.invalid(f + ".name", GoValue.quote(name), m)) }
                    if !names.insert(name).inserted { errs.append(.duplicate(f + ".name", GoValue.quote(name))) }
                }
                if (c["image"]?.stringValue ?? "").isEmpty { errs.append(.required(f + ".image")) }
                for (j, p) in (c["ports"]?.arrayValue ?? []).enumerated() {
                    if let e = portRange(p["containerPort"]?.intValue ?? 0, "\(f).ports[\(j)].containerPort") { errs.append(e) }
                }
                if let policy = c["imagePullPolicy"]?.stringValue, !["Always", "IfNotPresent", "Never"].contains(policy) {
                    errs.append(.notSupported(f + ".imagePullPolicy", GoValue.quote(policy), ["Always", "IfNotPresent", "Never"]))
                }
            }
        }
        if let r = spec?["restartPolicy"]?.stringValue, !restartPolicies.contains(r) {
            errs.append(.notSupported(path + ".restartPolicy", GoValue.quote(r), restartPolicies))
        }
        return errs
    }

    // MARK: - apps/v1

    /// The selector and pod template rules the workload kinds share (pkg/apis/apps/validation and
    /// pkg/apis/batch/validation, v1.20): a non-empty selector matching the template's labels.
    private static func selectorAndTemplate(_ spec: JSONValue, noun: String, restartPolicies: [String]) -> [FieldError] {
        var errs: [FieldError] = []
        let selector = spec["selector"]
        let templateLabels = spec[path: "template", "metadata", "labels"]?.stringMap ?? [:]
        if selector == nil || selector == .null {
            errs.append(.required("spec.selector"))
        } else {
            errs += MetaValidation.labels(selector?["matchLabels"], "spec.selector.matchLabels")
            let ml = selector?["matchLabels"]?.stringMap ?? [:]
            let exprs = selector?["matchExpressions"]?.arrayValue ?? []
            if ml.isEmpty && exprs.isEmpty {
                errs.append(.invalid("spec.selector", MetaValidation.goLabelSelector(selector), "empty selector is invalid for \(noun)"))
            } else if !LabelSelector.matches(matchLabels: ml, expressions: exprs, labels: templateLabels) {
                errs.append(.invalid("spec.template.metadata.labels", GoValue.stringMap(templateLabels),
                                     "`selector` does not match template `labels`"))
            }
        }
        errs += MetaValidation.labels(spec[path: "template", "metadata", "labels"], "spec.template.metadata.labels")
        errs += podSpec(spec[path: "template", "spec"], "spec.template.spec", restartPolicies: restartPolicies)
        return errs
    }

    /// pkg/apis/apps/validation/validation.go ValidateStatefulSetSpec and ValidateDaemonSetSpec,
    /// pkg/apis/batch/validation/validation.go ValidateJobSpec (v1.20).
    private static func workload(_ o: JSONValue, kind: String) -> [FieldError] {
        var errs: [FieldError] = []
        let spec = o["spec"] ?? [:]
        func nonNegative(_ k: String) {
            if let v = spec[k]?.intValue, v < 0 { errs.append(.invalid("spec.\(k)", String(v), "must be greater than or equal to 0")) }
        }
        func strategy(_ allowed: [String]) {
            guard let type = spec[path: "updateStrategy", "type"]?.stringValue else { return }
            if !allowed.contains(type) { errs.append(.notSupported("spec.updateStrategy.type", GoValue.quote(type), allowed)) }
        }
        switch kind {
        case "StatefulSet":
            if let p = spec["podManagementPolicy"]?.stringValue, !["OrderedReady", "Parallel"].contains(p) {
                errs.append(.notSupported("spec.podManagementPolicy", GoValue.quote(p), ["OrderedReady", "Parallel"]))
            }
            strategy(["RollingUpdate", "OnDelete"])
            nonNegative("replicas")
            errs += selectorAndTemplate(spec, noun: "statefulset", restartPolicies: ["Always"])
        case "DaemonSet":
            strategy(["OnDelete", "RollingUpdate"])
            errs += selectorAndTemplate(spec, noun: "daemonset", restartPolicies: ["Always"])
        default:
            for k in ["parallelism", "completions", "backoffLimit"] { nonNegative(k) }
            errs += selectorAndTemplate(spec, noun: "job", restartPolicies: ["OnFailure", "Never"])
        }
        return errs
    }

    private static func deployment(_ o: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        let spec = o["spec"] ?? [:]
        if let r = spec["replicas"]?.intValue, r < 0 {
            errs.append(.invalid("spec.replicas", String(r), "must be greater than or equal to 0"))
        }
        errs += selectorAndTemplate(spec, noun: "deployment", restartPolicies: ["Always"])
        if let type = spec[path: "strategy", "type"]?.stringValue, !["Recreate", "RollingUpdate"].contains(type) {
            errs.append(.notSupported("spec.strategy.type", GoValue.quote(type), ["Recreate", "RollingUpdate"]))
        }
        for k in ["minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"] {
            if let v = spec[k]?.intValue, v < 0 { errs.append(.invalid("spec.\(k)", String(v), "must be greater than or equal to 0")) }
        }
        if let p = spec["progressDeadlineSeconds"]?.intValue, p <= (spec["minReadySeconds"]?.intValue ?? 0) {
            errs.append(.invalid("spec.progressDeadlineSeconds", String(p), "must be greater than minReadySeconds"))
        }
        return errs
    }

    // MARK: - rbac.authorization.k8s.io

    private static func policyRule(_ r: JSONValue, _ f: String, namespaced: Bool) -> [FieldError] {
        func list(_ k: String) -> [String] { r[k]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var errs: [FieldError] = []
        if list("verbs").isEmpty { errs.append(.required(f + ".verbs", "verbs must contain at least one value")) }
        let urls = list("nonResourceURLs")
        if !urls.isEmpty {
            if namespaced {
                errs.append(.invalid(f + ".nonResourceURLs", GoValue.strings(urls), "namespaced rules cannot apply to non-resource URLs"))
            }
            if !list("apiGroups").isEmpty || !list("resources").isEmpty || !list("resourceNames").isEmpty {
                errs.append(.invalid(f + ".nonResourceURLs", GoValue.strings(urls), "rules cannot apply to both regular resources and non-resource URLs"))
            }
            return errs
        }
        if r["apiGroups"]?.arrayValue?.isEmpty ?? true {
            errs.append(.required(f + ".apiGroups", "resource rules must supply at least one api group"))
        }
        if list("resources").isEmpty { errs.append(.required(f + ".resources", "resource rules must supply at least one resource")) }
        return errs
    }

    private static func binding(_ o: JSONValue, namespaced: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        let ref = o["roleRef"] ?? [:]
        let group = ref["apiGroup"]?.stringValue ?? ""
        let rbac = "rbac.authorization.k8s.io"
        if group != rbac { errs.append(.notSupported("roleRef.apiGroup", GoValue.quote(group), [rbac])) }
        let kind = ref["kind"]?.stringValue ?? ""
        let kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"]
        if !kinds.contains(kind) { errs.append(.notSupported("roleRef.kind", GoValue.quote(kind), kinds)) }
        let name = ref["name"]?.stringValue ?? ""
        if name.isEmpty {
            errs.append(.required("roleRef.name"))
        } else if let m = NameValidation.check(name, .pathSegment) {
            errs.append(.invalid("roleRef.name", GoValue.quote(name), m))
        }
        for (i, s) in (o["subjects"]?.arrayValue ?? []).enumerated() {
            let f = "subjects[\(i)]"
            let sname = s["name"]?.stringValue ?? ""
            let sgroup = s["apiGroup"]?.stringValue ?? ""
            if sname.isEmpty { errs.append(.required(f + ".name")) }
            switch s["kind"]?.stringValue ?? "" {
            case "ServiceAccount":
                if !sname.isEmpty, let m = NameValidation.check(sname, .dns1123Subdomain) {
                    errs.append(.invalid(f + ".name", GoValue.quote(sname), m))
                }
                if !sgroup.isEmpty { errs.append(.notSupported(f + ".apiGroup", GoValue.quote(sgroup), [""])) }
                if !namespaced && (s["namespace"]?.stringValue ?? "").isEmpty { errs.append(.required(f + ".namespace")) }
            case "User", "Group":
                if sgroup != rbac { errs.append(.notSupported(f + ".apiGroup", GoValue.quote(sgroup), [rbac])) }
            case let k:
                errs.append(.notSupported(f + ".kind", GoValue.quote(k), ["ServiceAccount", "User", "Group"]))
            }
        }
        return errs
    }

    // MARK: - admissionregistration.k8s.io

    /// On update, v1's stricter rules (no side effects, unique names) and the recognized review
    /// version apply only if the stored webhooks already met them, so an object created through
    /// v1beta1 with `sideEffects: Unknown` can still be patched through v1: kubernetes v1.20
    /// pkg/apis/admissionregistration/validation/validation.go, Validate{Mutating,Validating}WebhookConfigurationUpdate
    /// (requireNoSideEffects && mutatingHasNoSideEffects(oldC.Webhooks), ...).
    private static func webhooks(_ o: JSONValue, v1: Bool, old: JSONValue?) -> [FieldError] {
        var errs: [FieldError] = []
        let noSideEffects = ["None", "NoneOnDryRun"]
        let reviewVersions = ["v1", "v1beta1"]
        let oldHooks = old?["webhooks"]?.arrayValue ?? []
        let requireNoSideEffects = v1 && (old == nil || oldHooks.allSatisfy { noSideEffects.contains($0["sideEffects"]?.stringValue ?? "") })
        let requireRecognizedVersion = old == nil || oldHooks.allSatisfy { h in
            let versions = h["admissionReviewVersions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return versions.isEmpty || versions.contains(where: reviewVersions.contains)
        }
        let oldNames = oldHooks.map { $0["name"]?.stringValue ?? "" }
        let requireUniqueNames = v1 && (old == nil || Set(oldNames).count == oldNames.count)
        var names = Set<String>()
        for (i, w) in (o["webhooks"]?.arrayValue ?? []).enumerated() {
            let f = "webhooks[\(i)]"
            let name = w["name"]?.stringValue ?? ""
            if name.isEmpty {
                errs.append(.required(f + ".name"))
            } else if name.split(separator: ".", omittingEmptySubsequences: false).count < 3 {
                errs.append(.invalid(f + ".name", GoValue.quote(name), "should be a domain with at least three segments separated by dots"))
            } else if let m = NameValidation.check(name, .dns1123Subdomain) {
                errs.append(.invalid(f + ".name", GoValue.quote(name), m))
            } else if requireUniqueNames && !names.insert(name).inserted {
                errs.append(.duplicate(f + ".name", GoValue.quote(name)))
            }
            for (j, r) in (w["rules"]?.arrayValue ?? []).enumerated() {
                let ops = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"]
                for (k, op) in (r["operations"]?.arrayValue?.compactMap(\.stringValue) ?? []).enumerated() where !ops.contains(op) {
                    errs.append(.notSupported("\(f).rules[\(j)].operations[\(k)]", GoValue.quote(op), ops))
                }
            }
            if let p = w["failurePolicy"]?.stringValue, !["Fail", "Ignore"].contains(p) {
                errs.append(.notSupported(f + ".failurePolicy", GoValue.quote(p), ["Fail", "Ignore"]))
            }
            if let p = w["matchPolicy"]?.stringValue, !["Equivalent", "Exact"].contains(p) {
                errs.append(.notSupported(f + ".matchPolicy", GoValue.quote(p), ["Equivalent", "Exact"]))
            }
            let effects = requireNoSideEffects ? noSideEffects : noSideEffects + ["Some", "Unknown"]
            if let s = w["sideEffects"]?.stringValue {
                if !effects.contains(s) { errs.append(.notSupported(f + ".sideEffects", GoValue.quote(s), effects)) }
            } else if v1 {
                errs.append(.required(f + ".sideEffects", "must specify one of " + effects.joined(separator: ", ")))
            }
            if let t = w["timeoutSeconds"]?.intValue, !(1...30).contains(t) {
                errs.append(.invalid(f + ".timeoutSeconds", String(t), "the timeout value must be between 1 and 30 seconds"))
            }
            if let versions = w["admissionReviewVersions"]?.arrayValue?.compactMap(\.stringValue), !versions.isEmpty {
                if requireRecognizedVersion && !versions.contains(where: reviewVersions.contains) {
                    errs.append(.invalid(f + ".admissionReviewVersions", GoValue.strings(versions), "must include at least one of v1, v1beta1"))
                }
            } else if v1 {
                errs.append(.required(f + ".admissionReviewVersions", "must specify one of v1, v1beta1"))
            }
            let cc = w["clientConfig"] ?? [:]
            let url = cc["url"]?.stringValue
            let svc = cc["service"].flatMap { $0 == .null ? nil : $0 }
            if (url == nil) == (svc == nil) {
                errs.append(.required(f + ".clientConfig", "exactly one of url or service is required"))
            } else if let url, !url.hasPrefix("https://") {
                errs.append(.invalid(f + ".clientConfig.url", GoValue.quote(url), "'https' is the only allowed URL scheme"))
            } else if let svc {
                if (svc["name"]?.stringValue ?? "").isEmpty { errs.append(.required(f + ".clientConfig.service.name", "service name is required")) }
                if (svc["namespace"]?.stringValue ?? "").isEmpty {
                    errs.append(.required(f + ".clientConfig.service.namespace", "service namespace is required"))
                }
                if let p = svc["path"]?.stringValue, !p.isEmpty, !p.hasPrefix("/") {
                    errs.append(.invalid(f + ".clientConfig.service.path", GoValue.quote(p), "must start with a '/'"))
                }
                if let port = svc["port"]?.intValue, let e = portRange(port, f + ".clientConfig.service.port") {
                    errs.append(FieldError.invalid(e.field, String(port), "port is not valid: must be between 1 and 65535, inclusive"))
                }
            }
        }
        return errs
    }

    // MARK: - apiextensions.k8s.io

    private static func crd(_ o: JSONValue, v1: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        let spec = o["spec"] ?? [:]
        let group = spec["group"]?.stringValue ?? ""
        let plural = spec[path: "names", "plural"]?.stringValue ?? ""
        let name = o[path: "metadata", "name"]?.stringValue ?? ""
        if name != "\(plural).\(group)" {
            errs.append(.invalid("metadata.name", GoValue.quote(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        if group.isEmpty {
            errs.append(.required("spec.group"))
        } else if let m = NameValidation.check(group, .dns1123Subdomain) {
            errs.append(.invalid("spec.group", GoValue.quote(group), m))
        } else if !group.contains(".") {
            errs.append(.invalid("spec.group", GoValue.quote(group), "should be a domain with at least one dot"))
        }
        let scope = spec["scope"]?.stringValue ?? ""
        if scope.isEmpty {
            errs.append(.required("spec.scope"))
        } else if !["Cluster", "Namespaced"].contains(scope) {
            errs.append(.notSupported("spec.scope", GoValue.quote(scope), ["Cluster", "Namespaced"]))
        }
        let versions = spec["versions"]?.arrayValue ?? []
        if versions.isEmpty && (v1 || spec["version"] == nil) {
            errs.append(.required("spec.versions", "must have exactly one version marked as storage version"))
        } else if !versions.isEmpty && versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            errs.append(.invalid("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion{...}", "must have exactly one version marked as storage version"))
        }
        for (i, v) in versions.enumerated() {
            let vn = v["name"]?.stringValue ?? ""
            if vn.isEmpty { errs.append(.required("spec.versions[\(i)].name")) }
            if v1 && v[path: "schema", "openAPIV3Schema"] == nil {
                errs.append(.required("spec.versions[\(i)].schema.openAPIV3Schema", "schemas are required"))
            }
        }
        if plural.isEmpty {
            errs.append(.required("spec.names.plural"))
        } else if let m = NameValidation.check(plural, .dns1035Label) {
            errs.append(.invalid("spec.names.plural", GoValue.quote(plural), m))
        }
        if let s = spec[path: "names", "singular"]?.stringValue, !s.isEmpty, let m = NameValidation.check(s, .dns1035Label) {
            errs.append(.invalid("spec.names.singular", GoValue.quote(s), m))
        }
        if (spec[path: "names", "kind"]?.stringValue ?? "").isEmpty { errs.append(.required("spec.names.kind")) }
        return errs
    }
}
