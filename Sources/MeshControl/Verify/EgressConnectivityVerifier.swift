#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import ObjectModel

/// `osm verify connectivity --to-ext-host/--to-ext-port`: whether a meshed pod may reach a
/// destination outside the cluster, judged from what decides it in a v0.8 mesh: osm-config's
/// `egress` (and `outbound_ip_range_exclusion_list`, whose ranges bypass the sidecar), and the
/// Envoy configuration the controller pushed to the pod's sidecar.
package struct EgressConnectivityVerifier: Sendable {
    package struct Destination: Sendable, Equatable {
        package var host: String
        package var port: Int
        package var appProtocol: String
        package init(host: String, port: Int, appProtocol: String) {
            self.host = host
            self.port = port
            self.appProtocol = appProtocol
        }
    }

    /// Reads a path of each pod's Envoy admin interface (port 15000), e.g. through port-forwards
    /// (`EnvoyAdminReader`); one result per read, in order.
    package typealias AdminReader = @Sendable (_ reads: [(namespace: String, pod: String, path: String)]) -> [Result<[UInt8], any Error>]

    /// One checked pod.
    package struct PodReport: Sendable, Equatable {
        package var namespace: String
        package var pod: String
        package var verification: Verification
        /// Traffic to the destination is allowed by the configuration.
        package var allowed: Bool
        /// The sidecar's Envoy config agrees with osm-config; nil when it could not be read or
        /// does not matter (no sidecar, a bypassed or in-mesh destination).
        package var sidecarAgrees: Bool?
        /// The outbound listener's version and update time, for a sidecar that does not agree.
        package var sidecarVersion: String
    }

    package var meshName: String
    package var osmNamespace: String
    package var destination: Destination

    package init(meshName: String, osmNamespace: String, destination: Destination) {
        self.meshName = meshName
        self.osmNamespace = osmNamespace
        self.destination = destination
    }

    /// The meshed pods of a namespace: those with an Envoy sidecar container.
    package static func meshedPods(client: any KubeAPI, namespace: String) throws(KubeError) -> [String] {
        try client.list(.pods, namespace: namespace).filter { EgressConnectivityVerifier.hasSidecar($0) }
            .compactMap { $0.metadata.name }.sorted()
    }

    static func hasSidecar(_ pod: JSONValue) -> Bool {
        pod.podContainers.contains { $0.name == "envoy" }
    }

    /// Checks each pod; one report per pod, in order. Everything is read first, in batches (the
    /// pods and their namespaces in one round of API requests, then the sidecars' config_dumps
    /// through the reader), then each pod is judged from what was read.
    package func run(client: any KubeAPI, pods: [(namespace: String, name: String)], reader: @escaping AdminReader) throws(KubeError) -> [PodReport] {
        // What the mesh says, read once for every pod.
        let settings = try meshSettings(client: client)
        let destinationService = try inMeshService(client: client, podNamespaces: Set(pods.map(\.namespace)))

        // The pods and their namespaces, in one batch.
        let namespaces = Array(Set(pods.map(\.namespace))).sorted()
        var requests: [Result<KubeRequest, KubeError>] = pods.map { p in
            Result { () throws(KubeError) -> KubeRequest in try client.getRequest(.pods, namespace: p.namespace, name: p.name) }
        }
        requests += namespaces.map { ns in Result { () throws(KubeError) -> KubeRequest in try client.getRequest(.namespaces, name: ns) } }
        let sendable = requests.compactMap { try? $0.get() }
        var answers = client.send(sendable)[...]
        let read: [Result<JSONValue, KubeError>] = requests.map { r in
            switch r {
            case .success: return answers.popFirst() ?? .failure(KubeError(.other, "internal error: a request went unanswered"))
            case .failure(let e): return .failure(e)
            }
        }
        let podObjects = Array(read[..<pods.count])
        let namespaceObjects = Dictionary(uniqueKeysWithValues: zip(namespaces, read[pods.count...]))

        // The sidecars' configs, for the pods whose verdict depends on them.
        let needsConfig = destinationService == nil && bypassRange(settings.exclusions) == nil
        var configReads: [Int] = []
        if needsConfig {
            for (i, p) in podObjects.enumerated() {
                if case .success(let pod) = p, Self.hasSidecar(pod) { configReads.append(i) }
            }
        }
        var configs: [Int: Result<[UInt8], any Error>] = [:]
        do {
            let dumps = configReads.isEmpty ? [] : reader(configReads.map { (namespace: pods[$0].namespace, pod: pods[$0].name, path: "config_dump") })
            for (i, d) in zip(configReads, dumps) { configs[i] = d }
        }

        // Each dump is let go once its pod is checked: one decoded config at a time.
        var reports: [PodReport] = []
        reports.reserveCapacity(pods.count)
        for i in pods.indices {
            let dump = configs.removeValue(forKey: i) ?? .failure(OSMError("the sidecar's config was not read"))
            reports.append(check(namespace: pods[i].namespace, pod: pods[i].name, podObject: podObjects[i],
                                 namespaceObject: namespaceObjects[pods[i].namespace]!, settings: settings,
                                 destinationService: destinationService, configDump: dump))
        }
        return reports
    }

    /// `run`, repeated with a growing pause (0.5 s to 5 s) until every sidecar that could be read
    /// agrees with osm-config or `waitUpTo` has passed; `progress` hears a line per round and
    /// one naming the stale pods at the deadline. Without a limit: one round.
    package func run(client: any KubeAPI, pods: [(namespace: String, name: String)], reader: @escaping AdminReader,
                    waitUpTo limit: Duration?, progress: (String) -> Void) throws(KubeError) -> [PodReport] {
        var reports = try run(client: client, pods: pods, reader: reader)
        guard let limit else { return reports }
        let started = ContinuousClock.now
        var pause = Duration.milliseconds(500)
        while true {
            let stale = reports.filter { $0.sidecarAgrees == false }
            if stale.isEmpty { return reports }
            let elapsed = ContinuousClock.now - started
            if elapsed >= limit {
                progress("Timed out after \(Self.text(limit)) waiting for \(stale.count) sidecar(s) to agree with osm-config: "
                         + stale.map { "\($0.namespace)/\($0.pod) (\($0.sidecarVersion))" }.joined(separator: ", "))
                return reports
            }
            progress("Waiting for \(stale.count) of \(reports.count) sidecar(s) to agree with osm-config: "
                     + stale.map { "\($0.namespace)/\($0.pod)" }.joined(separator: ", "))
            let sleep = min(pause, limit - elapsed)
            var ts = timespec(tv_sec: Int(sleep.components.seconds), tv_nsec: Int(sleep.components.attoseconds / 1_000_000_000))
            var rem = timespec()
            while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
            pause = min(pause * 2, .seconds(5))
            reports = try run(client: client, pods: pods, reader: reader)
        }
    }

    private static func text(_ d: Duration) -> String {
        GoDuration(nanoseconds: d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000).description
    }

    struct MeshSettings: Sendable {
        var egress: Bool
        var egressText: String
        var exclusions: [String]
    }

    func meshSettings(client: any KubeAPI) throws(KubeError) -> MeshSettings {
        let cm: JSONValue
        do {
            cm = try client.get(.configMaps, namespace: osmNamespace, name: MeshConstants.configMapName)
        } catch where error.code == 404 {
            throw KubeError(.notFound, code: 404,
                "ConfigMap \(MeshConstants.configMapName) not found in namespace \(osmNamespace): no OSM control plane there; name it with --osm-namespace")
        }
        let text = cm.data("egress") ?? "false"
        let exclusions = (cm.data("outbound_ip_range_exclusion_list") ?? "")
            .split(separator: ",").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        return MeshSettings(egress: GoBool.parse(text) ?? false, egressText: text, exclusions: exclusions)
    }

    /// The Service the destination names, when it is one of the cluster's (by DNS name, as a pod
    /// in one of `podNamespaces` would resolve it, or by cluster IP).
    func inMeshService(client: any KubeAPI, podNamespaces: Set<String>) throws(KubeError) -> String? {
        let host = destination.host.lowercased()
        guard !host.isEmpty else { return nil }
        let parts = host.split(separator: ".").map(String.init)
        let isIP = IPv4.parse(host) != nil
        // A name with more than four labels (or an external suffix) cannot be a Service's.
        if !isIP {
            let clusterSuffix = ["svc", "cluster", "local"]
            let rest = Array(parts.dropFirst(min(2, parts.count)))
            guard parts.count <= 5, rest.isEmpty || clusterSuffix.starts(with: rest) else { return nil }
        }
        var services: [JSONValue] = []
        if !isIP && parts.count == 1 {
            for ns in podNamespaces.sorted() { services += try client.list(.services, namespace: ns) }
        } else if !isIP {
            do {
                services = [try client.get(.services, namespace: parts[1], name: parts[0])]
            } catch where error.code == 404 {
                return nil
            }
        } else {
            services = try client.list(.services)
        }
        for svc in services {
            let name = svc.metadata.name ?? ""
            let ns = svc.metadata.namespace ?? ""
            if isIP ? svc.clusterIPs.contains(host) : (name == parts[0]) { return "\(ns)/\(name)" }
        }
        return nil
    }

    /// One pod's verdict from what was read: the pod, its namespace and (when it matters) its
    /// sidecar's config_dump.
    func check(namespace: String, pod: String, podObject podRead: Result<JSONValue, KubeError>,
               namespaceObject: Result<JSONValue, KubeError>, settings: MeshSettings,
               destinationService: String?, configDump: Result<[UInt8], any Error>) -> PodReport {
        let qualified = "\(namespace)/\(pod)"
        let context = "Verify if pod \(GoFormat.quoted(qualified)) can access external service \(destinationText) on port \(destination.port)"
        var report = PodReport(namespace: namespace, pod: pod, verification: .success(context), allowed: false,
                               sidecarAgrees: nil, sidecarVersion: "")
        var steps: [Verification] = []
        func finish() -> PodReport {
            report.verification = .all(context, steps)
            return report
        }

        // The pod, its namespace and its sidecar.
        let podContext = "Verify pod \(GoFormat.quoted(qualified)) exists and is running"
        let podObject: JSONValue
        do {
            podObject = try podRead.get()
        } catch {
            steps.append(error.code == 404
                ? .failure(podContext, "Pod \(GoFormat.quoted(qualified)) not found", suggestion: "Confirm pod \(GoFormat.quoted(qualified)) exists: kubectl get pods -n \(namespace)")
                : .unknown(podContext, "Error fetching pod \(GoFormat.quoted(qualified)): \(error.message)"))
            return finish()
        }
        let phase = podObject.phase ?? "Unknown"
        steps.append(phase == "Running" ? .success(podContext)
            : .failure(podContext, "Pod \(GoFormat.quoted(qualified)) is \(phase), not Running", suggestion: "kubectl describe pod \(pod) -n \(namespace)"))
        steps.append(namespaceCheck(namespace: namespace, namespaceObject))
        let sidecarContext = "Verify Envoy sidecar on pod \(GoFormat.quoted(qualified))"
        let sidecar = Self.hasSidecar(podObject)
        steps.append(sidecar ? .success(sidecarContext)
            : .failure(sidecarContext, "Did not find Envoy sidecar on pod \(GoFormat.quoted(qualified))",
                       suggestion: "Ensure pod \(GoFormat.quoted(qualified)) has sidecar injection enabled (osm namespace add \(namespace)), then restart it"))

        // The destination: in the mesh, bypassing the sidecar, or egress.
        let destinationContext = "Verify destination \(destinationText):\(destination.port) is outside the mesh"
        if let destinationService {
            steps.append(.failure(destinationContext,
                "\(destination.host) is Service \(destinationService) in this cluster: traffic to it is in-mesh, not egress, and osm-config's egress does not decide it",
                suggestion: "Check the SMI traffic policies between the pods instead (osm policy check-pods)"))
            return finish()
        }
        if let range = bypassRange(settings.exclusions) {
            steps.append(.success(destinationContext,
                "\(destination.host) is in outbound_ip_range_exclusion_list (\(range)): its traffic bypasses the sidecar"))
            report.allowed = steps.allSatisfy { $0.status == .success }
            return finish()
        }
        steps.append(.success(destinationContext))

        // What osm-config says.
        let egressContext = "Verify egress is enabled in ConfigMap \(GoFormat.quoted("\(osmNamespace)/\(MeshConstants.configMapName)"))"
        steps.append(settings.egress ? .success(egressContext)
            : .failure(egressContext, "egress is disabled in osm-config (egress: \(GoFormat.quoted(settings.egressText)))",
                       suggestion: "Enable it: osm mesh upgrade --enable-egress --osm-namespace \(osmNamespace) --mesh-name \(meshName)"))

        // What the sidecar was told.
        guard sidecar else { return finish() }
        let envoyContext = "Verify Envoy config on pod \(GoFormat.quoted(qualified)) agrees with osm-config (egress: \(settings.egress))"
        let config: EnvoyEgressConfig
        do {
            config = try EnvoyEgressConfig(configDump: try configDump.get())
        } catch let e as OSMError {
            steps.append(.unknown(envoyContext, "Could not read the sidecar's config: \(e.message)"))
            return finish()
        } catch {
            steps.append(.unknown(envoyContext, "Could not read the sidecar's config: \(Self.message(error))",
                                  suggestion: "Check that the pod runs and its sidecar's admin port \(EnvoyEgressConfig.adminPort) answers: osm proxy get config_dump \(pod) -n \(namespace)"))
            return finish()
        }
        report.sidecarVersion = config.listenerVersionText
        if settings.egress {
            if let problem = config.egressOnProblem {
                report.sidecarAgrees = false
                steps.append(.failure(envoyContext, "Sidecar not yet updated: \(problem) (\(config.listenerVersionText))",
                                      suggestion: "Wait for osm-controller to push the config (osm verify connectivity ... --wait 1m), or check its logs: kubectl logs -n \(osmNamespace) -l app=osm-controller"))
            } else {
                report.sidecarAgrees = true
                steps.append(.success(envoyContext))
            }
        } else if config.hasEgressFilterChain {
            report.sidecarAgrees = false
            steps.append(.failure(envoyContext,
                "Sidecar not yet updated: it still has \(EnvoyEgressConfig.egressFilterChainName) and passes traffic to destinations outside the mesh (\(config.listenerVersionText))",
                suggestion: "Wait for osm-controller to push the config (--wait 1m), or check its logs: kubectl logs -n \(osmNamespace) -l app=osm-controller"))
        } else {
            report.sidecarAgrees = true
            steps.append(.success(envoyContext, "The sidecar has no \(EnvoyEgressConfig.egressFilterChainName), as egress off requires"))
        }
        report.allowed = steps.allSatisfy { $0.status == .success }
        return finish()
    }

    private var destinationText: String { destination.host.isEmpty ? "(any host)" : destination.host }

    private func namespaceCheck(namespace: String, _ read: Result<JSONValue, KubeError>) -> Verification {
        let context = "Verify if namespace \(GoFormat.quoted(namespace)) is monitored"
        let ns: JSONValue
        do {
            ns = try read.get()
        } catch {
            return .unknown(context, "Error fetching namespace \(GoFormat.quoted(namespace)): \(error.message)")
        }
        guard let mesh = ns.metadata.label(MeshConstants.monitoredByLabel) else {
            return .failure(context, "Missing label \(GoFormat.quoted(MeshConstants.monitoredByLabel)) on namespace \(GoFormat.quoted(namespace))",
                            suggestion: "Add the namespace to the mesh and restart its pods: osm namespace add \(namespace) --mesh-name \(meshName)")
        }
        if mesh != meshName {
            return .failure(context, "Expected label \(GoFormat.quoted(MeshConstants.monitoredByLabel)) to have value \(GoFormat.quoted(meshName)), got \(GoFormat.quoted(mesh))",
                            suggestion: "Name the namespace's mesh with --mesh-name \(mesh), or move it: osm namespace add \(namespace) --mesh-name \(meshName)")
        }
        return .success(context)
    }

    /// The exclusion range the destination IP falls in, if any.
    func bypassRange(_ ranges: [String]) -> String? {
        guard let ip = IPv4.parse(destination.host) else { return nil }
        return ranges.first { IPv4.range($0)?.contains(ip) == true }
    }

    static func message(_ error: any Error) -> String {
        switch error {
        case let e as KubeError: return e.message
        case let e as OSMError: return e.message
        case let e as CustomStringConvertible: return e.description
        default: return String(describing: error)
        }
    }
}

/// IPv4 addresses and `a.b.c.d/x` ranges, for the exclusion list.
enum IPv4 {
    static func parse(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for o in octets {
            guard !o.isEmpty, o.count <= 3, o.allSatisfy(\.isNumber), let v = UInt32(o), v <= 255 else { return nil }
            value = value << 8 | v
        }
        return value
    }

    static func range(_ cidr: String) -> ClosedRange<UInt32>? {
        guard CIDR.isValidIPv4(cidr) else { return nil }
        let parts = cidr.split(separator: "/")
        guard let base = parse(String(parts[0])), let bits = Int(parts[1]) else { return nil }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
        return (base & mask)...(base | ~mask)
    }
}
