import ObjectModel

extension APIServer {
    /// `POST .../selfsubjectaccessreviews` (what `kubectl auth can-i` sends): the spec back, with
    /// `status.allowed` and the authorizer's reason, as 201 Created.
    func selfSubjectAccessReview(_ req: APIRequest, _ t: ResourceType, user: UserInfo) throws(StatusError) -> APIReply {
        var review = try decodeBody(req, t)
        let spec = review["spec"] ?? [:]
        let attributes: RequestAttributes
        if let r = spec["resourceAttributes"], r != .null {
            func s(_ k: String) -> String { r[k]?.stringValue ?? "" }
            var a = RequestAttributes(verb: s("verb"), isResourceRequest: true, path: "")
            a.namespace = s("namespace")
            a.apiGroup = s("group")
            a.apiVersion = s("version")
            a.resource = s("resource")
            a.subresource = s("subresource")
            a.name = s("name")
            attributes = a
        } else if let n = spec["nonResourceAttributes"], n != .null {
            attributes = RequestAttributes(verb: n["verb"]?.stringValue ?? "", isResourceRequest: false,
                                           path: n["path"]?.stringValue ?? "")
        } else {
            throw StatusError.invalid(t, "", causes: [
                ("spec.resourceAttributes", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified", "FieldValueInvalid"),
            ])
        }
        let decision = authorization == .rbac ? cluster.authorize(user, attributes) : .init(allowed: true, reason: "")
        var status = JSONObject()
        status["allowed"] = .bool(decision.allowed)
        if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
        review["apiVersion"] = .string(t.groupVersion)
        review["kind"] = "SelfSubjectAccessReview"
        review["metadata"] = ["creationTimestamp": nil]
        review["status"] = .object(status)
        return .json(201, review.jsonBytes())
    }

    /// `POST .../selfsubjectrulesreviews` (`kubectl auth can-i --list`): every rule that applies to
    /// the user in `spec.namespace`.
    func selfSubjectRulesReview(_ req: APIRequest, _ t: ResourceType, user: UserInfo) throws(StatusError) -> APIReply {
        var review = try decodeBody(req, t)
        let namespace = review[path: "spec", "namespace"]?.stringValue ?? ""
        let rules: [JSONValue]
        if authorization == .alwaysAllow || user.groups.contains("system:masters") {
            rules = [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]], ["verbs": ["*"], "nonResourceURLs": ["*"]]]
        } else {
            rules = cluster.rules(for: user, namespace: namespace)
        }
        var resourceRules: [JSONValue] = [], nonResourceRules: [JSONValue] = []
        for r in rules {
            if let urls = r["nonResourceURLs"], !(urls.arrayValue ?? []).isEmpty {
                nonResourceRules.append(["verbs": r["verbs"] ?? [], "nonResourceURLs": urls])
            } else {
                var o = JSONObject()
                o["verbs"] = r["verbs"] ?? []
                for k in ["apiGroups", "resources", "resourceNames"] { if let v = r[k], !(v.arrayValue ?? []).isEmpty { o[k] = v } }
                resourceRules.append(.object(o))
            }
        }
        review["apiVersion"] = .string(t.groupVersion)
        review["kind"] = "SelfSubjectRulesReview"
        review["metadata"] = ["creationTimestamp": nil]
        review["status"] = ["resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules), "incomplete": false]
        return .json(201, review.jsonBytes())
    }
}
