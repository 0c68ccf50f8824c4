/// Names, labels and annotations that the upstream control plane and CLI agree on.
public enum MeshConstants {
    public static let controllerName = "osm-controller"
    public static let injectorName = "osm-injector"
    public static let configMapName = "osm-config"
    public static let monitoredByLabel = "openservicemesh.io/monitored-by"
    public static let sidecarInjectionAnnotation = "openservicemesh.io/sidecar-injection"
    public static let ignoreLabel = "openservicemesh.io/ignore"
    public static let meshNameLabel = "meshName"
    public static let appLabel = "app"
    public static let enforceSingleMeshLabel = "enforceSingleMesh"
    public static let instanceLabel = "app.kubernetes.io/instance"
    public static let defaultMeshName = "osm"
    public static let defaultNamespace = "osm-system"
    /// The label the injector gives every pod with a sidecar.
    public static let proxyUUIDLabel = "osm-proxy-uuid"
    /// The port of the sidecars' Envoy admin interface.
    public static let envoyAdminPort = 15000
}
