import ObjectModel

/// The ownership metadata Helm v3.2 puts on every object of a release before it sends it
/// (`action.setMetadataVisitor`): it goes on the objects in the cluster, not into the release's
/// stored manifest, and not onto the chart's CRDs or the namespace `--create-namespace` makes.
package enum HelmOwnership {
    package static let managedByLabel = "app.kubernetes.io/managed-by"
    package static let managedByHelm = "Helm"
    package static let releaseNameAnnotation = "meta.helm.sh/release-name"
    package static let releaseNamespaceAnnotation = "meta.helm.sh/release-namespace"

    /// The object with the label and annotations merged in (existing keys overwritten, as Helm's force).
    package static func apply(to object: JSONValue, releaseName: String, releaseNamespace: String) -> JSONValue {
        let kind = object["kind"]?.stringValue
        guard kind != "CustomResourceDefinition", kind != "Namespace", var meta = object["metadata"]?.objectValue else {
            return object
        }
        var labels = meta["labels"]?.objectValue ?? JSONObject()
        labels[managedByLabel] = .string(managedByHelm)
        meta["labels"] = .object(labels)
        var annotations = meta["annotations"]?.objectValue ?? JSONObject()
        annotations[releaseNameAnnotation] = .string(releaseName)
        annotations[releaseNamespaceAnnotation] = .string(releaseNamespace)
        meta["annotations"] = .object(annotations)
        var out = object
        out["metadata"] = .object(meta)
        return out
    }
}
