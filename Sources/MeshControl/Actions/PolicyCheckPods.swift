import KubeClient
import ObjectModel

/// `osm policy check-pods SOURCE_POD DESTINATION_POD`: may the source pod send traffic to the
/// destination pod? Yes in permissive traffic policy mode (from `osm-config`); otherwise only if
/// an SMI TrafficTarget in the destination's namespace names the destination pod's service
/// account as its destination and the source pod's service account among its sources. As
/// upstream (cmd/cli/trafficpolicy_check.go), the text is written as the check goes.
package struct PolicyCheckPods: Sendable {
    package static let trafficTargets = APIResource(
        group: "access.smi-spec.io", version: "v1alpha3", resource: "traffictargets", kind: "TrafficTarget", namespaced: true)
    static let permissiveKey = "permissive_traffic_policy_mode"
    static let serviceAccountKind = "ServiceAccount"

    package var sourcePod: String
    package var destinationPod: String
    package var osmNamespace: String

    package init(sourcePod: String, destinationPod: String, osmNamespace: String) {
        self.sourcePod = sourcePod
        self.destinationPod = destinationPod
        self.osmNamespace = osmNamespace
    }

    struct Pod {
        var namespace: String
        var name: String
        var serviceAccount: String
        /// `namespace/name` for the text, control characters escaped (what a server sent is
        /// never raw on the terminal; a real server's names have none).
        var shown: String { ServerText.printable("\(namespace)/\(name)") }
    }

    /// `<namespace>/<pod>`, or `<pod>` in namespace `default`.
    static func namespacedPod(_ text: String) throws(OSMError) -> (namespace: String, name: String) {
        guard !text.isEmpty else {
            throw OSMError(.invalidInput, "Pod name should be of the form <namespace/pod>, or <pod> for default namespace, cannot be empty")
        }
        let chunks = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch chunks.count {
        case 1: return ("default", chunks[0])
        case 2: return (chunks[0], chunks[1])
        default: throw OSMError(.invalidInput, "Pod name should be of the form <namespace/pod>, or <pod> for default namespace, got: \(text)")
        }
    }

    package func run(client: any KubeAPI, write: (String) -> Void) throws {
        let source: (namespace: String, name: String)
        let destination: (namespace: String, name: String)
        do throws(OSMError) { source = try Self.namespacedPod(sourcePod) } catch {
            throw OSMError(.invalidInput, "Invalid argument specified for the source pod: \(error.message)")
        }
        do throws(OSMError) { destination = try Self.namespacedPod(destinationPod) } catch {
            throw OSMError(.invalidInput, "Invalid argument specified for the destination pod: \(error.message)")
        }
        let src = try meshedPod(client: client, source.namespace, source.name)
        let dst = try meshedPod(client: client, destination.namespace, destination.name)

        if try permissiveMode(client: client) {
            write("[+] Permissive mode enabled for mesh operated by osm-controller running in '\(ServerText.printable(osmNamespace))' namespace\n\n "
                + "[+] Pod '\(src.shown)' is allowed to communicate to pod '\(dst.shown)'\n")
            return
        }

        write("[+] SMI traffic policy mode enabled for mesh operated by osm-controller running in \(ServerText.printable(osmNamespace)) namespace\n\n")
        let targets: [JSONValue]
        do throws(KubeError) {
            targets = try client.list(Self.trafficTargets, namespace: dst.namespace)
        } catch {
            throw OSMError("Error listing SMI TrafficTarget policies: \(error.message)", cause: error)
        }
        var found = false
        for target in targets {
            let spec = target["spec"]
            guard spec?[path: "destination", "kind"]?.stringValue == Self.serviceAccountKind,
                  spec?[path: "destination", "name"]?.stringValue ?? "" == dst.serviceAccount,
                  spec?[path: "destination", "namespace"]?.stringValue ?? "" == dst.namespace else { continue }
            for source in spec?["sources"]?.arrayValue ?? [] {
                guard source.kind == Self.serviceAccountKind,
                      source["name"]?.stringValue ?? "" == src.serviceAccount,
                      source["namespace"]?.stringValue ?? "" == src.namespace else { continue }
                let name = target.metadata.name ?? ""
                write("[+] Pod '\(src.shown)' is allowed to communicate to pod '\(dst.shown)' via the SMI TrafficTarget policy \(GoFormat.quoted(name)):\n")
                found = true
                write("---\n\(TrafficTargetYAML.node(target).document())\n---\n")
            }
        }
        if !found {
            write("[+] Pod '\(src.shown)' is not allowed to communicate to pod '\(dst.shown)', missing SMI TrafficTarget policy\n")
        }
    }

    /// The pod, which must carry the sidecar's unique id label (upstream's `isMeshedPod`).
    private func meshedPod(client: any KubeAPI, _ namespace: String, _ name: String) throws -> Pod {
        let pod: JSONValue
        do throws(KubeError) {
            pod = try client.get(.pods, namespace: namespace, name: name)
        } catch {
            throw OSMError("Could not find pod \(name) in namespace \(namespace)", cause: error)
        }
        guard pod.metadata.label(MeshConstants.proxyUUIDLabel) != nil else {
            throw OSMError(.notInMesh, "Pod \(name) in namespace \(namespace) is not a part of a mesh")
        }
        return Pod(namespace: pod.metadata.namespace ?? namespace,
                   name: pod.metadata.name ?? name,
                   serviceAccount: pod.serviceAccountName ?? "")
    }

    /// `permissive_traffic_policy_mode` of `osm-config`, with upstream's (doubled) error prefixes.
    private func permissiveMode(client: any KubeAPI) throws -> Bool {
        let prefix = "Error checking if permissive mode is enabled: "
        let configMap: JSONValue
        do throws(KubeError) {
            configMap = try client.get(.configMaps, namespace: osmNamespace, name: MeshConstants.configMapName)
        } catch {
            throw OSMError(prefix + prefix + error.message, cause: error)
        }
        let problem: String
        if let value = configMap.data(Self.permissiveKey) {
            if let flag = GoBool.parse(value) { return flag }
            problem = "strconv.ParseBool: parsing \(GoFormat.quoted(value)): invalid syntax"
        } else {
            problem = "missing key in ConfigMap"
        }
        throw OSMError(.badObject, prefix + "Invalid value for key \(GoFormat.quoted(Self.permissiveKey)) in \(osmNamespace)/\(MeshConstants.configMapName) ConfigMap: \(problem)")
    }
}
