#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import ObjectModel

/// `osm install`: check, create the control plane in dependency order, wait for it to be
/// available, and explain (and with `atomic`, undo) a failure.
package struct Install: Sendable {
    package var values: InstallValues
    package var namespace: String
    /// Zero waits without limit.
    package var timeout: GoDuration
    package var atomic: Bool
    /// Readiness is polled quickly at first (a warm cluster answers within milliseconds), then
    /// less often, up to this interval.
    package var maxPollInterval: Double = 0.5
    /// Finish a partial install of this mesh: create only the objects that are missing.
    package var resume: Bool = false
    /// SIGINT/SIGTERM: stop, and with `atomic` roll back (a second signal stops the rollback).
    package var interruption: Interruption? = nil

    /// How long install waits for the control plane by default (`--timeout`, upstream's 5m).
    package static let defaultTimeout = GoDuration(seconds: 300)

    package init(values: InstallValues, namespace: String, timeout: GoDuration = Install.defaultTimeout, atomic: Bool = false) {
        self.values = values
        self.namespace = namespace
        self.timeout = timeout
        self.atomic = atomic
    }

    /// Readiness of one Deployment, for progress reports.
    package struct DeploymentStatus: Sendable, Equatable {
        package var name: String
        package var ready: Int
        package var desired: Int
        package var isAvailable: Bool { ready >= desired }
    }

    /// What a finished install did.
    package struct Summary: Sendable {
        package var created: Int
        package var message: String
    }

    /// An object by resource, namespace and name, for what an install sent and what it left.
    package struct ObjectRef: Sendable, Equatable, CustomStringConvertible {
        package var resource: APIResource
        package var namespace: String?
        package var name: String
        package var description: String {
            resource.kind + " " + (namespace.map { "\($0)/" } ?? "") + name
        }
    }

    /// The install failed or was interrupted; `message` says what is left and how to finish or remove it.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var message: String
        /// The signal that interrupted the install, if one did.
        package var signal: Int32?
        /// What failed (its kind and the cluster's error, if any), as the step that failed said it.
        package var cause: OSMError
        package var description: String { message }
        /// The failure as an `OSMError`: the cause's kind, with the whole message.
        package var error: OSMError { cause.withMessage(message) }
    }

    /// The command that removes what a failed install left.
    package var uninstallCommand: String {
        "osm mesh uninstall --mesh-name \(values.meshName) --osm-namespace \(namespace) -f"
    }

    package var successMessage: String {
        "OSM installed successfully in namespace [\(namespace)] with mesh name [\(values.meshName)]"
    }

    /// The objects an install creates, namespace first: what `--dry-run` prints.
    package func manifest() throws -> [JSONValue] {
        try Self.checkMeshName(values.meshName)
        let resolved = try values.validate()
        try Self.checkNamespaceName(namespace)
        try HelmInstallRecord.checkReleaseName(values.meshName, namespace: namespace)
        return [ControlPlaneManifest.namespaceObject(namespace)] + (try ControlPlaneManifest.render(values: resolved.chart, namespace: namespace))
    }

    /// An empty mesh name is a valid label value, but no mesh can be found or removed by it.
    static func checkMeshName(_ name: String) throws {
        if name.isEmpty { try MeshName.check(name) }
    }

    static func checkNamespaceName(_ ns: String) throws {
        if let problem = KubernetesNames.namespaceProblem(ns) { throw OSMError(.invalidInput, problem) }
    }

    /// `notice` receives upstream's non-fatal notices once every check has passed.
    package func run(client: any KubeAPI, notice: ((String) -> Void)? = nil,
                    progress: (([DeploymentStatus]) -> Void)? = nil) throws -> Summary {
        let started = ContinuousClock.now
        // Upstream's order: mesh name and Vault, the cluster's meshes, log level, durations and
        // values, single-mesh; then ours: API versions served, namespace not terminating.
        try Self.checkMeshName(values.meshName)
        try values.validateBeforeClusterChecks()
        try Self.checkNamespaceName(namespace)
        if !values.vaultToken.isEmpty { client.addSecret(values.vaultToken) }
        let reads: ClusterReads
        let objects: [JSONValue]
        let existing: [String: JSONValue]
        var helm: HelmInstallRecord
        let recordWrite: HelmInstallRecord.Write
        do {
            // Rendered first so that the reads of every object's name go with the checks' reads;
            // a rendering error is still reported in upstream's order, after the cluster checks.
            let resolved = Swift.Result { () throws(OSMError) in try values.resolve() }
            let rendered = Swift.Result { try ControlPlaneManifest.render(values: try resolved.get().chart, namespace: namespace) }
            reads = try readCluster(client: client, objects: (try? rendered.get()) ?? [])
            let controllers = try checkExistingMeshes(reads.controllers)
            let userValues = try values.validateAfterClusterChecks(resolved).user
            try checkSingleMesh(controllers)
            try HelmInstallRecord.checkReleaseName(values.meshName, namespace: namespace)
            objects = try rendered.get()
            try checkServer(reads.version, reads.served, objects: objects)
            existing = try checkPartialInstall(objects: objects, existing: try reads.existing(namespaceExists: (try? reads.namespace.get()) != nil))
            helm = HelmInstallRecord(values: values, userValues: userValues, namespace: namespace, objects: objects)
            recordWrite = try helm.plan(client: client, secrets: try reads.releaseSecrets.get(), resuming: resume)
            try checkInterrupted()
        } catch let e as KubeError where e.kind == .interrupted {
            throw Failure(message: "interrupted before anything was created", signal: interruption?.firstSignal, cause: OSMError(e))
        } catch let e as KubeError {
            throw OSMError(e)
        }
        for line in values.warnings(namespace: namespace) { notice?(line) }

        var journal = Journal()
        var namespaceChange = NamespaceChange.none
        do {
            namespaceChange = try ensureNamespace(client: client, existing: reads.namespace, journal: &journal)
            try createAll(helm.owned(objects), existing: existing, client: client, journal: &journal,
                          record: (recordWrite, { try helm.written(recordWrite, client: client, $0) }))
            try waitForDeployments(client: client, objects: objects, started: started, progress: progress)
        } catch {
            let interrupted = (error as? KubeError)?.kind == .interrupted || (interruption?.count ?? 0) > 0
            var message = interrupted
                ? "interrupted by \(Self.signalName(interruption?.firstSignal))"
                : ((error as? OSMError)?.message ?? (error as? KubeError)?.message ?? "\(error)")
            // A rollback deletes a record this run created; one it took over is marked failed.
            if !atomic || !recordWrite.creates { helm.fail(client: client, message: message) }
            if atomic {
                message += "\n" + rollback(journal, namespaceChange: namespaceChange, client: client, stopAtSignal: interrupted ? 2 : 1)
            } else if !journal.sent.isEmpty && !message.contains("were left in place") {
                message += "\n" + leftInPlace(journal)
            } else if journal.sent.isEmpty && interrupted {
                message += "; nothing was created"
            }
            throw Failure(message: message, signal: interrupted ? interruption?.firstSignal : nil, cause: OSMError.from(error))
        }
        try helm.finish(client: client)
        return Summary(created: journal.created.count, message: successMessage)
    }

    static func signalName(_ sig: Int32?) -> String {
        switch sig {
        case SIGINT?: return "SIGINT"
        case SIGTERM?: return "SIGTERM"
        case let s?: return "signal \(s)"
        default: return "a signal"
        }
    }

    func checkInterrupted() throws {
        if let i = interruption, i.count > 0 { throw KubeError(.interrupted, "interrupted") }
    }
}
