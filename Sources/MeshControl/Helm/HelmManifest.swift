import KubeClient
import ObjectModel
import YAMLCodec

/// A release's `manifest` as Helm v3.2 writes it (`action.renderResources`): every rendered
/// object that is not a CRD (those live in the chart's `crds/` and are not part of a release),
/// as `---\n# Source: osm/templates/<file>\n<object>\n`, ordered as `releaseutil.SortManifests`
/// orders them: template files by path, objects in file order, then a stable sort by kind in
/// `InstallOrder` (kinds Helm does not list last, alphabetically).
package enum HelmManifest {
    package static func render(objects: [JSONValue], releaseName: String) -> String {
        let entries = objects.compactMap { o -> (file: String, rank: (Int, String), object: JSONValue)? in
            let kind = o["kind"]?.stringValue ?? ""
            guard kind != "CustomResourceDefinition", kind != "Namespace" else { return nil }
            return (templateFile(of: o, releaseName: releaseName), kindRank(kind), o)
        }
        // Sort by file (file order within a file is the render order), then stably by kind.
        let byFile = entries.enumerated().sorted { a, b in
            a.element.file != b.element.file ? a.element.file < b.element.file : a.offset < b.offset
        }.map(\.element)
        let sorted = byFile.enumerated().sorted { a, b in
            let ka = a.element.rank, kb = b.element.rank
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        var out: [UInt8] = []
        out.reserveCapacity(16 << 10)
        for e in sorted {
            out += "---\n# Source: \(ChartDefaults.chartName)/templates/\(e.file)\n".utf8
            let start = out.count
            YAML.emit(e.object, into: &out)
            while out.count > start, out.last == 0x0A { out.removeLast() }
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An object a manifest lists, addressed as the API serves it.
    package struct Entry: Sendable, Hashable {
        package var resource: APIResource
        package var namespace: String?
        package var name: String
    }

    /// The objects a release's manifest lists (what Helm's `KubeClient.Build` of it finds), a
    /// namespaced one without a namespace in the release's; not those annotated
    /// `helm.sh/resource-policy: keep`, which Helm never deletes. `unknown`: documents of kinds
    /// this client has no resource for, or that do not parse, as `Kind name`.
    package static func entries(in manifest: String, namespace: String) -> (entries: [Entry], unknown: [String]) {
        guard !manifest.isEmpty else { return ([], []) }
        let documents: [JSONValue]
        do { documents = try YAML.parseDocuments(manifest) } catch { return ([], ["the manifest does not parse: \(error)"]) }
        var entries: [Entry] = [], unknown: [String] = []
        for d in documents {
            guard let kind = d["kind"]?.stringValue, let name = d.metadata.name else { continue }
            if d.metadata.annotation("helm.sh/resource-policy") == "keep" { continue }
            guard let resource = APIResource.forObject(apiVersion: d["apiVersion"]?.stringValue ?? "", kind: kind) else {
                unknown.append("\(kind) \(name)")
                continue
            }
            let entry = Entry(resource: resource, namespace: resource.namespaced ? (d.metadata.namespace ?? namespace) : nil, name: name)
            if !entries.contains(entry) { entries.append(entry) }
        }
        return (entries, unknown)
    }

    /// `releaseutil.InstallOrder`'s kinds this chart renders, then the rest alphabetically.
    static let installOrder = [
        "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
        "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
        "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "Ingress", "APIService",
    ]

    /// Known kinds by their place; unknown kinds after them, by name.
    static func kindRank(_ kind: String) -> (Int, String) {
        if let i = installOrder.firstIndex(of: kind) { return (i, "") }
        return (installOrder.count, kind)
    }

    /// The chart template (`charts/osm/templates/` at v0.8.4) that renders an object.
    static func templateFile(of object: JSONValue, releaseName: String) -> String {
        let kind = object["kind"]?.stringValue ?? ""
        let name = object.metadata.name ?? ""
        for addOn in ["grafana", "prometheus"] where name == "osm-\(addOn)" || name.hasPrefix("osm-\(addOn)-") || name == "\(releaseName)-\(addOn)" {
            switch kind {
            case "ServiceAccount", "ClusterRole", "ClusterRoleBinding": return "\(addOn)-rbac.yaml"
            case "Service": return "\(addOn)-svc.yaml"
            case "Deployment": return "\(addOn)-deployment.yaml"
            default: return "\(addOn)-configmap.yaml"
            }
        }
        switch (kind, name) {
        case ("Deployment", "jaeger"): return "jaeger-deployment.yaml"
        case ("Service", "jaeger"): return "jaeger-service.yaml"
        case ("ConfigMap", "fluentbit-configmap"): return "fluentbit-configmap.yaml"
        case ("Secret", _): return "proxy-config.yaml"
        case ("ConfigMap", _): return "osm-configmap.yaml"
        case ("Deployment", MeshConstants.injectorName): return "osm-injector-deployment.yaml"
        case ("Deployment", _): return "osm-deployment.yaml"
        case ("Service", MeshConstants.injectorName): return "osm-injector-service.yaml"
        case ("Service", _): return "osm-service.yaml"
        case ("MutatingWebhookConfiguration", _): return "mutatingwebhook.yaml"
        case ("ValidatingWebhookConfiguration", _): return "validatingwebhook.yaml"
        default: return "osm-rbac.yaml"
        }
    }
}
