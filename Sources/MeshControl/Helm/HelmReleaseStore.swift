import KubeClient
import ObjectModel

/// Helm 3's Secret storage driver (`pkg/storage/driver/secrets.go`, v3.2) over one namespace:
/// each revision is a Secret `sh.helm.release.v1.<name>.v<revision>` of type `helm.sh/release.v1`,
/// labelled `name`, `owner: helm`, `status`, `version` and `createdAt` (when created) or
/// `modifiedAt` (when rewritten: Helm's update replaces the whole object, so `createdAt` goes),
/// whose `data.release` is the encoded release (`HelmRelease.encoded()`).
package struct HelmReleaseStore: Sendable {
    package let client: any KubeAPI
    package let namespace: String

    package init(client: any KubeAPI, namespace: String) {
        self.client = client
        self.namespace = namespace
    }

    package static let secretType = "helm.sh/release.v1"

    /// `storage.makeKey`.
    package static func secretName(release: String, version: Int) -> String {
        "sh.helm.release.v1.\(release).v\(version)"
    }

    /// A revision as stored, with what a conditional rewrite needs.
    package struct Record: Sendable {
        package var release: HelmRelease
        package var secretName: String
        package var resourceVersion: String?
        /// The bytes the record was read from, when it was (`HelmRelease.Stored`).
        var stored: HelmRelease.Stored? = nil
    }

    /// The revisions that matter for a new one, decoded: the latest, and every one whose `status`
    /// label is `deployed` or `pending-upgrade` (as Helm's `Deployed` queries by that label). The
    /// other revisions (superseded, failed; a long history is mostly those) are left encoded,
    /// unless `decodingAll` asks for them (a history with none deployed, to find its last good one).
    package struct History: Sendable {
        /// Oldest revision first.
        package var records: [Record]
        /// Secrets labelled as this release's records that do not decode, or whose release
        /// disagrees with the Secret's name and labels (another release, revision or status):
        /// `<secret>: <why>`, each. They are left as they are, never rewritten.
        package var unreadable: [String]
        /// The highest revision any of the release's Secrets claims by its name or its `version`
        /// label, decoded or not: the next revision must come after it, or its create collides.
        package var highestVersion: Int = 0
        /// What is left of the command's `HelmRelease.decodeBudget` after these records.
        package var budgetLeft: Int = HelmRelease.decodeBudget

        package var latest: Record? { records.last }
        package var deployed: [Record] { records.filter { $0.release.info.status == .deployed } }
    }

    /// The label selector of a release's records (`storage.History`).
    package static func selector(release: String) -> String { "name=\(release),owner=helm" }

    /// A release's records but the superseded ones, which a long history is mostly made of and
    /// which no upgrade reads: the latest revision is never superseded (a newer one would exist).
    package static func currentSelector(release: String) -> String { selector(release: release) + ",status!=superseded" }

    /// Every revision of `release` (`storage.History`: the Secrets labelled `name=<release>,owner=helm`),
    /// each decoded.
    package func history(of release: String, budget: Int = HelmRelease.decodeBudget) throws -> History {
        Self.history(secrets: try client.list(.secrets, namespace: namespace, labelSelector: Self.selector(release: release)),
                     decodingAll: true, budget: budget)
    }

    /// The revisions in a list of a release's Secrets.
    /// `budget`: what the command may still decode (`HelmRelease.decodeBudget`); a record past it
    /// is unreadable.
    package static func history(secrets items: [JSONValue], decodingAll: Bool = false,
                               budget: Int = HelmRelease.decodeBudget) -> History {
        var budget = budget
        var records: [Record] = []
        var unreadable: [String] = []
        func labelled(_ item: JSONValue, _ key: String) -> String? { item.metadata.label(key) }
        let highest = items.flatMap { [labelled($0, "version").flatMap { Int($0) }, $0.metadata.name.flatMap(Self.version(inSecretName:))] }
            .compactMap { $0 }.max() ?? 0
        for item in items {
            let version = labelled(item, "version").flatMap { Int($0) }
            let status = labelled(item, "status")
            guard decodingAll || version == nil || version == highest || status == HelmRelease.Status.deployed.rawValue
                || status == HelmRelease.Status.pendingUpgrade.rawValue else { continue }
            let secretName = item.metadata.name ?? "?"
            var stored: HelmRelease.Stored? = nil
            switch Swift.Result(catching: { () throws(OSMError) in try Self.decode(secret: item, budget: &budget, stored: &stored) }) {
            case .success(let release):
                if let mismatch = Self.mismatch(release, item) {
                    unreadable.append("\(secretName): \(mismatch)")
                } else {
                    records.append(Record(release: release, secretName: secretName,
                                          resourceVersion: item.metadata.resourceVersion, stored: stored))
                }
            case .failure(let error):
                unreadable.append("\(secretName): \(error)")
            }
        }
        records.sort { $0.release.version < $1.release.version }
        var history = History(records: records, unreadable: unreadable)
        history.highestVersion = highest
        history.budgetLeft = budget
        return history
    }

    /// The revision in a record Secret's name (`sh.helm.release.v1.<release>.v<revision>`).
    static func version(inSecretName name: String) -> Int? {
        guard name.hasPrefix("sh.helm.release.v1."), let last = name.split(separator: ".").last, last.hasPrefix("v") else { return nil }
        return Int(last.dropFirst())
    }

    /// How a decoded release disagrees with the Secret that holds it, if it does: its name, revision
    /// or status is not what the Secret's name and labels say. Such a record is not this
    /// release's revision as labelled; rewriting it would relabel it.
    static func mismatch(_ release: HelmRelease, _ secret: JSONValue) -> String? {
        let name = secret.metadata.label("name"), status = secret.metadata.label("status")
        let versions = [secret.metadata.label("version").map { Int($0) ?? -1 }, secret.metadata.name.flatMap(Self.version(inSecretName:))]
        if let name, name != release.name {
            return "its record is of release \"\(release.name)\", the Secret is labelled \"\(name)\"; left as is"
        }
        if let claimed = versions.compactMap({ $0 }).first(where: { $0 != release.version }) {
            return "its record is revision \(release.version), the Secret's name or labels say \(claimed); left as is"
        }
        if let status, status != release.info.status.rawValue {
            return "its record's status is \"\(release.info.status)\", the Secret is labelled \"\(status)\"; left as is"
        }
        return nil
    }

    /// The release in a Secret as the API returns it (`data.release` is base64 of the encoded release).
    package static func decode(secret: JSONValue, budget: inout Int) throws(OSMError) -> HelmRelease {
        var stored: HelmRelease.Stored? = nil
        return try decode(secret: secret, budget: &budget, stored: &stored)
    }

    /// `decode`, keeping the bytes read in `stored`.
    static func decode(secret: JSONValue, budget: inout Int, stored: inout HelmRelease.Stored?) throws(OSMError) -> HelmRelease {
        guard let field = secret[path: "data", "release"]?.stringValue, let inner = Base64.decode(field) else {
            throw OSMError("the Secret has no base64 data.release")
        }
        return try HelmRelease(encoded: String(decoding: inner, as: UTF8.self), budget: &budget, stored: &stored)
    }

    /// The Secret holding a revision (`newSecretsObject`), with `createdAt` or `modifiedAt`.
    package static func secret(for release: HelmRelease, namespace: String, timestampLabel: String) throws(OSMError) -> JSONValue {
        try secret(for: release, namespace: namespace, timestampLabel: timestampLabel, stored: nil)
    }

    /// `stored`: the bytes `release` was read from, when only its status changed since
    /// (`HelmRelease.encoded(reusing:)` checks).
    static func secret(for release: HelmRelease, namespace: String, timestampLabel: String,
                       stored: HelmRelease.Stored?) throws(OSMError) -> JSONValue {
        var labels = JSONObject()
        labels[timestampLabel] = .string(String(HelmTime.unixSeconds()))
        labels["name"] = .string(release.name)
        labels["owner"] = "helm"
        labels["status"] = .string(release.info.status.rawValue)
        labels["version"] = .string(String(release.version))
        var meta = JSONObject()
        meta["name"] = .string(secretName(release: release.name, version: release.version))
        meta["namespace"] = .string(namespace)
        meta["labels"] = .object(labels)
        let encoded: String
        if let stored { encoded = try release.encoded(reusing: stored) } else { encoded = try release.encoded() }
        return [
            "apiVersion": "v1", "kind": "Secret", "metadata": .object(meta), "type": .string(secretType),
            "data": ["release": .string(Base64.encode(Array(encoded.utf8)))],
        ]
    }

    /// `Secrets.Create` as a request for a batch (`KubeClient.send`); an existing record of that
    /// revision is an error, as in Helm (`created` reads the answer). `timestampLabel`:
    /// `createdAt`, or `modifiedAt` for a revision written in its final state at once (as
    /// Helm's create-then-update leaves it).
    package func createRequest(_ release: HelmRelease, timestampLabel: String = "createdAt") throws -> KubeRequest {
        try client.createRequest(.secrets, namespace: namespace, Self.secret(for: release, namespace: namespace, timestampLabel: timestampLabel))
    }

    package func created(_ release: HelmRelease, _ result: Swift.Result<JSONValue, KubeError>) throws -> Record {
        let name = Self.secretName(release: release.name, version: release.version)
        if case .failure(let error) = result, error.kind == .alreadyExists {
            throw OSMError(.kube(.alreadyExists), "Helm release record \(name) already exists in namespace [\(namespace)]: another install or upgrade of mesh [\(release.name)] ran at the same time; check with 'osm mesh list' and retry")
        }
        let created = try result.get()
        return Record(release: release, secretName: name, resourceVersion: created.metadata.resourceVersion)
    }

    /// `Secrets.Update`: the record rewritten with labels `modifiedAt` (and no `createdAt`),
    /// `status`, `version`, as Helm's update leaves the Secret. A merge patch rather than Helm's
    /// whole-object PUT, conditional on the record not having changed since it was read: two
    /// writers must not interleave here.
    @discardableResult
    package func update(_ record: Record) throws -> Record {
        let request = try updateRequest(record)
        return try updated(record, client.send([request])[0])
    }

    /// The request of `update`, for a batch (`KubeClient.send`); `updated` reads its answer.
    package func updateRequest(_ record: Record) throws -> KubeRequest {
        let secret = try Self.secret(for: record.release, namespace: namespace, timestampLabel: "modifiedAt", stored: record.stored)
        var labels = secret[path: "metadata", "labels"]?.objectValue ?? JSONObject()
        labels["createdAt"] = .null
        var meta: JSONObject = ["labels": .object(labels)]
        if let rv = record.resourceVersion { meta["resourceVersion"] = .string(rv) }
        let patch: JSONValue = ["metadata": .object(meta), "type": .string(Self.secretType), "data": secret["data"] ?? .null]
        return try client.patchRequest(.secrets, namespace: namespace, name: record.secretName, patch, type: .merge)
    }

    package func updated(_ record: Record, _ result: Swift.Result<JSONValue, KubeError>) throws -> Record {
        if case .failure(let error) = result, error.kind == .conflict {
            throw OSMError(.kube(.conflict), "Helm release record \(record.secretName) changed while this command ran (another helm or osm command?); run it again")
        }
        let updated = try result.get()
        var out = record
        out.resourceVersion = updated.metadata.resourceVersion
        return out
    }
}
