import ObjectModel

/// The constraints the v0.8.4 chart's `values.schema.json` puts on the merged values, checked the
/// way Helm checks them before rendering, with Helm's message (gojsonschema's wording).
struct ValuesSchema {
    enum Kind: String {
        case object, string, boolean, integer, array
    }

    var kind: Kind
    var required: [String] = []
    var properties: [(String, ValuesSchema)] = []
    /// Anchored alternatives, written as upstream's regular expression for the message.
    var pattern: (text: String, allowed: Set<String>)? = nil
    var items: Kind? = nil

    static func object(_ required: [String], _ properties: [(String, ValuesSchema)]) -> ValuesSchema {
        ValuesSchema(kind: .object, required: required, properties: properties)
    }
    static let string = ValuesSchema(kind: .string)
    static let boolean = ValuesSchema(kind: .boolean)
    static let integer = ValuesSchema(kind: .integer)
    static func oneOf(_ text: String, _ allowed: Set<String>) -> ValuesSchema {
        ValuesSchema(kind: .string, pattern: (text, allowed))
    }

    /// The chart's schema: only what it constrains (it allows any additional property).
    static let chart: ValuesSchema = .object(
        ["OpenServiceMesh"],
        [
            (
                "OpenServiceMesh",
                .object(
                    [
                        "replicaCount", "image", "sidecarImage", "certificateManager", "serviceCertValidityDuration",
                        "caBundleSecretName", "enableDebugServer", "enablePermissiveTrafficPolicy", "enableEgress",
                        "deployPrometheus", "enablePrometheusScraping", "deployGrafana", "enableFluentbit", "fluentBit",
                        "meshName", "useHTTPSIngress", "envoyLogLevel", "enforceSingleMesh", "deployJaeger", "tracing",
                        "webhookConfigNamePrefix", "osmcontroller", "enablePrivilegedInitContainer",
                    ],
                    [
                        ("replicaCount", .integer),
                        (
                            "osmcontroller",
                            .object(
                                ["resource"],
                                [
                                    (
                                        "resource",
                                        .object(
                                            ["limits", "requests"],
                                            [
                                                ("limits", .object(["cpu", "memory"], [("cpu", .string), ("memory", .string)])),
                                                ("requests", .object(["cpu", "memory"], [("cpu", .string), ("memory", .string)])),
                                                ("podLabels", ValuesSchema(kind: .array, items: .string)),
                                            ])
                                    )
                                ])
                        ),
                        (
                            "image",
                            .object(
                                ["registry", "pullPolicy", "tag"],
                                [
                                    ("registry", .string),
                                    ("pullPolicy", .oneOf("^(Always|Never|IfNotPresent)?$", ["Always", "Never", "IfNotPresent", ""])),
                                    ("tag", .string),
                                ])
                        ),
                        ("sidecarImage", .string),
                        ("certificateManager", .oneOf("^(tresor|vault|cert-manager)$", ["tresor", "vault", "cert-manager"])),
                        ("serviceCertValidityDuration", .string),
                        ("caBundleSecretName", .string),
                        ("enableDebugServer", .boolean),
                        ("enablePermissiveTrafficPolicy", .boolean),
                        ("enableEgress", .boolean),
                        ("deployPrometheus", .boolean),
                        ("enablePrometheusScraping", .boolean),
                        ("deployGrafana", .boolean),
                        ("enableFluentbit", .boolean),
                        (
                            "fluentBit",
                            .object(
                                ["name", "registry", "tag", "pullPolicy", "outputPlugin", "enableProxySupport", "httpProxy", "httpsProxy"],
                                [
                                    ("name", .string),
                                    ("registry", .string),
                                    ("tag", .string),
                                    ("pullPolicy", .oneOf("^(Always|Never|IfNotPresent)$", ["Always", "Never", "IfNotPresent"])),
                                    ("outputPlugin", .string),
                                    ("enableProxySupport", .boolean),
                                    ("httpProxy", .string),
                                    ("httpsProxy", .string),
                                ])
                        ),
                        ("meshName", .string),
                        ("useHTTPSIngress", .boolean),
                        (
                            "envoyLogLevel",
                            .oneOf(
                                "^(trace|debug|info|warning|warn|error|critical|off)$",
                                ["trace", "debug", "info", "warning", "warn", "error", "critical", "off"])
                        ),
                        ("enforceSingleMesh", .boolean),
                        ("deployJaeger", .boolean),
                        ("tracing", .object(["enable"], [("enable", .boolean)])),
                        ("webhookConfigNamePrefix", .string),
                        ("enableWASMStatsExperimental", .boolean),
                        ("osmNamespace", .string),
                        ("enablePrivilegedInitContainer", .boolean),
                    ])
            )
        ])

    /// Every violation, as gojsonschema words them (`<field>: <description>`).
    func violations(of value: JSONValue, at field: String = "(root)") -> [String] {
        guard Self.matches(kind, value) else {
            return ["\(field): Invalid type. Expected: \(kind.rawValue), given: \(Self.typeName(value))"]
        }
        var out: [String] = []
        if let pattern, case .string(let s) = value, !pattern.allowed.contains(s) {
            out.append("\(field): Does not match pattern '\(pattern.text)'")
        }
        if case .object(let o) = value {
            for name in required where o[name] == nil {
                out.append("\(field): \(name) is required")
            }
            for (name, schema) in properties {
                guard let child = o[name] else { continue }
                out += schema.violations(of: child, at: field == "(root)" ? name : "\(field).\(name)")
            }
        }
        if let items, case .array(let a) = value {
            for (i, element) in a.enumerated() where !Self.matches(items, element) {
                out.append("\(field).\(i): Invalid type. Expected: \(items.rawValue), given: \(Self.typeName(element))")
            }
        }
        return out
    }

    private static func matches(_ kind: Kind, _ v: JSONValue) -> Bool {
        switch (kind, v) {
        case (.object, .object), (.string, .string), (.boolean, .bool), (.array, .array), (.integer, .int): return true
        case (.integer, .double(let d)): return d.rounded() == d
        default: return false
        }
    }

    private static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double(let d): return d.rounded() == d ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
