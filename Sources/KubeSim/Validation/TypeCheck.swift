import ObjectModel

/// The Go types behind each kind's JSON, enough to refuse what the server's decoder refuses: a
/// value of the wrong JSON type is a 400, worded as Go's encoding/json (`json: cannot unmarshal
/// number into Go struct field ConfigMap.data of type string`). Fields not listed are not checked.
indirect enum GoType: Sendable {
    case string, int32, int64, bool, bytes, intOrString, any
    case map(GoType)
    case array(GoType)
    case object(String, [String: GoType])

    func name(_ pkg: String) -> String {
        switch self {
        case .string: return "string"
        case .int32: return "int32"
        case .int64: return "int64"
        case .bool: return "bool"
        case .bytes: return "[]uint8"
        case .intOrString: return "intstr.IntOrString"
        case .any: return "interface {}"
        case .map(let t): return "map[string]" + t.name(pkg)
        case .array(let t): return "[]" + t.name(pkg)
        case .object(let n, _): return n == "ObjectMeta" || n == "LabelSelector" ? "v1.\(n)" : "\(pkg).\(n)"
        }
    }
}

enum TypeCheck {
    /// The first type error in `object`, as the server's message (without the `Kind in version` prefix).
    static func firstError(_ object: JSONValue, kind: String, version: String) -> String? {
        guard let schema = schemas[kind] else { return nil }
        return check(object, schema, pkg: version, owner: kind, path: [])
    }

    private static func jsonKind(_ v: JSONValue) -> String {
        switch v {
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .array: return "array"
        case .object: return "object"
        case .null: return "null"
        }
    }

    private static func check(_ v: JSONValue, _ t: GoType, pkg: String, owner: String, path: [String]) -> String? {
        if case .null = v { return nil }
        func fail(_ what: String) -> String {
            if path.isEmpty { return "json: cannot unmarshal \(what) into Go value of type \(t.name(pkg))" }
            return "json: cannot unmarshal \(what) into Go struct field \(owner).\(path.joined(separator: ".")) of type \(t.name(pkg))"
        }
        switch t {
        case .any: return nil
        case .string:
            if case .string = v { return nil }
            return fail(jsonKind(v))
        case .bytes:
            guard case .string(let s) = v else { return fail(jsonKind(v)) }
            if Base64.decode(s) == nil && !s.isEmpty { return "illegal base64 data at input byte \(badBase64Offset(s))" }
            return nil
        case .bool:
            if case .bool = v { return nil }
            return fail(jsonKind(v))
        case .int32, .int64:
            switch v {
            case .int(let i):
                if case .int32 = t, i < Int(Int32.min) || i > Int(Int32.max) { return fail("number \(i)") }
                return nil
            case .double(let d): return fail("number \(d)")
            default: return fail(jsonKind(v))
            }
        case .intOrString:
            switch v {
            case .int, .string: return nil
            case .double(let d): return "json: cannot unmarshal number \(d) into Go value of type int32"
            default: return "json: cannot unmarshal \(jsonKind(v)) into Go value of type int32"
            }
        case .map(let inner):
            guard case .object(let o) = v else { return fail(jsonKind(v)) }
            for (_, x) in o { if let e = check(x, inner, pkg: pkg, owner: owner, path: path) { return e } }
            return nil
        case .array(let inner):
            guard case .array(let a) = v else { return fail(jsonKind(v)) }
            for x in a { if let e = check(x, inner, pkg: pkg, owner: owner, path: path) { return e } }
            return nil
        case .object(let name, let fields):
            guard case .object(let o) = v else { return fail(jsonKind(v)) }
            for (k, x) in o {
                guard let ft = fields[k] else { continue }
                if let e = check(x, ft, pkg: pkg, owner: name, path: path + [k]) { return e }
            }
            return nil
        }
    }

    private static func badBase64Offset(_ s: String) -> Int {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        for (i, c) in s.enumerated() where !alphabet.contains(c) { return i }
        return s.count - s.count % 4
    }

    // MARK: - Schemas

    private static let strings = GoType.array(.string)
    private static let stringMap = GoType.map(.string)

    static let objectMeta = GoType.object("ObjectMeta", [
        "name": .string, "generateName": .string, "namespace": .string, "uid": .string, "resourceVersion": .string,
        "generation": .int64, "labels": stringMap, "annotations": stringMap, "finalizers": strings,
        "deletionGracePeriodSeconds": .int64,
        "ownerReferences": .array(.object("OwnerReference", [
            "apiVersion": .string, "kind": .string, "name": .string, "uid": .string, "controller": .bool,
            "blockOwnerDeletion": .bool,
        ])),
    ])

    static let labelSelector = GoType.object("LabelSelector", [
        "matchLabels": stringMap,
        "matchExpressions": .array(.object("LabelSelectorRequirement", ["key": .string, "operator": .string, "values": strings])),
    ])

    static let container = GoType.object("Container", [
        "name": .string, "image": .string, "command": strings, "args": strings, "workingDir": .string,
        "imagePullPolicy": .string,
        "ports": .array(.object("ContainerPort", [
            "name": .string, "hostPort": .int32, "containerPort": .int32, "protocol": .string, "hostIP": .string,
        ])),
        "env": .array(.object("EnvVar", ["name": .string, "value": .string, "valueFrom": .any])),
        "resources": .object("ResourceRequirements", ["limits": .map(.any), "requests": .map(.any)]),
        "volumeMounts": .array(.object("VolumeMount", ["name": .string, "mountPath": .string, "readOnly": .bool, "subPath": .string])),
    ])

    static let podSpec = GoType.object("PodSpec", [
        "containers": .array(container), "initContainers": .array(container), "restartPolicy": .string,
        "terminationGracePeriodSeconds": .int64, "dnsPolicy": .string, "nodeSelector": stringMap,
        "serviceAccountName": .string, "serviceAccount": .string, "nodeName": .string, "hostNetwork": .bool,
        "priorityClassName": .string, "schedulerName": .string,
    ])

    private static let webhookClientConfig = GoType.object("WebhookClientConfig", [
        "url": .string, "caBundle": .bytes,
        "service": .object("ServiceReference", ["namespace": .string, "name": .string, "path": .string, "port": .int32]),
    ])

    private static func webhooks(_ name: String) -> GoType {
        .array(.object(name, [
            "name": .string, "clientConfig": webhookClientConfig,
            "rules": .array(.object("RuleWithOperations", [
                "operations": strings, "apiGroups": strings, "apiVersions": strings, "resources": strings, "scope": .string,
            ])),
            "failurePolicy": .string, "matchPolicy": .string, "namespaceSelector": labelSelector,
            "objectSelector": labelSelector, "sideEffects": .string, "timeoutSeconds": .int32,
            "admissionReviewVersions": strings, "reinvocationPolicy": .string,
        ]))
    }

    private static let policyRules = GoType.array(.object("PolicyRule", [
        "verbs": strings, "apiGroups": strings, "resources": strings, "resourceNames": strings, "nonResourceURLs": strings,
    ]))
    private static let subjects = GoType.array(.object("Subject", ["kind": .string, "apiGroup": .string, "name": .string, "namespace": .string]))
    private static let roleRef = GoType.object("RoleRef", ["apiGroup": .string, "kind": .string, "name": .string])

    static let schemas: [String: GoType] = [
        "Namespace": .object("Namespace", ["metadata": objectMeta, "spec": .object("NamespaceSpec", ["finalizers": strings])]),
        "ConfigMap": .object("ConfigMap", ["metadata": objectMeta, "data": stringMap, "binaryData": .map(.bytes), "immutable": .bool]),
        "Secret": .object("Secret", ["metadata": objectMeta, "data": .map(.bytes), "stringData": stringMap, "type": .string,
                                     "immutable": .bool]),
        "ServiceAccount": .object("ServiceAccount", [
            "metadata": objectMeta, "automountServiceAccountToken": .bool,
            "secrets": .array(.object("ObjectReference", ["name": .string, "namespace": .string, "kind": .string])),
            "imagePullSecrets": .array(.object("LocalObjectReference", ["name": .string])),
        ]),
        "Service": .object("Service", ["metadata": objectMeta, "spec": .object("ServiceSpec", [
            "ports": .array(.object("ServicePort", [
                "name": .string, "protocol": .string, "port": .int32, "targetPort": .intOrString, "nodePort": .int32,
                "appProtocol": .string,
            ])),
            "selector": stringMap, "clusterIP": .string, "clusterIPs": strings, "type": .string, "externalIPs": strings,
            "sessionAffinity": .string, "externalName": .string, "publishNotReadyAddresses": .bool,
        ])]),
        "Pod": .object("Pod", ["metadata": objectMeta, "spec": podSpec]),
        "Deployment": .object("Deployment", ["metadata": objectMeta, "spec": .object("DeploymentSpec", [
            "replicas": .int32, "selector": labelSelector,
            "template": .object("PodTemplateSpec", ["metadata": objectMeta, "spec": podSpec]),
            "strategy": .object("DeploymentStrategy", [
                "type": .string,
                "rollingUpdate": .object("RollingUpdateDeployment", ["maxUnavailable": .intOrString, "maxSurge": .intOrString]),
            ]),
            "minReadySeconds": .int32, "revisionHistoryLimit": .int32, "paused": .bool, "progressDeadlineSeconds": .int32,
        ])]),
        "ClusterRole": .object("ClusterRole", [
            "metadata": objectMeta, "rules": policyRules,
            "aggregationRule": .object("AggregationRule", ["clusterRoleSelectors": .array(labelSelector)]),
        ]),
        "Role": .object("Role", ["metadata": objectMeta, "rules": policyRules]),
        "ClusterRoleBinding": .object("ClusterRoleBinding", ["metadata": objectMeta, "subjects": subjects, "roleRef": roleRef]),
        "RoleBinding": .object("RoleBinding", ["metadata": objectMeta, "subjects": subjects, "roleRef": roleRef]),
        "MutatingWebhookConfiguration": .object("MutatingWebhookConfiguration", [
            "metadata": objectMeta, "webhooks": webhooks("MutatingWebhook"),
        ]),
        "ValidatingWebhookConfiguration": .object("ValidatingWebhookConfiguration", [
            "metadata": objectMeta, "webhooks": webhooks("ValidatingWebhook"),
        ]),
        "CustomResourceDefinition": .object("CustomResourceDefinition", ["metadata": objectMeta, "spec": .object("CustomResourceDefinitionSpec", [
            "group": .string, "version": .string, "scope": .string, "preserveUnknownFields": .bool,
            "names": .object("CustomResourceDefinitionNames", [
                "plural": .string, "singular": .string, "kind": .string, "listKind": .string, "shortNames": strings,
                "categories": strings,
            ]),
            "versions": .array(.object("CustomResourceDefinitionVersion", [
                "name": .string, "served": .bool, "storage": .bool, "schema": .any, "subresources": .any,
                "additionalPrinterColumns": .any, "deprecated": .bool,
            ])),
        ])]),
    ]
}
