import ObjectModel

/// Every object the OSM v0.8.4 chart renders for a set of values, built in Swift.
package enum ControlPlaneManifest {
    /// Every object in creation order: the CRDs first (Helm installs `crds/` before anything),
    /// then the templates in Helm's install order by kind (ServiceAccount, Secret, ConfigMap,
    /// ClusterRole, ClusterRoleBinding, Service, Deployment, then the webhook configurations,
    /// kinds Helm does not know, alphabetically); within a kind, by template file as Helm reads
    /// them. The namespace itself is not included (see `namespaceObject`).
    /// `crds: false` leaves out the chart's CRDs (`crds/`), which a release's manifest never lists.
    package static func render(values: JSONValue, namespace: String, crds: Bool = true) throws(OSMError) -> [JSONValue] {
        let c = try ChartContext(values: values, releaseNamespace: namespace)
        let prometheus = c.isOn("deployPrometheus")
        let grafana = c.isOn("deployGrafana")
        let jaeger = c.isOn("deployJaeger")
        let fluentBit = c.isOn("enableFluentbit")

        var objects = crds ? SMICustomResourceDefinitions.all : []

        // ServiceAccount
        if grafana { objects.append(GrafanaObjects.serviceAccount(c)) }
        objects.append(ControlPlaneRBAC.serviceAccount(c))
        if prometheus { objects.append(PrometheusObjects.serviceAccount(c)) }
        // Secret
        if c.isOn("fluentBit", "enableProxySupport") { objects.append(FluentBitObjects.proxySecret(c)) }
        // ConfigMap
        if fluentBit { objects.append(FluentBitObjects.configMap(c)) }
        if grafana { objects += GrafanaObjects.configMaps(c) }
        objects.append(OSMConfigMap.configMap(c))
        if prometheus { objects.append(PrometheusObjects.configMap(c)) }
        // ClusterRole
        if grafana { objects.append(GrafanaObjects.clusterRole(c)) }
        objects.append(ControlPlaneRBAC.clusterRole(c))
        if prometheus { objects.append(PrometheusObjects.clusterRole(c)) }
        // ClusterRoleBinding
        if grafana { objects.append(GrafanaObjects.clusterRoleBinding(c)) }
        objects.append(ControlPlaneRBAC.clusterRoleBinding(c))
        if prometheus { objects.append(PrometheusObjects.clusterRoleBinding(c)) }
        // Service
        if grafana { objects.append(GrafanaObjects.service(c)) }
        if jaeger { objects.append(JaegerObjects.service(c)) }
        objects.append(ControlPlaneServices.injector(c))
        objects.append(ControlPlaneServices.controller(c))
        objects.append(ControlPlaneServices.configValidator(c))
        if prometheus { objects.append(PrometheusObjects.service(c)) }
        // Deployment
        if grafana { objects.append(GrafanaObjects.deployment(c)) }
        if jaeger { objects.append(JaegerObjects.deployment(c)) }
        objects.append(ControllerDeployment.deployment(c))
        objects.append(InjectorDeployment.deployment(c))
        if prometheus { objects.append(PrometheusObjects.deployment(c)) }
        // Kinds outside Helm's list come last, ordered by kind.
        objects.append(AdmissionWebhooks.mutating(c))
        objects.append(AdmissionWebhooks.validating(c))
        return objects
    }

    /// The control-plane Namespace, labelled `name: <ns>` as Helm's create-namespace labels it
    /// and the chart's webhooks expect (the validating webhook selects it, the mutating one
    /// excludes it).
    package static func namespaceObject(_ namespace: String) -> JSONValue {
        [
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": ["name": .string(namespace), "labels": ["name": .string(namespace)]],
        ]
    }
}
