import KubeClient
import YAML

/// `osm mesh upgrade`: set the `osm-config` keys whose flags were given, in one merge patch
/// holding exactly those keys, and move the control plane's images only when they differ.
public struct MeshUpgrade: Sendable {
    public var meshName = MeshConstants.defaultMeshName
    public var namespace = MeshConstants.defaultNamespace
    // nil: flag not given, key left alone.
    public var enableEgress: Bool?
    public var enablePermissiveTrafficPolicy: Bool?
    public var enableDebugServer: Bool?
    public var envoyLogLevel: String?
    public var enablePrometheusScraping: Bool?
    public var useHTTPSIngress: Bool?
    public var serviceCertValidityDuration: String?
    public var enableTracing: Bool?
    public var tracingAddress: String?
    public var tracingPort: Int?
    public var tracingEndpoint: String?
    public var outboundIPRangeExclusionList: [String]?
    public var enablePrivilegedInitContainer: Bool?
    public var containerRegistry = "openservicemesh"
    public var osmImageTag = "v0.8.4"
    public var dryRun = false

    public init() {}

    /// A key of `osm-config` and its old and new values.
    public struct Change: Sendable, Equatable {
        public var key: String
        public var old: String?
        public var new: String

        public init(key: String, old: String?, new: String) {
            self.key = key
            self.old = old
            self.new = new
        }
    }

    public struct Result: Sendable {
        public var configChanges: [Change]
        /// Deployments whose images were (or, with dry run, would be) moved.
        public var imageChanges: [Change]
        public var changed: Bool { !configChanges.isEmpty || !imageChanges.isEmpty }
    }

    /// The `osm-config` keys the given flags set, in the chart's key order.
    public func requestedConfig() throws(OSMError) -> [(String, String)] {
        var out: [(String, String)] = []
        func flag(_ b: Bool?, _ key: String) { if let b { out.append((key, b ? "true" : "false")) } }
        flag(enablePermissiveTrafficPolicy, "permissive_traffic_policy_mode")
        flag(enableEgress, "egress")
        if let level = envoyLogLevel {
            guard InstallValues.envoyLogLevels.contains(level.lowercased()) else {
                throw OSMError("Invalid envoy log level [\(level)]; must be one of \(InstallValues.envoyLogLevels.joined(separator: ", "))")
            }
            out.append(("envoy_log_level", level))
        }
        flag(enablePrivilegedInitContainer, "enable_privileged_init_container")
        flag(enableDebugServer, "enable_debug_server")
        flag(enablePrometheusScraping, "prometheus_scraping")
        flag(enableTracing, "tracing_enable")
        if let a = tracingAddress {
            guard !a.isEmpty, !a.contains(" ") else { throw OSMError("Invalid tracing address [\(a)]; give a hostname") }
            out.append(("tracing_address", a))
        }
        if let p = tracingPort {
            guard (1...65535).contains(p) else { throw OSMError("Invalid tracing port [\(p)]; must be between 1 and 65535") }
            out.append(("tracing_port", String(p)))
        }
        if let e = tracingEndpoint {
            guard e.hasPrefix("/") else { throw OSMError("Invalid tracing endpoint [\(e)]; must be a path starting with '/'") }
            out.append(("tracing_endpoint", e))
        }
        flag(useHTTPSIngress, "use_https_ingress")
        if let d = serviceCertValidityDuration {
            do {
                let parsed = try GoDuration(parsing: d)
                guard parsed.nanoseconds > 0 else { throw OSMError("Invalid service cert validity duration [\(d)]; must be positive") }
                out.append(("service_cert_validity_duration", parsed.description))
            } catch let e as GoDuration.ParseError {
                throw OSMError("Invalid service cert validity duration [\(d)]: \(e.description)")
            } catch let e as OSMError {
                throw e
            } catch {
                throw OSMError("Invalid service cert validity duration [\(d)]")
            }
        }
        if let list = outboundIPRangeExclusionList {
            let ranges = list.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
            for r in ranges where !CIDR.isValidIPv4(r) {
                throw OSMError("Invalid outbound IP range [\(r)]; expected a CIDR of the form a.b.c.d/x")
            }
            out.append(("outbound_ip_range_exclusion_list", ranges.joined(separator: ",")))
        }
        return out
    }

    public func run(client: KubeClient) throws -> Result {
        let requested = try requestedConfig()  // every flag value is checked before any request
        guard KubernetesNames.isLabelValue(meshName) else {
            throw OSMError("Invalid mesh-name [\(meshName)]; it must be a valid label value")
        }
        if let flipped = try flipSettings(client: client, requested: requested) { return flipped }
        // One list finds the mesh and gives both Deployments' images.
        let deployments = try client.list(.deployments, namespace: namespace,
                                          labelSelector: "\(MeshConstants.meshNameLabel)=\(meshName)")
        guard deployments.contains(where: { $0[path: "metadata", "labels", MeshConstants.appLabel]?.stringValue == MeshConstants.controllerName }) else {
            throw ControlPlaneLookup.notFound(meshName: meshName, namespace: namespace)
        }
        let config = try client.get(.configMaps, namespace: namespace, name: MeshConstants.configMapName)
        let (patch, changes) = configPatch(requested: requested, current: config["data"]?.stringMap ?? [:])
        let imageChanges = imagePatches(deployments)

        if dryRun { return Result(configChanges: changes, imageChanges: imageChanges.map(\.change)) }
        if let patch {
            _ = try client.patch(.configMaps, namespace: namespace, name: MeshConstants.configMapName, patch, type: .merge)
        }
        for p in imageChanges {
            _ = try client.patch(.deployments, namespace: namespace, name: p.deployment, p.patch, type: .strategic)
        }
        return Result(configChanges: changes, imageChanges: imageChanges.map(\.change))
    }

    /// The usual upgrade flips on/off settings (`--enable-egress=false` while egress is on): then
    /// one JSON patch makes the change only if `osm-config` belongs to this mesh (its instance
    /// label) and every key holds the opposite value, an atomic check-and-set in one request,
    /// as `kubectl patch` is one; the Deployments' images are read in the same round trip.
    /// When a test fails (nothing to change, a key unset, no such mesh) nothing was written,
    /// and nil sends the caller down the general path, which says what it found.
    func flipSettings(client: KubeClient, requested: [(String, String)]) throws -> Result? {
        guard !dryRun, enableTracing != true, !requested.isEmpty,
              requested.allSatisfy({ $0.1 == "true" || $0.1 == "false" }) else { return nil }
        func pointer(_ parts: String...) -> JSONValue {
            // RFC 6901: `~` is written `~0` and `/` is written `~1`.
            .string(parts.map { part in "/" + String(part.flatMap { c -> String in c == "~" ? "~0" : c == "/" ? "~1" : String(c) }) }.joined())
        }
        var ops: [JSONValue] = [["op": "test", "path": pointer("metadata", "labels", MeshConstants.instanceLabel), "value": .string(meshName)]]
        for (key, value) in requested {
            ops.append(["op": "test", "path": pointer("data", key), "value": .string(value == "true" ? "false" : "true")])
        }
        for (key, value) in requested { ops.append(["op": "replace", "path": pointer("data", key), "value": .string(value)]) }
        let answers = client.send([
            try client.patchRequest(.configMaps, namespace: namespace, name: MeshConstants.configMapName, .array(ops), type: .json),
            client.listRequest(.deployments, namespace: namespace, labelSelector: "\(MeshConstants.meshNameLabel)=\(meshName)"),
        ])
        if case .failure(let e) = answers[0] {
            if e.code == 422 || e.kind == .notFound { return nil }
            throw e
        }
        let deployments = try answers[1].get().arrayValue ?? []
        guard deployments.contains(where: { $0[path: "metadata", "labels", MeshConstants.appLabel]?.stringValue == MeshConstants.controllerName }) else {
            throw ControlPlaneLookup.notFound(meshName: meshName, namespace: namespace)
        }
        let imageChanges = imagePatches(deployments)
        for p in imageChanges {
            _ = try client.patch(.deployments, namespace: namespace, name: p.deployment, p.patch, type: .strategic)
        }
        let changes = requested.map { Change(key: $0.0, old: $0.1 == "true" ? "false" : "true", new: $0.1) }
        return Result(configChanges: changes, imageChanges: imageChanges.map(\.change))
    }

    /// The merge patch for `osm-config` (exactly the keys the flags set; nil when nothing would
    /// change) and the changes it makes, given the ConfigMap's current data.
    public func configPatch(current: [String: String]) throws -> (patch: JSONValue?, changes: [Change]) {
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
        let changes = patchData.filter { !Self.sameValue(key: $0.0, current[$0.0], $0.1) }
            .map { Change(key: $0.0, old: current[$0.0], new: $0.1) }
        guard !changes.isEmpty else { return (nil, []) }
        var data = JSONObject()
        for (k, v) in patchData { data[k] = .string(v) }
        return (["data": .object(data)], changes)
    }

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
            guard let d = deployments.first(where: { $0[path: "metadata", "name"]?.stringValue == name }) else { continue }
            guard let container = d[path: "spec", "template", "spec", "containers"]?.arrayValue?
                .first(where: { $0["name"]?.stringValue == name }) else { continue }
            let wanted = "\(containerRegistry)/\(name):\(osmImageTag)"
            var patched = JSONObject([("name", .string(name))])
            var summary: [String] = []
            let oldImage = container["image"]?.stringValue
            if oldImage != wanted {
                patched["image"] = .string(wanted)
                summary.append(oldImage ?? "")
            }
            if name == MeshConstants.injectorName, var args = container["args"]?.arrayValue,
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
