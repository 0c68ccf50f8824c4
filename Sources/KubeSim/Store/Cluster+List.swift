import ObjectModel

/// Lists as 1.20 serves them, by where the request goes (from knowledge of the v1.20 sources:
/// staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go List, etcd3/store.go List):
/// - `resourceVersion=0` without `continue` and not Exact: the watch cache, every matching item,
///   `limit` ignored, no continue token;
/// - `resourceVersion` N>0 without limit or continue, legacy or NotOlderThan: the watch cache once it has
///   seen N (`Too large resource version` 504 otherwise), at its latest state;
/// - otherwise etcd: at revision N when Exact, or legacy with a limit; at the token's revision when
///   continuing; else the latest. A revision before the kept history is 410
///   (`The resourceVersion for the provided list is too old.`), paging honoured.
extension Cluster {
    func list(_ t: ResourceType, namespace: String?, labels: LabelSelector?, fields: FieldSelector?,
              options: ListOptions) throws(StatusError) -> ListResult {
        lock.lock()
        defer { lock.unlock() }
        let current = store.resourceVersion
        let filtered = labels != nil || fields != nil
        let toStorage = options.continueToken != nil || options.match == "Exact"
            || ((options.limit ?? 0) > 0 && options.resourceVersion != "0")
        let requested = try options.parsedResourceVersion(storage: toStorage)
        var start: String?
        var at: Int?  // the revision to read at; nil: the latest
        var paging = (options.limit ?? 0) > 0
        if let c = options.continueToken {
            let token = try ContinueToken.decode(c)
            if let rv = options.resourceVersion, rv != "0" {
                throw StatusError.badRequest("specifying resource version is not allowed when using continue")
            }
            start = namespace.map { $0 + "/" + token.startKey } ?? token.startKey
            if token.resourceVersion > 0 { at = token.resourceVersion }
        } else if options.resourceVersion == "0" && options.match != "Exact" {
            paging = false  // the watch cache: whole, limit ignored
        } else if options.resourceVersion != nil {
            switch options.match {
            case "Exact"?: at = requested
            case nil where paging && requested > 0: at = requested
            default:
                if requested > current {
                    // cacher (watchCache.waitUntilFreshAndBlock, after 3s) or etcd3's
                    // validateMinimumResourceVersion: storage.NewTooLargeResourceVersionError.
                    var e = StatusError(code: 504, reason: "Timeout",
                                        message: "Timeout: Too large resource version: \(requested), current: \(current)")
                    let retry = paging ? 0 : 1
                    var d: JSONObject = ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]]]
                    if retry > 0 {
                        d["retryAfterSeconds"] = .int(retry)
                        e.retryAfter = retry
                    }
                    e.details = .object(d)
                    throw e
                }
            }
        }
        var all: [(key: String, object: StoredObject)]
        if let at, at != current {
            if at > current {
                // etcd refuses a future revision; nothing converts the error (500, no reason).
                throw StatusError(code: 500, reason: "", message: "etcdserver: mvcc: required revision is a future revision")
            }
            guard let past = objects(t.storageKey, namespace: namespace, at: at) else {
                if options.continueToken != nil, let start {
                    // handleCompactedErrorForPaging: a 410 with a token to go on from the latest state.
                    let rel = namespace.map { String(start.dropFirst($0.count + 1)) } ?? start
                    var e = StatusError(code: 410, reason: "Expired",
                                        message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                    e.listContinue = ContinueToken.encode(startKey: rel, resourceVersion: -1)
                    throw e
                }
                throw StatusError(code: 410, reason: "Expired", message: "The resourceVersion for the provided list is too old.")
            }
            all = past
        } else {
            all = store.list(t.storageKey, namespace: namespace)
        }
        let returned = at ?? current
        if let start { all.removeAll { !start.utf8.lexicographicallyPrecedes($0.key.utf8) && start != $0.key } }
        if filtered {
            all = all.filter { e in
                (labels?.matches(e.object.labels) ?? true) && (fields?.matches(e.object.value) ?? true)
            }
        }
        var token: String?
        var remaining: Int?
        if paging, let limit = options.limit, all.count > limit {
            // Only an unfiltered list counts what is left (etcd counts keys, matching or not).
            if !filtered { remaining = all.count - limit }
            all.removeSubrange(limit...)
            if let last = all.last?.key {
                let rel = namespace.map { String(last.dropFirst($0.count + 1)) } ?? last
                token = ContinueToken.encode(startKey: rel + "\u{0}", resourceVersion: returned)
            }
        }
        return ListResult(items: all.map(\.object), resourceVersion: returned, continueToken: token, remaining: remaining)
    }

    /// A resource's objects as they were at revision `rv`, rebuilt from the kept history by undoing
    /// what came after; nil when the history no longer reaches back that far (compacted).
    private func objects(_ storageKey: String, namespace: String?, at rv: Int) -> [(key: String, object: StoredObject)]? {
        if historyTruncated, let first = history.first?.rv, rv < first - 1 { return nil }
        var byKey: [String: StoredObject] = [:]
        for e in store.list(storageKey, namespace: namespace) { byKey[e.key] = e.object }
        for e in history.reversed() {
            if e.rv <= rv { break }
            guard e.storageKey == storageKey else { continue }
            let ns = e.object[path: "metadata", "namespace"]?.stringValue
            if let namespace, ns != namespace { continue }
            let key = ObjectStore.key(ns, e.object[path: "metadata", "name"]?.stringValue ?? "")
            switch e.event {
            case "ADDED": byKey[key] = nil
            default: byKey[key] = e.previous.map(StoredObject.init)
            }
        }
        return byKey.map { (key: $0.key, object: $0.value) }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}
