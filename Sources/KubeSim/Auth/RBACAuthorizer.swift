import ObjectModel

/// RBAC as kube-apiserver evaluates it: `system:masters` is allowed everything (the privileged-group
/// authorizer in front of RBAC), then every ClusterRoleBinding, then the RoleBindings of the
/// request's namespace, each rule of each bound role, until one allows. Missing roles are reported
/// in the reason, as the server does (`RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`).
extension Cluster {
    struct Decision {
        var allowed: Bool
        var reason: String
    }

    func authorize(_ user: UserInfo, _ a: RequestAttributes) -> Decision {
        if user.groups.contains("system:masters") { return Decision(allowed: true, reason: "") }
        return lock.withLock { authorizeLocked(user, a) }
    }

    private func authorizeLocked(_ user: UserInfo, _ a: RequestAttributes) -> Decision {
        var errors: [String] = []
        for b in store.values("clusterrolebindings.rbac.authorization.k8s.io") {
            guard let subject = Self.matchingSubject(b.value, user, bindingNamespace: "") else { continue }
            let roleName = b.value[path: "roleRef", "name"]?.stringValue ?? ""
            guard b.value[path: "roleRef", "kind"]?.stringValue == "ClusterRole" else { continue }
            guard let role = store.get("clusterroles.rbac.authorization.k8s.io", nil, roleName) else {
                errors.append("clusterrole.rbac.authorization.k8s.io \"\(roleName)\" not found")
                continue
            }
            if Self.rulesAllow(role.value["rules"], a) {
                return Decision(allowed: true, reason: "RBAC: allowed by ClusterRoleBinding \"\(b.name)\" of ClusterRole \"\(roleName)\" to \(Self.describe(subject, bindingNamespace: ""))")
            }
        }
        if !a.namespace.isEmpty {
            for (_, b) in store.list("rolebindings.rbac.authorization.k8s.io", namespace: a.namespace) {
                guard let subject = Self.matchingSubject(b.value, user, bindingNamespace: a.namespace) else { continue }
                let kind = b.value[path: "roleRef", "kind"]?.stringValue ?? ""
                let roleName = b.value[path: "roleRef", "name"]?.stringValue ?? ""
                let role: StoredObject?
                switch kind {
                case "ClusterRole": role = store.get("clusterroles.rbac.authorization.k8s.io", nil, roleName)
                case "Role": role = store.get("roles.rbac.authorization.k8s.io", a.namespace, roleName)
                default: continue
                }
                guard let role else {
                    errors.append("\(kind.lowercased()).rbac.authorization.k8s.io \"\(roleName)\" not found")
                    continue
                }
                if Self.rulesAllow(role.value["rules"], a) {
                    return Decision(allowed: true, reason: "RBAC: allowed by RoleBinding \"\(b.name)/\(a.namespace)\" of \(kind) \"\(roleName)\" to \(Self.describe(subject, bindingNamespace: a.namespace))")
                }
            }
        }
        let reason = errors.isEmpty ? "" : "RBAC: " + (errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
        return Decision(allowed: false, reason: reason)
    }

    /// The rules of every role bound to `user` cluster-wide and in `namespace` (SelfSubjectRulesReview).
    func rules(for user: UserInfo, namespace: String) -> [JSONValue] {
        lock.withLock {
            var out: [JSONValue] = []
            for b in store.list("clusterrolebindings.rbac.authorization.k8s.io", namespace: nil).map(\.object)
            where Self.matchingSubject(b.value, user, bindingNamespace: "") != nil
                && b.value[path: "roleRef", "kind"]?.stringValue == "ClusterRole" {
                out += store.get("clusterroles.rbac.authorization.k8s.io", nil, b.value[path: "roleRef", "name"]?.stringValue ?? "")?
                    .value["rules"]?.arrayValue ?? []
            }
            guard !namespace.isEmpty else { return out }
            for (_, b) in store.list("rolebindings.rbac.authorization.k8s.io", namespace: namespace)
            where Self.matchingSubject(b.value, user, bindingNamespace: namespace) != nil {
                let name = b.value[path: "roleRef", "name"]?.stringValue ?? ""
                let role = b.value[path: "roleRef", "kind"]?.stringValue == "Role"
                    ? store.get("roles.rbac.authorization.k8s.io", namespace, name)
                    : store.get("clusterroles.rbac.authorization.k8s.io", nil, name)
                out += role?.value["rules"]?.arrayValue ?? []
            }
            return out
        }
    }

    /// The cluster-role aggregation controller: every ClusterRole with an aggregationRule gets the
    /// rules of the ClusterRoles its selectors match (sorted by name, without repeats), until nothing changes.
    func aggregateClusterRolesLocked() {
        let t = type("rbac.authorization.k8s.io", "clusterroles")
        for _ in 0..<5 {
            var changed = false
            let roles = store.list(t.storageKey, namespace: nil).map(\.object)
            for role in roles {
                guard let selectors = role.value[path: "aggregationRule", "clusterRoleSelectors"]?.arrayValue else { continue }
                var rules: [JSONValue] = []
                for sel in selectors {
                    let ml = sel["matchLabels"]?.stringMap ?? [:]
                    let exprs = sel["matchExpressions"]?.arrayValue ?? []
                    for other in roles where other.name != role.name
                        && LabelSelector.matches(matchLabels: ml, expressions: exprs, labels: other.labels) {
                        let current = store.get(t.storageKey, nil, other.name)?.value ?? other.value
                        for r in current["rules"]?.arrayValue ?? [] where !rules.contains(r) { rules.append(r) }
                    }
                }
                let current = store.get(t.storageKey, nil, role.name)?.value ?? role.value
                if current["rules"] ?? .array([]) != .array(rules) {
                    var v = current
                    v["rules"] = .array(rules)
                    putLocked(t, v)
                    changed = true
                }
            }
            if !changed { return }
        }
    }

    private static func matchingSubject(_ binding: JSONValue, _ user: UserInfo, bindingNamespace: String) -> JSONValue? {
        for s in binding["subjects"]?.arrayValue ?? [] {
            let name = s["name"]?.stringValue ?? ""
            switch s["kind"]?.stringValue {
            case "User": if name == user.name { return s }
            case "Group": if user.groups.contains(name) { return s }
            case "ServiceAccount":
                let ns = s["namespace"]?.stringValue ?? bindingNamespace
                if user.name == "system:serviceaccount:\(ns):\(name)" { return s }
            default: break
            }
        }
        return nil
    }

    private static func describe(_ s: JSONValue, bindingNamespace: String) -> String {
        let kind = s["kind"]?.stringValue ?? ""
        let name = s["name"]?.stringValue ?? ""
        if kind == "ServiceAccount" {
            let ns = s["namespace"]?.stringValue ?? ""
            return "\(kind) \"\(name)/\(ns.isEmpty ? bindingNamespace : ns)\""
        }
        return "\(kind) \"\(name)\""
    }

    static func rulesAllow(_ rules: JSONValue?, _ a: RequestAttributes) -> Bool {
        (rules?.arrayValue ?? []).contains { ruleAllows($0, a) }
    }

    static func ruleAllows(_ rule: JSONValue, _ a: RequestAttributes) -> Bool {
        func strings(_ k: String) -> [String] { rule[k]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let verbs = strings("verbs")
        guard verbs.contains("*") || verbs.contains(a.verb) else { return false }
        if !a.isResourceRequest {
            return strings("nonResourceURLs").contains { u in
                u == "*" || u == a.path || (u.hasSuffix("*") && a.path.hasPrefix(u.dropLast()))
            }
        }
        let groups = strings("apiGroups")
        guard groups.contains("*") || groups.contains(a.apiGroup) else { return false }
        let combined = a.subresource.isEmpty ? a.resource : a.resource + "/" + a.subresource
        let resources = strings("resources")
        guard resources.contains(where: { $0 == "*" || $0 == combined || (!a.subresource.isEmpty && $0 == "*/" + a.subresource) })
        else { return false }
        let names = strings("resourceNames")
        return names.isEmpty || names.contains(a.name)
    }
}
