#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import ObjectModel

/// The release record side of `osm mesh upgrade` on a mesh that has one (installed by upstream's
/// Helm or by this osm), left as upstream's `osm mesh upgrade` (Helm v3.2's `action.Upgrade`)
/// leaves it: the previous deployed revision `superseded`, the new one `deployed`. Helm writes
/// the new revision `pending-upgrade` first, changes the cluster, then rewrites both records:
/// three round trips after its reads. This osm sends the two record writes in the same batch as
/// osm-config's patch (one round trip; see `move`; image patches and other changes follow once
/// they succeeded), completes them when an answer is lost (`complete`), and undoes them if the
/// cluster changes fail (`undo`).
/// For less than that round trip a reader may find both revisions deployed, or neither; if the
/// run stops there, the next one finds that state and repairs it (see `repair`), as it repairs
/// what an interrupted Helm upgrade leaves (a `pending-upgrade` revision).
package struct HelmUpgradeRecord: Sendable {
    let store: HelmReleaseStore
    package let releaseName: String
    package private(set) var history: HelmReleaseStore.History
    /// What `repair` found and did, one line each, for the user.
    package private(set) var notes: [String] = []

    /// nil when the mesh has no release record in the namespace (an install by an osm that kept
    /// none). `secrets`: the list of the release's Secrets (`HelmReleaseStore.selector`).
    package static func load(client: any KubeAPI, namespace: String, releaseName: String,
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
    package var base: HelmReleaseStore.Record { history.deployed.last ?? lastSuperseded ?? history.records.last! }
    /// The last revision, counting the Secrets whose record cannot be read.
    package var latestVersion: Int { max(history.records.last?.release.version ?? 0, history.highestVersion) }

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
    package mutating func repair() throws {
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
    package func nextValues(overrides: JSONValue) -> (values: JSONValue, changed: Bool) {
        let old = Self.coalesceTables(base.release.config, base.release.chart["values"] ?? .object(JSONObject()))
        let next = HelmChartRecord.goOrdered(Self.coalesceTables(overrides, old))
        return (next, next != old)  // key order aside (JSON's equality)
    }

    /// Revision latest+1 as `pending-upgrade`, values and manifest rendered from `values`.
    package func nextRelease(values: JSONValue) throws(OSMError) -> HelmRelease {
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
    /// does not render, of any kind (`ManifestObjects` looks up those osm's table does not know,
    /// and warns of those the server does not serve).
    package func removedObjects(next: HelmRelease) -> (objects: [HelmManifest.Entry], warnings: [String]) {
        // A revision osm rendered (its chart record keeps no templates; a `helm rollback` to it
        // keeps its chart) lists what osm renders, and no `mesh upgrade` flag adds or removes an
        // object: only a Helm-rendered base is worth two manifest parses.
        let osmRendered = base.release.chart["templates"]?.arrayValue?.isEmpty ?? true
        guard !osmRendered, base.release.manifest != next.manifest else { return ([], []) }
        let namespace = next.namespace
        let kept = HelmManifest.entries(in: next.manifest, namespace: namespace).entries
        let old = HelmManifest.entries(in: base.release.manifest, namespace: namespace)
        // Never a namespace (the release's records live in one), whatever a chart listed.
        let removed = old.entries.filter { old in
            old.resource.kind != "Namespace" && !kept.contains { $0.resource.group == old.resource.group && $0.resource.kind == old.resource.kind
                && $0.namespace == old.namespace && $0.name == old.name }
        }
        let (documents, problem) = ManifestObjects.unresolved(in: base.release.manifest, unknown: old.unknown)
        let resolved = ManifestObjects.resolve(known: removed, unresolved: documents, namespace: namespace,
                                               release: releaseName, client: store.client)
        return (resolved.entries, resolved.warnings + (problem.map { ["Warning: Helm release \(releaseName): revision \(base.release.version)'s \($0); the objects it lists were not deleted"] } ?? []))
    }

    /// The record writes that make `next` the deployed revision: the base revision superseded
    /// (when it is deployed) and `next` created deployed, as Helm's upgrade leaves them. They go
    /// in the same batch as osm-config's patch; `complete` (or, when that patch failed, `found`
    /// and `undo`) reads their answers.
    package struct Move: Sendable {
        package let requests: [KubeRequest]
        let superseded: HelmReleaseStore.Record?
        let next: HelmRelease
    }

    package func move(to next: HelmRelease) throws -> Move {
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

    // MARK: finishing a move

    /// How many times a record write is sent, and a record read back, at most, when an answer
    /// is an error: a 5xx or a lost connection may or may not have applied it.
    static let recordAttempts = 3

    /// Where a move stands once its answers are read (and, after a failed answer, its records
    /// read back).
    package struct MoveState: Sendable {
        /// The base as this run superseded it; nil when it did not.
        var superseded: HelmReleaseStore.Record?
        /// The next revision as this run created it (deployed); nil when it did not.
        var created: HelmReleaseStore.Record?
        /// Why the next revision could not be created, after `recordAttempts` tries (or another
        /// writer's revision of that number); the base is then deployed again when this run had
        /// superseded it.
        package var createFailure: KubeError?
        /// Why the base could not be superseded beside a created next revision.
        var supersedeFailure: KubeError?
        /// When the record could not be set back as it was, what it is left as, for the error.
        package var left: String?
        /// The revision the move builds on.
        var baseVersion = 0
    }

    /// After a move whose cluster changes went through (or that has none yet): makes the next
    /// revision deployed and the base superseded, sending again a write whose answer was an
    /// error and reading back a record whose answer was lost, `recordAttempts` times at most.
    /// If the next revision cannot be created, the base is made deployed again (the caller takes
    /// back what it changed): after a cluster change, no record failure leaves the history
    /// without a deployed revision unless setting it back fails too, which `left` says.
    package mutating func complete(_ move: Move, answers: [Swift.Result<JSONValue, KubeError>]) -> MoveState {
        var state = MoveState(baseVersion: base.release.version)
        let nextName = HelmReleaseStore.secretName(release: releaseName, version: move.next.version)
        switch ensure(move.requests.last!, secretName: nextName, unchangedRV: nil, answer: answers.last!) {
        case .success(let rv): state.created = .init(release: move.next, secretName: nextName, resourceVersion: rv)
        case .failure(let e): state.createFailure = e
        }
        if var superseded = move.superseded {
            if state.created != nil {
                switch ensure(move.requests[0], secretName: superseded.secretName, unchangedRV: base.resourceVersion, answer: answers[0]) {
                case .success(let rv):
                    superseded.resourceVersion = rv
                    state.superseded = superseded
                case .failure(let e): state.supersedeFailure = e
                }
            } else {
                switch applied(move.requests[0], secretName: superseded.secretName, answer: answers[0]) {
                case .yes(let rv):
                    superseded.resourceVersion = rv
                    state.superseded = superseded
                case .no: break
                case .unknown(let e):
                    state.left = "revision \(superseded.release.version) may be left superseded, with no revision deployed (it could not be read back: \(e.message))"
                }
            }
        }
        if let old = state.superseded { replace(old) }
        if let new = state.created { history.records.append(new) }
        if state.createFailure != nil, let old = state.superseded {
            // The base deployed again, as it was.
            var back = old
            back.release.info.status = .deployed
            switch (try? store.updateRequest(back)).map({ ensure($0, secretName: back.secretName, unchangedRV: back.resourceVersion, answer: nil) }) {
            case .success(let rv)?:
                back.resourceVersion = rv
                replace(back)
                state.superseded = nil
            case .failure(let e)?:
                state.left = "revision \(old.release.version) is left superseded, with no revision deployed (marking it deployed again failed: \(e.message))"
            case nil:
                state.left = "revision \(old.release.version) is left superseded, with no revision deployed"
            }
        }
        return state
    }

    /// What a move's answers did, reading back a record whose answer was lost; for `undo` after
    /// cluster changes that failed in the same batch.
    package func found(_ move: Move, answers: [Swift.Result<JSONValue, KubeError>]) -> MoveState {
        var state = MoveState(baseVersion: base.release.version)
        let nextName = HelmReleaseStore.secretName(release: releaseName, version: move.next.version)
        if case .yes(let rv) = applied(move.requests.last!, secretName: nextName, answer: answers.last!) {
            state.created = .init(release: move.next, secretName: nextName, resourceVersion: rv)
        }
        if var superseded = move.superseded, case .yes(let rv) = applied(move.requests[0], secretName: superseded.secretName, answer: answers[0]) {
            superseded.resourceVersion = rv
            state.superseded = superseded
        }
        return state
    }

    /// After cluster changes that failed: what the move did is undone, as Helm leaves a failed
    /// upgrade: the base `deployed` again first (so that a revision stays deployed), then the
    /// new revision `failed`, each write sent again and read back as in `complete`. Returns the
    /// error the run ends with: `clusterError`, and, when the record could not be set back, what
    /// it is left as (`repair` closes it on the next run).
    package mutating func undo(_ state: MoveState, clusterError: any Error) -> any Error {
        var problems: [String] = state.left.map { [$0] } ?? []
        var baseDeployed = true
        if var old = state.superseded {
            old.release.info.status = .deployed
            switch (try? store.updateRequest(old)).map({ ensure($0, secretName: old.secretName, unchangedRV: old.resourceVersion, answer: nil) }) {
            case .success(let rv)?:
                old.resourceVersion = rv
                replace(old)
            case .failure(let e)?:
                baseDeployed = false
                problems.append("revision \(old.release.version) could not be marked deployed again (\(e.message))")
            case nil:
                baseDeployed = false
                problems.append("revision \(old.release.version) could not be marked deployed again")
            }
        }
        if var new = state.created {
            let version = new.release.version
            if baseDeployed {
                new.release.info.status = .failed
                new.release.info.description = HelmRelease.failureDescription("Upgrade", releaseName, Self.message(clusterError))
                switch (try? store.updateRequest(new)).map({ ensure($0, secretName: new.secretName, unchangedRV: new.resourceVersion, answer: nil) }) {
                case .success(let rv)?:
                    new.resourceVersion = rv
                    if let i = history.records.firstIndex(where: { $0.secretName == new.secretName }) { history.records[i] = new }
                case .failure(let e)?:
                    problems.append("revision \(version) could not be marked failed (\(e.message)), so it stays deployed beside revision \(state.baseVersion) although its changes failed")
                case nil:
                    problems.append("revision \(version) could not be marked failed, so it stays deployed beside revision \(state.baseVersion) although its changes failed")
                }
            } else {
                problems[problems.count - 1] += ", so revision \(version) stays the deployed one although its changes failed"
            }
        } else if !baseDeployed {
            problems.append("no revision is deployed")
        }
        guard !problems.isEmpty else { return clusterError }
        return OSMError.from(clusterError).withMessage("\(Self.message(clusterError)); the Helm release record of mesh \(releaseName) could not be set back: \(problems.joined(separator: "; ")): run the same 'osm mesh upgrade' again to repair it")
    }

    /// After a completed move whose base could not be superseded: the error saying so (the next
    /// revision is deployed; Helm reads the last deployed one).
    package func finished(_ state: MoveState) throws {
        guard let e = state.supersedeFailure, let new = state.created else { return }
        throw OSMError.from(e).withMessage("mesh \(releaseName) was upgraded and revision \(new.release.version) of its Helm release record is deployed, but revision \(state.baseVersion) could not be marked superseded (\(e.message)) and is deployed beside it: run the same 'osm mesh upgrade' again to mark it superseded")
    }

    /// What a record Secret holds now, read back after a write whose answer was an error.
    enum Found { case absent, ours(String?), other(String?), unknown(KubeError) }

    /// `data.release` as a record write sends it.
    static func releaseData(_ request: KubeRequest) -> String? {
        switch request.operation {
        case .create(_, _, let o): return o[path: "data", "release"]?.stringValue
        case .patch(_, _, _, let p, _): return p[path: "data", "release"]?.stringValue
        default: return nil
        }
    }

    func look(_ secretName: String, data: String?) -> Found {
        guard let request = try? store.client.getRequest(.secrets, namespace: store.namespace, name: secretName) else {
            return .unknown(KubeError(.invalid, "cannot read Secret \(secretName)"))
        }
        switch store.client.send([request])[0] {
        case .success(let s):
            let rv = s.metadata.resourceVersion
            return data != nil && s[path: "data", "release"]?.stringValue == data ? .ours(rv) : .other(rv)
        case .failure(let e) where e.kind == .notFound: return .absent
        case .failure(let e): return .unknown(e)
        }
    }

    enum Applied { case yes(String?), no, unknown(KubeError) }

    /// Whether a record write was applied: its answer says so, or a refusal says it was not
    /// (4xx), or else the record read back (a 5xx or a lost answer may have been applied).
    func applied(_ request: KubeRequest, secretName: String, answer: Swift.Result<JSONValue, KubeError>) -> Applied {
        let e: KubeError
        switch answer {
        case .success(let o): return .yes(o.metadata.resourceVersion)
        case .failure(let error): e = error
        }
        // A refusal after one attempt changed nothing; after several, it may answer this run's
        // own first attempt.
        if e.attempts <= 1 && Install.createdNothing(e) { return .no }
        var last = e
        for attempt in 0..<Self.recordAttempts {
            if attempt > 0 { Self.pause(attempt) }
            switch look(secretName, data: Self.releaseData(request)) {
            case .ours(let rv): return .yes(rv)
            case .absent, .other: return .no
            case .unknown(let e): last = e
            }
        }
        return .unknown(last)
    }

    /// Sends a record write until it is applied, `recordAttempts` times at most: after an error
    /// answer the record is read back (a lost answer may have been applied, and a write sent
    /// again after it would be refused), and the write sent again only when the record is
    /// still as it was (absent for a create; at `unchangedRV` for an update). Returns the
    /// record's resourceVersion.
    func ensure(_ request: KubeRequest, secretName: String, unchangedRV: String?,
                answer first: Swift.Result<JSONValue, KubeError>?) -> Swift.Result<String?, KubeError> {
        let data = Self.releaseData(request)
        let isCreate: Bool
        if case .create = request.operation { isCreate = true } else { isCreate = false }
        var answer = first ?? store.client.send([request])[0]
        var sent = 1
        while true {
            var lastError: KubeError
            switch answer {
            case .success(let o): return .success(o.metadata.resourceVersion)
            case .failure(let e): lastError = e
            }
            // A refusal (403, 422...) after one attempt changed nothing and would be refused again.
            if lastError.attempts <= 1, Install.createdNothing(lastError), lastError.kind != .conflict, lastError.kind != .alreadyExists {
                return .failure(lastError)
            }
            var resend = false
            reading: for attempt in 0..<Self.recordAttempts {
                if attempt > 0 { Self.pause(attempt) }
                switch look(secretName, data: data) {
                case .ours(let rv): return .success(rv)
                case .absent:
                    guard isCreate else { return .failure(lastError) }
                    resend = true
                    break reading
                case .other(let rv):
                    if isCreate {
                        return .failure(lastError.kind == .alreadyExists ? lastError : KubeError(.alreadyExists, code: 409, reason: "AlreadyExists", "Secret \(secretName) was written by another command meanwhile"))
                    }
                    guard rv != nil, rv == unchangedRV else {
                        return .failure(lastError.kind == .conflict ? lastError : KubeError(.conflict, code: 409, reason: "Conflict", "Secret \(secretName) was changed by another command meanwhile"))
                    }
                    resend = true
                    break reading
                case .unknown(let e): lastError = e
                }
            }
            guard resend, sent < Self.recordAttempts else { return .failure(lastError) }
            Self.pause(sent)
            sent += 1
            answer = store.client.send([request])[0]
        }
    }

    /// 200 ms, then 400 ms... between tries.
    static func pause(_ attempt: Int) {
        var ts = timespec(tv_sec: 0, tv_nsec: 200_000_000 * min(attempt, 4))
        nanosleep(&ts, nil)
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
