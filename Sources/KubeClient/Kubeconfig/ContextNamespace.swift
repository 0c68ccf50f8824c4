/// The namespace client-go's loading rules give when no namespace is overridden: what upstream
/// osm's `settings.Namespace()` (pkg/cli/environment.go) returns when `OSM_NAMESPACE` or
/// `--osm-namespace` is set to the empty string, since an empty override is no override.
///
/// As `DeferredLoadingClientConfig.Namespace()` (client-go v0.20, tools/clientcmd/
/// merged_client_builder.go): the selected context's namespace, `default` when it sets none;
/// a kubeconfig that cannot be read or used gives `default` (osm drops the error); with no
/// kubeconfig at all, or a context without a namespace, inside a pod: the in-cluster namespace
/// (`POD_NAMESPACE`, else the service account's namespace file, else `default`).
package enum ContextNamespace {
    package static func resolve(_ options: ClientOptions) -> String {
        let loader = KubeconfigLoader(options: options)
        let inCluster = InClusterConfig.isPossible(options)
        let files: [String]
        var parsed: [KubeconfigFile] = []
        do {
            files = try loader.candidateFiles()
            for path in files { parsed.append(try KubeconfigFile(parsing: try FileSystem.readString(path), path: path)) }
        } catch {
            return defaultNamespace
        }
        let merged = KubeconfigLoader.merge(parsed)
        if merged.isEmpty {
            // ConfirmUsable fails with the empty-config error: in-cluster when possible.
            return inCluster ? InClusterConfig.namespace(options) : defaultNamespace
        }
        guard let config = try? loader.resolve(merged, files: files) else { return defaultNamespace }
        let explicit = merged.contexts[config.contextName]?.namespace ?? ""
        if !explicit.isEmpty { return explicit }
        return inCluster ? InClusterConfig.namespace(options) : defaultNamespace
    }

    static let defaultNamespace = "default"
}
