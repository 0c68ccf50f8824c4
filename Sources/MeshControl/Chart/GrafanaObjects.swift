import ObjectModel
import YAMLCodec

/// The optional Grafana of `--deploy-grafana` (`grafana-*.yaml`), provisioned with the five
/// dashboards of `GrafanaDashboards` under upstream's ConfigMaps, keys, folders and mounts.
enum GrafanaObjects {
    static let name = "osm-grafana"

    static func serviceAccount(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": ["labels": c.labels(("app", "osm-grafana")), "name": .string(name), "namespace": .string(c.namespace)],
        ]
    }

    static func clusterRole(_ c: ChartContext) -> JSONValue {
        [
            "kind": "ClusterRole",
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "metadata": ["labels": c.labels(("app", "osm-grafana")), "name": .string("\(c.releaseName)-grafana")],
            "rules": [],
        ]
    }

    /// Written kind first, as the chart writes it.
    static func clusterRoleBinding(_ c: ChartContext) -> JSONValue {
        let roleName = "\(c.releaseName)-grafana"
        return [
            "kind": "ClusterRoleBinding",
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "metadata": c.clusterScoped(roleName, labels: c.labels(("app", "osm-grafana"))),
            "subjects": [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(c.namespace)]],
            "roleRef": ["kind": "ClusterRole", "name": .string(roleName), "apiGroup": "rbac.authorization.k8s.io"],
        ]
    }

    static func configMaps(_ c: ChartContext) -> [JSONValue] {
        let labels = c.labels(("app", "osm-grafana"))
        func configMap(_ name: String, _ data: JSONValue) -> JSONValue {
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": c.namespaced(name, labels: labels), "data": data]
        }
        let ini = """
            [analytics]
            check_for_updates = true
            [grafana_net]
            url = https://grafana.net
            [log]
            mode = console
            [paths]
            data = /var/lib/grafana/data
            logs = /var/log/grafana
            plugins = /var/lib/grafana/plugins
            provisioning = /etc/grafana/provisioning

            """
        let datasources: JSONValue = [
            "apiVersion": 1,
            "deleteDatasources": [["name": "Prometheus", "orgId": 1]],
            "datasources": [
                [
                    "name": "Prometheus",
                    "type": "prometheus",
                    "access": "proxy",
                    "orgId": 1,
                    "url": .string("http://osm-prometheus.\(c.namespace).svc:\(c.text("prometheus", "port"))"),
                    "version": 1,
                    "editable": true,
                ]
            ],
        ]
        let providers: JSONValue = [
            "apiVersion": 1,
            "providers": [
                provider("OSM Data Plane", path: "/etc/grafana/provisioning/dashboards/dataplane"),
                provider("OSM Control Plane", path: "/etc/grafana/provisioning/dashboards/controlplane"),
            ],
        ]
        return [
            configMap("osm-grafana-config", ["grafana.ini": .string(ini)]),
            configMap("osm-grafana-datasources", ["prometheus.yaml": .string(YAML.emit(datasources))]),
            configMap(
                "osm-grafana-dashboard-definition-dataplane",
                [
                    "osm-pod.json": .string(GrafanaDashboards.pod()),
                    "osm-workload.json": .string(GrafanaDashboards.workload()),
                    "osm-service-to-service.json": .string(GrafanaDashboards.serviceToService()),
                ]),
            configMap(
                "osm-grafana-dashboard-definition-controlplane",
                [
                    "osm-control-plane.json": .string(GrafanaDashboards.controlPlane()),
                    "osm-mesh-envoy-details.json": .string(GrafanaDashboards.meshDetails(namespace: c.namespace)),
                ]),
            configMap("osm-grafana-dashboards", ["dashboards.yaml": .string(YAML.emit(providers))]),
        ]
    }

    private static func provider(_ folder: String, path: String) -> JSONValue {
        [
            "name": .string(folder), "orgId": 1, "folder": .string(folder), "type": "file", "disableDeletion": false,
            "editable": true, "updateIntervalSeconds": 10, "options": ["path": .string(path)],
        ]
    }

    static func service(_ c: ChartContext) -> JSONValue {
        var ports: [JSONValue] = [["port": c.scalar("grafana", "port"), "name": "grafana-dashboard"]]
        if c.isOn("grafana", "enableRemoteRendering") { ports.append(["port": 8081, "name": "grafana-renderer"]) }
        return [
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": c.namespaced(name, labels: c.labels(("app", "osm-grafana"))),
            "spec": ["ports": .array(ports), "selector": ["app": "osm-grafana"]],
        ]
    }

    static func deployment(_ c: ChartContext) -> JSONValue {
        func env(_ pairs: [(String, String)]) -> JSONValue {
            .array(pairs.map { ["name": .string($0.0), "value": .string($0.1)] })
        }
        let mounts: JSONValue = [
            ["name": "osm-grafana-config", "mountPath": "/etc/grafana/grafana.ini", "subPath": "grafana.ini"],
            ["name": "osm-grafana-storage", "mountPath": "/var/lib/grafana"],
            ["name": "osm-grafana-datasources", "mountPath": "/etc/grafana/provisioning/datasources", "readOnly": true],
            ["name": "osm-grafana-dashboards", "mountPath": "/etc/grafana/provisioning/dashboards", "readOnly": true],
            [
                "name": "osm-grafana-dashboard-definition-controlplane",
                "mountPath": "/etc/grafana/provisioning/dashboards/controlplane", "readOnly": true,
            ],
            [
                "name": "osm-grafana-dashboard-definition-dataplane",
                "mountPath": "/etc/grafana/provisioning/dashboards/dataplane", "readOnly": true,
            ],
        ]
        var grafana: JSONValue = [
            "name": "grafana",
            "image": "grafana/grafana:7.0.1",
            "imagePullPolicy": "IfNotPresent",
            "resources": ["limits": ["cpu": "500m", "memory": "128M"], "requests": ["cpu": "100m", "memory": "64M"]],
            "volumeMounts": mounts,
            "ports": [["containerPort": c.scalar("grafana", "port")]],
        ]
        var containers: [JSONValue] = []
        if c.isOn("grafana", "enableRemoteRendering") {
            grafana["env"] = env([
                ("GF_RENDERING_SERVER_URL", "http://osm-grafana:8081/render"),
                ("GF_RENDERING_CALLBACK_URL", "http://osm-grafana:3000/"),
                ("GF_LOG_FILTERS", "rendering:debug"),
            ])
            containers = [
                grafana,
                [
                    "name": "renderer",
                    "image": "grafana/grafana-image-renderer:2.0.0-beta1",
                    "imagePullPolicy": "IfNotPresent",
                    "resources": ["limits": ["cpu": 1, "memory": "256M"], "requests": ["cpu": "100m", "memory": "64M"]],
                    "ports": [["containerPort": 8081]],
                    "env": env([
                        ("ENABLE_METRICS", "true"), ("RENDERING_MODE", "clustered"),
                        ("RENDERING_CLUSTERING_MODE", "context"), ("RENDERING_CLUSTERING_MAX_CONCURRENCY", "5"),
                    ]),
                ],
            ]
        } else {
            containers = [grafana]
        }
        let volumes: [JSONValue] =
            [
                "osm-grafana-config", "osm-grafana-datasources", "osm-grafana-dashboards",
                "osm-grafana-dashboard-definition-controlplane", "osm-grafana-dashboard-definition-dataplane",
            ].map { ["name": .string($0), "configMap": ["name": .string($0)]] }
            + [["name": "osm-grafana-storage", "emptyDir": [:]]]
        return [
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": c.namespaced(name, labels: c.labels(("app", "osm-grafana"))),
            "spec": [
                "replicas": 1,
                "selector": ["matchLabels": ["app": "osm-grafana"]],
                "strategy": ["type": "RollingUpdate"],
                "template": [
                    "metadata": ["labels": c.labels(("app", "osm-grafana"))],
                    "spec": [
                        "serviceAccountName": .string(name),
                        "containers": .array(containers),
                        "volumes": .array(volumes),
                    ],
                ],
            ],
        ]
    }
}
