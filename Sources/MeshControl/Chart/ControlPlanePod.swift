import ObjectModel

/// The parts the controller and injector pod templates share.
enum ControlPlanePod {
    static let nodeSelector: JSONValue = ["kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"]

    /// Pod labels (`osm.labels`, `app`, then the user's `podLabels` sorted as `toYaml` writes them)
    /// and the Prometheus scrape annotations.
    static func metadata(_ c: ChartContext, app: String, podLabels: JSONValue?) -> JSONValue {
        var labels = c.labels(("app", .string(app)))
        if GoTemplate.isTruthy(podLabels), case .object(let extra)? = podLabels.map(GoTemplate.sortedKeys) {
            for (k, v) in extra { labels[k] = v }
        }
        return ["labels": labels, "annotations": ["prometheus.io/scrape": "true", "prometheus.io/port": "9091"]]
    }

    /// Vault connection flags when Vault issues certificates, then the cert-manager issuer flags.
    static func certificateManagerArgs(_ c: ChartContext) -> [String] {
        var args: [String] = []
        if c.text("certificateManager") == "vault" {
            args += [
                "--vault-host", c.text("vault", "host"),
                "--vault-protocol", c.text("vault", "protocol"),
                "--vault-token", c.text("vault", "token"),
            ]
        }
        args += [
            "--cert-manager-issuer-name", c.text("certmanager", "issuerName"),
            "--cert-manager-issuer-kind", c.text("certmanager", "issuerKind"),
            "--cert-manager-issuer-group", c.text("certmanager", "issuerGroup"),
        ]
        return args
    }

    static func resources(_ c: ChartContext, _ component: String) -> JSONValue {
        [
            "limits": [
                "cpu": .string(c.text(component, "resource", "limits", "cpu")),
                "memory": .string(c.text(component, "resource", "limits", "memory")),
            ],
            "requests": [
                "cpu": .string(c.text(component, "resource", "requests", "cpu")),
                "memory": .string(c.text(component, "resource", "requests", "memory")),
            ],
        ]
    }

    static func probe(delay: Int, scheme: String, path: String, port: Int) -> JSONValue {
        [
            "initialDelaySeconds": .int(delay),
            "timeoutSeconds": 5,
            "httpGet": ["scheme": .string(scheme), "path": .string(path), "port": .int(port)],
        ]
    }

    /// The pod's own name through the downward API; the control plane names its events with it.
    static func podNameEnv(_ name: String) -> JSONValue {
        ["name": .string(name), "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]]
    }

    /// `imagePullSecrets` as given (`toYaml`), when the list is not empty.
    static func addImagePullSecrets(_ c: ChartContext, to spec: inout JSONObject) {
        guard c.isOn("imagePullSecrets"), let secrets = c.value("imagePullSecrets") else { return }
        spec["imagePullSecrets"] = GoTemplate.sortedKeys(secrets)
    }
}
