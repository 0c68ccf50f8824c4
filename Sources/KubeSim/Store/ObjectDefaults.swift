import YAML

/// What the API server fills in on create, per kind.
enum ObjectDefaults {
    static func apply(_ o: inout JSONValue, kind: String, clusterIPCounter: inout Int) {
        switch kind {
        case "Namespace":
            if o["spec"]?["finalizers"] == nil { o["spec"] = ["finalizers": ["kubernetes"]] }
            o["status"] = ["phase": "Active"]
        case "Secret":
            if o["type"] == nil { o["type"] = "Opaque" }
            if let sd = o["stringData"]?.objectValue {
                var data = o["data"]?.objectValue ?? JSONObject()
                for (k, v) in sd { data[k] = .string(Base64.encode(Array((v.stringValue ?? "").utf8))) }
                o["data"] = .object(data)
                o["stringData"] = nil
            }
        case "Service":
            var spec = o["spec"] ?? [:]
            if spec["type"] == nil { spec["type"] = "ClusterIP" }
            if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
            if spec["clusterIP"] == nil, spec["type"]?.stringValue != "ExternalName" {
                clusterIPCounter += 1
                let ip = "10.96.\(clusterIPCounter / 250).\(clusterIPCounter % 250 + 2)"
                spec["clusterIP"] = .string(ip)
                spec["clusterIPs"] = [.string(ip)]
            }
            if let ports = spec["ports"]?.arrayValue {
                spec["ports"] = .array(ports.map { p in
                    var p = p
                    if p["protocol"] == nil { p["protocol"] = "TCP" }
                    if p["targetPort"] == nil, let port = p["port"] { p["targetPort"] = port }
                    return p
                })
            }
            o["spec"] = spec
            if o["status"] == nil { o["status"] = ["loadBalancer": [:]] }
        case "Deployment":
            var spec = o["spec"] ?? [:]
            if spec["replicas"] == nil { spec["replicas"] = 1 }
            if spec["strategy"]?["type"] == nil {
                spec["strategy"] = ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]]
            } else if spec[path: "strategy", "type"]?.stringValue == "RollingUpdate" {
                var ru = spec[path: "strategy", "rollingUpdate"] ?? [:]
                if ru["maxUnavailable"] == nil { ru["maxUnavailable"] = "25%" }
                if ru["maxSurge"] == nil { ru["maxSurge"] = "25%" }
                spec["strategy"]?["rollingUpdate"] = ru
            }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = 10 }
            if spec["progressDeadlineSeconds"] == nil { spec["progressDeadlineSeconds"] = 600 }
            o["spec"] = spec
            o["status"] = [:]
        case "Pod":
            if o["status"] == nil { o["status"] = ["phase": "Pending"] }
        default: break
        }
    }
}
