#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import ObjectModel

/// What install reads and checks before it writes anything: upstream's checks in their order,
/// then the server's API versions and a partial install left by an earlier run.
extension Install {
    // MARK: checks

    /// What the checks and the namespace step read, each result kept for its check.
    struct ClusterReads {
        var controllers: Swift.Result<[JSONValue], KubeError>
        var version: Swift.Result<ServerVersion, KubeError>
        var served: Swift.Result<Set<String>, KubeError>
        var namespace: Swift.Result<JSONValue, KubeError>
        /// The mesh's Helm release records in the namespace.
        var releaseSecrets: Swift.Result<[JSONValue], KubeError>
        /// Each object the install would create, and the answer to a GET of it.
        var objects: [(ObjectRef, Swift.Result<JSONValue, KubeError>)]

        /// The objects that exist, keyed by `Install.key`; the namespaced ones only when the
        /// namespace exists.
        func existing(namespaceExists: Bool) throws -> [String: JSONValue] {
            try Self.existing(objects, namespaceExists: namespaceExists)
        }

        static func existing(_ objects: [(ObjectRef, Swift.Result<JSONValue, KubeError>)], namespaceExists: Bool) throws -> [String: JSONValue] {
            var out: [String: JSONValue] = [:]
            for (ref, answer) in objects where namespaceExists || ref.namespace == nil {
                switch answer {
                case .success(let v): out[Install.key(ref.resource, ref.namespace, ref.name)] = v
                case .failure(let e) where e.kind == .notFound: break
                case .failure(let e):
                    if e.kind == .interrupted { throw e }
                    throw OSMError("cannot check whether \(ref) already exists: \(e.message)", cause: e)
                }
            }
            return out
        }
    }

    /// Every read of the checks goes out at once (all reads, so nothing is done that a failed
    /// check would have prevented: one round trip over HTTP/2). Upstream's check 3 (no mesh of
    /// this name anywhere) is examined first; the other results are kept for their checks, which
    /// examine them in upstream's order, so the first failure reported is a sequential run's.
    /// With them, a GET of each of `objects` (what the install would create), for the partial-install check.
    func readCluster(client: any KubeAPI, objects: [JSONValue]) throws -> ClusterReads {
        let mesh = values.meshName
        let refs = try objects.map(ref)
        var reads = client.send([
            client.listRequest(.deployments, labelSelector: "\(MeshConstants.meshNameLabel)=\(mesh)"),
            client.listRequest(.deployments, labelSelector: "\(MeshConstants.appLabel)=\(MeshConstants.controllerName)"),
            client.getPathRequest("/version"),
            client.getPathRequest("/api"),
            client.getPathRequest("/apis"),
            try client.getRequest(.namespaces, name: namespace),
            client.listRequest(.secrets, namespace: namespace, labelSelector: HelmReleaseStore.selector(release: mesh)),
        ] + (try refs.map { r throws(KubeError) in try client.getRequest(r.resource, namespace: r.namespace, name: r.name) }))
        let existence = Array(zip(refs, reads.suffix(refs.count)))
        reads.removeLast(refs.count)
        let sameMesh = try reads[0].get().arrayValue ?? []
        let elsewhere = sameMesh.contains { $0.metadata.namespace != self.namespace }
        if !sameMesh.isEmpty && (elsewhere || !resume) {
            if !elsewhere, !objects.isEmpty,
               let existing = try? ClusterReads.existing(existence, namespaceExists: true),
               let partial = try? partialInstallReport(objects: objects, existing: existing) { throw partial }
            throw OSMError(.meshExists, "Mesh \(mesh) already exists in cluster. Please specify a new mesh name using --mesh-name")
        }
        return ClusterReads(
            controllers: reads[1].map { $0.arrayValue ?? [] },
            version: reads[2].map(ServerVersion.init(json:)),
            served: reads[3].flatMap { core in reads[4].map { KubeClient.groupVersions(core: core, groups: $0) } },
            namespace: reads[5],
            releaseSecrets: reads[6].map { $0.arrayValue ?? [] },
            objects: existence)
    }

    /// Upstream's check 4: no controller in the namespace. Returns every controller Deployment,
    /// for the single-mesh check.
    func checkExistingMeshes(_ controllers: Swift.Result<[JSONValue], KubeError>) throws -> [JSONValue] {
        var items = try controllers.get()
        if resume {
            // Finishing this mesh: its own controller is expected.
            items.removeAll {
                $0.metadata.namespace == namespace
                    && $0.metadata.label(MeshConstants.meshNameLabel) == values.meshName
            }
        }
        if items.contains(where: { $0.metadata.namespace == namespace }) {
            throw OSMError(.meshExists, "Namespace \(namespace) has an osm controller. Please specify a new namespace using --osm-namespace")
        }
        return items
    }

    /// The v0.8 objects use API versions that Kubernetes 1.22 removed: say so before creating anything.
    func checkServer(_ versionResult: Swift.Result<ServerVersion, KubeError>, _ servedResult: Swift.Result<Set<String>, KubeError>,
                     objects: [JSONValue]) throws {
        let version: ServerVersion
        let served: Set<String>
        do throws(KubeError) {
            version = try versionResult.get()
            served = try servedResult.get()
        } catch let e {
            throw OSMError("cannot reach the Kubernetes API server: \(e.message)", cause: e)
        }
        var needed: [String] = []
        for o in objects {
            if let gv = o.apiVersion, !needed.contains(gv) { needed.append(gv) }
        }
        let missing = needed.filter { !served.contains($0) }
        if !missing.isEmpty {
            throw OSMError(.unsupportedServer, "the OSM v0.8 control plane needs \(missing.joined(separator: " and ")), which the API server (\(version.gitVersion)) does not serve (these beta APIs were removed in Kubernetes 1.22); install on a cluster at v1.21 or earlier, nothing was created")
        }
    }

    /// Upstream's check 7: nobody enforces a single mesh, and with --enforce-single-mesh, no mesh exists.
    func checkSingleMesh(_ controllers: [JSONValue]) throws {
        for c in controllers where c.metadata.label(MeshConstants.enforceSingleMeshLabel) == "true" {
            let name = c.metadata.label(MeshConstants.meshNameLabel) ?? ""
            throw OSMError(.singleMeshEnforced, "Cannot install mesh [\(values.meshName)]. Existing mesh [\(name)] enforces single mesh cluster.")
        }
        if values.enforceSingleMesh, !controllers.isEmpty {
            throw OSMError(.singleMeshEnforced, "Meshes already exist in cluster. Cannot enforce single mesh cluster.")
        }
    }

    /// What the install did to the namespace, so `--atomic` can undo exactly that.
    enum NamespaceChange {
        case none
        case created
        /// The `name` label was added or changed; its previous value, if any.
        case labelled(previous: String?)
    }

    // MARK: partial installs

    static func key(_ r: APIResource, _ ns: String?, _ name: String) -> String { "\(r.kind)/\(ns ?? "")/\(name)" }

    func ref(_ o: JSONValue) throws -> ObjectRef {
        let kind = o.kind ?? ""
        guard let r = APIResource.forObject(apiVersion: o.apiVersion ?? "", kind: kind) else {
            throw OSMError("internal: no API resource known for \(kind)")
        }
        return ObjectRef(resource: r, namespace: r.namespaced ? namespace : nil, name: o.metadata.name ?? "")
    }

    /// Before creating anything: objects of this mesh left by an earlier install (or uninstall)
    /// are reported with what is missing and how to finish, unless `resume` asks to finish;
    /// objects of the same name that belong to something else are never touched.
    func checkPartialInstall(objects: [JSONValue], existing: [String: JSONValue]) throws -> [String: JSONValue] {
        if existing.isEmpty { return existing }
        var ours: [ObjectRef] = [], foreign: [ObjectRef] = [], missing: [ObjectRef] = []
        for o in objects {
            let r = try ref(o)
            guard let found = existing[Self.key(r.resource, r.namespace, r.name)] else {
                missing.append(r)
                continue
            }
            if r.resource.kind == "CustomResourceDefinition" { continue } // shared by every mesh
            if found.metadata.label(MeshConstants.instanceLabel) == values.meshName { ours.append(r) } else { foreign.append(r) }
        }
        if !foreign.isEmpty {
            throw OSMError(.foreignObjects, "cannot install mesh [\(values.meshName)]: \(foreign.map(\.description).joined(separator: ", ")) already exist\(foreign.count == 1 ? "s" : "") and belong\(foreign.count == 1 ? "s" : "") to something else (no label \(MeshConstants.instanceLabel)=\(values.meshName)); remove \(foreign.count == 1 ? "it" : "them") or choose another --mesh-name or --osm-namespace; nothing was created")
        }
        if !ours.isEmpty && !resume {
            throw partialInstallError(ours: ours, missing: missing.filter { $0.resource.kind != "CustomResourceDefinition" })
        }
        return existing
    }

    func partialInstallError(ours: [ObjectRef], missing: [ObjectRef]) -> OSMError {
        if missing.isEmpty {
            return OSMError(.meshExists, "Mesh \(values.meshName) already exists in cluster. Please specify a new mesh name using --mesh-name")
        }
        return OSMError(.partialInstall, "mesh [\(values.meshName)] is partly installed in namespace [\(namespace)] (an earlier install or uninstall stopped part way): "
            + "\(ours.count) of its objects exist (\(ours.map(\.description).joined(separator: ", "))), "
            + "\(missing.count) are missing (\(missing.map(\.description).joined(separator: ", "))); "
            + "finish it with 'osm install --resume' and the same flags, or remove it with '\(uninstallCommand)' and install again; nothing was created")
    }

    /// For a mesh whose Deployments exist: the partial-install report if some of its objects are missing.
    func partialInstallReport(objects: [JSONValue], existing: [String: JSONValue]) throws -> OSMError? {
        var ours: [ObjectRef] = [], missing: [ObjectRef] = []
        for o in objects {
            let r = try ref(o)
            if r.resource.kind == "CustomResourceDefinition" { continue }
            if existing[Self.key(r.resource, r.namespace, r.name)] != nil { ours.append(r) } else { missing.append(r) }
        }
        return missing.isEmpty ? nil : partialInstallError(ours: ours, missing: missing)
    }

    /// `existing` is the namespace as read with the checks (or why it could not be read).
    func ensureNamespace(client: any KubeAPI, existing: Swift.Result<JSONValue, KubeError>, journal: inout Journal) throws -> NamespaceChange {
        switch existing {
        case .success(let ns):
            if ns.phase == "Terminating" {
                throw OSMError("namespace [\(namespace)] is being deleted; wait until it is gone or choose another with --osm-namespace")
            }
            let previous = ns.metadata.label("name")
            guard previous != namespace else { return .none }
            _ = try client.patch(.namespaces, name: namespace, ["metadata": ["labels": ["name": .string(namespace)]]], type: .merge)
            return .labelled(previous: previous)
        case .failure(let e) where e.kind == .notFound:
            let r = ObjectRef(resource: .namespaces, namespace: nil, name: namespace)
            do throws(KubeError) {
                _ = try client.create(.namespaces, ControlPlaneManifest.namespaceObject(namespace))
                journal.created.append(r)
            } catch {
                if !Self.createdNothing(error) { journal.maybe.append(r) }
                throw error
            }
            return .created
        case .failure(let e):
            throw e
        }
    }
}
