@testable import MeshControl
import XCTest
import ObjectModel

/// The config_dump reading that `osm verify connectivity` judges sidecars by.
final class EnvoyEgressConfigTests: XCTestCase {
    /// A config_dump shaped as Envoy's admin API writes it for an OSM v0.8 sidecar.
    static func dump(egress: Bool, listenerFilter: String = "envoy.filters.listener.original_dst",
                     passthroughCluster: Bool? = nil, version: String = "3") -> [UInt8] {
        var listener: JSONObject = [
            "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
            "name": "outbound-listener",
            "address": ["socket_address": ["address": "0.0.0.0", "port_value": 15001]],
            "filter_chains": [],
            "listener_filters": [["name": .string(listenerFilter)]],
            "traffic_direction": "OUTBOUND",
        ]
        if egress {
            listener["default_filter_chain"] = [
                "name": "outbound-egress-filter-chain",
                "filters": [[
                    "name": "envoy.filters.network.tcp_proxy",
                    "typed_config": [
                        "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                        "stat_prefix": "passthrough-outbound", "cluster": "passthrough-outbound",
                    ],
                ]],
            ]
        }
        var clusters: [JSONValue] = [["cluster": ["name": "osm-controller"], "version_info": .string(version)]]
        if passthroughCluster ?? egress { clusters.append(["cluster": ["name": "passthrough-outbound"], "version_info": .string(version)]) }
        let dump: JSONValue = ["configs": [
            ["@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", "bootstrap": ["node": ["id": "x"]]],
            ["@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "dynamic_active_clusters": .array(clusters)],
            ["@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": [[
                "name": "outbound-listener",
                "active_state": ["version_info": .string(version), "listener": .object(listener), "last_updated": "2021-05-05T10:00:00.000Z"],
            ]]],
        ]]
        return dump.jsonBytes()
    }

    func testEgressOnIsRecognised() throws {
        let c = try EnvoyEgressConfig(configDump: Self.dump(egress: true))
        XCTAssertNil(c.egressOnProblem)
        XCTAssertTrue(c.hasEgressFilterChain)
        XCTAssertEqual(c.outboundListener?.port, 15001)
        XCTAssertEqual(c.listenerVersionText, "outbound-listener version_info 3, last_updated 2021-05-05T10:00:00.000Z")
    }

    func testEgressOffHasNoChainAndSaysWhy() throws {
        let c = try EnvoyEgressConfig(configDump: Self.dump(egress: false))
        XCTAssertFalse(c.hasEgressFilterChain)
        XCTAssertEqual(c.egressOnProblem, "outbound-listener has no default filter chain (outbound-egress-filter-chain)")
    }

    func testEachMissingPieceIsNamed() throws {
        XCTAssertEqual(try EnvoyEgressConfig(configDump: Self.dump(egress: true, passthroughCluster: false)).egressOnProblem,
                       "the sidecar has no passthrough-outbound cluster")
        XCTAssertEqual(try EnvoyEgressConfig(configDump: Self.dump(egress: true, listenerFilter: "envoy.filters.listener.tls_inspector")).egressOnProblem,
                       "outbound-listener has no envoy.filters.listener.original_dst listener filter")
        let noListener: JSONValue = ["configs": [["@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": []]]]
        let c = try EnvoyEgressConfig(configDump: noListener.jsonBytes())
        XCTAssertEqual(c.egressOnProblem, "the sidecar has no outbound-listener")
        XCTAssertFalse(c.hasEgressFilterChain)
    }

    func testNotAConfigDumpIsAnError() {
        XCTAssertThrowsError(try EnvoyEgressConfig(configDump: Array("<html>".utf8)))
        XCTAssertThrowsError(try EnvoyEgressConfig(configDump: Array("{\"stats\": []}".utf8)))
    }

    func testAConfigDumpTooBigOnceReadIsAnErrorBeforeItTakesTheMemory() {
        // 40 MB of tiny objects would take several hundred MiB decoded; verify holds every
        // sidecar's answer at once, so one dump may take at most `maxDecodedBytes`.
        var text = #"{"configs":["#
        text += Array(repeating: #"{"a":1}"#, count: 5_000_000).joined(separator: ",")
        text += "]}"
        XCTAssertThrowsError(try EnvoyEgressConfig(configDump: Array(text.utf8))) { error in
            XCTAssertEqual((error as? OSMError)?.message,
                           "the sidecar's config_dump (38 MiB of JSON) is too large: its values would take more than 96 MiB of memory")
        }
    }

    func testOSMConfigRulesFollowTheValidatingWebhook() {
        let valid: [String: String] = [
            "egress": "true", "enable_debug_server": "false", "permissive_traffic_policy_mode": "false",
            "prometheus_scraping": "true", "use_https_ingress": "false", "envoy_log_level": "error",
            "service_cert_validity_duration": "24h", "tracing_enable": "false", "enable_privileged_init_container": "false",
        ]
        XCTAssertEqual(OSMConfigRules.problems(in: valid), [])
        var bad = valid
        bad["egress"] = "yes"
        bad["envoy_log_level"] = "DEBUG"
        bad["service_cert_validity_duration"] = "1 day"
        bad["tracing_port"] = "70000"
        bad["outbound_ip_range_exclusion_list"] = "10.0.0.0/8, 1.2.3.4"
        bad["enable_debug_server"] = nil
        XCTAssertEqual(OSMConfigRules.problems(in: bad), [
            "enable_debug_server: missing (every osm-config has it)",
            "egress: must be a boolean, not \"yes\"",
            "envoy_log_level: invalid log level \"DEBUG\" (one of trace, debug, info, warning, warn, error, critical, off)",
            "outbound_ip_range_exclusion_list: must be IP ranges of the form a.b.c.d/x, not \"1.2.3.4\"",
            "service_cert_validity_duration: must be a Go duration such as 24h or 90m, not \"1 day\"",
            "tracing_port: must be between 0 and 65535, not 70000",
        ])
        XCTAssertEqual(GoFormat.quoted("a\u{1B}[31m\r"), "\"a\\x1b[31m\\r\"")
    }

    func testExclusionRangesContainTheirAddresses() {
        XCTAssertEqual(IPv4.range("10.0.0.0/8")?.contains(IPv4.parse("10.200.3.4")!), true)
        XCTAssertEqual(IPv4.range("10.0.0.0/8")?.contains(IPv4.parse("11.0.0.1")!), false)
        XCTAssertEqual(IPv4.range("0.0.0.0/0")?.contains(IPv4.parse("8.8.8.8")!), true)
        XCTAssertEqual(IPv4.range("1.2.3.4/32")?.contains(IPv4.parse("1.2.3.4")!), true)
        XCTAssertNil(IPv4.parse("1.2.3"))
        XCTAssertNil(IPv4.parse("httpbin.org"))
    }
}
