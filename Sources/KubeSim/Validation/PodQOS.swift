import Foundation
import ObjectModel

/// A pod's quality of service class, as pkg/apis/core/helper/qos/qos.go GetPodQOS (v1.20): requests and
/// limits of cpu and memory summed over containers and init containers; none at all is BestEffort;
/// every container limiting both, with requests equal to limits, is Guaranteed; else Burstable.
/// The pod's requests are already defaulted from its limits (SetDefaults_Pod).
enum PodQOS {
    static func qosClass(_ spec: JSONValue) -> String {
        var requests: [String: Double] = [:], limits: [String: Double] = [:]
        var guaranteed = true
        let containers = (spec["containers"]?.arrayValue ?? []) + (spec["initContainers"]?.arrayValue ?? [])
        for c in containers {
            for (name, q) in c[path: "resources", "requests"]?.objectValue ?? JSONObject() where name == "cpu" || name == "memory" {
                if let v = quantity(q), v > 0 { requests[name, default: 0] += v }
            }
            var found = Set<String>()
            for (name, q) in c[path: "resources", "limits"]?.objectValue ?? JSONObject() where name == "cpu" || name == "memory" {
                if let v = quantity(q), v > 0 {
                    found.insert(name)
                    limits[name, default: 0] += v
                }
            }
            if !found.isSuperset(of: ["cpu", "memory"]) { guaranteed = false }
        }
        if requests.isEmpty && limits.isEmpty { return "BestEffort" }
        if guaranteed {
            for (name, r) in requests where limits[name].map({ abs($0 - r) > 1e-9 * max(1, r) }) ?? true {
                guaranteed = false
                break
            }
        }
        return guaranteed && requests.count == limits.count ? "Guaranteed" : "Burstable"
    }

    /// A resource.Quantity's value (`100m`, `1.5`, `128Mi`, `1e3`, `2G`), or nil when it is not one.
    static func quantity(_ v: JSONValue) -> Double? {
        if let i = v.intValue { return Double(i) }
        guard var s = v.stringValue?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        let suffixes: [(String, Double)] = [
            ("Ki", 1024), ("Mi", pow(1024, 2)), ("Gi", pow(1024, 3)), ("Ti", pow(1024, 4)), ("Pi", pow(1024, 5)), ("Ei", pow(1024, 6)),
            ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
        ]
        var factor = 1.0
        for (suffix, f) in suffixes where s.hasSuffix(suffix) {
            s.removeLast(suffix.count)
            factor = f
            break
        }
        guard let n = Double(s) else { return nil }
        return n * factor
    }
}
