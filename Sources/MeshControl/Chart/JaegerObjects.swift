import ObjectModel

/// The optional all-in-one Jaeger of `--deploy-jaeger` (`jaeger-*.yaml`), receiving Zipkin spans
/// on the tracing port.
enum JaegerObjects {
    static func deployment(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": c.namespaced("jaeger", labels: c.labels(("app", "jaeger"))),
            "spec": [
                "replicas": 1,
                "selector": ["matchLabels": ["app": "jaeger"]],
                "template": [
                    "metadata": ["labels": c.labels(("app", "jaeger"))],
                    "spec": [
                        "containers": [
                            [
                                "name": "jaeger",
                                "image": "jaegertracing/all-in-one",
                                "args": [.string("--collector.zipkin.host-port=\(c.text("tracing", "port"))")],
                                "imagePullPolicy": "IfNotPresent",
                                "ports": [["containerPort": c.scalar("tracing", "port")]],
                                "resources": [
                                    "limits": ["cpu": "500m", "memory": "512M"],
                                    "requests": ["cpu": "100m", "memory": "256M"],
                                ],
                            ]
                        ]
                    ],
                ],
            ],
        ]
    }

    static func service(_ c: ChartContext) -> JSONValue {
        [
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": c.namespaced("jaeger", labels: c.labels(("app", "jaeger"))),
            "spec": [
                "selector": ["app": "jaeger"],
                "ports": [["protocol": "TCP", "port": c.scalar("tracing", "port")]],
                "type": "ClusterIP",
            ],
        ]
    }
}
