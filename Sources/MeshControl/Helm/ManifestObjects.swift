import KubeClient
import ObjectModel
import YAMLCodec

/// The objects of a release's manifest that `mesh upgrade` and `mesh uninstall` delete, resolved
/// as Helm's `KubeClient.Build` resolves them (its RESTMapper, from the API server's discovery):
/// a kind osm's own table does not know (a Helm-written manifest may list any kind: a custom
/// resource, a `coordination.k8s.io/v1 Lease`...) is looked up in the discovery document of its
/// group version (`/api/v1`, `/apis/<group>/<version>`), and so is a known kind of a group
/// version a cluster may not serve (`policy/v1beta1`...). A kind the server does not serve is
/// not deleted and is reported, one warning each (Helm's `no matches for kind` error).
package enum ManifestObjects {
    /// A manifest document of a kind osm's table does not know.
    package struct Unresolved: Sendable, Hashable {
        package var apiVersion: String
        package var kind: String
        package var name: String
        /// As the document gives it.
        package var namespace: String?
    }

    /// Group versions every cluster osm works with serves, with the kinds osm's table gives
    /// them: never looked up (an object of theirs that is gone answers 404, which is fine).
    static let certain: Set<String> = ["v1", "apps/v1", "rbac.authorization.k8s.io/v1"]

    /// The documents of `manifest` whose kind osm's table does not know (parsed only when
    /// `HelmManifest.entries` found some), and what keeps the manifest from being read, if
    /// anything. Documents annotated `helm.sh/resource-policy: keep` are left out.
    package static func unresolved(in manifest: String, unknown: [String]) -> (documents: [Unresolved], problem: String?) {
        guard !unknown.isEmpty else { return ([], nil) }
        let documents: [JSONValue]
        do { documents = try YAML.parseDocuments(manifest) } catch { return ([], "the manifest does not parse: \(error)") }
        var out: [Unresolved] = []
        for d in documents {
            guard let kind = d["kind"]?.stringValue, let name = d.metadata.name else { continue }
            if d.metadata.annotation("helm.sh/resource-policy") == "keep" { continue }
            let apiVersion = d["apiVersion"]?.stringValue ?? ""
            guard APIResource.forObject(apiVersion: apiVersion, kind: kind) == nil else { continue }
            let u = Unresolved(apiVersion: apiVersion, kind: kind, name: name, namespace: d.metadata.namespace)
            if !out.contains(u) { out.append(u) }
        }
        return (out, nil)
    }

    /// `known` (from osm's table) and `unresolved` as the server serves them, looked up in one
    /// round trip of discovery reads when any is of a group version not `certain`; and a warning
    /// for each object not deleted because its kind is not served (or could not be looked up).
    package static func resolve(known: [HelmManifest.Entry], unresolved: [Unresolved], namespace: String,
                               release: String, client: any KubeAPI) -> (entries: [HelmManifest.Entry], warnings: [String]) {
        var groupVersions: [String] = []
        for gv in known.map(\.resource.groupVersion) + unresolved.map(\.apiVersion)
        where !certain.contains(gv) && !groupVersions.contains(gv) && !gv.isEmpty {
            groupVersions.append(gv)
        }
        guard !groupVersions.isEmpty || unresolved.contains(where: { $0.apiVersion.isEmpty }) else { return (known, []) }
        let answers = client.send(groupVersions.map { client.getPathRequest($0.contains("/") ? "/apis/\($0)" : "/api/\($0)") })
        var lists: [String: Swift.Result<[JSONValue], KubeError>] = [:]
        for (gv, answer) in zip(groupVersions, answers) {
            switch answer {
            case .success(let doc): lists[gv] = .success(doc["resources"]?.arrayValue ?? [])
            case .failure(let e) where e.kind == .notFound: lists[gv] = .success([])
            case .failure(let e): lists[gv] = .failure(e)
            }
        }
        var entries: [HelmManifest.Entry] = []
        var warnings: [String] = []
        func warn(_ kind: String, _ ns: String?, _ name: String, _ apiVersion: String, _ why: String) {
            warnings.append("Warning: Helm release \(release) lists \(kind) \(ns.map { "\($0)/" } ?? "")\(name) (\(apiVersion)), which was not deleted: \(why)")
        }
        func served(_ apiVersion: String, _ kind: String) -> Swift.Result<JSONValue?, KubeError> {
            guard let list = lists[apiVersion] else { return .success(nil) }
            return list.map { resources in
                resources.first { ($0["name"]?.stringValue).map { !$0.contains("/") } == true && $0["kind"]?.stringValue == kind }
            }
        }
        let notServed = { (kind: String, apiVersion: String) in "no matches for kind \"\(kind)\" in version \"\(apiVersion)\" (the API server does not serve it)" }
        for e in known {
            let gv = e.resource.groupVersion
            guard lists[gv] != nil else { entries.append(e); continue }
            switch served(gv, e.resource.kind) {
            case .success(.some): entries.append(e)
            case .success(.none): warn(e.resource.kind, e.namespace, e.name, gv, notServed(e.resource.kind, gv))
            case .failure(let err): warn(e.resource.kind, e.namespace, e.name, gv, "its kind could not be looked up (\(err.message))")
            }
        }
        for u in unresolved {
            let parts = u.apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
            let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", u.apiVersion)
            switch served(u.apiVersion, u.kind) {
            case .success(.some(let r)):
                guard let plural = r["name"]?.stringValue else {
                    warn(u.kind, u.namespace, u.name, u.apiVersion, "the API server's discovery names no resource for its kind")
                    continue
                }
                let namespaced = r["namespaced"]?.boolValue ?? true
                let resource = APIResource(group: group, version: version, resource: plural, kind: u.kind, namespaced: namespaced)
                let entry = HelmManifest.Entry(resource: resource, namespace: namespaced ? (u.namespace ?? namespace) : nil, name: u.name)
                if !entries.contains(entry) { entries.append(entry) }
            case .success(.none): warn(u.kind, u.namespace, u.name, u.apiVersion, notServed(u.kind, u.apiVersion))
            case .failure(let err): warn(u.kind, u.namespace, u.name, u.apiVersion, "its kind could not be looked up (\(err.message))")
            }
        }
        return (entries, warnings)
    }
}
