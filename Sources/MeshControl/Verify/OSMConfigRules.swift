import KubeClient
import ObjectModel

/// The rules osm-config's values must follow, as the v0.8 controller's validating webhook
/// states them (pkg/configurator/validating_webhook.go): the keys every osm-config has, Go
/// booleans, a known Envoy log level, Go durations, a port, IP ranges.
package enum OSMConfigRules {
    static let boolKeys = ["egress", "enable_debug_server", "permissive_traffic_policy_mode", "prometheus_scraping",
                           "tracing_enable", "use_https_ingress", "enable_privileged_init_container"]
    static let requiredKeys = ["egress", "enable_debug_server", "permissive_traffic_policy_mode", "prometheus_scraping",
                               "use_https_ingress", "envoy_log_level", "service_cert_validity_duration", "tracing_enable",
                               "enable_privileged_init_container"]

    /// One line per problem (`egress: must be a boolean, not "yes"`), in key order; empty when valid.
    package static func problems(in data: [String: String]) -> [String] {
        var out: [String] = []
        for key in requiredKeys where data[key] == nil {
            out.append("\(key): missing (every osm-config has it)")
        }
        for key in data.keys.sorted() {
            guard let value = data[key] else { continue }
            if boolKeys.contains(key) || key == "inbound_extauthz_enable" || key == "inbound_extauthz_failuremodeallow" {
                if GoBool.parse(value) == nil { out.append("\(key): must be a boolean, not \(quoted(value))") }
            }
            switch key {
            case "envoy_log_level":
                if !InstallValues.envoyLogLevels.contains(value) {
                    out.append("envoy_log_level: invalid log level \(quoted(value)) (one of \(InstallValues.envoyLogLevels.joined(separator: ", ")))")
                }
            case "service_cert_validity_duration", "inbound_extauthz_timeout", "config_resync_interval":
                if (try? GoDuration(parsing: value)) == nil {
                    out.append("\(key): must be a Go duration such as 24h or 90m, not \(quoted(value))")
                }
            case "tracing_port", "inbound_extauthz_port":
                if let port = Int(value) {
                    if !(0...65535).contains(port) { out.append("\(key): must be between 0 and 65535, not \(value)") }
                } else {
                    out.append("\(key): must be an integer, not \(quoted(value))")
                }
            case "outbound_ip_range_exclusion_list":
                let bad = value.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingWhitespace }
                    .filter { !CIDR.isValidIPv4($0) }
                if !bad.isEmpty {
                    out.append("outbound_ip_range_exclusion_list: must be IP ranges of the form a.b.c.d/x, not \(bad.map(quoted).joined(separator: ", "))")
                }
            default:
                break
            }
        }
        return out
    }

    static func quoted(_ s: String) -> String { GoFormat.quoted(s) }
}
