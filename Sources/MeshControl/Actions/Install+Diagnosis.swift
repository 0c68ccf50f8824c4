#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeClient
import ObjectModel

/// Waiting for the Deployments to be available, and saying why they are not when the wait ends.
extension Install {
    // MARK: waiting

    func waitForDeployments(client: any KubeAPI, objects: [JSONValue], started: ContinuousClock.Instant,
                            progress: (([DeploymentStatus]) -> Void)?) throws {
        let names = objects.filter { $0.kind == "Deployment" }.compactMap { $0.metadata.name }
        let limit: Duration? = timeout.isZero ? nil : .nanoseconds(timeout.nanoseconds)
        var last: [DeploymentStatus] = []
        var interval = 0.002
        while true {
            let items = try listControlPlaneDeployments(client: client)
            let statuses = names.map { name -> DeploymentStatus in
                let d = items.first { $0.metadata.name == name }
                let desired = d?.replicas ?? 1
                let ready = d.map(Self.availableReplicas) ?? 0
                return DeploymentStatus(name: name, ready: ready, desired: desired)
            }
            if statuses != last {
                progress?(statuses)
                last = statuses
            }
            if statuses.allSatisfy(\.isAvailable) { return }
            if let limit, ContinuousClock.now - started >= limit {
                throw OSMError(.notReady, diagnose(client: client, statuses: statuses.filter { !$0.isAvailable }, items: items))
            }
            try checkInterrupted()
            var ts = timespec(tv_sec: Int(interval), tv_nsec: Int((interval - interval.rounded(.down)) * 1e9))
            nanosleep(&ts, nil)
            try checkInterrupted()
            interval = min(interval * 2, maxPollInterval)
        }
    }

    func listControlPlaneDeployments(client: any KubeAPI) throws -> [JSONValue] {
        let selector = "\(MeshConstants.instanceLabel)=\(values.meshName)"
        let result = Swift.Result { () throws(KubeError) -> [JSONValue] in
            try client.list(.deployments, namespace: namespace, labelSelector: selector)
        }
        switch result {
        case .success(let items):
            return items
        case .failure(let error):
            guard error.kind == .timeout, !error.message.contains("may have applied") else { throw error }
            throw OSMError("the API server did not answer while waiting for the control plane (--timeout \(timeout)): \(error.message)", cause: error)
        }
    }

    static func availableReplicas(_ d: JSONValue) -> Int {
        let generation = d.metadata.generation ?? 0
        let observed = d.observedGeneration ?? 0
        if observed < generation { return 0 }
        return d.availableReplicas ?? 0
    }

    /// What is wrong with each unready Deployment: its pods, their waiting reasons and images,
    /// recent Warning events, and where to look further.
    func diagnose(client: any KubeAPI, statuses: [DeploymentStatus], items: [JSONValue]) -> String {
        let names = statuses.map(\.name).joined(separator: ", ")
        var lines = ["the control plane did not become available within \(timeout) (\(names) not ready):"]
        let events = (try? client.list(.events, namespace: namespace)) ?? []
        for s in statuses {
            lines.append("  deployment \(s.name): \(s.ready)/\(s.desired) available")
            let d = items.first { $0.metadata.name == s.name }
            let selector = (d?.matchLabels ?? ["app": s.name])
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let pods = (try? client.list(.pods, namespace: namespace, labelSelector: selector)) ?? []
            if pods.isEmpty { lines.append("    no pods were created for it") }
            var related: Set<String> = [s.name]
            for p in pods {
                let podName = p.metadata.name ?? "?"
                related.insert(podName)
                var line = "    pod \(podName): \(p.phase ?? "Unknown")"
                let images = Dictionary(
                    p.podContainers.compactMap { c -> (String, String)? in
                        guard let n = c.name, let i = c.image else { return nil }
                        return (n, i)
                    }, uniquingKeysWith: { a, _ in a })
                for cs in p.containerStatuses {
                    let cname = cs.name ?? ""
                    if let reason = cs.waiting?.reason {
                        let image = cs.image ?? images[cname] ?? ""
                        line += "; container \(cname) waiting: \(ServerText.printable(reason)) \(ServerText.printable(image))"
                    } else if let reason = cs.terminatedReason {
                        line += "; container \(cname) terminated: \(ServerText.printable(reason))"
                    }
                }
                lines.append(line)
            }
            let warnings = events.filter {
                $0["type"]?.stringValue == "Warning"
                    && related.contains($0.involvedObjectName ?? "")
            }
            for e in warnings.suffix(3) {
                let reason = e["reason"]?.stringValue ?? ""
                let msg = e["message"]?.stringValue ?? ""
                lines.append("    event: Warning \(ServerText.printable(reason)): \(ServerText.printable(msg))")
            }
            lines.append("    look further: kubectl describe pods -n \(namespace) -l \(selector)")
        }
        if !atomic {
            lines.append("  the objects created so far were left in place; remove them with '\(uninstallCommand)' or retry with --atomic")
        }
        return lines.joined(separator: "\n")
    }
}
