import ObjectModel

/// `osm-configmap.yaml`: ConfigMap `osm-config`, the mesh-wide settings the controller watches.
/// Every value is a string.
enum OSMConfigMap {
    static let name = "osm-config"

    static func configMap(_ c: ChartContext) -> JSONValue {
        var data = JSONObject()
        data["permissive_traffic_policy_mode"] = .string(orFalse(c.value("enablePermissiveTrafficPolicy")))
        data["egress"] = .string(c.text("enableEgress"))
        data["envoy_log_level"] = .string(c.text("envoyLogLevel"))
        data["enable_privileged_init_container"] = .string(c.text("enablePrivilegedInitContainer"))
        data["enable_debug_server"] = .string(c.text("enableDebugServer"))
        data["prometheus_scraping"] = .string(c.text("enablePrometheusScraping"))
        data["inbound_extauthz_enable"] = .string(c.text("inbound_extauthz", "enable"))
        if c.isOn("inbound_extauthz", "enable") {
            data["inbound_extauthz_address"] = .string(c.text("inbound_extauthz", "address"))
            data["inbound_extauthz_port"] = .string(c.text("inbound_extauthz", "port"))
            data["inbound_extauthz_statprefix"] = .string(c.text("inbound_extauthz", "statPrefix"))
            data["inbound_extauthz_timeout"] = .string(c.text("inbound_extauthz", "timeout"))
            data["inbound_extauthz_failuremodeallow"] = .string(c.text("inbound_extauthz", "failureModeAllow"))
        }
        data["tracing_enable"] = .string(c.text("tracing", "enable"))
        if c.isOn("tracing", "enable") {
            data["tracing_address"] = .string(tracingAddress(c))
            data["tracing_port"] = .string(c.text("tracing", "port"))
            data["tracing_endpoint"] = .string(c.text("tracing", "endpoint"))
        }
        data["use_https_ingress"] = .string(orFalse(c.value("useHTTPSIngress")))
        data["service_cert_validity_duration"] = .string(c.text("serviceCertValidityDuration"))
        if c.isOn("outboundIPRangeExclusionList"), case .array(let ranges)? = c.value("outboundIPRangeExclusionList") {
            data["outbound_ip_range_exclusion_list"] = .string(ranges.map { GoTemplate.text($0) }.joined(separator: ","))
        }
        return [
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": c.namespaced(name, labels: c.labels()),
            "data": .object(data),
        ]
    }

    /// `osm.tracingAddress`: the in-namespace Jaeger unless an address is given.
    static func tracingAddress(_ c: ChartContext) -> String {
        c.isOn("tracing", "address") ? c.text("tracing", "address") : "jaeger.\(c.namespace).svc.cluster.local"
    }

    /// `| default "false"`: an empty value (false, "", nil) becomes "false".
    private static func orFalse(_ v: JSONValue?) -> String {
        GoTemplate.isTruthy(v) ? GoTemplate.text(v) : "false"
    }
}
