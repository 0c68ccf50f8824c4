import KubeClient
import ObjectModel
import YAMLCodec

/// The release record `osm install` keeps as upstream's `helm install` kept it (`action.Install`,
/// Helm v3.2): revision 1 is stored as `pending-install` before any object is created, marked
/// `deployed` once the control plane is available, or `failed` when the install fails (with
/// `--atomic`, the rollback deletes it with the objects, as Helm's uninstall does).
package struct HelmInstallRecord: Sendable {
    package private(set) var release: HelmRelease
    private var stored: HelmReleaseStore.Record?

    /// `userValues`: `values.resolve().user`; `objects` as rendered (without Helm's ownership
    /// metadata, as Helm stores its manifest).
    package init(values: InstallValues, userValues: JSONValue, namespace: String, objects: [JSONValue]) {
        let now = HelmTime.now()
        release = HelmRelease(
            name: values.meshName,
            info: .init(firstDeployed: now, lastDeployed: now, description: "Initial install underway",
                        status: .pendingInstall, notes: HelmChartRecord.notes),
            chart: HelmChartRecord.osm,
            config: HelmChartRecord.goOrdered(userValues),
            manifest: HelmManifest.render(objects: objects, releaseName: values.meshName),
            version: 1, namespace: namespace)
    }

    /// Helm 3.2's `releaseNameMaxLen`: Kubernetes names take 63 characters, 10 are kept for the chart's.
    package static let releaseNameMaxLength = 53

    /// The mesh name and namespace as Helm 3.2 would take them for a release, checked before
    /// anything is written: the length Helm's install checks first (`availableName`, upstream's
    /// words); a name whose record Secret (`sh.helm.release.v1.<name>.v1`) Kubernetes would
    /// refuse (upper case, `_`: upstream's Helm finds out only when it writes the record, after
    /// the CRDs); a name or namespace that YAML reads as other than a string (`y`, `on`, `1e3`):
    /// upstream's chart writes both unquoted into its objects, so Helm cannot build them.
    package static func checkReleaseName(_ name: String, namespace: String) throws(OSMError) {
        if name.utf8.count > releaseNameMaxLength {
            throw OSMError(.invalidInput, "release name \"\(name)\" exceeds max length of \(releaseNameMaxLength)")
        }
        let secret = HelmReleaseStore.secretName(release: name, version: 1)
        if !KubernetesNames.isDNS1123Subdomain(secret) {
            throw OSMError(.invalidInput, "mesh name \"\(name)\" cannot name a Helm release: its record would be the Secret \"\(secret)\", which Kubernetes refuses (lower-case letters, digits, '-' and '.' only); choose another --mesh-name")
        }
        if let type = yamlReading(name) {
            throw OSMError(.invalidInput, "mesh name \"\(name)\" cannot be installed: YAML reads it as \(type), and the chart writes it unquoted into its objects' labels, so Helm cannot build them (upstream's install fails; so would 'helm upgrade' or 'helm uninstall'); choose another --mesh-name")
        }
        if let type = yamlReading(namespace) {
            throw OSMError(.invalidInput, "namespace \"\(namespace)\" cannot hold a mesh: YAML reads it as \(type), and the chart writes it unquoted as its objects' namespace, so Helm cannot build them (upstream's install fails; so would 'helm upgrade' or 'helm uninstall'); choose another --osm-namespace")
        }
    }

    /// What YAML 1.1 (Helm's yaml.v2) reads a plain scalar as, when not a string.
    static func yamlReading(_ text: String) -> String? {
        switch try? YAML.parse(text) {
        case .bool(let b)?: return "a boolean (\(b))"
        case .int?, .double?: return "a number"
        case .null?: return "null"
        default: return nil
        }
    }

    /// The objects as Helm sends them: with its ownership label and annotations.
    package func owned(_ objects: [JSONValue]) -> [JSONValue] {
        objects.map { HelmOwnership.apply(to: $0, releaseName: release.name, releaseNamespace: release.namespace) }
    }

    /// How revision 1 is stored: created, or (`--resume`) rewritten over the one a failed or
    /// stopped install left.
    package struct Write: Sendable {
        package let request: KubeRequest
        package let secret: (resource: APIResource, namespace: String, name: String)
        let resumed: HelmReleaseStore.Record?
        /// Whether the write creates the Secret (not a `--resume` over an existing one).
        package var creates: Bool { resumed == nil }
    }

    /// Refuses a name that already has a history in the namespace (Helm's `availableName`:
    /// "cannot re-use a name that is still in use"), before anything is written; else the write
    /// that stores revision 1 as pending-install, which goes out with the first objects.
    /// `secrets`: the release's Secrets (`HelmReleaseStore.selector`), read with the checks.
    /// `resuming` (`osm install --resume`) takes over revision 1 of an install that failed or
    /// stopped part way (`failed` or `pending-install`) instead of refusing it.
    package func plan(client: any KubeAPI, secrets: [JSONValue], resuming: Bool = false) throws -> Write {
        let store = HelmReleaseStore(client: client, namespace: release.namespace)
        let history = HelmReleaseStore.history(secrets: secrets)
        let secret = (APIResource.secrets, release.namespace, HelmReleaseStore.secretName(release: release.name, version: release.version))
        if resuming, history.records.count == 1, var last = history.latest, last.release.version == 1,
           last.release.info.status == .failed || last.release.info.status == .pendingInstall {
            last.release = release
            return Write(request: try store.updateRequest(last), secret: secret, resumed: last)
        }
        if let last = history.latest {
            throw OSMError(.meshExists, "cannot re-use a name that is still in use: Helm release [\(release.name)] (revision \(last.release.version), \(last.release.info.status)) exists in namespace [\(release.namespace)]; remove it with 'osm mesh uninstall --mesh-name \(release.name) --osm-namespace \(release.namespace) -f' or choose another --mesh-name")
        }
        if let bad = history.unreadable.first {
            throw OSMError(.meshExists, "cannot re-use a name that is still in use: a Helm release record of [\(release.name)] exists in namespace [\(release.namespace)] (\(bad)); remove it or choose another --mesh-name")
        }
        return Write(request: try store.createRequest(release), secret: secret, resumed: nil)
    }

    /// Reads the answer to `write`'s request.
    package mutating func written(_ write: Write, client: any KubeAPI, _ answer: Swift.Result<JSONValue, KubeError>) throws {
        let store = HelmReleaseStore(client: client, namespace: release.namespace)
        stored = try write.resumed.map { r throws in try store.updated(r, answer) } ?? store.created(release, answer)
    }

    /// The install succeeded: `deployed`, "Install complete".
    package mutating func finish(client: any KubeAPI) throws {
        guard var record = stored else { return }
        record.release.info.status = .deployed
        record.release.info.description = "Install complete"
        do {
            stored = try HelmReleaseStore(client: client, namespace: release.namespace).update(record)
        } catch {
            throw OSMError.from(error).withMessage("OSM installed successfully in namespace [\(release.namespace)] with mesh name [\(release.name)], but its Helm release record could not be marked deployed (\(error)); 'osm install --resume --mesh-name \(release.name) --osm-namespace \(release.namespace)' with the same flags records it")
        }
        release = record.release
    }

    /// The install failed (and is not rolled back): `failed`, as Helm's `failRelease` records it.
    /// Best effort: the install's own error is what the user needs to see.
    package mutating func fail(client: any KubeAPI, message: String) {
        guard var record = stored else { return }
        record.release.info.status = .failed
        record.release.info.description = HelmRelease.failureDescription("Release", release.name, message)
        if let updated = try? HelmReleaseStore(client: client, namespace: release.namespace).update(record) {
            stored = updated
            release = record.release
        }
    }
}
