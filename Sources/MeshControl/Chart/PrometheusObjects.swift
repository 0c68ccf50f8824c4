import ObjectModel
import YAMLCodec

/// The optional Prometheus of `--deploy-prometheus` (`prometheus-*.yaml`): ServiceAccount,
/// ClusterRole(Binding), the scrape configuration, Service and Deployment.
/// The scrape configuration is built as data and written as YAML: the same configuration as
/// upstream's `prometheus.yml`, without its comments.
enum PrometheusObjects {
    static let serviceAccountName = "osm-prometheus"
    static let configMapName = "osm-prometheus-server-conf"

    static func serviceAccount(_ c: ChartContext) -> JSONValue {
        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": c.namespaced(serviceAccountName, labels: c.labels())]
    }

    static func clusterRole(_ c: ChartContext) -> JSONValue {
        let watch = ["list", "get", "watch"]
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": c.clusterScoped("\(c.releaseName)-prometheus", labels: c.labels()),
            "rules": [
                ControlPlaneRBAC.rule(
                    [""], ["nodes", "nodes/proxy", "nodes/metrics", "services", "endpoints", "pods", "ingresses", "configmaps"],
                    watch),
                ControlPlaneRBAC.rule(["extensions"], ["ingresses", "ingresses/status"], watch),
                ["nonResourceURLs": ["/metrics"], "verbs": ["get"]],
            ],
        ]
    }

    static func clusterRoleBinding(_ c: ChartContext) -> JSONValue {
        ControlPlaneRBAC.binding(
            c, name: "\(c.releaseName)-prometheus", serviceAccount: serviceAccountName, labels: c.labels())
    }

    static func configMap(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": c.namespaced(configMapName, labels: c.labels(("name", .string(configMapName)))),
            "data": ["prometheus.yml": .string(YAML.emit(scrapeConfiguration))],
        ]
    }

    static func service(_ c: ChartContext) -> JSONValue {
        let port = c.scalar("prometheus", "port")
        return [
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": c.namespaced(
                "osm-prometheus", labels: c.labels(),
                annotations: ["prometheus.io/port": .string(c.text("prometheus", "port")), "prometheus.io/scrape": "true"]),
            "spec": [
                "ports": [["port": port, "protocol": "TCP", "targetPort": port]],
                "selector": ["app": "osm-prometheus"],
            ],
        ]
    }

    static func deployment(_ c: ChartContext) -> JSONValue {
        let port = c.text("prometheus", "port")
        return [
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": c.namespaced("osm-prometheus", labels: c.labels()),
            "spec": [
                "replicas": 1,
                "strategy": ["type": "Recreate"],
                "selector": ["matchLabels": ["app": "osm-prometheus"]],
                "template": [
                    "metadata": ["labels": c.labels(("app", "osm-prometheus"))],
                    "spec": [
                        "containers": [
                            [
                                "name": "prometheus",
                                "ports": [["containerPort": c.scalar("prometheus", "port")]],
                                "args": [
                                    "--config.file=/etc/prometheus/prometheus.yml",
                                    "--storage.tsdb.path=/prometheus/",
                                    .string("--storage.tsdb.retention.time=\(c.text("prometheus", "retention", "time"))"),
                                    .string("--web.listen-address=:\(port)"),
                                ],
                                "image": "prom/prometheus:v2.18.1",
                                "imagePullPolicy": "IfNotPresent",
                                "resources": [
                                    "limits": ["cpu": "500m", "memory": "2G"],
                                    "requests": ["cpu": "100m", "memory": "256M"],
                                ],
                                "volumeMounts": [
                                    ["mountPath": "/etc/prometheus/", "name": "prometheus-config-volume"],
                                    ["mountPath": "/prometheus/", "name": "prometheus-storage-volume"],
                                ],
                            ]
                        ],
                        "serviceAccountName": .string(serviceAccountName),
                        "volumes": [
                            [
                                "name": "prometheus-config-volume",
                                "configMap": ["defaultMode": 420, "name": .string(configMapName)],
                            ],
                            ["name": "prometheus-storage-volume", "emptyDir": [:]],
                        ],
                    ],
                ],
            ],
        ]
    }

    // MARK: scrape configuration

    private static let serviceAccountCA = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
    private static let serviceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token"

    private static func keep(_ regex: String) -> JSONValue {
        ["source_labels": ["__name__"], "regex": .string(regex), "action": "keep"]
    }

    private static func replace(_ sources: [String], regex: String? = nil, target: String, replacement: String? = nil) -> JSONValue {
        var o = JSONObject([("source_labels", JSONValue(sources)), ("action", "replace")])
        if let regex { o["regex"] = .string(regex) }
        o["target_label"] = .string(target)
        if let replacement { o["replacement"] = .string(replacement) }
        return .object(o)
    }

    /// Node metrics through the API server's node proxy (`suffix` "" or "/cadvisor").
    private static func nodeProxyRelabeling(_ suffix: String) -> JSONValue {
        [
            ["action": "labelmap", "regex": "__meta_kubernetes_node_label_(.+)"],
            ["target_label": "__address__", "replacement": "kubernetes.default.svc:443"],
            [
                "source_labels": ["__meta_kubernetes_node_name"], "regex": "(.+)", "target_label": "__metrics_path__",
                "replacement": .string("/api/v1/nodes/${1}/proxy/metrics\(suffix)"),
            ],
        ]
    }

    /// Pods that ask to be scraped (`prometheus.io/scrape`), at their `prometheus.io/path` and `port`.
    private static let annotatedPodRelabeling: [JSONValue] = [
        ["source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], "action": "keep", "regex": "true"],
        replace(["__meta_kubernetes_pod_annotation_prometheus_io_path"], regex: "(.+)", target: "__metrics_path__"),
        replace(
            ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"], regex: #"([^:]+)(?::\d+)?;(\d+)"#,
            target: "__address__", replacement: "$1:$2"),
    ]

    private static let envoyMetricsKept = [
        "envoy_server_live", "envoy_cluster_upstream_rq_xx", "envoy_cluster_upstream_cx_active",
        "envoy_cluster_upstream_cx_tx_bytes_total", "envoy_cluster_upstream_cx_rx_bytes_total",
        "envoy_cluster_upstream_cx_destroy_remote_with_active_rq", "envoy_cluster_upstream_cx_connect_timeout",
        "envoy_cluster_upstream_cx_destroy_local_with_active_rq", "envoy_cluster_upstream_rq_pending_failure_eject",
        "envoy_cluster_upstream_rq_pending_overflow", "envoy_cluster_upstream_rq_timeout",
        "envoy_cluster_upstream_rq_rx_reset", "^osm.*",
    ]

    /// The source/destination fields OSM's WASM stats encode in a metric's name.
    private static let smiFields = [
        "source_namespace", "source_kind", "source_name", "source_pod",
        "destination_namespace", "destination_kind", "destination_name", "destination_pod",
    ]

    /// A regex over the encoded name that captures `field` and skips the others.
    private static func smiName(prefix: String, capturing field: String, suffix: String) -> String {
        prefix + smiFields.map { "\($0)_\($0 == field ? "(.*)" : ".*")" }.joined(separator: "_") + suffix
    }

    /// Turns OSM's name-encoded request metrics into labelled `osm_request_total` and
    /// `osm_request_duration_ms_*` series.
    private static var smiMetricRelabeling: [JSONValue] {
        var rules: [JSONValue] = [keep("envoy_.*osm_request_(total|duration_ms_(bucket|count|sum))")]
        let total = "_osm_request_total"
        rules.append(
            replace(
                ["__name__"], regex: smiName(prefix: #"envoy_response_code_(\d{3})_"#, capturing: "", suffix: total),
                target: "response_code"))
        for field in smiFields {
            rules.append(
                replace(
                    ["__name__"], regex: smiName(prefix: #"envoy_response_code_\d{3}_"#, capturing: field, suffix: total),
                    target: field))
        }
        rules.append(replace(["__name__"], regex: ".*(osm_request_total)", target: "__name__"))
        let duration = "_osm_request_duration_ms_(bucket|sum|count)"
        for field in smiFields {
            rules.append(replace(["__name__"], regex: smiName(prefix: "envoy_", capturing: field, suffix: duration), target: field))
        }
        rules.append(replace(["__name__"], regex: ".*(osm_request_duration_ms_(bucket|sum|count))", target: "__name__"))
        return rules
    }

    static var scrapeConfiguration: JSONValue {
        var podRelabeling = annotatedPodRelabeling
        podRelabeling += [
            replace(["__meta_kubernetes_namespace"], target: "source_namespace"),
            replace(["__meta_kubernetes_pod_name"], target: "source_pod_name"),
            ["regex": "(__meta_kubernetes_pod_label_app)", "action": "labelmap", "replacement": "source_service"],
            [
                "regex": "(__meta_kubernetes_pod_label_osm_envoy_uid|__meta_kubernetes_pod_label_pod_template_hash|__meta_kubernetes_pod_label_version)",
                "action": "drop",
            ],
            // Workloads other than ReplicaSets are named by their controller directly...
            replace(["__meta_kubernetes_pod_controller_kind"], target: "source_workload_kind"),
            replace(["__meta_kubernetes_pod_controller_name"], target: "source_workload_name"),
            // ...a ReplicaSet's pods belong to the Deployment named before its hash.
            replace(["__meta_kubernetes_pod_controller_kind"], regex: "^ReplicaSet$", target: "source_workload_kind", replacement: "Deployment"),
            replace(
                ["__meta_kubernetes_pod_controller_kind", "__meta_kubernetes_pod_controller_name"],
                regex: "^ReplicaSet;(.*)-[^-]+$", target: "source_workload_name"),
        ]
        return [
            "global": ["scrape_interval": "10s", "scrape_timeout": "10s", "evaluation_interval": "1m"],
            "scrape_configs": [
                [
                    "job_name": "kubernetes-apiservers",
                    "kubernetes_sd_configs": [["role": "endpoints"]],
                    "scheme": "https",
                    "tls_config": ["ca_file": .string(serviceAccountCA), "insecure_skip_verify": true],
                    "bearer_token_file": .string(serviceAccountToken),
                    "metric_relabel_configs": [keep("(apiserver_watch_events_total|apiserver_admission_webhook_rejection_count)")],
                    "relabel_configs": [
                        [
                            "source_labels": [
                                "__meta_kubernetes_namespace", "__meta_kubernetes_service_name",
                                "__meta_kubernetes_endpoint_port_name",
                            ],
                            "action": "keep",
                            "regex": "default;kubernetes;https",
                        ]
                    ],
                ],
                [
                    "job_name": "kubernetes-nodes",
                    "scheme": "https",
                    "tls_config": ["ca_file": .string(serviceAccountCA)],
                    "bearer_token_file": .string(serviceAccountToken),
                    "kubernetes_sd_configs": [["role": "node"]],
                    "relabel_configs": nodeProxyRelabeling(""),
                ],
                [
                    "job_name": "kubernetes-pods",
                    "kubernetes_sd_configs": [["role": "pod"]],
                    "metric_relabel_configs": [keep("(" + envoyMetricsKept.joined(separator: "|") + ")")],
                    "relabel_configs": .array(podRelabeling),
                ],
                [
                    "job_name": "smi-metrics",
                    "kubernetes_sd_configs": [["role": "pod"]],
                    "relabel_configs": .array(annotatedPodRelabeling),
                    "metric_relabel_configs": .array(smiMetricRelabeling),
                ],
                [
                    "job_name": "kubernetes-cadvisor",
                    "scheme": "https",
                    "tls_config": ["ca_file": .string(serviceAccountCA)],
                    "bearer_token_file": .string(serviceAccountToken),
                    "kubernetes_sd_configs": [["role": "node"]],
                    "metric_relabel_configs": [keep("(container_cpu_usage_seconds_total|container_memory_rss)")],
                    "relabel_configs": nodeProxyRelabeling("/cadvisor"),
                ],
            ],
        ]
    }
}
