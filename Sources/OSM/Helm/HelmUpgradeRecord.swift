import KubeClient
import YAML

/// The release record side of `osm mesh upgrade` on a mesh that has one (installed by upstream's
/// Helm or by this osm), kept as upstream's `osm mesh upgrade` (Helm v3.2's `action.Upgrade`)
/// keeps it: the next revision is stored as `pending-upgrade` before the cluster changes, then
/// the previous deployed revision is marked `superseded`, then the new one `deployed`. At no
/// point are two revisions `deployed`; if a run stops half way, the next run finds one of two
/// states and repairs it (see `repair`).
public struct HelmUpgradeRecord: Sendable {
    let store: HelmReleaseStore
    public let releaseName: String
    public private(set) var history: HelmReleaseStore.History
    /// What `repair` found and did, one line each, for the user.
    public private(set) var notes: [String] = []
    private var pending: HelmReleaseStore.Record?

    /// nil when the mesh has no release record in the namespace (an install by an osm that kept
    /// none). `secrets`: the list of the release's Secrets (`HelmReleaseStore.selector`).
    public static func load(client: KubeClient, namespace: String, releaseName: String,
                            secrets: [JSONValue]) throws(OSMError) -> HelmUpgradeRecord? {
        let history = HelmReleaseStore.history(secrets: secrets)
        if history.records.isEmpty {
            if let bad = history.unreadable.first {
                throw OSMError("the Helm release record of mesh [\(releaseName)] cannot be read (\(bad)); nothing was changed")
            }
            return nil
        }
        return HelmUpgradeRecord(store: HelmReleaseStore(client: client, namespace: namespace), releaseName: releaseName, history: history)
    }

    /// The revision the next one builds on: the last deployed one, else the last one.
    public var base: HelmReleaseStore.Record { history.deployed.last ?? history.records.last! }
    public var latestVersion: Int { history.records.last?.release.version ?? 0 }

    // MARK: repair

    /// Completes or closes what an interrupted upgrade left. An upgrade writes, in order:
    /// (1) revision N+1 pending-upgrade, (2) the cluster changes, (3) revision N superseded,
    /// (4) revision N+1 deployed. Stopped after (3): nothing deployed and the last revision
    /// pending-upgrade; its changes are in the cluster, so it is marked deployed. Stopped before
    /// (3): the last revision is pending-upgrade beside a deployed one; its changes may be partly
    /// in the cluster, so it is marked failed, and the deployed one stays current (as Helm leaves
    /// a failed upgrade). Several deployed revisions (Helm's own concurrent runs can leave them):
    /// all but the last are marked superseded, as Helm's `Deployed` reads the last anyway.
    /// Every rewrite is conditional on the record being as read.
    public mutating func repair() throws {
        guard var last = history.records.last else { return }
        if last.release.info.status == .pendingUpgrade {
            if history.deployed.isEmpty {
                last.release.info.status = .deployed
                last.release.info.description = "Upgrade complete"
                replace(try store.update(last))
                notes.append("Helm release \(releaseName): revision \(last.release.version) was left pending-upgrade after its changes were made; marked it deployed")
            } else {
                last.release.info.status = .failed
                last.release.info.description = "Upgrade \"\(releaseName)\" failed: interrupted before it completed"
                replace(try store.update(last))
                notes.append("Helm release \(releaseName): revision \(last.release.version) was left pending-upgrade by an interrupted upgrade; marked it failed (revision \(history.deployed.last!.release.version) stays deployed)")
            }
        }
        let deployed = history.deployed
        for var older in deployed.dropLast() {
            older.release.info.status = .superseded
            replace(try store.update(older))
            notes.append("Helm release \(releaseName): revisions \(deployed.map { String($0.release.version) }.joined(separator: ", ")) were all deployed; marked revision \(older.release.version) superseded")
        }
    }

    private mutating func replace(_ record: HelmReleaseStore.Record) {
        if let i = history.records.firstIndex(where: { $0.secretName == record.secretName }) { history.records[i] = record }
    }

    // MARK: the next revision

    /// The values upstream's `osm mesh upgrade` stores: the given overrides over the base's
    /// config over the base's chart values (`chartutil.CoalesceTables`, twice).
    public func nextValues(overrides: JSONValue) -> JSONValue {
        let old = Self.coalesceTables(base.release.config, base.release.chart["values"] ?? .object(JSONObject()))
        return HelmChartRecord.goOrdered(Self.coalesceTables(overrides, old))
    }

    /// Whether the values differ from what the base revision renders with.
    public func valuesChange(_ next: JSONValue) -> Bool {
        next != HelmChartRecord.goOrdered(Self.coalesceTables(base.release.config, base.release.chart["values"] ?? .object(JSONObject())))
    }

    /// Revision latest+1 as `pending-upgrade`, values and manifest rendered from `values`.
    public func nextRelease(values: JSONValue) throws(OSMError) -> HelmRelease {
        let namespace = base.release.namespace.isEmpty ? store.namespace : base.release.namespace
        let rendered: [JSONValue]
        do {
            rendered = try ControlPlaneManifest.render(values: ValuesCoalescer.coalesce(user: values, defaults: ChartDefaults.values),
                                                       namespace: namespace)
        } catch {
            throw OSMError("cannot render revision \(latestVersion + 1) of the Helm release of mesh [\(releaseName)] from its recorded values (\(error.message)); nothing was changed")
        }
        return HelmRelease(
            name: releaseName,
            info: .init(firstDeployed: base.release.info.firstDeployed, lastDeployed: HelmTime.now(),
                        description: "Preparing upgrade", status: .pendingUpgrade, notes: HelmChartRecord.notes),
            chart: HelmChartRecord.osm, config: values,
            manifest: HelmManifest.render(objects: rendered, releaseName: releaseName),
            version: latestVersion + 1, namespace: namespace)
    }

    /// Step 1: store the next revision as pending-upgrade.
    public mutating func begin(_ next: HelmRelease) throws {
        pending = try store.create(next)
    }

    /// The cluster changes failed: the new revision is `failed` (best effort; `repair` closes it otherwise).
    public mutating func fail(message: String) {
        guard var record = pending else { return }
        record.release.info.status = .failed
        record.release.info.description = "Upgrade \"\(releaseName)\" failed: \(message)"
        _ = try? store.update(record)
        pending = nil
    }

    /// Steps 3 and 4: the base revision superseded (if it was deployed), then the new one deployed.
    public mutating func finish() throws {
        guard var record = pending else { return }
        var old = base
        do {
            if old.release.info.status == .deployed {
                old.release.info.status = .superseded
                replace(try store.update(old))
            }
            record.release.info.status = .deployed
            record.release.info.description = "Upgrade complete"
            pending = try store.update(record)
        } catch {
            let why = (error as? OSMError)?.message ?? (error as? KubeError)?.message ?? "\(error)"
            throw OSMError("mesh \(releaseName) was upgraded, but its Helm release record could not be brought up to date (\(why)); run the same 'osm mesh upgrade' again to complete it")
        }
    }

    /// `chartutil.CoalesceTables(dst, src)` (Helm v3.2): `src` fills in what `dst` lacks, maps
    /// merge key by key, and a null in `dst` deletes the key.
    static func coalesceTables(_ dst: JSONValue, _ src: JSONValue) -> JSONValue {
        guard var d = dst.objectValue, let s = src.objectValue else { return dst.objectValue == nil ? src : dst }
        for (key, value) in s {
            switch d[key] {
            case .some(.null): d[key] = nil
            case .none: d[key] = value
            case .some(.object) where value.objectValue != nil: d[key] = coalesceTables(d[key]!, value)
            default: break
            }
        }
        return .object(d)
    }
}
