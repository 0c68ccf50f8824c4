import Foundation
import YAML

/// Plays the parts of the deployment controller, the scheduler and the kubelet: keeps
/// `<deployment>-<hash>-<suffix>` pods matching each Deployment's template, makes them ready after
/// `readyAfter` (unless their image cannot be pulled), and keeps the Deployment's status true to them.
/// Runs under the cluster's lock.
final class DeploymentController {
    private unowned let cluster: Cluster
    /// pod key -> when it becomes ready (monotonic seconds)
    private var pendingReady: [String: Double] = [:]
    /// pod key -> owning deployment key
    private var owner: [String: String] = [:]
    private var podIPCounter = 0

    init(cluster: Cluster) { self.cluster = cluster }

    private var deployments: ResourceType { cluster.type("apps", "deployments") }
    private var pods: ResourceType { cluster.type("", "pods") }
    private var events: ResourceType { cluster.type("", "events") }

    func objectRemoved(_ t: ResourceType, namespace: String, name: String) {
        let key = ObjectStore.key(namespace, name)
        if t.kind == "Pod" {
            pendingReady[key] = nil
            if let d = owner.removeValue(forKey: key) {
                let parts = d.split(separator: "/", maxSplits: 1).map(String.init)
                if parts.count == 2 { reconcile(namespace: parts[0], name: parts[1]) }
            }
        } else if t.kind == "Deployment" {
            for (pod, d) in owner where d == key {
                owner[pod] = nil
                pendingReady[pod] = nil
                let parts = pod.split(separator: "/", maxSplits: 1).map(String.init)
                if parts.count == 2 { cluster.removeLocked(pods, parts[0], parts[1]) }
            }
        }
    }

    private func podKeys(of namespace: String, _ name: String) -> [String] {
        let dkey = ObjectStore.key(namespace, name)
        return owner.filter { $0.value == dkey }.map(\.key)
    }

    func hasPods(namespace: String, name: String) -> Bool { !podKeys(of: namespace, name).isEmpty }

    /// Deletes a Deployment's pods (foreground deletion of the Deployment).
    func deletePods(namespace: String, name: String) {
        for pod in podKeys(of: namespace, name) {
            owner[pod] = nil
            pendingReady[pod] = nil
            let parts = pod.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { cluster.removeLocked(pods, parts[0], parts[1]) }
        }
    }

    /// The Deployment is deleted with propagationPolicy=Orphan: its pods stay and are no longer managed.
    func orphanPods(namespace: String, name: String) {
        for pod in podKeys(of: namespace, name) { owner[pod] = nil }
    }

    func tick(now: Double) {
        guard !pendingReady.isEmpty else { return }
        var touched = Set<String>()
        for (pod, due) in pendingReady where due <= now {
            pendingReady[pod] = nil
            let parts = pod.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let p = cluster.getLocked(pods, parts[0], parts[1]) else { continue }
            cluster.putLocked(pods, readyPod(p.value))
            if let d = owner[pod] { touched.insert(d) }
        }
        for d in touched {
            let parts = d.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { reconcile(namespace: parts[0], name: parts[1]) }
        }
    }

    private func isReady(_ pod: JSONValue) -> Bool {
        pod["status"]?["conditions"]?.arrayValue?.contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        } ?? false
    }

    func reconcile(namespace: String, name: String) {
        guard let d = cluster.getLocked(deployments, namespace, name) else { return }
        // Being deleted (finalizers or foreground deletion): its pods are the garbage collector's now.
        if d.value[path: "metadata", "deletionTimestamp"] != nil { return }
        let dkey = ObjectStore.key(namespace, name)
        let spec = d.value["spec"] ?? [:]
        let replicas = max(0, spec["replicas"]?.intValue ?? 1)
        let template = spec["template"] ?? [:]
        let hash = Identifiers.safeHash(template.jsonBytes())
        let rsName = "\(name)-\(hash)"

        var mine: [StoredObject] = []
        for (pod, owner) in owner where owner == dkey {
            let parts = pod.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2, let p = cluster.getLocked(pods, parts[0], parts[1]) { mine.append(p) }
        }
        var current = mine.filter { $0.labels["pod-template-hash"] == hash }
        let old = mine.filter { $0.labels["pod-template-hash"] != hash }

        if current.count < replicas {
            for _ in current.count..<replicas {
                current.append(createPod(deployment: d.value, template: template, hash: hash, rsName: rsName))
            }
        } else if current.count > replicas {
            let sorted = current.sorted { $0.name < $1.name }
            for p in sorted[replicas...] { deletePod(p) }
            current = Array(sorted[..<replicas])
        }
        let readyCurrent = current.filter { isReady($0.value) }.count
        var remainingOld = old
        if readyCurrent >= replicas {
            for p in old { deletePod(p) }
            remainingOld = []
        }
        let readyOld = remainingOld.filter { isReady($0.value) }.count
        let total = current.count + remainingOld.count
        let ready = readyCurrent + readyOld
        let maxUnavailable = Self.maxUnavailable(spec, replicas: replicas)
        let available = ready >= replicas - maxUnavailable
        let complete = readyCurrent >= replicas && remainingOld.isEmpty

        let oldStatus = d.value["status"] ?? [:]
        func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String) -> JSONValue {
            let s: JSONValue = status ? "True" : "False"
            let prev = oldStatus["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
            let now = JSONValue.string(RFC3339.now())
            let transition = (prev?["status"] == s) ? (prev?["lastTransitionTime"] ?? now) : now
            let update = (prev?["status"] == s && prev?["reason"]?.stringValue == reason) ? (prev?["lastUpdateTime"] ?? now) : now
            return ["type": .string(type), "status": s, "lastUpdateTime": update, "lastTransitionTime": transition,
                    "reason": .string(reason), "message": .string(message)]
        }
        var status = JSONObject()
        status["observedGeneration"] = d.value[path: "metadata", "generation"] ?? 1
        if total > 0 { status["replicas"] = .int(total) }
        if !current.isEmpty { status["updatedReplicas"] = .int(current.count) }
        if ready > 0 { status["readyReplicas"] = .int(ready); status["availableReplicas"] = .int(ready) }
        if total - ready > 0 { status["unavailableReplicas"] = .int(total - ready) }
        status["conditions"] = [
            available
                ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
                : condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            complete
                ? condition("Progressing", true, "NewReplicaSetAvailable", "ReplicaSet \"\(rsName)\" has successfully progressed.")
                : condition("Progressing", true, "ReplicaSetUpdated", "ReplicaSet \"\(rsName)\" is progressing."),
        ]
        if JSONValue.object(status) != oldStatus {
            var v = d.value
            v["status"] = .object(status)
            cluster.putLocked(deployments, v)
        }
    }

    private static func maxUnavailable(_ spec: JSONValue, replicas: Int) -> Int {
        guard spec[path: "strategy", "type"]?.stringValue != "Recreate" else { return replicas }
        let raw = spec[path: "strategy", "rollingUpdate", "maxUnavailable"] ?? "25%"
        if let n = raw.intValue { return min(n, replicas) }
        if let s = raw.stringValue, s.hasSuffix("%"), let pct = Int(s.dropLast()) { return replicas * pct / 100 }
        return 0
    }

    private func deletePod(_ p: StoredObject) {
        let key = ObjectStore.key(p.namespace, p.name)
        owner[key] = nil
        pendingReady[key] = nil
        cluster.removeLocked(pods, p.namespace, p.name)
    }

    private func images(_ spec: JSONValue) -> [(String, String)] {
        ((spec["initContainers"]?.arrayValue ?? []) + (spec["containers"]?.arrayValue ?? [])).map {
            ($0["name"]?.stringValue ?? "", $0["image"]?.stringValue ?? "")
        }
    }

    private func unpullableImage(_ spec: JSONValue) -> String? {
        guard let re = cluster.unpullable else { return nil }
        for (_, image) in images(spec) {
            let r = NSRange(image.startIndex..., in: image)
            if re.firstMatch(in: image, range: r) != nil { return image }
        }
        return nil
    }

    private func createPod(deployment: JSONValue, template: JSONValue, hash: String, rsName: String) -> StoredObject {
        let ns = deployment[path: "metadata", "namespace"]?.stringValue ?? "default"
        let podName = "\(rsName)-\(Identifiers.suffix())"
        var labels = template[path: "metadata", "labels"]?.objectValue ?? JSONObject()
        labels["pod-template-hash"] = .string(hash)
        var meta = JSONObject([
            "name": .string(podName), "generateName": .string(rsName + "-"), "namespace": .string(ns),
            "labels": .object(labels),
        ])
        if let a = template[path: "metadata", "annotations"] { meta["annotations"] = a }
        meta["ownerReferences"] = [[
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(rsName),
            "uid": .string(Identifiers.uid()), "controller": true, "blockOwnerDeletion": true,
        ]]
        var spec = template["spec"] ?? [:]
        spec["nodeName"] = "kube-sim-node"
        if spec["restartPolicy"] == nil { spec["restartPolicy"] = "Always" }
        if spec["serviceAccountName"] == nil { spec["serviceAccountName"] = "default" }
        let now = JSONValue.string(RFC3339.now())
        let containers = images(spec)
        var status = JSONObject(["phase": "Pending", "hostIP": "10.0.0.10", "startTime": now])
        let key = ObjectStore.key(ns, podName)
        if let image = unpullableImage(spec) {
            status["conditions"] = [
                ["type": "Initialized", "status": "True", "lastTransitionTime": now],
                ["type": "Ready", "status": "False", "lastTransitionTime": now, "reason": "ContainersNotReady",
                 "message": .string("containers with unready status: [\(containers.map(\.0).joined(separator: " "))]")],
                ["type": "ContainersReady", "status": "False", "lastTransitionTime": now, "reason": "ContainersNotReady"],
                ["type": "PodScheduled", "status": "True", "lastTransitionTime": now],
            ]
            status["containerStatuses"] = .array(containers.map { c in
                let matches = c.1 == image
                return ["name": .string(c.0), "image": .string(c.1), "imageID": "", "ready": false, "restartCount": 0,
                        "started": false,
                        "state": matches
                            ? ["waiting": ["reason": "ImagePullBackOff", "message": .string("Back-off pulling image \"\(c.1)\"")]]
                            : ["waiting": ["reason": "PodInitializing"]],
                        "lastState": [:]]
            })
            let pod = cluster.putLocked(pods, ["apiVersion": "v1", "kind": "Pod", "metadata": .object(meta),
                                               "spec": spec, "status": .object(status)])
            owner[key] = ObjectStore.key(ns, deployment[path: "metadata", "name"]?.stringValue ?? "")
            event(pod: pod.value, reason: "Failed",
                  message: "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for \(image), repository does not exist or may require 'docker login'")
            event(pod: pod.value, reason: "BackOff", message: "Back-off pulling image \"\(image)\"")
            return pod
        }
        status["conditions"] = [
            ["type": "Initialized", "status": "True", "lastTransitionTime": now],
            ["type": "Ready", "status": "False", "lastTransitionTime": now, "reason": "ContainersNotReady"],
            ["type": "ContainersReady", "status": "False", "lastTransitionTime": now, "reason": "ContainersNotReady"],
            ["type": "PodScheduled", "status": "True", "lastTransitionTime": now],
        ]
        status["containerStatuses"] = .array(containers.map { c in
            ["name": .string(c.0), "image": .string(c.1), "imageID": "", "ready": false, "restartCount": 0,
             "started": false, "state": ["waiting": ["reason": "ContainerCreating"]], "lastState": [:]]
        })
        let pod = cluster.putLocked(pods, ["apiVersion": "v1", "kind": "Pod", "metadata": .object(meta),
                                           "spec": spec, "status": .object(status)])
        owner[key] = ObjectStore.key(ns, deployment[path: "metadata", "name"]?.stringValue ?? "")
        pendingReady[key] = Timestamp.monotonic() + cluster.readyAfter
        return pod
    }

    /// A pod created directly (not by a Deployment): the kubelet part still applies.
    func podCreated(namespace: String, name: String) {
        let key = ObjectStore.key(namespace, name)
        guard owner[key] == nil, pendingReady[key] == nil, let p = cluster.getLocked(pods, namespace, name) else { return }
        guard p.value[path: "status", "phase"]?.stringValue == "Pending", p.value[path: "status", "conditions"] == nil else { return }
        let spec = p.value["spec"] ?? [:]
        var v = p.value
        let now = JSONValue.string(RFC3339.now())
        if var specWithNode = v["spec"], specWithNode["nodeName"] == nil {
            specWithNode["nodeName"] = "kube-sim-node"
            v["spec"] = specWithNode
        }
        if let image = unpullableImage(spec) {
            v["status"] = ["phase": "Pending", "hostIP": "10.0.0.10", "startTime": now,
                           "conditions": [["type": "PodScheduled", "status": "True", "lastTransitionTime": now]],
                           "containerStatuses": .array(images(spec).map { c in
                               ["name": .string(c.0), "image": .string(c.1), "imageID": "", "ready": false, "restartCount": 0,
                                "started": false, "lastState": [:],
                                "state": c.1 == image
                                    ? ["waiting": ["reason": "ImagePullBackOff", "message": .string("Back-off pulling image \"\(c.1)\"")]]
                                    : ["waiting": ["reason": "PodInitializing"]]]
                           })]
            let stored = cluster.putLocked(pods, v)
            event(pod: stored.value, reason: "Failed", message: "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for \(image), repository does not exist or may require 'docker login'")
            event(pod: stored.value, reason: "BackOff", message: "Back-off pulling image \"\(image)\"")
            return
        }
        v["status"] = ["phase": "Pending", "hostIP": "10.0.0.10", "startTime": now,
                       "conditions": [["type": "PodScheduled", "status": "True", "lastTransitionTime": now]],
                       "containerStatuses": .array(images(spec).map { c in
                           ["name": .string(c.0), "image": .string(c.1), "imageID": "", "ready": false, "restartCount": 0,
                            "started": false, "state": ["waiting": ["reason": "ContainerCreating"]], "lastState": [:]]
                       })]
        cluster.putLocked(pods, v)
        pendingReady[key] = Timestamp.monotonic() + cluster.readyAfter
    }

    private func readyPod(_ pod: JSONValue) -> JSONValue {
        var p = pod
        let now = JSONValue.string(RFC3339.now())
        podIPCounter += 1
        let ip = JSONValue.string("10.244.\(podIPCounter / 250).\(podIPCounter % 250 + 2)")
        var status = p["status"]?.objectValue ?? JSONObject()
        status["phase"] = "Running"
        status["podIP"] = ip
        status["podIPs"] = [["ip": ip]]
        status["conditions"] = .array(["Initialized", "Ready", "ContainersReady", "PodScheduled"].map {
            ["type": .string($0), "status": "True", "lastTransitionTime": now]
        })
        status["containerStatuses"] = .array(images(p["spec"] ?? [:]).map { c in
            ["name": .string(c.0), "image": .string(c.1), "imageID": .string("docker-pullable://\(c.1)"),
             "containerID": .string("containerd://\(Identifiers.uid().replacingOccurrences(of: "-", with: ""))"),
             "ready": true, "restartCount": 0, "started": true, "state": ["running": ["startedAt": now]], "lastState": [:]]
        })
        p["status"] = .object(status)
        return p
    }

    private func event(pod: JSONValue, reason: String, message: String) {
        let ns = pod[path: "metadata", "namespace"]?.stringValue ?? "default"
        let podName = pod[path: "metadata", "name"]?.stringValue ?? ""
        let now = JSONValue.string(RFC3339.now())
        let name = "\(podName).\(Identifiers.uid().replacingOccurrences(of: "-", with: "").prefix(16))"
        cluster.putLocked(events, [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(ns)],
            "involvedObject": ["kind": "Pod", "namespace": .string(ns), "name": .string(podName),
                               "uid": pod[path: "metadata", "uid"] ?? "", "apiVersion": "v1",
                               "fieldPath": .string("spec.containers{\(pod[path: "spec", "containers"]?[0]?["name"]?.stringValue ?? "")}")],
            "reason": .string(reason), "message": .string(message),
            "source": ["component": "kubelet", "host": "kube-sim-node"],
            "firstTimestamp": now, "lastTimestamp": now, "count": 1, "type": "Warning",
            "reportingComponent": "", "reportingInstance": "",
        ])
    }
}
