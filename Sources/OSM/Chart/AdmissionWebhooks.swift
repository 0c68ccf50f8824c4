import YAML

/// `mutatingwebhook.yaml` and `validatingwebhook.yaml` (admissionregistration.k8s.io/v1beta1),
/// both named `<webhookConfigNamePrefix>-<mesh>`. The chart leaves `caBundle` out: the injector
/// and the controller patch their own CA into these objects when they start.
enum AdmissionWebhooks {
    static func mutating(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "admissionregistration.k8s.io/v1beta1",
            "kind": "MutatingWebhookConfiguration",
            "metadata": [
                "labels": c.labels(("app", "osm-injector")),
                "name": .string(c.webhookConfigName),
            ],
            "webhooks": [
                [
                    "name": "osm-inject.k8s.io",
                    "clientConfig": [
                        "service": [
                            "name": "osm-injector",
                            "namespace": .string(c.namespace),
                            "path": "/mutate-pod-creation",
                            "port": 9090,
                        ]
                    ],
                    // Fail closed: no pod may start without its sidecar while the injector is down.
                    "failurePolicy": "Fail",
                    "matchPolicy": "Exact",
                    "namespaceSelector": [
                        "matchLabels": ["openservicemesh.io/monitored-by": .string(c.meshName)],
                        "matchExpressions": [
                            ["key": "openservicemesh.io/ignore", "operator": "DoesNotExist"],
                            // The control-plane namespace carries `name: <ns>`; its pods are never injected.
                            ["key": "name", "operator": "NotIn", "values": [.string(c.namespace)]],
                        ],
                    ],
                    "rules": [
                        ["apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]]
                    ],
                ]
            ],
        ]
    }

    static func validating(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "admissionregistration.k8s.io/v1beta1",
            "kind": "ValidatingWebhookConfiguration",
            "metadata": [
                "labels": c.labels(("app", "osm-controller")),
                "name": .string(c.webhookConfigName),
            ],
            "webhooks": [
                [
                    "name": "osm-config-webhook.k8s.io",
                    "clientConfig": [
                        "service": [
                            "name": "osm-config-validator",
                            "namespace": .string(c.namespace),
                            "path": "/validate-webhook",
                            "port": 9093,
                        ]
                    ],
                    "failurePolicy": "Fail",
                    "matchPolicy": "Exact",
                    "namespaceSelector": ["matchLabels": ["name": .string(c.namespace)]],
                    "rules": [
                        ["apiGroups": [""], "apiVersions": ["v1"], "operations": ["UPDATE"], "resources": ["configmaps"]]
                    ],
                ]
            ],
        ]
    }
}
