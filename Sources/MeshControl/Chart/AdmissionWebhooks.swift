import ObjectModel

/// `mutatingwebhook.yaml` and `validatingwebhook.yaml` (admissionregistration.k8s.io/v1beta1),
/// both named `<webhookConfigNamePrefix>-<mesh>`. The chart leaves `caBundle` out: the injector
/// and the controller patch their own CA into these objects when they start.
enum AdmissionWebhooks {
    static func mutating(_ c: ChartContext) -> JSONValue {
        configuration(c, kind: "MutatingWebhookConfiguration", app: "osm-injector", webhook: "osm-inject.k8s.io",
                      service: ("osm-injector", "/mutate-pod-creation", 9090),
                      // Fail closed: no pod may start without its sidecar while the injector is down.
                      namespaceSelector: [
                          "matchLabels": ["openservicemesh.io/monitored-by": .string(c.meshName)],
                          "matchExpressions": [
                              ["key": "openservicemesh.io/ignore", "operator": "DoesNotExist"],
                              // The control-plane namespace carries `name: <ns>`; its pods are never injected.
                              ["key": "name", "operator": "NotIn", "values": [.string(c.namespace)]],
                          ],
                      ],
                      rule: (operation: "CREATE", resource: "pods"))
    }

    static func validating(_ c: ChartContext) -> JSONValue {
        configuration(c, kind: "ValidatingWebhookConfiguration", app: "osm-controller", webhook: "osm-config-webhook.k8s.io",
                      service: ("osm-config-validator", "/validate-webhook", 9093),
                      namespaceSelector: ["matchLabels": ["name": .string(c.namespace)]],
                      rule: (operation: "UPDATE", resource: "configmaps"))
    }

    /// One webhook configuration of the chart's shape: one webhook, failing closed, matching
    /// exactly one operation on one core resource, called on a Service of the control plane.
    private static func configuration(_ c: ChartContext, kind: String, app: String, webhook: String,
                                      service: (name: String, path: String, port: Int), namespaceSelector: JSONValue,
                                      rule: (operation: String, resource: String)) -> JSONValue {
        [
            "apiVersion": "admissionregistration.k8s.io/v1beta1",
            "kind": .string(kind),
            "metadata": [
                "labels": c.labels(("app", .string(app))),
                "name": .string(c.webhookConfigName),
            ],
            "webhooks": [
                [
                    "name": .string(webhook),
                    "clientConfig": [
                        "service": [
                            "name": .string(service.name),
                            "namespace": .string(c.namespace),
                            "path": .string(service.path),
                            "port": .int(service.port),
                        ]
                    ],
                    "failurePolicy": "Fail",
                    "matchPolicy": "Exact",
                    "namespaceSelector": namespaceSelector,
                    "rules": [
                        ["apiGroups": [""], "apiVersions": ["v1"], "operations": [.string(rule.operation)],
                         "resources": [.string(rule.resource)]]
                    ],
                ]
            ],
        ]
    }
}
