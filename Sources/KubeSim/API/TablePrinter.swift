#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ObjectModel

/// Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`): the columns
/// `kubectl get` shows for each kind, as the real API server computes them.
enum TablePrinter {
    struct Column {
        let name: String
        let type: String
        let format: String
        let priority: Int
        init(_ name: String, _ type: String = "string", format: String = "", priority: Int = 0) {
            self.name = name
            self.type = type
            self.format = format
            self.priority = priority
        }
    }

    static func wantsTable(_ accept: String) -> Bool { accept.contains("as=Table") }

    static func table(_ t: ResourceType, _ items: [StoredObject], resourceVersion: Int, continueToken: String? = nil) -> JSONValue {
        let now = time(nil)
        let cols = t.custom ? [name, age] : columns(t.kind)
        var rows: [JSONValue] = []
        rows.reserveCapacity(items.count)
        for s in items {
            let o = s.value
            var meta = o["metadata"]?.objectValue ?? JSONObject()
            meta["managedFields"] = nil
            rows.append([
                "cells": .array(t.custom ? [o[path: "metadata", "name"] ?? "", ageCell(o[path: "metadata", "creationTimestamp"], now: now)]
                                          : cells(t.kind, o, now: now)),
                "object": ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": .object(meta)],
            ])
        }
        var listMeta = JSONObject([("resourceVersion", .string(String(resourceVersion)))])
        if let continueToken { listMeta["continue"] = .string(continueToken) }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(listMeta),
            "columnDefinitions": .array(cols.map {
                ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
                 "description": .string($0.name), "priority": .int($0.priority)]
            }),
            "rows": .array(rows),
        ]
    }

    private static let name = Column("Name", format: "name")
    private static let age = Column("Age")
    private static let createdAt = Column("Created At", "date")

    static func columns(_ kind: String) -> [Column] {
        switch kind {
        case "Namespace": return [name, Column("Status"), age]
        case "ConfigMap": return [name, Column("Data", "integer"), age]
        case "Secret": return [name, Column("Type"), Column("Data", "integer"), age]
        case "ServiceAccount": return [name, Column("Secrets", "integer"), age]
        case "Service":
            return [name, Column("Type"), Column("Cluster-IP"), Column("External-IP"), Column("Port(s)"), age,
                    Column("Selector", priority: 1)]
        case "Pod":
            return [name, Column("Ready"), Column("Status"), Column("Restarts", "integer"), age,
                    Column("IP", priority: 1), Column("Node", priority: 1), Column("Nominated Node", priority: 1),
                    Column("Readiness Gates", priority: 1)]
        case "Deployment":
            return [name, Column("Ready"), Column("Up-to-date", "integer"), Column("Available", "integer"), age,
                    Column("Containers", priority: 1), Column("Images", priority: 1), Column("Selector", priority: 1)]
        case "ReplicaSet":
            // pkg/printers/internalversion/printers.go replicaSetColumnDefinitions
            return [name, Column("Desired", "integer"), Column("Current", "integer"), Column("Ready", "integer"), age,
                    Column("Containers", priority: 1), Column("Images", priority: 1), Column("Selector", priority: 1)]
        case "Event":
            return [Column("Last Seen"), Column("Type"), Column("Reason"), Column("Object"), Column("Message"),
                    Column("Source", priority: 1), Column("First Seen", priority: 1), Column("Count", "integer", priority: 1),
                    Column("Name", priority: 1)]
        case "ClusterRoleBinding", "RoleBinding":
            return [name, Column("Role"), age, Column("Users", priority: 1), Column("Groups", priority: 1),
                    Column("ServiceAccounts", priority: 1)]
        case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration":
            return [name, Column("Webhooks", "integer"), age]
        case "Node":
            // pkg/printers/internalversion/printers.go nodeColumnDefinitions
            return [name, Column("Status"), Column("Roles"), age, Column("Version"), Column("Internal-IP", priority: 1),
                    Column("External-IP", priority: 1), Column("OS-Image", priority: 1), Column("Kernel-Version", priority: 1),
                    Column("Container-Runtime", priority: 1)]
        case "StatefulSet":
            // pkg/printers/internalversion/printers.go statefulSetColumnDefinitions
            return [name, Column("Ready"), age, Column("Containers", priority: 1), Column("Images", priority: 1)]
        case "DaemonSet":
            // printers.go daemonSetColumnDefinitions
            return [name, Column("Desired", "integer"), Column("Current", "integer"), Column("Ready", "integer"),
                    Column("Up-to-date", "integer"), Column("Available", "integer"), Column("Node Selector"), age,
                    Column("Containers", priority: 1), Column("Images", priority: 1), Column("Selector", priority: 1)]
        case "Job":
            // printers.go jobColumnDefinitions
            return [name, Column("Completions"), Column("Duration"), age, Column("Containers", priority: 1),
                    Column("Images", priority: 1), Column("Selector", priority: 1)]
        case "Endpoints":
            // pkg/printers/internalversion/printers.go endpointColumnDefinitions
            return [name, Column("Endpoints"), age]
        case "Lease":
            // pkg/printers/internalversion/printers.go leaseColumnDefinitions
            return [name, Column("Holder"), age]
        default: return [name, createdAt]
        }
    }

    private static func ageCell(_ ts: JSONValue?, now: time_t) -> JSONValue {
        guard let s = ts?.stringValue, let t = RFC3339.parse(s) else { return "<unknown>" }
        return .string(Timestamp.humanDuration(Int((Double(now) - t).rounded(.down))))
    }

    /// The wide columns of a workload: its template's container names and images, and its selector.
    private static func templateCells(_ o: JSONValue) -> [JSONValue] {
        let containers = o[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        let selector = (o[path: "spec", "selector", "matchLabels"]?.objectValue).map { sel in
            sel.keys.sorted().map { "\($0)=\(sel[$0]?.stringValue ?? "")" }.joined(separator: ",")
        } ?? ""
        return [.string(containers.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                .string(containers.compactMap { $0["image"]?.stringValue }.joined(separator: ",")),
                .string(selector)]
    }

    private static func cells(_ kind: String, _ o: JSONValue, now: time_t) -> [JSONValue] {
        let n = o[path: "metadata", "name"] ?? ""
        let created = o[path: "metadata", "creationTimestamp"]
        let age = ageCell(created, now: now)
        switch kind {
        case "Namespace":
            return [n, o[path: "status", "phase"] ?? "Active", age]
        case "ConfigMap":
            return [n, .int((o["data"]?.objectValue?.count ?? 0) + (o["binaryData"]?.objectValue?.count ?? 0)), age]
        case "Secret":
            return [n, o["type"] ?? "Opaque", .int(o["data"]?.objectValue?.count ?? 0), age]
        case "ServiceAccount":
            return [n, .int(o["secrets"]?.arrayValue?.count ?? 0), age]
        case "Service":
            let ports = (o[path: "spec", "ports"]?.arrayValue ?? []).map { p -> String in
                let port = p["port"]?.intValue.map(String.init) ?? ""
                let node = p["nodePort"]?.intValue.map { ":\($0)" } ?? ""
                return "\(port)\(node)/\(p["protocol"]?.stringValue ?? "TCP")"
            }
            let selector = (o[path: "spec", "selector"]?.objectValue).map { sel in
                sel.keys.sorted().map { "\($0)=\(sel[$0]?.stringValue ?? "")" }.joined(separator: ",")
            } ?? "<none>"
            return [n, o[path: "spec", "type"] ?? "ClusterIP", o[path: "spec", "clusterIP"] ?? "<none>", "<none>",
                    .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), age, .string(selector.isEmpty ? "<none>" : selector)]
        case "Pod":
            let statuses = o[path: "status", "containerStatuses"]?.arrayValue ?? []
            let total = o[path: "spec", "containers"]?.arrayValue?.count ?? statuses.count
            let ready = statuses.filter { $0["ready"]?.boolValue == true }.count
            var reason = o[path: "status", "phase"]?.stringValue ?? "Pending"
            for c in statuses {
                if let w = c[path: "state", "waiting", "reason"]?.stringValue, !w.isEmpty { reason = w }
            }
            if o[path: "metadata", "deletionTimestamp"] != nil { reason = "Terminating" }
            let restarts = statuses.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
            return [n, .string("\(ready)/\(total)"), .string(reason), .int(restarts), age,
                    o[path: "status", "podIP"] ?? "<none>", o[path: "spec", "nodeName"] ?? "<none>", "<none>", "<none>"]
        case "Deployment":
            let want = o[path: "spec", "replicas"]?.intValue ?? 1
            let ready = o[path: "status", "readyReplicas"]?.intValue ?? 0
            return [n, .string("\(ready)/\(want)"), .int(o[path: "status", "updatedReplicas"]?.intValue ?? 0),
                    .int(o[path: "status", "availableReplicas"]?.intValue ?? 0), age] + templateCells(o)
        case "ReplicaSet":
            return [n, .int(o[path: "spec", "replicas"]?.intValue ?? 1), .int(o[path: "status", "replicas"]?.intValue ?? 0),
                    .int(o[path: "status", "readyReplicas"]?.intValue ?? 0), age] + templateCells(o)
        case "Event":
            let obj = o["involvedObject"] ?? [:]
            let objName = "\((obj["kind"]?.stringValue ?? "").lowercased())/\(obj["name"]?.stringValue ?? "")"
            let source = [o[path: "source", "component"]?.stringValue, o[path: "source", "host"]?.stringValue]
                .compactMap { $0 }.joined(separator: ", ")
            return [ageCell(o["lastTimestamp"] ?? created, now: now), o["type"] ?? "", o["reason"] ?? "", .string(objName),
                    o["message"] ?? "", .string(source), ageCell(o["firstTimestamp"] ?? created, now: now),
                    .int(o["count"]?.intValue ?? 1), n]
        case "ClusterRoleBinding", "RoleBinding":
            let role = "\(o[path: "roleRef", "kind"]?.stringValue ?? "")/\(o[path: "roleRef", "name"]?.stringValue ?? "")"
            let subjects = o["subjects"]?.arrayValue ?? []
            func names(_ kind: String) -> String {
                subjects.filter { $0["kind"]?.stringValue == kind }.map { s -> String in
                    let nm = s["name"]?.stringValue ?? ""
                    if kind == "ServiceAccount" { return "\(s["namespace"]?.stringValue ?? ""):\(nm)" }
                    return nm
                }.joined(separator: ", ")
            }
            return [n, .string(role), age, .string(names("User")), .string(names("Group")), .string(names("ServiceAccount"))]
        case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration":
            return [n, .int(o["webhooks"]?.arrayValue?.count ?? 0), age]
        case "Node":
            let conditions = o[path: "status", "conditions"]?.arrayValue ?? []
            var status = conditions.first { $0["type"]?.stringValue == "Ready" }?["status"]?.stringValue == "True" ? "Ready" : "NotReady"
            if conditions.isEmpty { status = "Unknown" }
            if o[path: "spec", "unschedulable"]?.boolValue == true { status += ",SchedulingDisabled" }
            let roles = (o[path: "metadata", "labels"]?.objectValue?.keys ?? []).compactMap { k -> String? in
                k.hasPrefix("node-role.kubernetes.io/") ? String(k.dropFirst("node-role.kubernetes.io/".count)) : nil
            }.sorted()
            func address(_ type: String) -> JSONValue {
                o[path: "status", "addresses"]?.arrayValue?.first { $0["type"]?.stringValue == type }?["address"] ?? "<none>"
            }
            let info = o[path: "status", "nodeInfo"] ?? [:]
            return [n, .string(status), .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")), age,
                    info["kubeletVersion"] ?? "", address("InternalIP"), address("ExternalIP"),
                    info["osImage"] ?? "<unknown>", info["kernelVersion"] ?? "<unknown>", info["containerRuntimeVersion"] ?? "<unknown>"]
        case "StatefulSet":
            let tc = templateCells(o)
            return [n, .string("\(o[path: "status", "readyReplicas"]?.intValue ?? 0)/\(o[path: "spec", "replicas"]?.intValue ?? 1)"), age, tc[0], tc[1]]
        case "DaemonSet":
            let st = o["status"] ?? [:]
            let ns = (o[path: "spec", "template", "spec", "nodeSelector"]?.stringMap).map { m in
                m.keys.sorted().map { "\($0)=\(m[$0] ?? "")" }.joined(separator: ",")
            } ?? ""
            return [n] + ["desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled", "numberAvailable"]
                .map { JSONValue.int(st[$0]?.intValue ?? 0) } + [.string(ns.isEmpty ? "<none>" : ns), age] + templateCells(o)
        case "Job":
            let completions = o[path: "spec", "completions"]?.intValue.map(String.init) ?? "<none>"
            var duration = ""
            if let start = o[path: "status", "startTime"]?.stringValue.flatMap(RFC3339.parse) {
                let end = o[path: "status", "completionTime"]?.stringValue.flatMap(RFC3339.parse) ?? Double(now)
                duration = Timestamp.humanDuration(Int((end - start).rounded(.down)))
            }
            return [n, .string("\(o[path: "status", "succeeded"]?.intValue ?? 0)/\(completions)"), .string(duration), age] + templateCells(o)
        case "Endpoints":
            // printers.go formatEndpoints: ready addresses with each port, the first three, then "+ N more...".
            var all: [String] = []
            for ss in o["subsets"]?.arrayValue ?? [] {
                let ips = (ss["addresses"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
                let ports = ss["ports"]?.arrayValue ?? []
                if ports.isEmpty { all += ips; continue }
                for p in ports { all += ips.map { "\($0):\(p["port"]?.intValue ?? 0)" } }
            }
            let shown = all.prefix(3).joined(separator: ",") + (all.count > 3 ? " + \(all.count - 3) more..." : "")
            return [n, .string(all.isEmpty ? "<none>" : shown), age]
        case "Lease":
            return [n, o[path: "spec", "holderIdentity"] ?? "", age]
        default:
            return [n, created ?? ""]
        }
    }
}
