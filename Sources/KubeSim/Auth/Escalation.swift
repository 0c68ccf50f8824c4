import ObjectModel

/// RBAC's escalation prevention: a user may write a Role or ClusterRole only with rules it holds
/// itself (or with the `escalate` verb), and a binding only to a role whose rules it holds (or with
/// the `bind` verb on that role). `system:masters` is exempt. Messages as kube-apiserver 1.20's.
extension Cluster {
    func escalationError(_ user: UserInfo, _ t: ResourceType, namespace: String, object: JSONValue) -> StatusError? {
        if user.groups.contains("system:masters") { return nil }
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        let rbac = "rbac.authorization.k8s.io"
        func allowed(_ verb: String, _ resource: String, _ resourceName: String, _ ns: String) -> Bool {
            var a = RequestAttributes(verb: verb, isResourceRequest: true, path: "")
            a.apiGroup = rbac
            a.resource = resource
            a.name = resourceName
            a.namespace = ns
            return authorize(user, a).allowed
        }
        let requested: [JSONValue]
        switch t.kind {
        case "Role", "ClusterRole":
            if allowed("escalate", t.name, name, namespace) { return nil }
            requested = object["rules"]?.arrayValue ?? []
        case "RoleBinding", "ClusterRoleBinding":
            let kind = object[path: "roleRef", "kind"]?.stringValue ?? ""
            let roleName = object[path: "roleRef", "name"]?.stringValue ?? ""
            let roleResource = kind == "Role" ? "roles" : "clusterroles"
            if allowed("bind", roleResource, roleName, kind == "Role" ? namespace : (t.kind == "RoleBinding" ? namespace : "")) {
                return nil
            }
            let role = lock.withLock {
                kind == "Role" ? store.get("roles.\(rbac)", namespace, roleName) : store.get("clusterroles.\(rbac)", nil, roleName)
            }
            guard let role else {
                return StatusError(code: 403, reason: "Forbidden",
                                   message: "\(t.qualifiedName) \"\(name)\" is forbidden: \(kind.lowercased()).\(rbac) \"\(roleName)\" not found",
                                   details: StatusError.details(name, t))
            }
            requested = role.value["rules"]?.arrayValue ?? []
        default:
            return nil
        }
        let owned = rules(for: user, namespace: namespace)
        let missing = Self.uncovered(owned, requested)
        guard !missing.isEmpty else { return nil }
        let groups = "[" + user.groups.map { GoValue.quote($0) }.joined(separator: " ") + "]"
        let lines = Set(Self.compact(missing).map(Self.compactString)).sorted()
        let msg = "user \(GoValue.quote(user.name)) (groups=\(groups)) is attempting to grant RBAC permissions not currently held:\n"
            + lines.joined(separator: "\n")
        return StatusError(code: 403, reason: "Forbidden", message: "\(t.qualifiedName) \"\(name)\" is forbidden: \(msg)",
                           details: StatusError.details(name, t))
    }

    /// The requested rules, broken down one verb, group, resource and name at a time, that no owned rule covers.
    static func uncovered(_ owned: [JSONValue], _ requested: [JSONValue]) -> [JSONValue] {
        func list(_ r: JSONValue, _ k: String) -> [String] { r[k]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var missing: [JSONValue] = []
        for r in requested {
            let verbs = list(r, "verbs")
            let urls = list(r, "nonResourceURLs")
            if !urls.isEmpty {
                for u in urls {
                    for v in verbs {
                        let a = RequestAttributes(verb: v, isResourceRequest: false, path: u)
                        if !owned.contains(where: { ruleAllows($0, a) }) {
                            missing.append(["nonResourceURLs": [.string(u)], "verbs": [.string(v)]])
                        }
                    }
                }
                continue
            }
            let names = list(r, "resourceNames")
            for g in list(r, "apiGroups") {
                for res in list(r, "resources") {
                    for v in verbs {
                        for n in names.isEmpty ? [""] : names {
                            var a = RequestAttributes(verb: v, isResourceRequest: true, path: "")
                            a.apiGroup = g
                            let parts = res.split(separator: "/", maxSplits: 1).map(String.init)
                            a.resource = parts[0]
                            a.subresource = parts.count > 1 ? parts[1] : ""
                            a.name = n
                            if !owned.contains(where: { ruleAllows($0, a) }) {
                                var m: JSONObject = ["apiGroups": [.string(g)], "resources": [.string(res)], "verbs": [.string(v)]]
                                if !n.isEmpty { m["resourceNames"] = [.string(n)] }
                                missing.append(.object(m))
                            }
                        }
                    }
                }
            }
        }
        return missing
    }

    /// rbac's CompactRules: rules on one group and one resource (and at most one name) merge their verbs.
    static func compact(_ rules: [JSONValue]) -> [JSONValue] {
        var out: [JSONValue] = []
        var simple: [String: Int] = [:]
        for r in rules {
            guard r["nonResourceURLs"] == nil else { out.append(r); continue }
            let key = [r["apiGroups"], r["resources"], r["resourceNames"]].map { $0?.jsonString() ?? "" }.joined(separator: "|")
            if let i = simple[key] {
                out[i]["verbs"] = .array((out[i]["verbs"]?.arrayValue ?? []) + (r["verbs"]?.arrayValue ?? []))
            } else {
                simple[key] = out.count
                out.append(r)
            }
        }
        return out
    }

    /// rbac's CompactString: `{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`.
    static func compactString(_ r: JSONValue) -> String {
        var parts: [String] = []
        for (k, label) in [("apiGroups", "APIGroups"), ("resources", "Resources"), ("nonResourceURLs", "NonResourceURLs"),
                           ("resourceNames", "ResourceNames"), ("verbs", "Verbs")] {
            guard let v = r[k]?.arrayValue, !v.isEmpty else { continue }
            parts.append("\(label):[" + v.compactMap(\.stringValue).map { GoValue.quote($0) }.joined(separator: " ") + "]")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
