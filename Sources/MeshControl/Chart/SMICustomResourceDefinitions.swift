import ObjectModel

/// The SMI CustomResourceDefinitions the v0.8.4 chart ships in `crds/` (apiextensions.k8s.io/v1beta1):
/// TrafficTarget (access), HTTPRouteGroup, TCPRoute and UDPRoute (specs), TrafficSplit (split),
/// in the order Helm installs them. Helm adds no labels to these.
enum SMICustomResourceDefinitions {
    static var all: [JSONValue] {
        [trafficTarget, httpRouteGroup, tcpRoute, udpRoute, trafficSplit]
    }

    // MARK: access.smi-spec.io

    static var trafficTarget: JSONValue {
        let namedRef: (String) -> JSONValue = { what in
            .object(JSONObject([
                ("kind", string("Kind of \(what).")),
                ("name", string("Name of \(what).")),
                ("namespace", string("Namespace of \(what).")),
            ]))
        }
        return definition(
            group: "access.smi-spec.io", kind: "TrafficTarget", plural: "traffictargets", shortName: "tt",
            served: "v1alpha3", retired: ["v1alpha2", "v1alpha1"],
            spec: [
                "required": ["destination", "rules", "sources"],
                "properties": [
                    "destination": [
                        "description": "The destination of this traffic target.",
                        "type": "object",
                        "required": ["name", "kind"],
                        "properties": namedRef("the destination"),
                    ],
                    "rules": list(
                        "Specifications of this traffic target.",
                        of: [
                            "type": "object",
                            "required": ["name", "kind"],
                            "properties": [
                                "kind": [
                                    "description": "Kind of this spec.",
                                    "type": "string",
                                    "enum": ["HTTPRouteGroup", "TCPRoute", "UDPRoute"],
                                ],
                                "name": string("Name of this spec."),
                                "matches": list("Match conditions of this spec.", of: ["type": "string"]),
                            ],
                        ]),
                    "sources": list(
                        "Sources of this traffic target.",
                        of: [
                            "type": "object",
                            "required": ["name", "kind"],
                            "properties": namedRef("this source"),
                        ]),
                ],
            ])
    }

    // MARK: specs.smi-spec.io

    static var httpRouteGroup: JSONValue {
        let methods: [JSONValue] = ["*", "GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]
        return definition(
            group: "specs.smi-spec.io", kind: "HTTPRouteGroup", plural: "httproutegroups", shortName: "htr",
            served: "v1alpha4", retired: ["v1alpha3", "v1alpha2", "v1alpha1"],
            spec: [
                "required": ["matches"],
                "properties": [
                    "matches": list(
                        "Match conditions of this route group.",
                        of: [
                            "type": "object",
                            "required": ["name"],
                            "properties": [
                                "name": string("Name of the HTTP route."),
                                "pathRegex": string("URI path regex of the HTTP route."),
                                "methods": list(
                                    "The HTTP methods of this HTTP route.",
                                    of: [
                                        "type": "string",
                                        "description": "The HTTP method of this HTTP route.",
                                        "enum": .array(methods),
                                    ]),
                                "headers": list(
                                    "Header match conditions of this route.",
                                    of: [
                                        "description": "Header match condition of this route.",
                                        "type": "object",
                                        "additionalProperties": ["type": "string"],
                                    ]),
                            ],
                        ])
                ],
            ])
    }

    static var tcpRoute: JSONValue { portRoute(kind: "TCPRoute", plural: "tcproutes", shortName: "tr", proto: "TCP") }
    static var udpRoute: JSONValue { portRoute(kind: "UDPRoute", plural: "udproutes", shortName: "ur", proto: "UDP") }

    private static func portRoute(kind: String, plural: String, shortName: String, proto: String) -> JSONValue {
        definition(
            group: "specs.smi-spec.io", kind: kind, plural: plural, shortName: shortName,
            served: "v1alpha4", retired: ["v1alpha3", "v1alpha2", "v1alpha1"],
            spec: [
                "required": ["matches"],
                "properties": [
                    "matches": [
                        "description": "Match conditions of this route.",
                        "type": "object",
                        "required": ["ports"],
                        "properties": [
                            "ports": list("Port numbers to match \(proto) traffic.", of: ["type": "integer"])
                        ],
                    ]
                ],
            ])
    }

    // MARK: split.smi-spec.io

    /// Written in a different key order upstream (version before scope, a listKind, printer columns).
    static var trafficSplit: JSONValue {
        [
            "apiVersion": "apiextensions.k8s.io/v1beta1",
            "kind": "CustomResourceDefinition",
            "metadata": ["name": "trafficsplits.split.smi-spec.io"],
            "spec": [
                "group": "split.smi-spec.io",
                "version": "v1alpha2",
                "scope": "Namespaced",
                "names": [
                    "kind": "TrafficSplit",
                    "listKind": "TrafficSplitList",
                    "shortNames": ["ts"],
                    "plural": "trafficsplits",
                    "singular": "trafficsplit",
                ],
                "versions": [["name": "v1alpha2", "served": true, "storage": true]],
                "additionalPrinterColumns": [
                    [
                        "name": "Service",
                        "type": "string",
                        "description": "The apex service of this split.",
                        "JSONPath": ".spec.service",
                    ]
                ],
                "validation": [
                    "openAPIV3Schema": [
                        "properties": [
                            "spec": [
                                "type": "object",
                                "required": ["service", "backends"],
                                "properties": [
                                    "service": string("The apex service of this split."),
                                    "backends": list(
                                        "The backend services of this split.",
                                        of: [
                                            "type": "object",
                                            "required": ["service", "weight"],
                                            "properties": [
                                                "service": string("Name of the Kubernetes service."),
                                                "weight": [
                                                    "description": "Traffic weight value of this backend.",
                                                    "type": "number",
                                                ],
                                            ],
                                        ]),
                                ],
                            ]
                        ]
                    ]
                ],
            ],
        ]
    }

    // MARK: builders

    /// A namespaced v1beta1 CRD serving and storing one version, listing older ones as not served.
    private static func definition(
        group: String, kind: String, plural: String, shortName: String,
        served: String, retired: [String], spec: JSONValue
    ) -> JSONValue {
        var versions: [JSONValue] = [["name": .string(served), "served": true, "storage": true]]
        versions += retired.map { ["name": .string($0), "served": false, "storage": false] }
        return [
            "apiVersion": "apiextensions.k8s.io/v1beta1",
            "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(plural).\(group)")],
            "spec": [
                "group": .string(group),
                "scope": "Namespaced",
                "names": [
                    "kind": .string(kind),
                    "shortNames": [.string(shortName)],
                    "plural": .string(plural),
                    "singular": .string(kind.lowercased()),
                ],
                "version": .string(served),
                "versions": .array(versions),
                "validation": ["openAPIV3Schema": ["properties": ["spec": spec]]],
            ],
        ]
    }

    private static func string(_ description: String) -> JSONValue {
        ["description": .string(description), "type": "string"]
    }

    private static func list(_ description: String, of items: JSONValue) -> JSONValue {
        ["description": .string(description), "type": "array", "items": items]
    }
}
