import ObjectModel

/// `osm-deployment.yaml`: Deployment `osm-controller` (with the Fluent Bit sidecar when asked).
enum ControllerDeployment {
    static func deployment(_ c: ChartContext) -> JSONValue {
        var labels = c.labels(("app", "osm-controller"), ("meshName", .string(c.meshName)))
        if c.isOn("enforceSingleMesh") { labels["enforceSingleMesh"] = "true" }

        var containers: [JSONValue] = [controllerContainer(c)]
        if c.isOn("enableFluentbit") { containers.append(FluentBitObjects.sidecar(c)) }

        var podSpec: JSONObject = JSONObject([
            ("serviceAccountName", .string(c.releaseName)),
            ("nodeSelector", ControlPlanePod.nodeSelector),
            ("containers", .array(containers)),
        ])
        if c.isOn("enableFluentbit") { podSpec["volumes"] = FluentBitObjects.volumes }
        ControlPlanePod.addImagePullSecrets(c, to: &podSpec)

        return [
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": c.namespaced("osm-controller", labels: labels),
            "spec": [
                "replicas": c.scalar("replicaCount"),
                "selector": ["matchLabels": ["app": "osm-controller"]],
                "template": [
                    "metadata": ControlPlanePod.metadata(c, app: "osm-controller", podLabels: c.value("osmcontroller", "podLabels")),
                    "spec": .object(podSpec),
                ],
            ],
        ]
    }

    static func controllerContainer(_ c: ChartContext) -> JSONValue {
        var args: [String] = [
            "--verbosity", c.text("controllerLogLevel"),
            "--osm-namespace", c.namespace,
            "--mesh-name", c.meshName,
            "--webhook-config-name", c.webhookConfigName,
            "--ca-bundle-secret-name", c.text("caBundleSecretName"),
            "--certificate-manager", c.text("certificateManager"),
        ]
        args += ControlPlanePod.certificateManagerArgs(c)
        if c.isOn("enableWASMStatsExperimental") { args.append("--stats-wasm-experimental") }
        return [
            "name": "osm-controller",
            "image": .string("\(c.text("image", "registry"))/osm-controller:\(c.text("image", "tag"))"),
            "imagePullPolicy": .string(c.text("image", "pullPolicy")),
            "ports": [
                ["name": "admin-port", "containerPort": 15000],
                ["name": "osm-port", "containerPort": 15128],
                ["name": "metrics", "containerPort": 9091],
            ],
            "command": ["/osm-controller"],
            "args": JSONValue(args),
            "resources": ControlPlanePod.resources(c, "osmcontroller"),
            "readinessProbe": ControlPlanePod.probe(delay: 1, scheme: "HTTP", path: "/health/ready", port: 9091),
            "livenessProbe": ControlPlanePod.probe(delay: 1, scheme: "HTTP", path: "/health/alive", port: 9091),
            "env": [ControlPlanePod.podNameEnv("CONTROLLER_POD_NAME")],
        ]
    }
}
