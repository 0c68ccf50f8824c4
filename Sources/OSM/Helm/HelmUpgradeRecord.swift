import KubeClient
import YAML

/// The release record side of `osm mesh upgrade` on a mesh that has one (installed by upstream's
/// Helm or by this osm), left as upstream's `osm mesh upgrade` (Helm v3.2's `action.Upgrade`)
/// leaves it: the previous deployed revision `superseded`, the new one `deployed`. Helm writes
/// the new revision `pending-upgrade` first, changes the cluster, then rewrites both records:
/// three round trips after its reads. This osm sends the two record writes in the same batch as
/// the cluster changes (one round trip; see `move`), and undoes them if the cluster changes fail.
/// For less than that round trip a reader may find both revisions deployed, or neither; if the
/// run stops there, the next one finds that state and repairs it (see `repair`), as it repairs
/// what an interrupted Helm upgrade leaves (a `pending-upgrade` revision).
public struct HelmUpgradeRecord: Sendable {
    let store: HelmReleaseStore
    public let releaseName: String
    public private(set) var history: HelmReleaseStore.History
    /// What `repair` found and did, one line each, for the user.
    public private(set) var notes: [String] = []

    /// nil when the mesh has no release record in the namespace (an install by an osm that kept
    /// none). `secrets`: the list of the release's Secrets (`HelmReleaseStore.selector`).
    public static func load(client: any KubeAPI, namespace: String, releaseName: String,
                            secrets: [JSONValue]) throws(OSMError) -> HelmUpgradeRecord? {
        var history = HelmReleaseStore.history(secrets: secrets)
        let store = HelmReleaseStore(client: client, namespace: namespace)
        if history.deployed.isEmpty && history.unreadable.isEmpty {
            // `secrets` leaves out superseded revisions; an upgrade stopped between its record
            // writes can leave the latest one superseded and none deployed (`repair`), beside older
            // failed ones. Only a mesh with no deployed record pays this read.
            do { history = try store.history(of: releaseName, budget: history.budgetLeft) } catch {
                throw OSMError.from(error).withMessage("cannot read the Helm release records of mesh [\(releaseName)] (Secrets in namespace [\(namespace)]), which this upgrade must keep in step: \(Self.message(error))")
            }
        }
        if history.records.isEmpty && history.unreadable.isEmpty { return nil }
        var record = HelmUpgradeRecord(store: store, releaseName: releaseName, history: history)
        if history.deployed.isEmpty && history.latest?.release.info.status != .pendingUpgrade && record.lastSuperseded == nil {
            if let bad = history.unreadable.first {
                throw OSMError(.badObject, "the Helm release record of mesh [\(releaseName)] cannot be read (\(bad)); nothing was changed")
            }
            // Only pending-install, failed or uninstalled revisions: Helm's upgrade (`Deployed`)
            // refuses, in these words, before anything is changed.
            throw OSMError(.meshNotFound, "\"\(releaseName)\" has no deployed releases")
        }
        record.notes = history.unreadable.map { "Helm release \(releaseName): skipped record \($0)" }
        return record
    }

    /// With no revision deployed, the one an osm upgrade stopped (or failed to undo) between its
    /// record writes left superseded: the last superseded revision, when every revision after
    /// it failed (Helm's own upgrade never supersedes before it succeeds).
    var lastSuperseded: HelmReleaseStore.Record? {
        guard history.deployed.isEmpty,
              let i = history.records.lastIndex(where: { $0.release.info.status == .superseded }),
              history.records[(i + 1)...].allSatisfy({ $0.release.info.status == .failed }) else { return nil }
        return history.records[i]
    }

    /// The revision the next one builds on: the last deployed one, else the one `repair` deploys
    /// again, else the last one.
    public var base: HelmReleaseStore.Record { history.deployed.last ?? lastSuperseded ?? history.records.last! }
    /// The last revision, counting the Secrets whose record cannot be read.
    public var latestVersion: Int { max(history.records.last?.release.version ?? 0, history.highestVersion) }

    // MARK: repair

    /// Completes or closes what an interrupted upgrade left.
    /// - A `pending-upgrade` last revision (Helm's upgrade, or an earlier osm's, stopped): with
    ///   no revision deployed, Helm had already superseded the old one after making the changes,
    ///   so it is marked deployed; beside a deployed one, its changes may be partly in the
    ///   cluster, so it is marked failed and the deployed one stays current (as Helm leaves a
    ///   failed upgrade).
    /// - No revision deployed and the last one superseded (an osm upgrade stopped after
    ///   superseding the base and before creating the next), or followed by failed ones only
    ///   (its undo after a failed change could not deploy it again): it is deployed again.
    /// - Several deployed revisions (an osm upgrade stopped after creating the next revision and
    ///   before superseding the base; Helm's own concurrent runs can leave them too): all but the
    ///   last are marked superseded, as Helm's `Deployed` reads the last anyway.
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
        if var last = lastSuperseded {
            last.release.info.status = .deployed
            replace(try store.update(last))
            notes.append("Helm release \(releaseName): no revision was deployed (an upgrade stopped between its record writes); marked revision \(last.release.version) deployed again")
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
    /// config over the base's chart values (`chartutil.CoalesceTables`, twice); and whether they
    /// differ from what the base revision renders with.
    public func nextValues(overrides: JSONValue) -> (values: JSONValue, changed: Bool) {
        let old = Self.coalesceTables(base.release.config, base.release.chart["values"] ?? .object(JSONObject()))
        let next = HelmChartRecord.goOrdered(Self.coalesceTables(overrides, old))
        return (next, next != old)  // key order aside (JSON's equality)
    }

    /// Revision latest+1 as `pending-upgrade`, values and manifest rendered from `values`.
    public func nextRelease(values: JSONValue) throws(OSMError) -> HelmRelease {
        let namespace = base.release.namespace.isEmpty ? store.namespace : base.release.namespace
        let rendered: [JSONValue]
        do {
            rendered = try ControlPlaneManifest.render(values: ValuesCoalescer.coalesce(user: values, defaults: ChartDefaults.values),
                                                       namespace: namespace, crds: false)
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

    /// The objects the base revision's manifest lists and `next`'s does not, which Helm's
    /// upgrade deletes (`KubeClient.Update`); a Helm-written base may list objects this chart
    /// does not render.
    public func removedObjects(next: HelmRelease) -> [HelmManifest.Entry] {
        // A revision osm rendered (its chart record keeps no templates; a `helm rollback` to it
        // keeps its chart) lists what osm renders, and no `mesh upgrade` flag adds or removes an
        // object: only a Helm-rendered base is worth two manifest parses.
        let osmRendered = base.release.chart["templates"]?.arrayValue?.isEmpty ?? true
        guard !osmRendered, base.release.manifest != next.manifest else { return [] }
        let namespace = next.namespace
        let kept = HelmManifest.entries(in: next.manifest, namespace: namespace).entries
        // Never a namespace (the release's records live in one), whatever a chart listed.
        return HelmManifest.entries(in: base.release.manifest, namespace: namespace).entries.filter { old in
            old.resource.kind != "Namespace" && !kept.contains { $0.resource.group == old.resource.group && $0.resource.kind == old.resource.kind
                && $0.namespace == old.namespace && $0.name == old.name }
        }
    }

    /// The record writes that make `next` the deployed revision: the base revision superseded
    /// (when it is deployed) and `next` created deployed, as Helm's upgrade leaves them. They go
    /// in the same batch as the cluster changes (one round trip for the lot); `finish` reads
    /// their answers.
    public struct Move: Sendable {
        public let requests: [KubeRequest]
        let superseded: HelmReleaseStore.Record?
        let next: HelmRelease
    }

    public func move(to next: HelmRelease) throws -> Move {
        var release = next
        release.info.status = .deployed
        release.info.description = "Upgrade complete"
        var requests: [KubeRequest] = []
        var superseded: HelmReleaseStore.Record? = nil
        if base.release.info.status == .deployed {
            var old = base
            old.release.info.status = .superseded
            requests.append(try store.updateRequest(old))
            superseded = old
        }
        requests.append(try store.createRequest(release, timestampLabel: "modifiedAt"))
        return Move(requests: requests, superseded: superseded, next: release)
    }

    /// Reads the answers to a move's requests. `clusterError`: the cluster changes sent beside
    /// them failed; then what the move did is undone (the new revision `failed`, the base
    /// `deployed` again, as Helm leaves a failed upgrade); if that fails too, the error says so
    /// (the cluster error first) and `repair` closes it on the next run. Otherwise throws when
    /// the record could not be moved although the cluster changed.
    public mutating func finish(_ move: Move, answers: [Swift.Result<JSONValue, KubeError>], clusterError: (any Error)?) throws {
        let supersededAnswer = move.superseded == nil ? nil : answers.first
        let createdAnswer = answers.last!
        var old: HelmReleaseStore.Record? = nil
        var new: HelmReleaseStore.Record? = nil
        var recordError: (any Error)? = nil
        if let superseded = move.superseded, let supersededAnswer {
            do { old = try store.updated(superseded, supersededAnswer) } catch { recordError = error }
        }
        do { new = try store.created(move.next, createdAnswer) } catch { recordError = recordError ?? error }
        if let clusterError {
            var undo: [KubeRequest] = []
            if var new {
                new.release.info.status = .failed
                new.release.info.description = HelmRelease.failureDescription("Upgrade", releaseName, Self.message(clusterError))
                if let r = try? store.updateRequest(new) { undo.append(r) }
            }
            if var old {
                old.release.info.status = .deployed
                if let r = try? store.updateRequest(old) { undo.append(r) }
            }
            let failed = store.client.send(undo).compactMap { r -> String? in
                if case .failure(let e) = r { return e.message } else { return nil }
            }
            if let why = failed.first {
                throw OSMError.from(clusterError).withMessage("\(Self.message(clusterError)); the Helm release record of mesh \(releaseName) could not be set back (\(why)): run the same 'osm mesh upgrade' again to repair it")
            }
            return
        }
        if let old { replace(old) }
        if let new { history.records.append(new) }
        if let recordError {
            throw OSMError.from(recordError).withMessage("mesh \(releaseName) was upgraded, but its Helm release record could not be brought up to date (\(Self.message(recordError))); run the same 'osm mesh upgrade' again to complete it")
        }
    }

    static func message(_ error: any Error) -> String {
        (error as? OSMError)?.message ?? (error as? KubeError)?.message ?? "\(error)"
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
