import ObjectModel

/// What the chart's templates see: the merged values, the release (named after the mesh) and
/// the control-plane namespace, with the Go-template conversions the templates apply to values.
struct ChartContext {
    /// The `OpenServiceMesh` subtree of the values.
    let mesh: JSONValue
    /// `osm.namespace`: `OpenServiceMesh.osmNamespace` if set, else the release namespace.
    let namespace: String
    /// `.Release.Name`, which `osm install` sets to the mesh name.
    let releaseName: String

    init(values: JSONValue, releaseNamespace: String) throws(OSMError) {
        guard case .object = values else { throw OSMError("chart values must be a map") }
        guard let mesh = values["OpenServiceMesh"], case .object = mesh else {
            throw OSMError("chart values have no OpenServiceMesh map")
        }
        self.mesh = mesh
        let override = GoTemplate.text(mesh["osmNamespace"])
        self.namespace = GoTemplate.isTruthy(mesh["osmNamespace"]) ? override : releaseNamespace
        self.releaseName = GoTemplate.text(mesh["meshName"])
    }

    func value(_ path: String...) -> JSONValue? {
        var current: JSONValue? = mesh
        for key in path { current = current?[key] }
        return current
    }

    /// `{{ .Values.OpenServiceMesh.<path> }}` inside quotes, or piped to `quote`: always a string.
    func text(_ path: String...) -> String {
        var current: JSONValue? = mesh
        for key in path { current = current?[key] }
        return GoTemplate.text(current)
    }

    /// `{{ .Values.OpenServiceMesh.<path> }}` written bare: YAML types the text.
    func scalar(_ path: String...) -> JSONValue {
        var current: JSONValue? = mesh
        for key in path { current = current?[key] }
        return GoTemplate.yamlScalar(GoTemplate.text(current))
    }

    /// `{{ if .Values.OpenServiceMesh.<path> }}`.
    func isOn(_ path: String...) -> Bool {
        var current: JSONValue? = mesh
        for key in path { current = current?[key] }
        return GoTemplate.isTruthy(current)
    }

    var meshName: String { text("meshName") }
    var webhookConfigName: String { "\(text("webhookConfigNamePrefix"))-\(meshName)" }

    /// `osm.labels`, then the template's own labels in order.
    func labels(_ extra: (String, JSONValue)...) -> JSONValue {
        var o = JSONObject()
        o["app.kubernetes.io/name"] = "openservicemesh.io"
        o["app.kubernetes.io/instance"] = .string(meshName)
        o["app.kubernetes.io/version"] = .string(ChartDefaults.appVersion)
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    /// Metadata of a namespaced object: name, namespace, labels (the chart's order).
    func namespaced(_ name: String, labels: JSONValue, annotations: JSONValue? = nil) -> JSONValue {
        var o: JSONObject = JSONObject([("name", .string(name)), ("namespace", .string(namespace)), ("labels", labels)])
        if let annotations { o["annotations"] = annotations }
        return .object(o)
    }

    func clusterScoped(_ name: String, labels: JSONValue) -> JSONValue {
        ["name": .string(name), "labels": labels]
    }
}
