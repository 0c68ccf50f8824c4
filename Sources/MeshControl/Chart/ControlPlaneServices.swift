import ObjectModel

/// `osm-service.yaml` and `osm-injector-service.yaml`: the controller's xDS service, its
/// config-validator webhook service and the injector's webhook service.
enum ControlPlaneServices {
    static func controller(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": c.namespaced("osm-controller", labels: c.labels(("app", "osm-controller"))),
            "spec": [
                "ports": [
                    ["name": "osm-port", "port": 15128, "targetPort": 15128],
                    ["name": "debug-port", "port": 9092, "targetPort": 9092],
                ],
                "selector": ["app": "osm-controller"],
            ],
        ]
    }

    static func configValidator(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": c.namespaced("osm-config-validator", labels: c.labels(("app", "osm-controller"))),
            "spec": [
                "ports": [["name": "config-validator", "port": 9093, "targetPort": 9093]],
                "selector": ["app": "osm-controller"],
            ],
        ]
    }

    static func injector(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": c.namespaced("osm-injector", labels: c.labels(("app", "osm-injector"))),
            "spec": [
                "ports": [["name": "sidecar-inject", "port": 9090]],
                "selector": ["app": "osm-injector"],
            ],
        ]
    }
}
