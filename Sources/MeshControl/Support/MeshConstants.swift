/// Names, labels and annotations that the upstream control plane and CLI agree on.
package enum MeshConstants {
    package static let controllerName = "osm-controller"
    package static let injectorName = "osm-injector"
    package static let configMapName = "osm-config"
    package static let monitoredByLabel = "openservicemesh.io/monitored-by"
    package static let sidecarInjectionAnnotation = "openservicemesh.io/sidecar-injection"
    package static let ignoreLabel = "openservicemesh.io/ignore"
    package static let meshNameLabel = "meshName"
    package static let appLabel = "app"
    package static let enforceSingleMeshLabel = "enforceSingleMesh"
    package static let instanceLabel = "app.kubernetes.io/instance"
    package static let defaultMeshName = "osm"
    package static let defaultNamespace = "osm-system"
    /// The label the injector gives every pod with a sidecar.
    package static let proxyUUIDLabel = "osm-proxy-uuid"
    /// The port of the sidecars' Envoy admin interface.
    package static let envoyAdminPort = 15000
}
