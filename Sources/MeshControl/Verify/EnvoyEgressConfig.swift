import ObjectModel

/// What an Envoy sidecar's `/config_dump` says about egress, as OSM v0.8's controller programs
/// it (pkg/envoy/lds/listener.go): the `outbound-listener` on 15001 with the `original_dst`
/// listener filter and, with egress on, a `default_filter_chain` named
/// `outbound-egress-filter-chain` whose `tcp_proxy` sends to the `passthrough-outbound` cluster.
package struct EnvoyEgressConfig: Sendable, Equatable {
    package static let outboundListenerName = "outbound-listener"
    package static let outboundListenerPort = 15001
    package static let egressFilterChainName = "outbound-egress-filter-chain"
    package static let passthroughCluster = "passthrough-outbound"
    package static let originalDestinationFilter = "envoy.filters.listener.original_dst"
    package static let tcpProxyFilter = "envoy.filters.network.tcp_proxy"
    /// Envoy's admin port in every OSM sidecar.
    package static let adminPort = MeshConstants.envoyAdminPort

    /// The outbound listener, when the sidecar has one.
    package struct Listener: Sendable, Equatable {
        package var port: Int?
        package var hasOriginalDestinationFilter: Bool
        /// Name of the default filter chain, nil when there is none.
        package var defaultFilterChainName: String?
        /// The cluster the default chain's `tcp_proxy` sends to, nil when it has none.
        package var defaultChainTCPProxyCluster: String?
        package var versionInfo: String
        package var lastUpdated: String
    }

    package var outboundListener: Listener?
    package var clusterNames: Set<String>

    /// The memory one decoded config_dump may take: a real one is a few MiB of JSON (some tens in
    /// a mesh of thousands of services); this bound keeps `verify` within its memory with
    /// every sidecar's answer held at once.
    package static let maxDecodedBytes = 96 << 20

    /// Parses a `/config_dump` body (the admin API's JSON).
    package init(configDump body: [UInt8]) throws(OSMError) {
        let json: JSONValue
        var used = 0
        do {
            json = try JSONValue(parsing: body, memoryLimit: Self.maxDecodedBytes, memoryUsed: &used)
        } catch let e as JSONTooLargeError {
            throw OSMError(.badObject, "the sidecar's config_dump (\(body.count >> 20) MiB of JSON) is too large: \(e)")
        } catch {
            throw OSMError(.badObject, "the sidecar's config_dump is not JSON (\(error))")
        }
        guard let configs = json["configs"]?.arrayValue else {
            throw OSMError(.badObject, "the sidecar's config_dump has no \"configs\" list")
        }
        self.init(configs: configs)
    }

    init(configs: [JSONValue]) {
        var listener: Listener?
        var clusters = Set<String>()
        for config in configs {
            let type = config["@type"]?.stringValue ?? ""
            if type.hasSuffix(".ListenersConfigDump") {
                let dynamic = (config["dynamic_listeners"]?.arrayValue ?? []).compactMap { entry -> (JSONValue, String, String)? in
                    guard let state = entry["active_state"], let l = state["listener"] else { return nil }
                    return (l, state["version_info"]?.stringValue ?? "", state["last_updated"]?.stringValue ?? "")
                }
                let statics = (config["static_listeners"]?.arrayValue ?? []).compactMap { entry -> (JSONValue, String, String)? in
                    guard let l = entry["listener"] else { return nil }
                    return (l, "", entry["last_updated"]?.stringValue ?? "")
                }
                for (l, version, updated) in dynamic + statics where l["name"]?.stringValue == Self.outboundListenerName {
                    listener = Self.listener(l, version: version, updated: updated)
                }
            } else if type.hasSuffix(".ClustersConfigDump") {
                for key in ["static_clusters", "dynamic_active_clusters", "dynamic_warming_clusters"] {
                    for entry in config[key]?.arrayValue ?? [] {
                        if let name = entry[path: "cluster", "name"]?.stringValue { clusters.insert(name) }
                    }
                }
            }
        }
        self.outboundListener = listener
        self.clusterNames = clusters
    }

    private static func listener(_ l: JSONValue, version: String, updated: String) -> Listener {
        let filters = l["listener_filters"]?.arrayValue ?? []
        let chain = l["default_filter_chain"]
        let tcpProxy = chain?["filters"]?.arrayValue?.first { $0["name"]?.stringValue == tcpProxyFilter }
        return Listener(
            port: l[path: "address", "socket_address", "port_value"]?.intValue,
            hasOriginalDestinationFilter: filters.contains { $0["name"]?.stringValue == originalDestinationFilter },
            defaultFilterChainName: chain.map { $0["name"]?.stringValue ?? "" },
            defaultChainTCPProxyCluster: tcpProxy?[path: "typed_config", "cluster"]?.stringValue,
            versionInfo: version, lastUpdated: updated)
    }

    /// Why this sidecar does not pass traffic to destinations outside the mesh as egress on
    /// requires, or nil when it does.
    package var egressOnProblem: String? {
        guard let l = outboundListener else {
            return "the sidecar has no \(Self.outboundListenerName)"
        }
        if l.port != Self.outboundListenerPort {
            return "\(Self.outboundListenerName) listens on port \(l.port.map(String.init) ?? "none"), not \(Self.outboundListenerPort)"
        }
        if !l.hasOriginalDestinationFilter {
            return "\(Self.outboundListenerName) has no \(Self.originalDestinationFilter) listener filter"
        }
        guard let chain = l.defaultFilterChainName else {
            return "\(Self.outboundListenerName) has no default filter chain (\(Self.egressFilterChainName))"
        }
        if chain != Self.egressFilterChainName {
            return "\(Self.outboundListenerName)'s default filter chain is \"\(chain)\", not \(Self.egressFilterChainName)"
        }
        guard let cluster = l.defaultChainTCPProxyCluster else {
            return "\(Self.egressFilterChainName) has no \(Self.tcpProxyFilter) filter with a cluster"
        }
        if cluster != Self.passthroughCluster {
            return "\(Self.egressFilterChainName) sends to cluster \"\(cluster)\", not \(Self.passthroughCluster)"
        }
        if !clusterNames.contains(Self.passthroughCluster) {
            return "the sidecar has no \(Self.passthroughCluster) cluster"
        }
        return nil
    }

    /// True when the sidecar still passes unknown destinations through (what egress off removes).
    package var hasEgressFilterChain: Bool {
        outboundListener?.defaultFilterChainName == Self.egressFilterChainName
    }

    /// `version_info 3, last_updated 2021-05-05T10:00:00Z` of the outbound listener, for messages.
    package var listenerVersionText: String {
        guard let l = outboundListener else { return "no \(Self.outboundListenerName)" }
        return "\(Self.outboundListenerName) version_info \(l.versionInfo.isEmpty ? "-" : l.versionInfo), last_updated \(l.lastUpdated.isEmpty ? "-" : l.lastUpdated)"
    }
}
