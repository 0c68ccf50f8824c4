import Foundation
import ObjectModel

/// Plays the ReplicaSet controller, the scheduler and the kubelet: keeps `spec.replicas` pods
/// (`<replicaset>-<suffix>`, controlled by the ReplicaSet) for each ReplicaSet, makes pods ready after
/// `readyAfter` (unless their image cannot be pulled), and keeps each ReplicaSet's status true to its
/// pods. Runs under the cluster's lock.
final class ReplicaSetController {
    private unowned let cluster: Cluster
    /// pod key -> when it becomes ready (monotonic seconds)
    private var pendingReady: [String: Double] = [:]
    private var podIPCounter = 0
    /// ReplicaSets being synced now: a pod removed by the sync itself must not start another.
    private var syncing = Set<String>()
    /// ReplicaSets whose last pod creation admission refused (retried when a ServiceAccount appears).
    private var refused = Set<String>()

    /// A ServiceAccount was created in `namespace`: ReplicaSets refused there try again, as the
    /// controller's rate-limited retries would.
    func serviceAccountAppeared(namespace: String) {
        for key in refused.sorted() where key.hasPrefix(namespace + "/") {
            sync(namespace: namespace, name: String(key.dropFirst(namespace.count + 1)))
        }
    }
    /// Called when a ReplicaSet controlled by a Deployment changed its status or went away.
    var ownerChanged: (_ namespace: String, _ deploymentUID: String) -> Void = { _, _ in }

    init(cluster: Cluster) { self.cluster = cluster }

    private var replicaSets: ResourceType { cluster.type("apps", "replicasets") }
    private var pods: ResourceType { cluster.type("", "pods") }

    func objectRemoved(_ t: ResourceType, _ object: JSONValue) {
        let ns = object[path: "metadata", "namespace"]?.stringValue ?? ""
        if t.kind == "Pod" {
            pendingReady[ObjectStore.key(ns, object[path: "metadata", "name"]?.stringValue ?? "")] = nil
            if let ref = Cluster.controllerRef(object), ref["kind"]?.stringValue == "ReplicaSet",
               let rs = ref["name"]?.stringValue {
                sync(namespace: ns, name: rs)
            }
        } else if t.kind == "ReplicaSet", let owner = Cluster.controllerUID(object) {
            ownerChanged(ns, owner)
        }
    }

    /// A pod of a ReplicaSet is terminating: it no longer counts, so the ReplicaSet replaces it now.
    func podTerminating(_ pod: JSONValue) {
        if let ref = Cluster.controllerRef(pod), ref["kind"]?.stringValue == "ReplicaSet", let rs = ref["name"]?.stringValue {
            sync(namespace: pod[path: "metadata", "namespace"]?.stringValue ?? "", name: rs)
        }
    }

    private func isReady(_ pod: JSONValue) -> Bool {
        pod["status"]?["conditions"]?.arrayValue?.contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        } ?? false
    }

    /// As pkg/controller/replicaset/replica_set.go syncReplicaSet: create or delete pods toward
    /// spec.replicas, then write status (replica_set_utils.go calculateStatus). `notifyOwner` false when
    /// the Deployment controller itself asked.
    func sync(namespace: String, name: String, notifyOwner: Bool = true) {
        let key = ObjectStore.key(namespace, name)
        guard !syncing.contains(key), let rs = cluster.getLocked(replicaSets, namespace, name) else { return }
        // Being deleted: its pods are the garbage collector's now.
        if rs.value[path: "metadata", "deletionTimestamp"] != nil { return }
        syncing.insert(key)
        defer { syncing.remove(key) }
        let uid = rs.value[path: "metadata", "uid"]?.stringValue ?? ""
        let replicas = max(0, rs.value[path: "spec", "replicas"]?.intValue ?? 1)
        var mine = cluster.controlledLocked(pods, namespace: namespace, by: uid)
            .filter { $0.value[path: "metadata", "deletionTimestamp"] == nil }
        var createError: String?
        if mine.count < replicas {
            for _ in mine.count..<replicas {
                do throws(StatusError) { mine.append(try createPod(rs.value)) } catch {
                    // slowStartBatch stops at the first failure; the error goes to a FailedCreate event and
                    // the ReplicaFailure condition (replica_set.go manageReplicas, replica_set_utils.go calculateStatus).
                    createError = error.message
                    refused.insert(key)
                    cluster.recordEventLocked(about: rs.value, type: "Warning", reason: "FailedCreate",
                                              message: "Error creating: \(error.message)", component: "replicaset-controller")
                    break
                }
            }
            if createError == nil { refused.remove(key) }
        } else if mine.count > replicas {
            // controller_utils.go ActivePods ordering, in short: not-ready pods go first, then the newest.
            let ranked = mine.sorted { a, b in
                let (ra, rb) = (isReady(a.value), isReady(b.value))
                if ra != rb { return !ra }
                return (a.value[path: "metadata", "creationTimestamp"]?.stringValue ?? "", a.name)
                    > (b.value[path: "metadata", "creationTimestamp"]?.stringValue ?? "", b.name)
            }
            for p in ranked[..<(mine.count - replicas)] {
                pendingReady[ObjectStore.key(p.namespace, p.name)] = nil
                cluster.deletePodLocked(p.namespace, p.name)
                cluster.recordEventLocked(about: rs.value, reason: "SuccessfulDelete", message: "Deleted pod: \(p.name)",
                                          component: "replicaset-controller")
            }
            mine = Array(ranked[(mine.count - replicas)...])
        }
        let templateLabels = rs.value[path: "spec", "template", "metadata", "labels"]?.stringMap ?? [:]
        let ready = mine.filter { isReady($0.value) }.count
        let labelled = mine.filter { p in templateLabels.allSatisfy { p.labels[$0.key] == $0.value } }.count
        // ReplicaSetStatus: replicas always; the rest omitempty.
        var status = JSONObject(["replicas": .int(mine.count)])
        if labelled > 0 { status["fullyLabeledReplicas"] = .int(labelled) }
        if ready > 0 { status["readyReplicas"] = .int(ready); status["availableReplicas"] = .int(ready) }
        status["observedGeneration"] = rs.value[path: "metadata", "generation"] ?? 1
        // Kept while creating fails, dropped by the first sync without an error.
        var conditions = (rs.value[path: "status", "conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "ReplicaFailure" }
        let failure = rs.value[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "ReplicaFailure" }
        if let createError {
            conditions.append(failure ?? ["type": "ReplicaFailure", "status": "True", "lastTransitionTime": .string(RFC3339.now()),
                                          "reason": "FailedCreate", "message": .string(createError)])
        }
        if !conditions.isEmpty { status["conditions"] = .array(conditions) }
        if JSONValue.object(status) != rs.value["status"] {
            var v = rs.value
            v["status"] = .object(status)
            cluster.putLocked(replicaSets, v)
        }
        if notifyOwner, let owner = Cluster.controllerUID(rs.value) { ownerChanged(namespace, owner) }
    }

    func tick(now: Double) {
        guard !pendingReady.isEmpty else { return }
        var touched = Set<String>()
        for (pod, due) in pendingReady where due <= now {
            pendingReady[pod] = nil
            let parts = pod.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let p = cluster.getLocked(pods, parts[0], parts[1]) else { continue }
            cluster.putLocked(pods, readyPod(p.value))
            if let ref = Cluster.controllerRef(p.value), ref["kind"]?.stringValue == "ReplicaSet", let rs = ref["name"]?.stringValue {
                touched.insert(ObjectStore.key(parts[0], rs))
            }
        }
        for rs in touched {
            let parts = rs.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { sync(namespace: parts[0], name: parts[1]) }
        }
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

    /// A pod of a ReplicaSet (controller_utils.go GetPodFromTemplate: the template's labels and
    /// annotations, generateName `<replicaset>-`, the ReplicaSet as controller), scheduled at once.
    private func createPod(_ rs: JSONValue) throws(StatusError) -> StoredObject {
        let ns = rs[path: "metadata", "namespace"]?.stringValue ?? "default"
        let rsName = rs[path: "metadata", "name"]?.stringValue ?? ""
        let template = rs[path: "spec", "template"] ?? [:]
        let podName = Identifiers.generateName(rsName + "-")
        var meta = JSONObject([
            "name": .string(podName), "generateName": .string(rsName + "-"), "namespace": .string(ns),
            "labels": template[path: "metadata", "labels"] ?? [:],
        ])
        if let a = template[path: "metadata", "annotations"] { meta["annotations"] = a }
        meta["ownerReferences"] = [[
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(rsName),
            "uid": rs[path: "metadata", "uid"] ?? "", "controller": true, "blockOwnerDeletion": true,
        ]]
        var candidate: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": .object(meta), "spec": template["spec"] ?? [:]]
        // The controller creates pods through the API: admission applies (a missing ServiceAccount refuses them).
        try cluster.admitPodLocked(&candidate, namespace: ns, reportedName: rsName + "-")
        ObjectDefaults.apply(&candidate, kind: "Pod")
        var spec = candidate["spec"] ?? [:]
        spec["nodeName"] = .string(Cluster.nodeName)
        if spec["restartPolicy"] == nil { spec["restartPolicy"] = "Always" }
        let pod = cluster.putLocked(pods, ["apiVersion": "v1", "kind": "Pod", "metadata": candidate["metadata"] ?? .object(meta),
                                           "spec": spec, "status": startingStatus(spec, initialized: true)])
        cluster.recordEventLocked(about: rs, reason: "SuccessfulCreate", message: "Created pod: \(podName)",
                                  component: "replicaset-controller")
        started(pod)
        return pod
    }

    /// The status a scheduled pod has before it runs: pulling (or failing to pull) its images.
    private func startingStatus(_ spec: JSONValue, initialized: Bool) -> JSONValue {
        let now = JSONValue.string(RFC3339.now())
        let containers = images(spec)
        var status = JSONObject(["phase": "Pending", "hostIP": .string(Cluster.nodeIP), "startTime": now])
        let unpullable = unpullableImage(spec)
        let names = containers.map(\.0).joined(separator: " ")
        status["conditions"] = initialized
            ? [["type": "Initialized", "status": "True", "lastTransitionTime": now],
               ["type": "Ready", "status": "False", "lastTransitionTime": now, "reason": "ContainersNotReady",
                "message": .string("containers with unready status: [\(names)]")],
               ["type": "ContainersReady", "status": "False", "lastTransitionTime": now, "reason": "ContainersNotReady",
                "message": .string("containers with unready status: [\(names)]")],
               ["type": "PodScheduled", "status": "True", "lastTransitionTime": now]]
            : [["type": "PodScheduled", "status": "True", "lastTransitionTime": now]]
        status["containerStatuses"] = .array(containers.map { c in
            let waiting: JSONValue
            if let image = unpullable {
                waiting = c.1 == image
                    ? ["reason": "ImagePullBackOff", "message": .string("Back-off pulling image \"\(c.1)\"")]
                    : ["reason": "PodInitializing"]
            } else {
                waiting = ["reason": "ContainerCreating"]
            }
            return ["name": .string(c.0), "image": .string(c.1), "imageID": "", "ready": false, "restartCount": 0,
                    "started": false, "state": ["waiting": waiting], "lastState": [:]]
        })
        status["qosClass"] = .string(PodQOS.qosClass(spec))
        return .object(status)
    }

    /// After a pod is scheduled: the kubelet either fails to pull an image (Warning events) or
    /// makes it ready after `readyAfter`.
    private func started(_ pod: StoredObject) {
        let spec = pod.value["spec"] ?? [:]
        if let image = unpullableImage(spec) {
            let container = "spec.containers{\(spec["containers"]?[0]?["name"]?.stringValue ?? "")}"
            cluster.recordEventLocked(
                about: pod.value, type: "Warning", reason: "Failed",
                message: "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for \(image), repository does not exist or may require 'docker login'",
                component: "kubelet", host: Cluster.nodeName, fieldPath: container)
            cluster.recordEventLocked(about: pod.value, type: "Warning", reason: "BackOff",
                                      message: "Back-off pulling image \"\(image)\"", component: "kubelet",
                                      host: Cluster.nodeName, fieldPath: container)
            return
        }
        pendingReady[ObjectStore.key(pod.namespace, pod.name)] = Timestamp.monotonic() + cluster.readyAfter
    }

    /// A pod created directly (not by a ReplicaSet): the scheduler and kubelet parts still apply.
    func podCreated(namespace: String, name: String) {
        let key = ObjectStore.key(namespace, name)
        guard pendingReady[key] == nil, let p = cluster.getLocked(pods, namespace, name) else { return }
        guard p.value[path: "status", "phase"]?.stringValue == "Pending", p.value[path: "status", "conditions"] == nil else { return }
        var v = p.value
        if v[path: "spec", "nodeName"] == nil { v["spec"]?["nodeName"] = .string(Cluster.nodeName) }
        v["status"] = startingStatus(v["spec"] ?? [:], initialized: false)
        started(cluster.putLocked(pods, v))
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
}
