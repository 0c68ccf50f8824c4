import ObjectModel

/// A resource request once `resource` has resolved its path: what each verb's handler takes.
struct ResourceCall {
    let req: APIRequest
    let t: ResourceType
    let ns: String?
    let scope: Cluster.UpdateScope
    let user: UserInfo
    let strict: Bool
    let dryRun: Bool
    let fieldManager: String?
}

/// The verbs on a resolved resource, one handler each (`resource` resolves the path and the options).
extension APIServer {
    /// GET of one object (a Table when asked).
    func getOne(_ call: ResourceCall, name: String) throws(StatusError) -> APIReply {
        let (req, t, ns) = (call.req, call.t, call.ns)
        let s = try cluster.get(t, namespace: ns, name: name)
        if TablePrinter.wantsTable(req.accept) {
            let rv = Int(s.value[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
            return .json(200, TablePrinter.table(t, [s], resourceVersion: rv).jsonBytes())
        }
        return .json(200, encode(s, as: t))
    }

    /// A list, or a watch with `watch=true`.
    func list(_ call: ResourceCall) throws(StatusError) -> APIReply {
        let (req, t, ns) = (call.req, call.t, call.ns)
        let labels = try req.query["labelSelector"].flatMap { s throws(StatusError) in try s.isEmpty ? nil : LabelSelector(parsing: s) }
        let fields = try req.query["fieldSelector"].flatMap { s throws(StatusError) in try s.isEmpty ? nil : FieldSelector(parsing: s) }
        if RequestAttributes.isWatch(req.query["watch"]) {
            return .watch(try watchRequest(req, t, ns: ns, fields: fields))
        }
        let options = try ListOptions(query: req.query, watch: false)
        let result = try cluster.list(t, namespace: ns, labels: labels, fields: fields, options: options)
        if TablePrinter.wantsTable(req.accept) {
            return .json(200, TablePrinter.table(t, result.items, resourceVersion: result.resourceVersion,
                                                 continueToken: result.continueToken).jsonBytes())
        }
        return .json(200, encodeList(result, as: t))
    }

    /// POST: a create.
    func create(_ call: ResourceCall) throws(StatusError) -> APIReply {
        let (req, t, ns, user, strict, dryRun, fieldManager)
            = (call.req, call.t, call.ns, call.user, call.strict, call.dryRun, call.fieldManager)
        if t.namespaced && ns == nil { throw StatusError.methodNotAllowed("POST") }
        let body = try decodeBody(req, t)
        try checkEscalation(user, t, ns, body)
        let s = try cluster.create(t, namespace: ns, body: body, strict: strict, dryRun: dryRun, fieldManager: fieldManager)
        return .json(201, encode(s, as: t))
    }

    /// PUT: a replace; a missing object is created where 1.20's strategy allows it.
    func update(_ call: ResourceCall, name: String) throws(StatusError) -> APIReply {
        let (req, t, ns, scope, user, strict, dryRun, fieldManager)
            = (call.req, call.t, call.ns, call.scope, call.user, call.strict, call.dryRun, call.fieldManager)
        let body = try decodeBody(req, t)
        try checkEscalation(user, t, ns, body)
        do {
            let s = try cluster.update(t, namespace: ns, name: name, body: body, scope: scope, strict: strict, dryRun: dryRun,
                                       fieldManager: fieldManager)
            return .json(200, encode(s, as: t))
        } catch let e where e.code == 404 && scope == .main && Self.allowsCreateOnUpdate(t) {
            // The strategy's AllowCreateOnUpdate (registry/store.go Update: a missing object is created, 201).
            var created = body
            if created[path: "metadata", "name"] == nil {
                if created["metadata"] == nil { created["metadata"] = [:] }
                created["metadata"]?["name"] = .string(name)
            }
            let s = try cluster.create(t, namespace: ns, body: created, strict: strict, dryRun: dryRun, fieldManager: fieldManager)
            return .json(201, encode(s, as: t))
        }
    }

    /// PATCH in each content type (JSON, merge, strategic merge, apply).
    func patch(_ call: ResourceCall, name: String) throws(StatusError) -> APIReply {
        let (req, t, ns, scope, user, strict, dryRun, fieldManager)
            = (call.req, call.t, call.ns, call.scope, call.user, call.strict, call.dryRun, call.fieldManager)
        let ct = req.contentType.split(separator: ";").first.map { String($0).trimmingWhitespace } ?? ""
        let type: Cluster.PatchType
        switch ct {
        case "application/merge-patch+json": type = .merge
        case "application/strategic-merge-patch+json" where !t.custom: type = .strategic
        case "application/strategic-merge-patch+json":
            throw StatusError(code: 415, reason: "UnsupportedMediaType",
                              message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        case "application/json-patch+json": type = .json
        case "application/apply-patch+yaml":
            return try serverSideApply(req, t, ns: ns, name: name, scope: scope, strict: strict, dryRun: dryRun,
                                       manager: fieldManager ?? "", user: user)
        default: throw StatusError.unsupportedMediaType(ct)
        }
        let patch = try parseJSON(req.body)
        if needsEscalationCheck(user, t) {
            let preview = try cluster.patch(t, namespace: ns, name: name, patch: patch, type: type, scope: scope, strict: strict, dryRun: true)
            try checkEscalation(user, t, ns, preview.value)
        }
        let s = try cluster.patch(t, namespace: ns, name: name, patch: patch, type: type, scope: scope, strict: strict, dryRun: dryRun,
                                  fieldManager: fieldManager)
        return .json(200, encode(s, as: t))
    }

    /// DELETE of one object.
    func deleteOne(_ call: ResourceCall, name: String) throws(StatusError) -> APIReply {
        let (req, t, ns, dryRun) = (call.req, call.t, call.ns, call.dryRun)
        // kubectl sends dryRun in the DeleteOptions body (`--dry-run=server`).
        let bodyDryRun = (try? parseJSON(req.body))?["dryRun"]?.arrayValue?.contains("All") == true
        let v = try cluster.delete(t, namespace: ns, name: name, options: try deleteOptions(req), dryRun: dryRun || bodyDryRun)
        if v["kind"]?.stringValue == "Status" { return .json(200, v.jsonBytes()) }
        return .json(200, encode(StoredObject(v), as: t))
    }

    /// DELETE of a collection.
    func deleteCollection(_ call: ResourceCall) throws(StatusError) -> APIReply {
        let (req, t, ns) = (call.req, call.t, call.ns)
        let labels = try req.query["labelSelector"].flatMap { s throws(StatusError) in try s.isEmpty ? nil : LabelSelector(parsing: s) }
        let fields = try req.query["fieldSelector"].flatMap { s throws(StatusError) in try s.isEmpty ? nil : FieldSelector(parsing: s) }
        let gone = cluster.deleteCollection(t, namespace: ns, labels: labels, fields: fields, options: try deleteOptions(req))
        return .json(200, encodeList(Cluster.ListResult(items: gone, resourceVersion: cluster.lock.withLock { cluster.store.resourceVersion }), as: t))
    }
}
