import ObjectModel

/// `/openapi/v3`: the index of group versions and, per group version, a document whose operations
/// carry `x-kubernetes-group-version-kind` and the `fieldValidation` parameter, with a schema per kind.
/// That is what kubectl 1.32 needs to validate on the server (`fieldValidation=Strict`).
/// PATCH operations deliberately do not list strategic merge patch as a request type, so kubectl
/// computes `apply` patches from its built-in types, which carry the real merge keys.
struct OpenAPIDocuments: Sendable {
    private let index: [UInt8]
    /// "api/v1", "apis/apps/v1" -> document
    private let documents: [String: [UInt8]]

    init(catalog: ResourceCatalog) {
        var docs: [String: [UInt8]] = [:]
        var paths = JSONObject()
        for g in catalog.groups {
            for v in g.versions {
                let gv = g.name.isEmpty ? v : "\(g.name)/\(v)"
                let key = g.name.isEmpty ? "api/\(v)" : "apis/\(gv)"
                let bytes = Self.document(gv: gv, types: catalog.resources(groupVersion: gv) ?? []).jsonBytes()
                docs[key] = bytes
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(Self.hash(bytes))")]
            }
        }
        documents = docs
        index = JSONValue.object(JSONObject([("paths", .object(paths))])).jsonBytes()
    }

    func serve(_ segs: [Substring]) throws(StatusError) -> APIReply {
        guard segs.count >= 2, segs[1] == "v3" else { throw StatusError.pathNotFound }
        if segs.count == 2 { return .json(200, index) }
        let key = segs[2...].joined(separator: "/")
        guard let doc = documents[key] else { throw StatusError.pathNotFound }
        return .json(200, doc)
    }

    /// FNV-1a of a document, in hex: its `hash=` and ETag.
    static func hash(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in bytes { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        let s = String(h, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    private static func schemaName(_ t: ResourceType) -> String {
        let pkg: String
        switch t.group {
        case "": pkg = "io.k8s.api.core"
        case "apps": pkg = "io.k8s.api.apps"
        case "rbac.authorization.k8s.io": pkg = "io.k8s.api.rbac"
        case "admissionregistration.k8s.io": pkg = "io.k8s.api.admissionregistration"
        case "apiextensions.k8s.io": pkg = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions"
        default: pkg = "io.k8s.api.\(t.group)"
        }
        return "\(pkg).\(t.version).\(t.kind)"
    }

    private static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

    private static func document(gv: String, types: [ResourceType]) -> JSONValue {
        var paths = JSONObject()
        var schemas = JSONObject()
        let query: [JSONValue] = ["dryRun", "fieldManager", "fieldValidation"].map {
            ["name": .string($0), "in": "query", "schema": ["type": "string", "uniqueItems": true]]
        }
        let prefix = gv.contains("/") ? "/apis/\(gv)" : "/api/\(gv)"
        for t in types {
            let group = t.group, version = t.version
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(t.kind)]
            let ref: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName(t))")]
            let body: JSONValue = ["content": ["*/*": ["schema": ref]], "required": true]
            let ok: JSONValue = ["200": ["description": "OK", "content": ["application/json": ["schema": ref]]]]
            func op(_ action: String, _ extra: [(String, JSONValue)] = []) -> JSONValue {
                var o = JSONObject([
                    ("operationId", .string("\(action)\(t.kind)")), ("responses", ok),
                    ("x-kubernetes-action", .string(action)), ("x-kubernetes-group-version-kind", gvk),
                ])
                for (k, v) in extra { o[k] = v }
                return .object(o)
            }
            let base = t.namespaced ? "\(prefix)/namespaces/{namespace}/\(t.name)" : "\(prefix)/\(t.name)"
            paths[base] = .object(JSONObject([
                ("get", op("list")),
                ("post", op("post", [("parameters", .array(query)), ("requestBody", body)])),
            ]))
            let patchBody: JSONValue = ["content": [
                "application/json-patch+json": ["schema": ["type": "object"]],
                "application/merge-patch+json": ["schema": ["type": "object"]],
                "application/apply-patch+yaml": ["schema": ["type": "object"]],
            ], "required": true]
            let item = JSONValue.object(JSONObject([
                ("get", op("get")),
                ("put", op("put", [("parameters", .array(query)), ("requestBody", body)])),
                ("patch", op("patch", [("parameters", .array(query + [["name": "force", "in": "query", "schema": ["type": "boolean"]]])), ("requestBody", patchBody)])),
                ("delete", op("delete")),
            ]))
            paths["\(base)/{name}"] = item
            var props = JSONObject([
                ("apiVersion", ["type": "string"]), ("kind", ["type": "string"]),
                ("metadata", ["allOf": [["$ref": .string("#/components/schemas/\(objectMeta)")]], "default": [:]]),
            ])
            for f in (KnownFields.byKind[t.kind] ?? []).sorted() {
                switch f {
                case "data", "binaryData", "stringData": props[f] = ["type": "object", "additionalProperties": ["type": "string"]]
                case "immutable", "automountServiceAccountToken": props[f] = ["type": "boolean"]
                case "count": props[f] = ["type": "integer", "format": "int32"]
                case "type", "reason", "message", "action", "reportingComponent", "reportingInstance",
                     "firstTimestamp", "lastTimestamp", "eventTime":
                    props[f] = ["type": "string"]
                case "rules", "subjects", "webhooks", "secrets", "imagePullSecrets":
                    props[f] = ["type": "array", "items": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]
                default: props[f] = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
                }
            }
            schemas[schemaName(t)] = .object(JSONObject([
                ("type", "object"), ("properties", .object(props)),
                ("x-kubernetes-group-version-kind", [gvk]),
            ]))
        }
        schemas[objectMeta] = ["type": "object", "properties": [
            "name": ["type": "string"], "generateName": ["type": "string"], "namespace": ["type": "string"],
            "labels": ["type": "object", "additionalProperties": ["type": "string", "default": ""]],
            "annotations": ["type": "object", "additionalProperties": ["type": "string", "default": ""]],
            "uid": ["type": "string"], "resourceVersion": ["type": "string"], "generation": ["type": "integer", "format": "int64"],
            "creationTimestamp": ["type": "string", "format": "date-time"],
            "deletionTimestamp": ["type": "string", "format": "date-time"],
            "finalizers": ["type": "array", "items": ["type": "string", "default": ""]],
            "ownerReferences": ["type": "array", "items": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            "managedFields": ["type": "array", "items": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
        ]]
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "unversioned"],
            "paths": .object(paths), "components": ["schemas": .object(schemas)],
        ]
    }
}
