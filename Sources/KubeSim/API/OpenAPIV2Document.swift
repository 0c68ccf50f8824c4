import NIOConcurrencyHelpers
import ObjectModel
import YAMLCodec

/// `/openapi/v2`: the swagger 2.0 document kube-apiserver 1.20 serves, as JSON and as gnostic's
/// `openapi.v2.Document` protobuf, which client-go's `DiscoveryClient.OpenAPISchema()` asks for (kubectl's
/// `apply/create/replace -f` validation and `explain`, Helm 3's install/upgrade validation) and reads
/// with no JSON fallback. It holds the v1.20 definitions of the kinds served (`KubernetesDefinitions`)
/// and one per served CRD version, made from its schema as 1.20's CRD OpenAPI builder does.
/// Made on the first request and again only after CRDs change; start-up parses none of it.
final class OpenAPIV2Document: @unchecked Sendable {
    private let version: String
    private let lock = NIOLock()
    private var cached: (generation: Int, json: [UInt8], protobuf: [UInt8])?

    static let protobufType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"

    /// `serverVersion` "v1.20.15": the document's info.version, as 1.20 sets it from its build version.
    init(serverVersion: String) {
        version = String(serverVersion.split(separator: "-").first ?? "")
    }

    /// Negotiates as k8s.io/kube-openapi/pkg/handler/handler.go (1.20): the Accept clauses by preference,
    /// the first that matches JSON or the protobuf type wins (none: `*/*`); nothing acceptable is a 406.
    func serve(accept: String, cluster: Cluster) -> APIReply {
        let clauses = Self.acceptClauses(accept.isEmpty ? "*/*" : accept)
        for c in clauses {
            for (type, sub, protobuf) in [("application", "json", false),
                                          ("application", "com.github.proto-openapi.spec.v2@v1.0+protobuf", true)] {
                guard c.type == type || c.type == "*", c.subtype == sub || c.subtype == "*" else { continue }
                let doc = document(cluster)
                let body = protobuf ? doc.protobuf : doc.json
                // http.ServeContent sniffs the type of a path without an extension.
                let contentType = protobuf ? "application/octet-stream" : "text/plain; charset=utf-8"
                return .response(status: 200, headers: [
                    ("Content-Type", contentType), ("Vary", "Accept"), ("Accept-Ranges", "bytes"),
                    ("Etag", "\"\(OpenAPIDocuments.hash(body))\""),
                ], body: body)
            }
        }
        return .response(status: 406, headers: [("Vary", "Accept")], body: [])
    }

    private static func acceptClauses(_ header: String) -> [(type: String, subtype: String)] {
        var clauses: [(type: String, subtype: String, q: Double, index: Int)] = []
        for (i, part) in header.split(separator: ",").enumerated() {
            let fields = part.split(separator: ";").map(\.trimmingWhitespace)
            guard let media = fields.first, !media.isEmpty else { continue }
            let ts = media.split(separator: "/", maxSplits: 1).map(String.init)
            var q = 1.0
            for p in fields.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            clauses.append((ts[0], ts.count > 1 ? ts[1] : "*", q, i))
        }
        // goautoneg: by q, then the more specific first, then in the order given.
        clauses.sort {
            if $0.q != $1.q { return $0.q > $1.q }
            let w0 = ($0.type == "*" ? 2 : 0) + ($0.subtype == "*" ? 1 : 0)
            let w1 = ($1.type == "*" ? 2 : 0) + ($1.subtype == "*" ? 1 : 0)
            return w0 != w1 ? w0 < w1 : $0.index < $1.index
        }
        return clauses.filter { $0.q > 0 }.map { ($0.type, $0.subtype) }
    }

    private func document(_ cluster: Cluster) -> (json: [UInt8], protobuf: [UInt8]) {
        let sources = cluster.openAPISources()
        return lock.withLock {
            if let c = cached, c.generation == sources.generation { return (c.json, c.protobuf) }
            let definitions = Self.definitions(builtin: BuiltinSchemas.definitions, catalog: sources.catalog, crds: sources.crds)
            let doc: JSONValue = .object(JSONObject([
                ("swagger", "2.0"),
                ("info", ["title": "Kubernetes", "version": .string(version)]),
                ("paths", .object(Self.paths(sources.catalog))),
                ("definitions", .object(definitions)),
            ]))
            let entry = (sources.generation, doc.jsonBytes(), Self.protobuf(doc))
            cached = entry
            return (entry.1, entry.2)
        }
    }

    // MARK: - Paths

    /// An item path per served type with its operations, each naming its group-version-kind, and the
    /// query parameters the writes take; kubectl 1.20 looks for a PATCH that takes `dryRun` before
    /// it sends one (`kubectl diff`, `apply --dry-run=server`: k8s.io/cli-runtime/pkg/resource/dryrun.go).
    static func paths(_ catalog: ResourceCatalog) -> JSONObject {
        var paths: [(String, JSONValue)] = []
        for t in catalog.all where t.verbs.contains("patch") {
            let prefix = t.group.isEmpty ? "/api/\(t.version)" : "/apis/\(t.group)/\(t.version)"
            let path = t.namespaced ? "\(prefix)/namespaces/{namespace}/\(t.name)/{name}" : "\(prefix)/\(t.name)/{name}"
            let groupName = (t.group.isEmpty ? "core" : t.group.hasSuffix(".k8s.io") ? String(t.group.dropLast(7)) : t.group)
                .split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            let id = groupName + t.version.prefix(1).uppercased() + t.version.dropFirst() + (t.namespaced ? "Namespaced" : "") + t.kind
            let gvk: JSONValue = ["group": .string(t.group), "kind": .string(t.kind), "version": .string(t.version)]
            func query(_ name: String, _ description: String) -> JSONValue {
                ["description": .string(description), "in": "query", "name": .string(name), "type": "string", "uniqueItems": true]
            }
            let writes: [JSONValue] = [
                query("dryRun", "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed"),
                query("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint."),
            ]
            /// `method`: the PathItem key; `verb`: the operationId's prefix, as 1.20 names them.
            func op(_ method: String, _ verb: String, _ action: String, _ parameters: [JSONValue]) -> (String, JSONValue) {
                var o = JSONObject([("operationId", .string(verb + id))])
                if !parameters.isEmpty { o["parameters"] = .array(parameters) }
                o["x-kubernetes-action"] = .string(action)
                o["x-kubernetes-group-version-kind"] = gvk
                return (method, .object(o))
            }
            paths.append((path, .object(JSONObject([
                op("delete", "delete", "delete", [writes[0]]),
                op("get", "read", "get", []),
                op("patch", "patch", "patch", writes),
                op("put", "replace", "put", writes),
            ]))))
        }
        return JSONObject(paths.sorted { $0.0 < $1.0 })
    }

    private static func pathItem(_ item: JSONValue, _ w: inout ProtobufWriter) {
        for (verb, field) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8)] {
            guard let op = item[verb] else { continue }
            w.message(field) { o in  // Operation
                o.string(5, op["operationId"]?.stringValue ?? "")
                for p in op["parameters"]?.arrayValue ?? [] {
                    // ParametersItem.parameter > Parameter.non_body_parameter > query_parameter_sub_schema
                    o.message(8) { $0.message(1) { $0.message(2) { $0.message(3) { q in
                        q.string(2, p["in"]?.stringValue ?? "")
                        q.string(3, p["description"]?.stringValue ?? "")
                        q.string(4, p["name"]?.stringValue ?? "")
                        q.string(6, p["type"]?.stringValue ?? "")
                        q.bool(20, p["uniqueItems"]?.boolValue ?? false)
                    } } } }
                }
                for (k, v) in op.objectValue ?? JSONObject() where k.hasPrefix("x-") {
                    o.message(13) { named in
                        named.string(1, k)
                        named.message(2) { any in any.string(2, YAML.emit(v)) }
                    }
                }
            }
        }
    }

    // MARK: - Definitions

    static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    static let listMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"

    /// The built-in definitions whose group-version-kind (or its List) is served, what they refer to,
    /// and the served CRD versions' definitions; sorted by name as Go's encoding/json writes a map.
    static func definitions(builtin: JSONObject, catalog: ResourceCatalog, crds: [JSONValue]) -> JSONObject {
        let served = Set(catalog.all.filter { !$0.custom }.map { "\($0.group)/\($0.version)/\($0.kind)" })
        var keep: [String: JSONValue] = [:]
        var todo: [String] = []
        for (name, d) in builtin {
            let gvks = d["x-kubernetes-group-version-kind"]?.arrayValue ?? []
            let wanted = gvks.contains { g in
                let kind = g["kind"]?.stringValue ?? ""
                let gv = "\(g["group"]?.stringValue ?? "")/\(g["version"]?.stringValue ?? "")"
                return served.contains("\(gv)/\(kind)") || (kind.hasSuffix("List") && served.contains("\(gv)/\(kind.dropLast(4))"))
            }
            if wanted { todo.append(name) }
        }
        for t in catalog.all where t.custom {
            guard let crd = crds.first(where: { ResourceCatalog.customTypes($0).contains { $0.groupVersion == t.groupVersion && $0.name == t.name } })
            else { continue }
            let name = restFriendlyName(group: t.group, version: t.version, kind: t.kind)
            keep[name] = customDefinition(crd, t)
            keep[name + "List"] = customList(t, itemsRef: name)
            todo += [objectMeta, listMeta]
        }
        while let name = todo.popLast() {
            guard keep[name] == nil, let d = builtin[name] else { continue }
            keep[name] = d
            collectRefs(d, into: &todo)
        }
        return JSONObject(keep.keys.sorted().map { ($0, keep[$0]!) })
    }

    private static func collectRefs(_ v: JSONValue, into refs: inout [String]) {
        switch v {
        case .object(let o):
            for (k, x) in o {
                if k == "$ref", let r = x.stringValue { refs.append(String(r.dropFirst("#/definitions/".count))) } else { collectRefs(x, into: &refs) }
            }
        case .array(let a): for x in a { collectRefs(x, into: &refs) }
        default: break
        }
    }

    /// k8s.io/kube-openapi/pkg/util ToRESTFriendlyName of "group/version/kind": the group's labels reversed.
    static func restFriendlyName(group: String, version: String, kind: String) -> String {
        let g = group.contains(".") ? group.split(separator: ".").reversed().joined(separator: ".") : group
        return "\(g).\(version).\(kind)"
    }

    private static func gvk(_ t: ResourceType, kind: String) -> JSONValue {
        [["group": .string(t.group), "kind": .string(kind), "version": .string(t.version)]]
    }

    private static let apiVersionProperty: JSONValue = [
        "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
        "type": "string",
    ]
    private static let kindProperty: JSONValue = [
        "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        "type": "string",
    ]

    /// A CRD version's definition as 1.20 publishes it in v2 (staging/src/k8s.io/apiextensions-apiserver/
    /// pkg/controller/openapi/builder/builder.go and v2/conversion.go): value validations, nullable types
    /// and int-or-string types left out, and no properties where unknown fields are kept, so kubectl
    /// refuses nothing the server would keep. A CRD that preserves unknown fields (v1beta1's default, or
    /// `x-kubernetes-preserve-unknown-fields` at its root) publishes no properties at all.
    static func customDefinition(_ crd: JSONValue, _ t: ResourceType) -> JSONValue {
        let spec = crd["spec"] ?? .null
        let version = spec["versions"]?.arrayValue?.first { $0["name"]?.stringValue == t.version }
        let schema = version?[path: "schema", "openAPIV3Schema"] ?? spec[path: "validation", "openAPIV3Schema"]
        let preserve = crd["apiVersion"]?.stringValue == "apiextensions.k8s.io/v1beta1"
            ? spec["preserveUnknownFields"]?.boolValue != false
            : spec["preserveUnknownFields"]?.boolValue == true
        var out = JSONObject()
        if let d = schema?["description"]?.stringValue { out["description"] = .string(d) }
        let keepsUnknown = schema?["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        if let schema, !preserve, !keepsUnknown, case .object(var s) = v2Schema(schema) {
            var props = s["properties"]?.objectValue ?? JSONObject()
            props["apiVersion"] = apiVersionProperty
            props["kind"] = kindProperty
            props["metadata"] = ["$ref": .string("#/definitions/\(objectMeta)")]
            s["properties"] = .object(props)
            s["type"] = "object"
            for (k, v) in s where k != "description" { out[k] = v }
        } else {
            out["type"] = "object"
        }
        out["x-kubernetes-group-version-kind"] = gvk(t, kind: t.kind)
        return .object(out)
    }

    private static func customList(_ t: ResourceType, itemsRef: String) -> JSONValue {
        .object(JSONObject([
            ("description", .string("\(t.kind)List is a list of \(t.kind)")),
            ("properties", ["apiVersion": apiVersionProperty,
                            "items": ["description": .string("List of \(t.name). More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"),
                                      "items": ["$ref": .string("#/definitions/\(itemsRef)")], "type": "array"],
                            "kind": kindProperty,
                            "metadata": ["$ref": .string("#/definitions/\(listMeta)")]]),
            ("required", ["items"]),
            ("type", "object"),
            ("x-kubernetes-group-version-kind", gvk(t, kind: t.listKind)),
        ]))
    }

    /// The structural part of an OpenAPI v3 schema that v2 carries.
    private static func v2Schema(_ s: JSONValue) -> JSONValue {
        guard case .object(let o) = s else { return .object(JSONObject()) }
        var out = JSONObject()
        let untyped = o["nullable"]?.boolValue == true || o["x-kubernetes-int-or-string"]?.boolValue == true
        let keepsUnknown = o["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        if let d = o["description"], d.stringValue != nil { out["description"] = d }
        if !untyped, let t = o["type"], t.stringValue != nil { out["type"] = t }
        if !untyped, let f = o["format"], f.stringValue != nil { out["format"] = f }
        if untyped || keepsUnknown { return .object(out) }
        if let r = o["required"]?.arrayValue, !r.isEmpty { out["required"] = .array(r) }
        if let items = o["items"], items.objectValue != nil { out["items"] = v2Schema(items) }
        if let props = o["properties"]?.objectValue {
            out["properties"] = .object(JSONObject(props.map { ($0.key, v2Schema($0.value)) }))
        }
        if let ap = o["additionalProperties"] {
            if ap.objectValue != nil { out["additionalProperties"] = v2Schema(ap) } else if ap.boolValue == true { out["additionalProperties"] = true }
        }
        for (k, v) in o where k.hasPrefix("x-kubernetes-") && k != "x-kubernetes-preserve-unknown-fields" { out[k] = v }
        return .object(out)
    }

    // MARK: - Protobuf (github.com/googleapis/gnostic OpenAPIv2/OpenAPIv2.proto)

    static func protobuf(_ doc: JSONValue) -> [UInt8] {
        var w = ProtobufWriter()
        w.string(1, doc["swagger"]?.stringValue ?? "")  // Document.swagger
        w.message(2) { info in  // Document.info
            info.string(1, doc[path: "info", "title"]?.stringValue ?? "")
            info.string(2, doc[path: "info", "version"]?.stringValue ?? "")
        }
        w.message(8) { paths in  // Document.paths: Paths.path (NamedPathItem)
            for (path, item) in doc["paths"]?.objectValue ?? JSONObject() {
                paths.message(2) { named in
                    named.string(1, path)
                    named.message(2) { pathItem(item, &$0) }
                }
            }
        }
        w.message(9) { defs in  // Document.definitions: Definitions.additional_properties (NamedSchema)
            for (name, s) in doc["definitions"]?.objectValue ?? JSONObject() {
                defs.message(1) { named in
                    named.string(1, name)
                    named.bytes(2, schema(s))
                }
            }
        }
        return w.bytes
    }

    /// A gnostic `Schema`: the fields kubectl's proto models read, and `x-` keys as vendor extensions
    /// whose values are YAML (`NamedAny{name, Any{yaml}}`), as gnostic compiles them.
    static func schema(_ s: JSONValue) -> [UInt8] {
        var w = ProtobufWriter()
        guard case .object(let o) = s else { return [] }
        if let r = o["$ref"]?.stringValue { w.string(1, r) }
        if let f = o["format"]?.stringValue { w.string(2, f) }
        if let t = o["title"]?.stringValue { w.string(3, t) }
        if let d = o["description"]?.stringValue { w.string(4, d) }
        for r in o["required"]?.arrayValue ?? [] { if let r = r.stringValue { w.bytes(19, Array(r.utf8)) } }
        if let ap = o["additionalProperties"] {
            w.message(21) { item in
                if ap.objectValue != nil { item.bytes(1, schema(ap)) } else if let b = ap.boolValue { item.bool(2, b) }
            }
        }
        if let t = o["type"] {
            w.message(22) { item in
                for v in t.arrayValue ?? [t] { if let v = v.stringValue { item.bytes(1, Array(v.utf8)) } }
            }
        }
        if let items = o["items"] {
            w.message(23) { item in
                for v in items.arrayValue ?? [items] { item.bytes(1, schema(v)) }
            }
        }
        for a in o["allOf"]?.arrayValue ?? [] { w.bytes(24, schema(a)) }
        if let props = o["properties"]?.objectValue {
            w.message(25) { p in
                for (name, v) in props {
                    p.message(1) { named in
                        named.string(1, name)
                        named.bytes(2, schema(v))
                    }
                }
            }
        }
        for (k, v) in o where k.hasPrefix("x-") {
            w.message(31) { named in
                named.string(1, k)
                named.message(2) { any in any.string(2, YAML.emit(v)) }
            }
        }
        return w.bytes
    }
}
