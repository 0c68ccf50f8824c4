import ObjectModel

/// Decodes the `k8s\0` protobuf envelope (a `runtime.Unknown` around the object) that kubectl sends
/// for `create namespace|configmap|secret|serviceaccount`, into the JSON form of the object.
/// Field numbers follow k8s.io/api's and apimachinery's generated.proto.
enum ProtobufDecoder {
    static func decode(_ body: [UInt8], kind: String) throws(StatusError) -> JSONValue {
        guard body.count >= 4, body[0] == 0x6B, body[1] == 0x38, body[2] == 0x73, body[3] == 0 else {
            throw StatusError.badRequest("provided protobuf data is not a Kubernetes object (missing k8s magic)")
        }
        var r = ProtobufReader(body[4...])
        var apiVersion = "", bodyKind = ""
        var raw: ArraySlice<UInt8> = []
        try r.fields { n, f throws(StatusError) in
            switch n {
            case 1:
                var tm = ProtobufReader(try f.bytes())
                try tm.fields { n, f throws(StatusError) in
                    if n == 1 { apiVersion = try f.string() } else if n == 2 { bodyKind = try f.string() }
                }
            case 2: raw = try f.bytes()
            default: break
            }
        }
        var o = JSONObject()
        o["apiVersion"] = .string(apiVersion)
        o["kind"] = .string(bodyKind.isEmpty ? kind : bodyKind)
        var m = ProtobufReader(raw)
        switch bodyKind.isEmpty ? kind : bodyKind {
        case "Namespace":
            try m.fields { n, f throws(StatusError) in
                switch n {
                case 1: o["metadata"] = try objectMeta(f.bytes())
                case 2:
                    var finalizers: [JSONValue] = []
                    var s = ProtobufReader(try f.bytes())
                    try s.fields { n, f throws(StatusError) in if n == 1 { finalizers.append(.string(try f.string())) } }
                    o["spec"] = finalizers.isEmpty ? [:] : ["finalizers": .array(finalizers)]
                default: break
                }
            }
        case "ConfigMap":
            var data = JSONObject(), binary = JSONObject()
            try m.fields { n, f throws(StatusError) in
                switch n {
                case 1: o["metadata"] = try objectMeta(f.bytes())
                case 2: let (k, v) = try entry(f.bytes()); data[k] = .string(String(decoding: v, as: UTF8.self))
                case 3: let (k, v) = try entry(f.bytes()); binary[k] = .string(Base64.encode(Array(v)))
                case 4: o["immutable"] = .bool(try f.varint() != 0)
                default: break
                }
            }
            if !data.isEmpty { o["data"] = .object(data) }
            if !binary.isEmpty { o["binaryData"] = .object(binary) }
        case "Secret":
            var data = JSONObject(), stringData = JSONObject()
            try m.fields { n, f throws(StatusError) in
                switch n {
                case 1: o["metadata"] = try objectMeta(f.bytes())
                case 2: let (k, v) = try entry(f.bytes()); data[k] = .string(Base64.encode(Array(v)))
                case 3: o["type"] = .string(try f.string())
                case 4: let (k, v) = try entry(f.bytes()); stringData[k] = .string(String(decoding: v, as: UTF8.self))
                case 5: o["immutable"] = .bool(try f.varint() != 0)
                default: break
                }
            }
            if !data.isEmpty { o["data"] = .object(data) }
            if !stringData.isEmpty { o["stringData"] = .object(stringData) }
        case "ServiceAccount":
            var secrets: [JSONValue] = [], pullSecrets: [JSONValue] = []
            try m.fields { n, f throws(StatusError) in
                switch n {
                case 1: o["metadata"] = try objectMeta(f.bytes())
                case 2: secrets.append(try stringFields(f.bytes(), [1: "kind", 2: "namespace", 3: "name", 4: "uid", 5: "apiVersion", 6: "resourceVersion", 7: "fieldPath"]))
                case 3: pullSecrets.append(try stringFields(f.bytes(), [1: "name"]))
                case 4: o["automountServiceAccountToken"] = .bool(try f.varint() != 0)
                default: break
                }
            }
            if !secrets.isEmpty { o["secrets"] = .array(secrets) }
            if !pullSecrets.isEmpty { o["imagePullSecrets"] = .array(pullSecrets) }
        case "Deployment", "Service", "Pod", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding",
             "SelfSubjectAccessReview", "SelfSubjectRulesReview", "TokenRequest", "Event":
            let decoded = try ProtobufSchema.decode(raw, message: bodyKind.isEmpty ? kind : bodyKind)
            for (k, v) in decoded.objectValue ?? JSONObject() { o[k] = v }
        default:
            throw StatusError(code: 415, reason: "UnsupportedMediaType",
                              message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
        }
        if o["metadata"] == nil { o["metadata"] = [:] }
        return .object(o)
    }

    private static func entry(_ b: ArraySlice<UInt8>) throws(StatusError) -> (String, ArraySlice<UInt8>) {
        var k = "", v: ArraySlice<UInt8> = []
        var r = ProtobufReader(b)
        try r.fields { n, f throws(StatusError) in
            if n == 1 { k = try f.string() } else if n == 2 { v = try f.bytes() }
        }
        return (k, v)
    }

    private static func stringFields(_ b: ArraySlice<UInt8>, _ names: [Int: String]) throws(StatusError) -> JSONValue {
        var o = JSONObject()
        var r = ProtobufReader(b)
        try r.fields { n, f throws(StatusError) in if let k = names[n] { o[k] = .string(try f.string()) } }
        return .object(o)
    }

    private static func objectMeta(_ b: ArraySlice<UInt8>) throws(StatusError) -> JSONValue {
        var o = JSONObject()
        var labels = JSONObject(), annotations = JSONObject()
        var finalizers: [JSONValue] = []
        var r = ProtobufReader(b)
        try r.fields { n, f throws(StatusError) in
            switch n {
            case 1: o["name"] = .string(try f.string())
            case 2: o["generateName"] = .string(try f.string())
            case 3: o["namespace"] = .string(try f.string())
            case 5: o["uid"] = .string(try f.string())
            case 6: o["resourceVersion"] = .string(try f.string())
            case 11: let (k, v) = try entry(f.bytes()); labels[k] = .string(String(decoding: v, as: UTF8.self))
            case 12: let (k, v) = try entry(f.bytes()); annotations[k] = .string(String(decoding: v, as: UTF8.self))
            case 14: finalizers.append(.string(try f.string()))
            default: break
            }
        }
        for k in ["name", "generateName", "namespace", "uid", "resourceVersion"] where o[k]?.stringValue == "" { o[k] = nil }
        if !labels.isEmpty { o["labels"] = .object(labels) }
        if !annotations.isEmpty { o["annotations"] = .object(annotations) }
        if !finalizers.isEmpty { o["finalizers"] = .array(finalizers) }
        return .object(o)
    }
}
