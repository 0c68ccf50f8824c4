import ObjectModel

/// `osm-injector-deployment.yaml`: Deployment `osm-injector`, the sidecar-injection webhook server.
enum InjectorDeployment {
    static func deployment(_ c: ChartContext) -> JSONValue {
        var podSpec: JSONObject = JSONObject([
            ("serviceAccountName", .string(c.releaseName)),
            ("nodeSelector", ControlPlanePod.nodeSelector),
            ("containers", [injectorContainer(c)]),
        ])
        ControlPlanePod.addImagePullSecrets(c, to: &podSpec)
        return [
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": c.namespaced(
                "osm-injector", labels: c.labels(("app", "osm-injector"), ("meshName", .string(c.meshName)))),
            "spec": [
                "replicas": c.scalar("injector", "replicaCount"),
                "selector": ["matchLabels": ["app": "osm-injector"]],
                "template": [
                    "metadata": ControlPlanePod.metadata(c, app: "osm-injector", podLabels: c.value("injector", "podLabels")),
                    "spec": .object(podSpec),
                ],
            ],
        ]
    }

    static func injectorContainer(_ c: ChartContext) -> JSONValue {
        var args: [String] = [
            "--verbosity", c.text("controllerLogLevel"),
            "--osm-namespace", c.namespace,
            "--mesh-name", c.meshName,
            "--init-container-image", "\(c.text("image", "registry"))/init:\(c.text("image", "tag"))",
            "--sidecar-image", c.text("sidecarImage"),
            "--webhook-config-name", c.webhookConfigName,
            "--ca-bundle-secret-name", c.text("caBundleSecretName"),
            "--certificate-manager", c.text("certificateManager"),
        ]
        args += ControlPlanePod.certificateManagerArgs(c)
        return [
            "name": "osm-injector",
            "image": .string("\(c.text("image", "registry"))/osm-injector:\(c.text("image", "tag"))"),
            "imagePullPolicy": .string(c.text("image", "pullPolicy")),
            "ports": [
                ["name": "sidecar-inject", "containerPort": 9090],
                ["name": "metrics", "containerPort": 9091],
            ],
            "command": ["/osm-injector"],
            "args": JSONValue(args),
            "resources": ControlPlanePod.resources(c, "injector"),
            "readinessProbe": ControlPlanePod.probe(delay: 5, scheme: "HTTPS", path: "/healthz", port: 9090),
            "livenessProbe": ControlPlanePod.probe(delay: 5, scheme: "HTTPS", path: "/healthz", port: 9090),
            "env": [ControlPlanePod.podNameEnv("INJECTOR_POD_NAME")],
        ]
    }
}
