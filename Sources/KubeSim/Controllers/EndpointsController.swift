import ObjectModel

/// The endpoints controller of kube-controller-manager v1.20 (pkg/controller/endpoint/endpoints_controller.go
/// syncService), run in line with each write of a Pod or Service: an Endpoints object per Service with a
/// selector, named as the Service, carrying its labels (and `service.kubernetes.io/headless` for
/// `clusterIP: None`), the addresses of the pods the selector matches (Ready ones in `addresses`, others
/// in `notReadyAddresses`, pods without an IP left out) and the Service's ports with `targetPort` resolved
/// against each pod's container ports (pkg/api/v1/pod FindPort); removed when the Service goes.
extension Cluster {
    func endpointsInputChangedLocked(_ t: ResourceType, _ event: String, _ object: JSONValue) {
        guard !t.custom, t.group.isEmpty, t.kind == "Pod" || t.kind == "Service",
              let namespace = object[path: "metadata", "namespace"]?.stringValue else { return }
        let endpoints = type("", "endpoints")
        if t.kind == "Service" {
            let name = object[path: "metadata", "name"]?.stringValue ?? ""
            if event == "DELETED" {
                removeLocked(endpoints, namespace, name)
            } else {
                syncEndpointsLocked(service: object, endpoints)
            }
            return
        }
        for s in store.list(type("", "services").storageKey, namespace: namespace).map(\.object) {
            syncEndpointsLocked(service: s.value, endpoints)
        }
    }

    private func syncEndpointsLocked(service: JSONValue, _ endpoints: ResourceType) {
        guard let selector = service[path: "spec", "selector"]?.stringMap,
              service[path: "metadata", "deletionTimestamp"] == nil,
              let namespace = service[path: "metadata", "namespace"]?.stringValue,
              let name = service[path: "metadata", "name"]?.stringValue else { return }
        let headless = service[path: "spec", "clusterIP"]?.stringValue == "None"
        let publishNotReady = service[path: "spec", "publishNotReadyAddresses"]?.boolValue == true
        let servicePorts = service[path: "spec", "ports"]?.arrayValue ?? []
        // (ports, ready?) -> addresses, as endpoints.RepackSubsets groups them.
        var groups: [(ports: [JSONValue], ready: [JSONValue], notReady: [JSONValue])] = []
        func add(_ address: JSONValue, ports: [JSONValue], ready: Bool) {
            let i = groups.firstIndex { $0.ports == ports } ?? { groups.append((ports, [], [])); return groups.count - 1 }()
            if ready { groups[i].ready.append(address) } else { groups[i].notReady.append(address) }
        }
        let pods = store.list(type("", "pods").storageKey, namespace: namespace).map(\.object)
        for pod in pods where !selector.isEmpty && LabelSelector.matches(matchLabels: selector, expressions: [], labels: pod.labels) {
            let p = pod.value
            guard let ip = p[path: "status", "podIP"]?.stringValue, !ip.isEmpty else { continue }
            if !publishNotReady, p[path: "metadata", "deletionTimestamp"] != nil { continue }
            // pkg/api/v1/endpoints ShouldPodBeInEndpoints: finished pods that will not restart are left out.
            let phase = p[path: "status", "phase"]?.stringValue ?? ""
            let restart = p[path: "spec", "restartPolicy"]?.stringValue ?? "Always"
            if (restart == "Never" && (phase == "Failed" || phase == "Succeeded")) || (restart == "OnFailure" && phase == "Succeeded") { continue }
            var address = JSONObject([("ip", .string(ip))])
            if let host = p[path: "spec", "hostname"]?.stringValue, !host.isEmpty,
               p[path: "spec", "subdomain"]?.stringValue == name {
                address["hostname"] = .string(host)
            }
            if let node = p[path: "spec", "nodeName"] { address["nodeName"] = node }
            address["targetRef"] = ["kind": "Pod", "namespace": .string(namespace), "name": .string(pod.name),
                                    "uid": p[path: "metadata", "uid"] ?? "",
                                    "resourceVersion": p[path: "metadata", "resourceVersion"] ?? ""]
            let ready = publishNotReady || (p[path: "status", "conditions"]?.arrayValue ?? [])
                .contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
            if servicePorts.isEmpty {
                if headless { add(.object(address), ports: [], ready: ready) }
                continue
            }
            for sp in servicePorts {
                guard let port = Self.findPort(pod: p, servicePort: sp) else { continue }
                var ep = JSONObject()
                if let n = sp["name"]?.stringValue, !n.isEmpty { ep["name"] = .string(n) }
                ep["port"] = .int(port)
                ep["protocol"] = sp["protocol"] ?? "TCP"
                if let a = sp["appProtocol"] { ep["appProtocol"] = a }
                add(.object(address), ports: [.object(ep)], ready: ready)
            }
        }
        // Repack: addresses with the same port sets share a subset, sorted by IP.
        var byAddresses: [(addresses: [JSONValue], notReady: [JSONValue], ports: [JSONValue])] = []
        for g in groups {
            let ready = g.ready.sorted { Self.ipKey($0) < Self.ipKey($1) }
            let notReady = g.notReady.sorted { Self.ipKey($0) < Self.ipKey($1) }
            if let i = byAddresses.firstIndex(where: { $0.addresses == ready && $0.notReady == notReady }) {
                byAddresses[i].ports += g.ports
            } else {
                byAddresses.append((ready, notReady, g.ports))
            }
        }
        let subsets: [JSONValue] = byAddresses.map { s in
            var o = JSONObject()
            if !s.addresses.isEmpty { o["addresses"] = .array(s.addresses) }
            if !s.notReady.isEmpty { o["notReadyAddresses"] = .array(s.notReady) }
            if !s.ports.isEmpty {
                o["ports"] = .array(s.ports.sorted { ($0["name"]?.stringValue ?? "", $0["port"]?.intValue ?? 0) < ($1["name"]?.stringValue ?? "", $1["port"]?.intValue ?? 0) })
            }
            return .object(o)
        }
        var labels = service[path: "metadata", "labels"]?.objectValue ?? JSONObject()
        if headless { labels["service.kubernetes.io/headless"] = "" }
        let existing = store.get(endpoints.storageKey, namespace, name)?.value
        var value = existing ?? ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        if existing != nil, existing?["subsets"] ?? .array([]) == .array(subsets),
           (existing?[path: "metadata", "labels"]?.objectValue ?? JSONObject()) == labels { return }
        value["metadata"]?["labels"] = labels.isEmpty ? nil : .object(labels)
        value["subsets"] = subsets.isEmpty ? nil : .array(subsets)
        putLocked(endpoints, value)
    }

    /// pkg/api/v1/pod/util.go FindPort: a named targetPort is looked up among the containers' ports
    /// (name and protocol matching); a number is taken as it is.
    static func findPort(pod: JSONValue, servicePort sp: JSONValue) -> Int? {
        let target = sp["targetPort"] ?? sp["port"]
        if let n = target?.intValue { return n }
        guard let name = target?.stringValue else { return nil }
        if let n = Int(name) { return n }
        let proto = sp["protocol"]?.stringValue ?? "TCP"
        for c in pod[path: "spec", "containers"]?.arrayValue ?? [] {
            for p in c["ports"]?.arrayValue ?? [] where p["name"]?.stringValue == name && (p["protocol"]?.stringValue ?? "TCP") == proto {
                return p["containerPort"]?.intValue
            }
        }
        return nil
    }

    /// pkg/api/v1/endpoints/util.go LessEndpointAddress: by IP bytes, then by pod uid.
    private static func ipKey(_ a: JSONValue) -> String {
        (a["ip"]?.stringValue ?? "") + "\u{0}" + (a[path: "targetRef", "uid"]?.stringValue ?? "")
    }
}
