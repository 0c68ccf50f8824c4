import KubeClient
import ObjectModel

/// An in-memory `KubeAPI` for action logic that is clearer without a server: objects by
/// resource, namespace and name; label selectors of `k=v`, `k!=v` and `k` terms; failures
/// injected per verb and resource; every call recorded. Single-threaded: `send` is the
/// protocol's one-after-another default.
final class FakeCluster: KubeAPI, @unchecked Sendable {
    struct Key: Hashable { var resource: String; var namespace: String; var name: String }

    var objects: [Key: JSONValue] = [:]
    /// `verb resource[/name]` (e.g. `list deployments`, `patch namespaces/app`) -> the error to answer.
    var failures: [String: KubeError] = [:]
    /// Every call, as `verb resource[ namespace/name]`.
    private(set) var calls: [String] = []

    static func key(_ r: APIResource, _ namespace: String?, _ name: String) -> Key {
        Key(resource: r.resource, namespace: r.namespaced ? (namespace ?? "") : "", name: name)
    }

    /// Adds an object as the server would keep it (its resource from apiVersion and kind).
    func add(_ r: APIResource, _ object: JSONValue) {
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        objects[Self.key(r, object[path: "metadata", "namespace"]?.stringValue, name)] = object
    }

    func object(_ r: APIResource, namespace: String? = nil, _ name: String) -> JSONValue? {
        objects[Self.key(r, namespace, name)]
    }

    func calls(_ verb: String) -> [String] { calls.filter { $0.hasPrefix(verb + " ") } }

    private func record(_ verb: String, _ r: APIResource, _ namespace: String?, _ name: String?) throws(KubeError) {
        var line = "\(verb) \(r.resource)"
        if let name { line += " " + (namespace.map { "\($0)/" } ?? "") + name } else if let namespace { line += " " + namespace + "/" }
        calls.append(line)
        if let e = failures["\(verb) \(r.resource)/\(name ?? "")"] ?? failures["\(verb) \(r.resource)"] { throw e }
    }

    static func notFound(_ r: APIResource, _ name: String) -> KubeError {
        KubeError(.notFound, code: 404, reason: "NotFound", "\(r.resource) \"\(name)\" not found")
    }

    /// The group versions discovery lists (`/api` and `/apis`), besides `v1`.
    var servedGroupVersions: [String] = []

    func getPath(_ path: String) throws(KubeError) -> JSONValue {
        calls.append("get \(path)")
        if let e = failures["get \(path)"] { throw e }
        switch path {
        case "/version": return ["major": "1", "minor": "21", "gitVersion": "v1.21.1"]
        case "/api": return ["kind": "APIVersions", "versions": ["v1"]]
        case "/apis":
            let groups = servedGroupVersions.map { gv -> JSONValue in
                let parts = gv.split(separator: "/").map(String.init)
                return ["name": .string(parts.first ?? ""), "versions": [["groupVersion": .string(gv), "version": .string(parts.last ?? "")]]]
            }
            return ["kind": "APIGroupList", "groups": .array(groups)]
        default: throw KubeError(.notFound, code: 404, reason: "NotFound", "the server could not find the requested resource")
        }
    }

    func get(_ r: APIResource, namespace: String?, name: String) throws(KubeError) -> JSONValue {
        try record("get", r, namespace, name)
        guard let o = object(r, namespace: namespace, name) else { throw Self.notFound(r, name) }
        return o
    }

    func list(_ r: APIResource, namespace: String?, labelSelector: String?, fieldSelector: String?) throws(KubeError) -> [JSONValue] {
        try record("list", r, namespace, nil)
        return objects
            .filter { $0.key.resource == r.resource && ((namespace ?? "").isEmpty || $0.key.namespace == namespace) }
            .sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
            .map(\.value)
            .filter { Self.matches($0, labelSelector ?? "") }
    }

    static func matches(_ o: JSONValue, _ selector: String) -> Bool {
        let labels = o[path: "metadata", "labels"]?.stringMap ?? [:]
        for term in selector.split(separator: ",").map(String.init) {
            if let r = term.range(of: "!=") {
                if labels[String(term[..<r.lowerBound])] == String(term[r.upperBound...]) { return false }
            } else if let r = term.range(of: "=") {
                if labels[String(term[..<r.lowerBound])] != String(term[r.upperBound...]) { return false }
            } else if labels[term] == nil {
                return false
            }
        }
        return true
    }

    func create(_ r: APIResource, namespace: String?, _ object: JSONValue) throws(KubeError) -> JSONValue {
        let name = object[path: "metadata", "name"]?.stringValue ?? ""
        try record("create", r, namespace, name)
        let k = Self.key(r, namespace, name)
        if objects[k] != nil { throw KubeError(.alreadyExists, code: 409, reason: "AlreadyExists", "\(r.resource) \"\(name)\" already exists") }
        objects[k] = object
        return object
    }

    func patch(_ r: APIResource, namespace: String?, name: String, _ patch: JSONValue, type: PatchType) throws(KubeError) -> JSONValue {
        try record("patch", r, namespace, name)
        let k = Self.key(r, namespace, name)
        guard let o = objects[k] else { throw Self.notFound(r, name) }
        let merged = Self.merge(o, patch)
        objects[k] = merged
        return merged
    }

    /// RFC 7386 merge.
    static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var out = target.objectValue ?? JSONObject()
        for (k, v) in p {
            if v.isNull { out[k] = nil } else { out[k] = merge(out[k] ?? .null, v) }
        }
        return .object(out)
    }

    /// What a pod's port answers through a tunnel, by `namespace/pod:port`; a pod with none has
    /// no tunnel (the API server's 404 for a pod it does not know).
    var portAnswers: [String: Result<PortForwardAnswer, PortForwardTunnel.HTTPFailure>] = [:]

    func portForwardStream(_ get: PortForwardGet, head: (PortForwardTunnel.HTTPHead) throws -> Void,
                           body: ([UInt8]) throws -> Void) throws {
        let at = "\(get.namespace)/\(get.pod):\(get.port)"
        calls.append("portforward \(at) GET \(get.target)")
        switch portAnswers[at] {
        case nil: throw KubeError(.notFound, code: 404, reason: "NotFound", "pods \"\(get.pod)\" not found")
        case .failure(let e)?: throw e
        case .success(let a)?:
            try head(.init(status: a.status, statusLine: a.statusLine))
            try body(a.body)
        }
    }

    func delete(_ r: APIResource, namespace: String?, name: String, propagationPolicy: String?) throws(KubeError) {
        try record("delete", r, namespace, name)
        guard objects.removeValue(forKey: Self.key(r, namespace, name)) != nil else { throw Self.notFound(r, name) }
    }
}

/// Objects as the cluster holds them, for the fake.
enum Fixtures {
    static func namespace(_ name: String, labels: [String: String] = [:]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name), "labels": JSONValue(labels)]]
    }

    static func controller(mesh: String, namespace: String, image: String = "openservicemesh/osm-controller:v0.8.4") -> JSONValue {
        ["apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": ["name": "osm-controller", "namespace": .string(namespace),
                      "labels": ["app": "osm-controller", "meshName": .string(mesh), "app.kubernetes.io/instance": .string(mesh)]],
         "spec": ["template": ["spec": ["containers": [["name": "osm-controller", "image": .string(image)]]]]]]
    }

    static func pod(_ name: String, namespace: String, labels: [String: String] = [:]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod",
         "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": JSONValue(labels)],
         "status": ["phase": "Running"]]
    }
}
