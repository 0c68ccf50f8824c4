import ObjectModel

/// Service clusterIPs and nodePorts as kube-apiserver 1.20 allocates them
/// (pkg/registry/core/service/storage/rest.go, pkg/registry/core/service/ipallocator/allocator.go,
/// pkg/registry/core/service/portallocator/allocator.go), for kubeadm's defaults:
/// `--service-cluster-ip-range=10.96.0.0/12`, `--service-node-port-range=30000-32767`.
/// What is allocated is what the other stored Services hold, so a delete releases it.
enum ServiceAllocation {
    static let cidr = "10.96.0.0/12"
    static let nodePortRange = 30000...32767
    private static let base: UInt32 = 0x0A60_0000, mask: UInt32 = 0xFFF0_0000

    static func parse(_ s: String) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard let b = UInt8(p) else { return nil }
            v = v << 8 | UInt32(b)
        }
        return v
    }

    private static func format(_ v: UInt32) -> String {
        "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
    }

    /// The network and broadcast addresses are not in the allocator's range.
    private static func inRange(_ v: UInt32) -> Bool { v & mask == base && v != base && v != base | ~mask }

    private static func needsClusterIP(_ spec: JSONValue) -> Bool {
        spec["type"]?.stringValue != "ExternalName" && spec["clusterIP"]?.stringValue != "None"
    }

    static func needsNodePorts(_ spec: JSONValue?) -> Bool {
        ["NodePort", "LoadBalancer"].contains(spec?["type"]?.stringValue ?? "")
    }

    /// Defaults that depend on the type (pkg/apis/core/v1/defaults.go SetDefaults_Service):
    /// `externalTrafficPolicy: Cluster` for NodePort and LoadBalancer; headless `clusterIPs: ["None"]`.
    static func defaults(_ value: inout JSONValue) {
        guard var spec = value["spec"] else { return }
        if needsNodePorts(spec), (spec["externalTrafficPolicy"]?.stringValue ?? "").isEmpty {
            spec["externalTrafficPolicy"] = "Cluster"
        }
        let ip = spec["clusterIP"]?.stringValue ?? ""
        if ip.isEmpty, let first = spec["clusterIPs"]?.arrayValue?.first?.stringValue, !first.isEmpty {
            spec["clusterIP"] = .string(first)
        } else if !ip.isEmpty, (spec["clusterIPs"]?.arrayValue ?? []).isEmpty {
            spec["clusterIPs"] = [.string(ip)]
        }
        value["spec"] = spec
    }

    /// Allocates the clusterIP and nodePorts `value` needs (on update, `old` is what is stored),
    /// checking requested ones against the ranges and `others` (every other stored Service).
    static func allocate(_ value: inout JSONValue, old: JSONValue?, others: [JSONValue], next: inout UInt32) -> [FieldError] {
        guard var spec = value["spec"] else { return [] }
        var errs: [FieldError] = []
        let oldIP = old?[path: "spec", "clusterIP"]?.stringValue ?? ""
        let ip = spec["clusterIP"]?.stringValue ?? ""
        if needsClusterIP(spec), ip != oldIP || ip.isEmpty {
            let used = Set(others.compactMap { $0[path: "spec", "clusterIP"]?.stringValue }.compactMap(parse))
            if ip.isEmpty {
                // ipallocator AllocateNext: 10.96.0.1 is the `kubernetes` Service's.
                var candidate = max(next, base | 2)
                while used.contains(candidate) || !inRange(candidate) {
                    candidate = inRange(candidate + 1) ? candidate + 1 : base | 2
                }
                next = candidate + 1
                spec["clusterIP"] = .string(format(candidate))
                spec["clusterIPs"] = [.string(format(candidate))]
            } else if let v = parse(ip) {
                // rest.go allocClusterIPs: field.Invalid(spec.clusterIPs, service.Spec.ClusterIPs,
                // fmt.Sprintf("failed to allocated ip:%v with error:%v", ip, err)) with ipallocator's
                // ErrNotInRange ("provided IP is not in the valid range. The range of valid IPs is %s")
                // or ErrAllocated ("provided IP is already allocated").
                let problem = !inRange(v) ? "provided IP is not in the valid range. The range of valid IPs is \(cidr)"
                    : used.contains(v) ? "provided IP is already allocated" : nil
                if let problem {
                    let ips = spec["clusterIPs"]?.arrayValue?.compactMap(\.stringValue) ?? [ip]
                    errs.append(.invalid("spec.clusterIPs", GoValue.strings(ips), "failed to allocated ip:\(ip) with error:\(problem)"))
                }
            }
        }
        if needsNodePorts(spec), var ports = spec["ports"]?.arrayValue {
            let used = Set(others.filter { needsNodePorts($0["spec"]) }
                .flatMap { $0[path: "spec", "ports"]?.arrayValue ?? [] }.compactMap { $0["nodePort"]?.intValue })
            // rest.go patchAllocatedValues (v1.20.15): an update that leaves a port's nodePort out keeps
            // the one the stored port of that name had, unless another port now uses it.
            if let old, needsNodePorts(old["spec"]) {
                let oldPorts = old[path: "spec", "ports"]?.arrayValue ?? []
                let taken = Set(ports.compactMap { $0["nodePort"]?.intValue })
                for i in ports.indices where (ports[i]["nodePort"]?.intValue ?? 0) == 0 {
                    let name = ports[i]["name"]?.stringValue ?? ""
                    if let np = oldPorts.first(where: { ($0["name"]?.stringValue ?? "") == name })?["nodePort"]?.intValue,
                       np != 0, !taken.contains(np) {
                        ports[i]["nodePort"] = .int(np)
                    }
                }
            }
            var mine = Set<Int>()
            for i in ports.indices {
                guard let np = ports[i]["nodePort"]?.intValue, np != 0 else { continue }
                // rest.go initNodePorts: field.Invalid(spec.ports[i].nodePort, servicePort.NodePort, err.Error())
                // with portallocator's ErrNotInRange / ErrAllocated.
                if !nodePortRange.contains(np) {
                    errs.append(.invalid("spec.ports[\(i)].nodePort", String(np),
                                         "provided port is not in the valid range. The range of valid ports is 30000-32767"))
                } else if used.contains(np) {
                    errs.append(.invalid("spec.ports[\(i)].nodePort", String(np), "provided port is already allocated"))
                }
                mine.insert(np)
            }
            var candidate = nodePortRange.lowerBound
            for i in ports.indices where (ports[i]["nodePort"]?.intValue ?? 0) == 0 {
                while used.contains(candidate) || mine.contains(candidate) { candidate += 1 }
                guard nodePortRange.contains(candidate) else { break }
                ports[i]["nodePort"] = .int(candidate)
                mine.insert(candidate)
            }
            spec["ports"] = .array(ports)
        }
        value["spec"] = spec
        return errs
    }
}
