import ObjectModel

/// Field tables for decoding a few more protobuf kinds (Deployment, Service) generically:
/// message name -> field number -> (JSON name, how to decode). Zero values of non-pointer Go
/// fields are dropped, as JSON `omitempty` would.
enum ProtobufSchema {
    indirect enum Kind {
        case string, int, intKeepZero, bool, stringMap, intOrString
        /// A string Go marshals without omitempty (`"reportingComponent": ""`).
        case stringKeepEmpty
        /// metav1.Time / MicroTime: `{seconds, nanos}` as RFC 3339 (whole seconds; microseconds).
        case time, microTime
        case message(String)
        /// map<string, Quantity>
        case quantityMap
    }
    struct Field {
        let name: String
        let kind: Kind
        let repeated: Bool
        init(_ name: String, _ kind: Kind, repeated: Bool = false) {
            self.name = name
            self.kind = kind
            self.repeated = repeated
        }
    }

    static let messages: [String: [Int: Field]] = [
        "ObjectMeta": [
            1: Field("name", .string), 2: Field("generateName", .string), 3: Field("namespace", .string),
            5: Field("uid", .string), 6: Field("resourceVersion", .string), 11: Field("labels", .stringMap),
            12: Field("annotations", .stringMap), 14: Field("finalizers", .string, repeated: true),
        ],
        "Deployment": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("DeploymentSpec"))],
        "Pod": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("PodSpec"))],
        "DeploymentSpec": [
            1: Field("replicas", .intKeepZero), 2: Field("selector", .message("LabelSelector")),
            3: Field("template", .message("PodTemplateSpec")), 4: Field("strategy", .message("DeploymentStrategy")),
            5: Field("minReadySeconds", .int), 6: Field("revisionHistoryLimit", .intKeepZero), 7: Field("paused", .bool),
            9: Field("progressDeadlineSeconds", .intKeepZero),
        ],
        "LabelSelector": [
            1: Field("matchLabels", .stringMap),
            2: Field("matchExpressions", .message("LabelSelectorRequirement"), repeated: true),
        ],
        "LabelSelectorRequirement": [
            1: Field("key", .string), 2: Field("operator", .string), 3: Field("values", .string, repeated: true),
        ],
        "DeploymentStrategy": [1: Field("type", .string), 2: Field("rollingUpdate", .message("RollingUpdateDeployment"))],
        "RollingUpdateDeployment": [1: Field("maxUnavailable", .intOrString), 2: Field("maxSurge", .intOrString)],
        "PodTemplateSpec": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("PodSpec"))],
        "PodSpec": [
            2: Field("containers", .message("Container"), repeated: true), 3: Field("restartPolicy", .string),
            4: Field("terminationGracePeriodSeconds", .intKeepZero), 6: Field("dnsPolicy", .string),
            7: Field("nodeSelector", .stringMap), 8: Field("serviceAccountName", .string),
            20: Field("initContainers", .message("Container"), repeated: true),
        ],
        "Container": [
            1: Field("name", .string), 2: Field("image", .string), 3: Field("command", .string, repeated: true),
            4: Field("args", .string, repeated: true), 5: Field("workingDir", .string),
            6: Field("ports", .message("ContainerPort"), repeated: true),
            7: Field("env", .message("EnvVar"), repeated: true), 8: Field("resources", .message("ResourceRequirements")),
            14: Field("imagePullPolicy", .string),
        ],
        "ContainerPort": [
            1: Field("name", .string), 2: Field("hostPort", .int), 3: Field("containerPort", .int),
            4: Field("protocol", .string), 5: Field("hostIP", .string),
        ],
        "EnvVar": [1: Field("name", .string), 2: Field("value", .string)],
        "ResourceRequirements": [1: Field("limits", .quantityMap), 2: Field("requests", .quantityMap)],
        "Service": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("ServiceSpec"))],
        "ServiceSpec": [
            1: Field("ports", .message("ServicePort"), repeated: true), 2: Field("selector", .stringMap),
            3: Field("clusterIP", .string), 4: Field("type", .string), 5: Field("externalIPs", .string, repeated: true),
            7: Field("sessionAffinity", .string), 11: Field("externalName", .string),
        ],
        // rbac.authorization.k8s.io/v1
        "ClusterRole": [
            1: Field("metadata", .message("ObjectMeta")), 2: Field("rules", .message("PolicyRule"), repeated: true),
            3: Field("aggregationRule", .message("AggregationRule")),
        ],
        "Role": [1: Field("metadata", .message("ObjectMeta")), 2: Field("rules", .message("PolicyRule"), repeated: true)],
        "PolicyRule": [
            1: Field("verbs", .string, repeated: true), 2: Field("apiGroups", .string, repeated: true),
            3: Field("resources", .string, repeated: true), 4: Field("resourceNames", .string, repeated: true),
            5: Field("nonResourceURLs", .string, repeated: true),
        ],
        "AggregationRule": [1: Field("clusterRoleSelectors", .message("LabelSelector"), repeated: true)],
        "ClusterRoleBinding": [
            1: Field("metadata", .message("ObjectMeta")), 2: Field("subjects", .message("Subject"), repeated: true),
            3: Field("roleRef", .message("RoleRef")),
        ],
        "RoleBinding": [
            1: Field("metadata", .message("ObjectMeta")), 2: Field("subjects", .message("Subject"), repeated: true),
            3: Field("roleRef", .message("RoleRef")),
        ],
        "Subject": [1: Field("kind", .string), 2: Field("apiGroup", .string), 3: Field("name", .string), 4: Field("namespace", .string)],
        "RoleRef": [1: Field("apiGroup", .string), 2: Field("kind", .string), 3: Field("name", .string)],
        // authorization.k8s.io/v1
        "SelfSubjectAccessReview": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("SelfSubjectAccessReviewSpec"))],
        "SelfSubjectAccessReviewSpec": [
            1: Field("resourceAttributes", .message("ResourceAttributes")),
            2: Field("nonResourceAttributes", .message("NonResourceAttributes")),
        ],
        "ResourceAttributes": [
            1: Field("namespace", .string), 2: Field("verb", .string), 3: Field("group", .string), 4: Field("version", .string),
            5: Field("resource", .string), 6: Field("subresource", .string), 7: Field("name", .string),
        ],
        "NonResourceAttributes": [1: Field("path", .string), 2: Field("verb", .string)],
        "SelfSubjectRulesReview": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("SelfSubjectRulesReviewSpec"))],
        "SelfSubjectRulesReviewSpec": [1: Field("namespace", .string)],
        // authentication.k8s.io/v1 (k8s.io/api/authentication/v1/generated.proto)
        "TokenRequest": [1: Field("metadata", .message("ObjectMeta")), 2: Field("spec", .message("TokenRequestSpec"))],
        "TokenRequestSpec": [
            1: Field("audiences", .string, repeated: true), 4: Field("expirationSeconds", .int),
            3: Field("boundObjectRef", .message("BoundObjectReference")),
        ],
        "BoundObjectReference": [1: Field("kind", .string), 2: Field("apiVersion", .string), 3: Field("name", .string), 4: Field("uid", .string)],
        // core/v1 Event (k8s.io/api/core/v1/generated.proto), as client-go's event recorders post it.
        "Event": [
            1: Field("metadata", .message("ObjectMeta")), 2: Field("involvedObject", .message("ObjectReference")),
            3: Field("reason", .string), 4: Field("message", .string), 5: Field("source", .message("EventSource")),
            6: Field("firstTimestamp", .time), 7: Field("lastTimestamp", .time), 8: Field("count", .int),
            9: Field("type", .string), 10: Field("eventTime", .microTime), 11: Field("series", .message("EventSeries")),
            12: Field("action", .string), 13: Field("related", .message("ObjectReference")),
            14: Field("reportingComponent", .stringKeepEmpty), 15: Field("reportingInstance", .stringKeepEmpty),
        ],
        "ObjectReference": [
            1: Field("kind", .string), 2: Field("namespace", .string), 3: Field("name", .string), 4: Field("uid", .string),
            5: Field("apiVersion", .string), 6: Field("resourceVersion", .string), 7: Field("fieldPath", .string),
        ],
        "EventSource": [1: Field("component", .string), 2: Field("host", .string)],
        "EventSeries": [1: Field("count", .int), 2: Field("lastObservedTime", .microTime)],
        "ServicePort": [
            1: Field("name", .string), 2: Field("protocol", .string), 3: Field("port", .int),
            4: Field("targetPort", .intOrString), 5: Field("nodePort", .int),
        ],
    ]

    static func decode(_ bytes: ArraySlice<UInt8>, message: String) throws(StatusError) -> JSONValue {
        guard let table = messages[message] else { return .object(JSONObject()) }
        var o = JSONObject()
        var r = ProtobufReader(bytes)
        try r.fields { n, f throws(StatusError) in
            guard let field = table[n] else { return }
            // An empty string in a repeated field is a value (`apiGroups: [""]`), not an omitted one.
            let decoded: JSONValue?
            if field.repeated, case .string = field.kind { decoded = .string(try f.string()) } else { decoded = try value(f, field.kind) }
            guard let v = decoded else { return }
            if field.repeated {
                var list = o[field.name]?.arrayValue ?? []
                list.append(v)
                o[field.name] = .array(list)
            } else if case .object(let add) = v, case .object(var existing)? = o[field.name] {
                for (k, x) in add { existing[k] = x }
                o[field.name] = .object(existing)
            } else {
                o[field.name] = v
            }
        }
        return .object(o)
    }

    private static func value(_ f: ProtobufReader.Field, _ kind: Kind) throws(StatusError) -> JSONValue? {
        switch kind {
        case .string:
            let s = try f.string()
            return s.isEmpty ? nil : .string(s)
        case .stringKeepEmpty:
            return .string(try f.string())
        case .time, .microTime:
            var seconds = 0, nanos = 0
            let bytes = try f.bytes()
            // A zero time is an empty message, and JSON `null` (metav1.Time is a struct: no omitempty).
            if bytes.isEmpty { return .null }
            var r = ProtobufReader(bytes)
            try r.fields { n, e throws(StatusError) in
                if n == 1 { seconds = Int(Int64(bitPattern: try e.varint())) }
                if n == 2 { nanos = Int(Int32(truncatingIfNeeded: Int64(bitPattern: try e.varint()))) }
            }
            if case .time = kind { return .string(RFC3339.format(seconds: seconds)) }
            // MicroTime: RFC3339Micro, six fractional digits always.
            let base = RFC3339.format(seconds: seconds)
            let micros = String(nanos / 1000)
            return .string(String(base.dropLast()) + "." + String(repeating: "0", count: 6 - micros.count) + micros + "Z")
        case .int:
            let v = Int(Int64(bitPattern: try f.varint()))
            return v == 0 ? nil : .int(v)
        case .intKeepZero:
            return .int(Int(Int32(truncatingIfNeeded: Int64(bitPattern: try f.varint()))))
        case .bool:
            return try f.varint() != 0 ? .bool(true) : nil
        case .message(let m):
            return try decode(f.bytes(), message: m)
        case .stringMap, .quantityMap:
            var k = "", v = ""
            var r = ProtobufReader(try f.bytes())
            try r.fields { n, e throws(StatusError) in
                if n == 1 { k = try e.string() }
                if n == 2 {
                    if case .quantityMap = kind {
                        var q = ProtobufReader(try e.bytes())
                        try q.fields { n, x throws(StatusError) in if n == 1 { v = try x.string() } }
                    } else {
                        v = try e.string()
                    }
                }
            }
            return [k: .string(v)]
        case .intOrString:
            var type = 0, i = 0, s = ""
            var r = ProtobufReader(try f.bytes())
            try r.fields { n, e throws(StatusError) in
                switch n {
                case 1: type = Int(try e.varint())
                case 2: i = Int(Int32(truncatingIfNeeded: Int64(bitPattern: try e.varint())))
                case 3: s = try e.string()
                default: break
                }
            }
            return type == 1 ? .string(s) : .int(i)
        }
    }
}
