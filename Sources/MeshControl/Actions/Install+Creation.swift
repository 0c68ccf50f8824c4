#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import ObjectModel

/// Creating the control plane in dependency order, each round in one batch, the Helm record with
/// the first round.
extension Install {
    // MARK: creation

    /// Objects are created in three rounds, each all at once: first everything the Deployments'
    /// pods use (CRDs, RBAC, ServiceAccount, ConfigMap, Services; none of these refers to
    /// another in a way the API server checks), then the Deployments, then the webhook
    /// configurations, which must not point at a service before its backend exists.
    static func stage(of kind: String) -> Int {
        switch kind {
        case "Deployment": return 1
        case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration": return 2
        default: return 0
        }
    }

    /// Creates what does not exist yet (`existing`), recording in `journal` every create sent.
    /// Creates the objects in stages (what the pods use, the Deployments, the webhooks), a batch
    /// each. `record`: the Helm record's write, sent with the first stage (the namespace exists
    /// by then), and what reads its answer.
    func createAll(_ objects: [JSONValue], existing: [String: JSONValue], client: any KubeAPI, journal: inout Journal,
                   record: (write: HelmInstallRecord.Write, written: (Swift.Result<JSONValue, KubeError>) throws -> Void)? = nil) throws {
        var stages: [Int: [JSONValue]] = [:]
        for o in objects { stages[Self.stage(of: o.kind ?? ""), default: []].append(o) }
        var record = record
        for s in stages.keys.sorted() {
            try checkInterrupted()
            var targets: [(ObjectRef, JSONValue)] = []
            for o in stages[s]! {
                let r = try ref(o)
                if existing[Self.key(r.resource, r.namespace, r.name)] != nil { continue }
                targets.append((r, o))
            }
            let work = targets
            let (createdBefore, maybeBefore) = (journal.created.count, journal.maybe.count)
            var requests: [KubeRequest] = []
            for w in work { requests.append(try client.createRequest(w.0.resource, namespace: w.0.namespace, w.1)) }
            var answers = client.send(requests + (record.map { [$0.write.request] } ?? []))
            // The record first in the journal, as it was first in the batch.
            var recordError: (any Error)? = nil
            if let r = record {
                let answer = answers.removeLast()
                record = nil
                let secret = r.write.secret
                let ref = ObjectRef(resource: secret.resource, namespace: secret.namespace, name: secret.name)
                do {
                    try r.written(answer)
                    // A record taken over by --resume existed before: never the rollback's to delete.
                    if r.write.creates { journal.created.append(ref) }
                } catch {
                    if case .failure(let e) = answer, r.write.creates, !Self.createdNothing(e) { journal.maybe.append(ref) }
                    if case .failure(let e) = answer, e.kind == .interrupted {
                        recordError = e
                    } else if let e = error as? KubeError {
                        recordError = OSMError("could not create Secret \"\(ref.name)\" (the mesh's Helm release record): \(e.message)", cause: e)
                    } else {
                        recordError = error
                    }
                }
            }
            let results = answers.enumerated().map { (i, r) -> Swift.Result<Bool, KubeError> in
                switch r {
                case .success: return .success(true)
                // CRDs are shared by every mesh, as with Helm's crds/ folder
                case .failure(let e) where e.kind == .alreadyExists && work[i].0.resource.kind == "CustomResourceDefinition": return .success(false)
                case .failure(let e): return .failure(e)
                }
            }
            var failures: [String] = []
            var firstFailure: KubeError? = nil
            var interrupted: KubeError? = nil
            for (i, r) in results.enumerated() {
                let ref = work[i].0
                switch r {
                case .success(true): journal.created.append(ref)
                case .success(false): break
                case .failure(let e):
                    if !Self.createdNothing(e) { journal.maybe.append(ref) }
                    if e.kind == .interrupted { interrupted = e; continue }
                    var line = "could not create \(ref.resource.kind) \"\(ref.name)\": \(e.message)"
                    if e.kind == .alreadyExists {
                        line += " (created meanwhile by someone else? check it, then 'osm install --resume' to finish, or '\(uninstallCommand)')"
                    }
                    failures.append(line)
                    if firstFailure == nil { firstFailure = e }
                }
            }
            if let interrupted { throw interrupted }
            if let recordError {
                // Helm stores the record before it creates any object: a record that could not be
                // stored takes back the objects sent with it (the namespace, created before, stays
                // as Helm leaves it).
                let removed = removeSentWithRecord(&journal, since: (createdBefore, maybeBefore), client: client)
                failures.append(OSMError.from(recordError).message + removed)
                let message = failures.joined(separator: "; ")
                if let firstFailure { throw OSMError(message, cause: firstFailure) }
                throw OSMError.from(recordError).withMessage(message)
            }
            if let firstFailure { throw OSMError(failures.joined(separator: "; "), cause: firstFailure) }
        }
    }

    /// Deletes, in one round trip, what the round that carried the record created (or may have),
    /// and drops from `journal` what is gone; says what it did, for the error.
    func removeSentWithRecord(_ journal: inout Journal, since: (created: Int, maybe: Int), client: any KubeAPI) -> String {
        let sent = Array(journal.created[since.created...]) + Array(journal.maybe[since.maybe...])
        guard !sent.isEmpty else { return "" }
        let requests = sent.compactMap { try? client.deleteRequest($0.resource, namespace: $0.namespace, name: $0.name) }
        let answers = requests.count == sent.count ? client.send(requests) : []
        var gone: [ObjectRef] = []
        for (ref, answer) in zip(sent, answers) {
            switch answer {
            case .success: gone.append(ref)
            case .failure(let e) where e.kind == .notFound: gone.append(ref)
            case .failure: break
            }
        }
        journal.created.removeAll { gone.contains($0) }
        journal.maybe.removeAll { gone.contains($0) }
        return gone.count == sent.count
            ? " (the \(sent.count) objects sent with it were deleted)"
            : " (deleted \(gone.count) of the \(sent.count) objects sent with it)"
    }
}
