import KubeClient
import ObjectModel

/// `osm mesh upgrade`: set the `osm-config` keys whose flags were given, in one merge patch
/// holding exactly those keys, and move the control plane's images only when they differ.
package struct MeshUpgrade: Sendable {
    package var meshName = MeshConstants.defaultMeshName
    package var namespace = MeshConstants.defaultNamespace
    // nil: flag not given, key left alone.
    package var enableEgress: Bool?
    package var enablePermissiveTrafficPolicy: Bool?
    package var enableDebugServer: Bool?
    package var envoyLogLevel: String?
    package var enablePrometheusScraping: Bool?
    package var useHTTPSIngress: Bool?
    /// nil or zero: not given (as upstream: a zero value is "not given").
    package var serviceCertValidityDuration: GoDuration?
    package var enableTracing: Bool?
    package var tracingAddress: String?
    package var tracingPort: Int?
    package var tracingEndpoint: String?
    /// The ranges given (the command line splits comma lists); checked once, in `requestedConfig`.
    package var outboundIPRangeExclusionList: [String]?
    package var enablePrivilegedInitContainer: Bool?
    package var containerRegistry = ChartDefaults.containerRegistry
    package var osmImageTag = ChartDefaults.appVersion
    package var dryRun = false

    package init() {}

    /// A key of `osm-config` and its old and new values.
    package struct Change: Sendable, Equatable {
        package var key: String
        package var old: String?
        package var new: String
        /// The key is deleted (`new` is then empty).
        package var removed: Bool

        package init(key: String, old: String?, new: String, removed: Bool = false) {
            self.key = key
            self.old = old
            self.new = new
            self.removed = removed
        }
    }

    /// What an upgrade changed (or, with dry run, would change).
    package struct Summary: Sendable {
        package var configChanges: [Change]
        /// Deployments whose images were (or, with dry run, would be) moved.
        package var imageChanges: [Change]
        /// Other objects the chart renders from the flags (`UpgradeRerenderedObjects`) moved.
        package var objectChanges: [Change] = []
        /// The revision of the mesh's Helm release record written (or, with dry run, that would
        /// be); nil when the mesh has no record or nothing changed.
        package var helmRevision: Int? = nil
        /// Repairs of the release record that an interrupted earlier run needed, one line each.
        package var notes: [String] = []
        package var changed: Bool { !configChanges.isEmpty || !imageChanges.isEmpty || !objectChanges.isEmpty || helmRevision != nil }
    }

    /// The `osm-config` keys the given flags set, in the chart's key order.
    package func requestedConfig() throws(OSMError) -> [(String, String)] {
        var out: [(String, String)] = []
        func flag(_ b: Bool?, _ key: String) { if let b { out.append((key, b ? "true" : "false")) } }
        flag(enablePermissiveTrafficPolicy, "permissive_traffic_policy_mode")
        flag(enableEgress, "egress")
        if let level = envoyLogLevel {
            // The chart's schema, case-sensitive (install lower-cases the flag; upgrade does not).
            guard InstallValues.envoyLogLevels.contains(level) else {
                throw OSMError(.invalidInput, "values don't meet the specifications of the schema(s) in the following chart(s):\nosm:\n"
                    + "- OpenServiceMesh.envoyLogLevel: Does not match pattern '^(\(InstallValues.envoyLogLevels.joined(separator: "|")))$'\n")
            }
            out.append(("envoy_log_level", level))
        }
        flag(enablePrivilegedInitContainer, "enable_privileged_init_container")
        flag(enableDebugServer, "enable_debug_server")
        flag(enablePrometheusScraping, "prometheus_scraping")
        flag(enableTracing, "tracing_enable")
        if let a = tracingAddress {
            guard !a.isEmpty, !a.contains(" ") else { throw OSMError(.invalidInput, "Invalid tracing address [\(a)]; give a hostname") }
            out.append(("tracing_address", a))
        }
        if let p = tracingPort {
            guard (1...65535).contains(p) else { throw OSMError(.invalidInput, "Invalid tracing port [\(p)]; must be between 1 and 65535") }
            out.append(("tracing_port", String(p)))
        }
        if let e = tracingEndpoint {
            guard e.hasPrefix("/") else { throw OSMError(.invalidInput, "Invalid tracing endpoint [\(e)]; must be a path starting with '/'") }
            out.append(("tracing_endpoint", e))
        }
        flag(useHTTPSIngress, "use_https_ingress")
        if let d = serviceCertValidityDuration, !d.isZero {
            guard d.nanoseconds > 0 else { throw OSMError(.invalidInput, "Invalid service cert validity duration [\(d)]; must be positive") }
            out.append(("service_cert_validity_duration", d.description))
        }
        if let ranges = exclusionRanges {
            for r in ranges where !CIDR.isValidIPv4(r) {
                throw OSMError(.invalidInput, "Invalid outbound IP range [\(r)]; expected a CIDR of the form a.b.c.d/x")
            }
            out.append(("outbound_ip_range_exclusion_list", ranges.joined(separator: ",")))
        }
        return out
    }

    /// `outboundIPRangeExclusionList` trimmed, blanks dropped; nil when no range was given.
    var exclusionRanges: [String]? {
        guard let list = outboundIPRangeExclusionList else { return nil }
        let ranges = list.map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        return ranges.isEmpty ? nil : ranges
    }

    /// Checks every value, then makes the client (a bad flag is reported before a bad kubeconfig,
    /// and nothing is sent). `announceImageChanges` hears of the Deployments whose images are
    /// about to move, before they do.
    package func run(makeClient: () throws -> any KubeAPI, announceImageChanges: ([Change]) -> Void = { _ in }) throws -> Summary {
        let requested = try requestedConfig()  // every flag value is checked before any request
        try MeshName.check(meshName, allowEmpty: true)
        let client = try makeClient()
        // Three reads at once (one round trip over HTTP/2), examined in order: the Deployments
        // (the mesh, and both images), osm-config, and the mesh's Helm release records
        // (upstream's installs and this osm's keep one).
        let reads = try readMesh(client: client)
        let deployments = try reads.deployments.get()
        guard deployments.contains(where: { $0.metadata.label(MeshConstants.appLabel) == MeshConstants.controllerName }) else {
            throw ControlPlaneLookup.notFound(meshName: meshName, namespace: namespace)
        }
        let config = try reads.config.get()
        let (patch, changes) = configPatch(requested: requested, current: config["data"]?.stringMap ?? [:])
        let imageChanges = imagePatches(deployments)
        let rerendered = try UpgradeRerenderedObjects(tracingPort: tracingPort, meshName: meshName, namespace: namespace,
                                                      answers: reads.rerendered)
        let secrets: [JSONValue]
        switch reads.releaseSecrets {
        case .success(let items): secrets = items
        case .failure(let e):
            throw OSMError("cannot read the Helm release records of mesh [\(meshName)] (Secrets in namespace [\(namespace)]), which this upgrade must keep in step: \(e.message)", cause: e)
        }
        var helm = try HelmUpgradeRecord.load(client: client, namespace: namespace, releaseName: meshName, secrets: secrets)
        if !dryRun { try helm?.repair() }
        let next = try helm.flatMap { h throws -> HelmRelease? in
            let (values, valuesChanged) = h.nextValues(overrides: helmOverrides(base: h.base.release))
            let needed = patch != nil || !imageChanges.isEmpty || !rerendered.patches.isEmpty || valuesChanged
                || h.base.release.info.status != .deployed
            return needed ? try h.nextRelease(values: values) : nil
        }
        let (removed, removalWarnings) = next.map { helm!.removedObjects(next: $0) } ?? ([], [])
        var result = Summary(configChanges: changes, imageChanges: imageChanges.map(\.change),
                            objectChanges: rerendered.changes, helmRevision: next?.version, notes: helm?.notes ?? [])
        let removals = removed.map { "\($0.resource.kind) \($0.namespace.map { "\($0)/" } ?? "")\($0.name)" }
        if dryRun {
            result.notes += removals.map { "Would delete \($0): the deployed revision's manifest lists it, the next one does not" } + removalWarnings
            return result
        }

        // The writes: osm-config's patch, conditional on the ConfigMap that was read (of two
        // upgrades at once, one changes it), and the record's move to the next revision
        // (`HelmUpgradeRecord.move`: the base superseded, conditional on the record read, and the
        // next revision created, which only one writer can do) go first, in one round trip. The
        // other changes (images, re-rendered objects, deletes) follow only once this run holds
        // both, so that an upgrade that loses a race to another changes nothing it must take
        // back; without a record or a config change they go in the same round trip.
        let move = try next.map { n throws in try helm!.move(to: n) }
        var first: [KubeRequest] = []
        if let patch {
            var conditional = patch
            if let rv = config.metadata.resourceVersion { conditional["metadata"] = ["resourceVersion": .string(rv)] }
            first.append(try client.patchRequest(.configMaps, namespace: namespace, name: MeshConstants.configMapName, conditional, type: .merge))
        }
        var later: [KubeRequest] = []
        for p in imageChanges {
            later.append(try client.patchRequest(.deployments, namespace: namespace, name: p.deployment, p.patch, type: .strategic))
        }
        later += try rerendered.requests(client: client, namespace: namespace)
        // As Helm's upgrade: what the deployed revision lists and the next does not goes.
        let firstDelete = later.count
        for e in removed { later.append(try client.deleteRequest(e.resource, namespace: e.namespace, name: e.name)) }
        let guarded = (move != nil || patch != nil) && !later.isEmpty
        let laterStart = guarded ? nil : first.count
        if !guarded { first += later }
        func failure(_ answers: ArraySlice<Swift.Result<JSONValue, KubeError>>, laterAt: Int?) -> KubeError? {
            for (i, answer) in answers.enumerated() {
                guard case .failure(let e) = answer else { continue }
                if let laterAt, i >= laterAt + firstDelete, e.kind == .notFound { continue }
                if patch != nil && laterAt != 0 && i == 0 && e.kind == .conflict {
                    return KubeError(.conflict, code: e.code, reason: e.reason, "\(MeshConstants.configMapName) changed since this upgrade read it (another upgrade at the same time?), so this one's change to it was not made: run it again")
                }
                return e
            }
            return nil
        }
        if !imageChanges.isEmpty && !guarded { announceImageChanges(imageChanges.map(\.change)) }
        var answers = client.send(first + (move?.requests ?? []))
        if let patch, case .failure(let e) = answers[0], (e.kind == .conflict && e.attempts > 1) || !Install.createdNothing(e) {
            // A lost answer (a 5xx, a dropped connection) may have been applied, and a conflict
            // after the transport sent the patch again may be with this run's own first attempt:
            // if osm-config holds what this run sent, it was applied.
            answers[0] = ownConflict(patch, client: client) ?? answers[0]
        }
        var clusterError = failure(answers.prefix(first.count), laterAt: laterStart)
        var state: HelmUpgradeRecord.MoveState? = nil
        if let move, let next {
            let moveAnswers = Array(answers.suffix(move.requests.count))
            if let e = clusterError {
                throw helm!.undo(helm!.found(move, answers: moveAnswers), clusterError: e)
            }
            let s = helm!.complete(move, answers: moveAnswers)
            if let refusal = s.createFailure {
                // The next revision could not be written (another upgrade wrote it first, or the
                // record cannot be written even on retry): as with Helm, whose upgrade writes it
                // before any change, this run's change to osm-config must not stay without it,
                // so it is taken back (conditional on being this run's); `complete` made the
                // base deployed again.
                throw takeBack(patch, answer: patch == nil ? nil : answers[0], current: config["data"]?.stringMap ?? [:],
                               client: client, refusal: refusal, revision: next.version, left: s.left)
            }
            state = s
        }
        if guarded && clusterError == nil {
            if !imageChanges.isEmpty { announceImageChanges(imageChanges.map(\.change)) }
            clusterError = failure(client.send(later)[...], laterAt: 0)
            if let e = clusterError, let s = state { throw helm!.undo(s, clusterError: e) }
        }
        if let clusterError { throw clusterError }
        if let state { try helm!.finished(state) }
        result.notes = (helm?.notes ?? []) + removals.map { "Deleted \($0): the previous revision's manifest lists it, this one does not" } + removalWarnings
        return result
    }

    /// osm-config as it is, when it holds every key of `patch` as `patch` sets it.
    func ownConflict(_ patch: JSONValue, client: any KubeAPI) -> Swift.Result<JSONValue, KubeError>? {
        guard let request = try? client.getRequest(.configMaps, namespace: namespace, name: MeshConstants.configMapName),
              case .success(let current) = client.send([request])[0] else { return nil }
        let data = current["data"]?.objectValue ?? JSONObject()
        for (key, value) in patch["data"]?.objectValue ?? JSONObject() where data[key] != (value.isNull ? nil : value) { return nil }
        return .success(current)
    }

    /// Puts back the osm-config keys `patch` changed, when `answer` says it did; the error the
    /// run ends with, saying whether that worked.
    func takeBack(_ patch: JSONValue?, answer: Swift.Result<JSONValue, KubeError>?, current: [String: String],
                  client: any KubeAPI, refusal: KubeError, revision: Int, left: String? = nil) -> KubeError {
        let record = left.map { "; the Helm release record could not be set back: \($0): the next 'osm mesh upgrade' repairs it" } ?? ""
        let lost = refusal.kind == .alreadyExists
            ? "another upgrade of mesh \(meshName) wrote Helm revision \(revision) at the same time"
            : "revision \(revision) of the Helm release record of mesh \(meshName) could not be created (\(refusal.message))"
        guard let patch, case .success(let patched)? = answer else {
            return KubeError(refusal.kind, code: refusal.code, reason: refusal.reason, "\(lost); this one changed nothing in \(MeshConstants.configMapName)\(record): run it again")
        }
        var back = JSONObject()
        for (key, _) in patch["data"]?.objectValue ?? JSONObject() { back[key] = current[key].map { .string($0) } ?? .null }
        var revert: JSONValue = ["data": .object(back)]
        if let rv = patched.metadata.resourceVersion { revert["metadata"] = ["resourceVersion": .string(rv)] }
        let result = (try? client.patchRequest(.configMaps, namespace: namespace, name: MeshConstants.configMapName, revert, type: .merge))
            .map { client.send([$0])[0] }
        if case .success? = result {
            return KubeError(refusal.kind, code: refusal.code, reason: refusal.reason, "\(lost); this one's change to \(MeshConstants.configMapName) was taken back\(record): run it again")
        }
        let why: String
        if case .failure(let e)? = result { why = e.message } else { why = "the request could not be built" }
        return KubeError(refusal.kind, code: refusal.code, reason: refusal.reason, "\(lost); this one's change to \(MeshConstants.configMapName) could not be taken back (\(why))\(record): run it again")
    }

    struct MeshReads {
        var deployments: Swift.Result<[JSONValue], KubeError>
        var config: Swift.Result<JSONValue, KubeError>
        var releaseSecrets: Swift.Result<[JSONValue], KubeError>
        /// The answers to `UpgradeRerenderedObjects.reads`.
        var rerendered: [Swift.Result<JSONValue, KubeError>] = []
    }

    func readMesh(client: any KubeAPI) throws -> MeshReads {
        let (namespace, meshName) = (self.namespace, self.meshName)
        let results = client.send([
            client.listRequest(.deployments, namespace: namespace, labelSelector: "\(MeshConstants.meshNameLabel)=\(meshName)"),
            try client.getRequest(.configMaps, namespace: namespace, name: MeshConstants.configMapName),
            client.listRequest(.secrets, namespace: namespace, labelSelector: HelmReleaseStore.currentSelector(release: meshName)),
        ] + (try UpgradeRerenderedObjects.reads(tracingPort: tracingPort, client: client, namespace: namespace)))
        return MeshReads(deployments: results[0].map { $0.arrayValue ?? [] }, config: results[1],
                         releaseSecrets: results[2].map { $0.arrayValue ?? [] }, rerendered: Array(results.dropFirst(3)))
    }

    /// The chart values upstream's `osm mesh upgrade` sets (`resolveValues`): the image registry
    /// and tag always, every other value only when its flag was given. A duration equal to the
    /// release's keeps the release's spelling (`24h` is `24h0m0s`).
    func helmOverrides(base: HelmRelease) -> JSONValue {
        var v = JSONObject()
        v["image"] = ["tag": .string(osmImageTag), "registry": .string(containerRegistry)]
        func flag(_ b: Bool?, _ key: String) { if let b { v[key] = .bool(b) } }
        flag(enablePermissiveTrafficPolicy, "enablePermissiveTrafficPolicy")
        flag(enableEgress, "enableEgress")
        flag(enableDebugServer, "enableDebugServer")
        if let envoyLogLevel { v["envoyLogLevel"] = .string(envoyLogLevel) }
        flag(enablePrometheusScraping, "enablePrometheusScraping")
        flag(useHTTPSIngress, "useHTTPSIngress")
        if let d = serviceCertValidityDuration, !d.isZero {
            let current = base.config[path: "OpenServiceMesh", "serviceCertValidityDuration"]?.stringValue
                ?? base.chart[path: "values", "OpenServiceMesh", "serviceCertValidityDuration"]?.stringValue
            let same = current.flatMap { try? GoDuration(parsing: $0) } == d
            v["serviceCertValidityDuration"] = .string(same ? current! : d.description)
        }
        var tracing = JSONObject()
        if let enableTracing { tracing["enable"] = .bool(enableTracing) }
        if let tracingAddress { tracing["address"] = .string(tracingAddress) }
        if let tracingPort { tracing["port"] = .int(tracingPort) }
        if let tracingEndpoint { tracing["endpoint"] = .string(tracingEndpoint) }
        if !tracing.isEmpty { v["tracing"] = .object(tracing) }
        if let ranges = exclusionRanges { v["outboundIPRangeExclusionList"] = JSONValue(ranges) }
        flag(enablePrivilegedInitContainer, "enablePrivilegedInitContainer")
        return ["OpenServiceMesh": .object(v)]
    }

    /// The merge patch for `osm-config` (exactly the keys the flags set; nil when nothing would
    /// change) and the changes it makes, given the ConfigMap's current data.
    package func configPatch(current: [String: String]) throws -> (patch: JSONValue?, changes: [Change]) {
        configPatch(requested: try requestedConfig(), current: current)
    }

    func configPatch(requested: [(String, String)], current: [String: String]) -> (patch: JSONValue?, changes: [Change]) {
        var patchData = requested
        if enableTracing == true {
            // Turning tracing on needs somewhere to send spans; the chart's defaults, unless given or present.
            let defaults = [("tracing_address", "jaeger.\(namespace).svc.cluster.local"), ("tracing_port", "9411"),
                            ("tracing_endpoint", "/api/v2/spans")]
            for (k, v) in defaults where current[k] == nil && !patchData.contains(where: { $0.0 == k }) {
                patchData.append((k, v))
            }
        }
        // The chart writes the tracing keys only while tracing is on: turned off, upstream's
        // re-render drops them.
        var removed: [String] = []
        if enableTracing == false {
            patchData.removeAll { Self.tracingKeys.contains($0.0) }
            removed = Self.tracingKeys.filter { current[$0] != nil }
        }
        let changes = patchData.filter { !Self.sameValue(key: $0.0, current[$0.0], $0.1) }
            .map { Change(key: $0.0, old: current[$0.0], new: $0.1) }
            + removed.map { Change(key: $0, old: current[$0], new: "", removed: true) }
        guard !changes.isEmpty else { return (nil, []) }
        var data = JSONObject()
        for (k, v) in patchData { data[k] = .string(v) }
        for k in removed { data[k] = .null }
        return (["data": .object(data)], changes)
    }

    static let tracingKeys = ["tracing_address", "tracing_port", "tracing_endpoint"]

    /// Whether a key already holds the wanted value (durations compare by length: `24h` is `24h0m0s`).
    static func sameValue(key: String, _ old: String?, _ new: String) -> Bool {
        guard let old else { return false }
        if old == new { return true }
        if key == "service_cert_validity_duration",
           let a = try? GoDuration(parsing: old), let b = try? GoDuration(parsing: new) {
            return a == b
        }
        return false
    }

    struct ImagePatch {
        var deployment: String
        var patch: JSONValue
        var change: Change
    }

    /// Strategic merge patches for the controller and injector whose images are not the wanted ones.
    func imagePatches(_ deployments: [JSONValue]) -> [ImagePatch] {
        var out: [ImagePatch] = []
        for name in [MeshConstants.controllerName, MeshConstants.injectorName] {
            guard let d = deployments.first(where: { $0.metadata.name == name }) else { continue }
            guard let container = d.templateContainers.first(where: { $0.name == name }) else { continue }
            let wanted = "\(containerRegistry)/\(name):\(osmImageTag)"
            var patched = JSONObject([("name", .string(name))])
            let oldImage = container.image
            if oldImage != wanted {
                patched["image"] = .string(wanted)
            }
            if name == MeshConstants.injectorName, var args = container.json["args"]?.arrayValue,
               let i = args.firstIndex(of: "--init-container-image"), i + 1 < args.count {
                let wantedInit = "\(containerRegistry)/init:\(osmImageTag)"
                if args[i + 1].stringValue != wantedInit {
                    args[i + 1] = .string(wantedInit)
                    patched["args"] = .array(args)
                }
            }
            guard patched.count > 1 else { continue }
            let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [.object(patched)]]]]]
            let change = patched["image"] != nil
                ? Change(key: "deployment/\(name) image", old: oldImage, new: wanted)
                : Change(key: "deployment/\(name) --init-container-image", old: nil, new: "\(containerRegistry)/init:\(osmImageTag)")
            out.append(ImagePatch(deployment: name, patch: patch, change: change))
        }
        return out
    }
}
