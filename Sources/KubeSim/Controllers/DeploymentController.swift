import ObjectModel

/// Plays the Deployment controller of kube-controller-manager v1.20 (pkg/controller/deployment): a
/// ReplicaSet `<deployment>-<pod-template-hash>` per pod template, revisions in the
/// `deployment.kubernetes.io/revision` annotations, rollouts that scale the new ReplicaSet up and the
/// old ones down, old ReplicaSets kept up to `revisionHistoryLimit`, and the Deployment's status from
/// its ReplicaSets. Runs under the cluster's lock.
final class DeploymentController {
    private unowned let cluster: Cluster
    private let replicaSetController: ReplicaSetController
    /// Deployments being reconciled now, and those asked for again meanwhile.
    private var reconciling = Set<String>()
    private var again = Set<String>()

    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    /// Deployment annotations never copied to its ReplicaSets (deployment/util/deployment_util.go annotationsToSkip).
    static let annotationsToSkip: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revisionAnnotation, revisionHistoryAnnotation,
        desiredReplicasAnnotation, maxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ]

    init(cluster: Cluster, replicaSets: ReplicaSetController) {
        self.cluster = cluster
        replicaSetController = replicaSets
    }

    private var deployments: ResourceType { cluster.type("apps", "deployments") }
    private var replicaSets: ResourceType { cluster.type("apps", "replicasets") }

    /// A ReplicaSet it controls changed: reconcile the Deployment with that uid.
    func replicaSetChanged(namespace: String, deploymentUID: String) {
        guard let d = cluster.store.list(deployments.storageKey, namespace: namespace).map(\.object)
            .first(where: { $0.value[path: "metadata", "uid"]?.stringValue == deploymentUID }) else { return }
        reconcile(namespace: namespace, name: d.name)
    }

    func reconcile(namespace: String, name: String) {
        let key = ObjectStore.key(namespace, name)
        guard reconciling.insert(key).inserted else {
            again.insert(key)
            return
        }
        defer { reconciling.remove(key) }
        for _ in 0..<4 {
            again.remove(key)
            sync(namespace: namespace, name: name)
            if !again.contains(key) { break }
        }
    }

    static func revision(_ rs: JSONValue) -> Int {
        Int(rs[path: "metadata", "annotations", revisionAnnotation]?.stringValue ?? "") ?? 0
    }

    /// The template without the `pod-template-hash` label (deployment_util.go EqualIgnoreHash), and
    /// without nulls: decoded into Go types, `creationTimestamp: null` (as `kubectl rollout undo` sends
    /// it) and no creationTimestamp are the same template.
    static func withoutHash(_ template: JSONValue) -> JSONValue {
        var t = withoutNulls(template)
        t["metadata"]?["labels"]?["pod-template-hash"] = nil
        if t[path: "metadata", "labels"]?.objectValue?.isEmpty == true { t["metadata"]?["labels"] = nil }
        if t["metadata"]?.objectValue?.isEmpty == true { t["metadata"] = nil }
        return t
    }

    private static func withoutNulls(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o): return .object(JSONObject(o.compactMap { $0.value == .null ? nil : ($0.key, withoutNulls($0.value)) }))
        case .array(let a): return .array(a.map(withoutNulls))
        default: return v
        }
    }

    /// The same JSON with every object's keys sorted, so equal templates hash alike.
    private static func canonical(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o): return .object(JSONObject(o.keys.sorted().map { ($0, canonical(o[$0]!)) }))
        case .array(let a): return .array(a.map(canonical))
        default: return v
        }
    }

    /// maxSurge and maxUnavailable resolved against the replica count (deployment_util.go ResolveFenceposts:
    /// surge rounds up, unavailable down; both zero makes unavailable one; MaxUnavailable is 0 for Recreate).
    private static func fenceposts(_ spec: JSONValue, replicas: Int) -> (surge: Int, unavailable: Int) {
        guard spec[path: "strategy", "type"]?.stringValue != "Recreate", replicas > 0 else { return (0, 0) }
        func resolve(_ raw: JSONValue?, roundUp: Bool) -> Int {
            if let n = raw?.intValue { return n }
            if let s = raw?.stringValue, s.hasSuffix("%"), let pct = Int(s.dropLast()) {
                return roundUp ? (replicas * pct + 99) / 100 : replicas * pct / 100
            }
            return 0
        }
        let surge = resolve(spec[path: "strategy", "rollingUpdate", "maxSurge"] ?? "25%", roundUp: true)
        var unavailable = resolve(spec[path: "strategy", "rollingUpdate", "maxUnavailable"] ?? "25%", roundUp: false)
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, min(unavailable, replicas))
    }

    private func sync(namespace: String, name: String) {
        guard let d = cluster.getLocked(deployments, namespace, name) else { return }
        // Being deleted (finalizers or foreground deletion): its ReplicaSets are the garbage collector's now.
        if d.value[path: "metadata", "deletionTimestamp"] != nil { return }
        let spec = d.value["spec"] ?? [:]
        let replicas = max(0, spec["replicas"]?.intValue ?? 1)
        let template = spec["template"] ?? [:]
        let (surge, _) = Self.fenceposts(spec, replicas: replicas)

        var owned = cluster.claimLocked(replicaSets, namespace: namespace, owner: d.value)
            .filter { $0.value[path: "metadata", "deletionTimestamp"] == nil }
        var newRS = owned.first { Self.withoutHash($0.value[path: "spec", "template"] ?? [:]) == Self.withoutHash(template) }
        let old = owned.filter { $0.name != newRS?.name }
        let maxOldRevision = old.map { Self.revision($0.value) }.max() ?? 0
        let newRevision = maxOldRevision + 1
        let paused = spec["paused"]?.boolValue == true

        // sync.go getNewReplicaSet: the ReplicaSet of this template carries the newest revision
        // (one brought back by a rollback gets the next number, its old one kept in revision-history)
        // and the Deployment's own annotations.
        if let rs = newRS {
            var v = rs.value
            let current = Self.revision(v)
            if current < newRevision {
                v["metadata"]?["annotations"]?[Self.revisionAnnotation] = .string(String(newRevision))
                if current > 0 {
                    let history = v[path: "metadata", "annotations", Self.revisionHistoryAnnotation]?.stringValue
                    v["metadata"]?["annotations"]?[Self.revisionHistoryAnnotation] =
                        .string(history.map { "\($0),\(current)" } ?? String(current))
                }
            }
            for (k, value) in d.value[path: "metadata", "annotations"]?.objectValue ?? JSONObject()
            where !Self.annotationsToSkip.contains(k) {
                v["metadata"]?["annotations"]?[k] = value
            }
            if v != rs.value { newRS = cluster.putLocked(replicaSets, v) }
        } else if !paused {
            // sync.go getNewReplicaSet: created at deployment_util.go NewRSNewReplicas (Recreate: 0 while old pods run).
            let oldTotal = old.reduce(0) { $0 + ($1.value[path: "spec", "replicas"]?.intValue ?? 0) }
            let initial = spec[path: "strategy", "type"]?.stringValue == "Recreate"
                ? (old.isEmpty ? replicas : 0) : max(0, min(replicas + surge - oldTotal, replicas))
            newRS = createReplicaSet(d.value, template: template, revision: newRevision, replicas: initial, surge: surge)
            if let rs = newRS { owned.append(rs) }
        }

        if !paused, let rs = newRS {
            if spec[path: "strategy", "type"]?.stringValue == "Recreate" {
                // recreate.go: old ReplicaSets to zero and their pods gone before the new one scales up.
                for o in old where (o.value[path: "spec", "replicas"]?.intValue ?? 0) > 0 {
                    scale(d.value, o, to: 0, replicas: replicas, surge: surge)
                }
                let oldPods = old.compactMap { cluster.getLocked(replicaSets, namespace, $0.name) }
                    .reduce(0) { $0 + ($1.value[path: "status", "replicas"]?.intValue ?? 0) }
                if oldPods == 0 { scale(d.value, rs, to: replicas, replicas: replicas, surge: surge) }
            } else {
                rollOut(d.value, newRS: rs, old: old, replicas: replicas)
            }
        }
        if let rs = newRS, let latest = cluster.getLocked(replicaSets, namespace, rs.name) { newRS = latest }
        cleanUp(d.value, newRS: newRS)
        writeStatus(d, newRS: newRS, replicas: replicas, template: template)
    }

    /// rolling.go rolloutRolling, one step: reconcileNewReplicaSet scales the new ReplicaSet up within
    /// maxSurge (deployment_util.go NewRSNewReplicas); reconcileOldReplicaSets scales old ones down while
    /// maxUnavailable allows, their unavailable pods first (cleanupUnhealthyReplicas), then available ones,
    /// oldest ReplicaSet first (scaleDownOldReplicaSetsForRollingUpdate). Each pod turning ready brings the next step.
    private func rollOut(_ d: JSONValue, newRS: StoredObject, old: [StoredObject], replicas: Int) {
        let ns = newRS.namespace
        let (surge, maxUnavailable) = Self.fenceposts(d["spec"] ?? [:], replicas: replicas)
        func current(_ o: StoredObject) -> JSONValue { cluster.getLocked(replicaSets, ns, o.name)?.value ?? o.value }
        func wanted(_ o: StoredObject) -> Int { current(o)[path: "spec", "replicas"]?.intValue ?? 0 }
        func available(_ o: StoredObject) -> Int { current(o)[path: "status", "availableReplicas"]?.intValue ?? 0 }
        let oldest = old.sorted {
            ($0.value[path: "metadata", "creationTimestamp"]?.stringValue ?? "", $0.name)
                < ($1.value[path: "metadata", "creationTimestamp"]?.stringValue ?? "", $1.name)
        }

        let newWanted = wanted(newRS)
        if newWanted > replicas {
            scale(d, newRS, to: replicas, replicas: replicas, surge: surge)
        } else if newWanted < replicas {
            let total = ([newRS] + old).reduce(0) { $0 + wanted($1) }
            let up = min(replicas + surge - total, replicas - newWanted)
            if up > 0 { scale(d, newRS, to: newWanted + up, replicas: replicas, surge: surge) }
        }

        guard old.reduce(0, { $0 + wanted($1) }) > 0 else { return }
        let minAvailable = replicas - maxUnavailable
        var room = ([newRS] + old).reduce(0) { $0 + wanted($1) } - minAvailable - (wanted(newRS) - available(newRS))
        guard room > 0 else { return }
        for o in oldest where room > 0 {
            let unhealthy = wanted(o) - available(o)
            guard unhealthy > 0 else { continue }
            let down = min(room, unhealthy)
            scale(d, o, to: wanted(o) - down, replicas: replicas, surge: surge)
            room -= down
        }
        var budget = ([newRS] + old).reduce(0) { $0 + available($1) } - minAvailable
        for o in oldest where budget > 0 && wanted(o) > 0 {
            let down = min(wanted(o), budget)
            scale(d, o, to: wanted(o) - down, replicas: replicas, surge: surge)
            budget -= down
        }
    }

    private func createReplicaSet(_ d: JSONValue, template: JSONValue, revision: Int, replicas: Int, surge: Int) -> StoredObject? {
        let ns = d[path: "metadata", "namespace"]?.stringValue ?? "default"
        let dName = d[path: "metadata", "name"]?.stringValue ?? ""
        // controller_utils.go ComputeHash: a hash of the template, safe-encoded (ours is FNV-1a too, over canonical JSON).
        let hash = Identifiers.safeHash(Self.canonical(Self.withoutHash(template)).jsonBytes())
        let rsName = "\(dName)-\(hash)"
        if cluster.getLocked(replicaSets, ns, rsName) != nil { return nil }
        var rsTemplate = template
        var labels = template[path: "metadata", "labels"]?.objectValue ?? JSONObject()
        labels["pod-template-hash"] = .string(hash)
        if rsTemplate["metadata"] == nil { rsTemplate["metadata"] = [:] }
        rsTemplate["metadata"]?["labels"] = .object(labels)
        var selector = d[path: "spec", "selector"] ?? [:]
        var matchLabels = selector["matchLabels"]?.objectValue ?? JSONObject()
        matchLabels["pod-template-hash"] = .string(hash)
        selector["matchLabels"] = .object(matchLabels)
        var annotations = JSONObject()
        for (k, v) in d[path: "metadata", "annotations"]?.objectValue ?? JSONObject() where !Self.annotationsToSkip.contains(k) {
            annotations[k] = v
        }
        annotations[Self.desiredReplicasAnnotation] = .string(String(d[path: "spec", "replicas"]?.intValue ?? 1))
        annotations[Self.maxReplicasAnnotation] = .string(String((d[path: "spec", "replicas"]?.intValue ?? 1) + surge))
        annotations[Self.revisionAnnotation] = .string(String(revision))
        var spec = JSONObject(["replicas": .int(replicas), "selector": selector, "template": rsTemplate])
        if let m = d[path: "spec", "minReadySeconds"], m.intValue != 0 { spec["minReadySeconds"] = m }
        cluster.putLocked(replicaSets, [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": .string(rsName), "namespace": .string(ns), "labels": .object(labels),
                         "annotations": .object(annotations), "generation": 1,
                         "ownerReferences": [[
                             "apiVersion": "apps/v1", "kind": "Deployment", "name": .string(dName),
                             "uid": d[path: "metadata", "uid"] ?? "", "controller": true, "blockOwnerDeletion": true,
                         ]]],
            "spec": .object(spec), "status": ["replicas": 0],
        ])
        if replicas > 0 {
            cluster.recordEventLocked(about: d, reason: "ScalingReplicaSet",
                                      message: "Scaled up replica set \(rsName) to \(replicas)", component: "deployment-controller")
        }
        replicaSetController.sync(namespace: ns, name: rsName, notifyOwner: false)
        return cluster.getLocked(replicaSets, ns, rsName)
    }

    /// sync.go scaleReplicaSet: spec.replicas and the desired/max annotations, and a ScalingReplicaSet event.
    private func scale(_ d: JSONValue, _ rs: StoredObject, to count: Int, replicas: Int, surge: Int) {
        guard let cur = cluster.getLocked(replicaSets, rs.namespace, rs.name) else { return }
        var v = cur.value
        let before = v[path: "spec", "replicas"]?.intValue ?? 0
        v["spec"]?["replicas"] = .int(count)
        if v[path: "metadata", "annotations"] == nil { v["metadata"]?["annotations"] = [:] }
        v["metadata"]?["annotations"]?[Self.desiredReplicasAnnotation] = .string(String(replicas))
        v["metadata"]?["annotations"]?[Self.maxReplicasAnnotation] = .string(String(replicas + surge))
        guard v != cur.value else { return }
        if before != count {
            let generation = (v[path: "metadata", "generation"]?.intValue ?? 1) + 1
            v["metadata"]?["generation"] = .int(generation)
        }
        cluster.putLocked(replicaSets, v)
        if before != count {
            cluster.recordEventLocked(about: d, reason: "ScalingReplicaSet",
                                      message: "Scaled \(count > before ? "up" : "down") replica set \(rs.name) to \(count)",
                                      component: "deployment-controller")
        }
        replicaSetController.sync(namespace: rs.namespace, name: rs.name, notifyOwner: false)
    }

    /// sync.go cleanupDeployment: old ReplicaSets with no pods beyond revisionHistoryLimit go, oldest first.
    private func cleanUp(_ d: JSONValue, newRS: StoredObject?) {
        let ns = d[path: "metadata", "namespace"]?.stringValue ?? ""
        let limit = d[path: "spec", "revisionHistoryLimit"]?.intValue ?? 10
        let uid = d[path: "metadata", "uid"]?.stringValue ?? ""
        let idle = cluster.controlledLocked(replicaSets, namespace: ns, by: uid).filter {
            $0.name != newRS?.name && $0.value[path: "metadata", "deletionTimestamp"] == nil
                && ($0.value[path: "spec", "replicas"]?.intValue ?? 0) == 0 && ($0.value[path: "status", "replicas"]?.intValue ?? 0) == 0
        }.sorted { Self.revision($0.value) < Self.revision($1.value) }
        guard idle.count > limit else { return }
        for rs in idle[..<(idle.count - limit)] { cluster.removeLocked(replicaSets, ns, rs.name) }
    }

    /// sync.go calculateStatus and progress.go's conditions.
    private func writeStatus(_ d: StoredObject, newRS: StoredObject?, replicas: Int, template: JSONValue) {
        let uid = d.value[path: "metadata", "uid"]?.stringValue ?? ""
        let all = cluster.controlledLocked(replicaSets, namespace: d.namespace, by: uid)
        func sum(_ field: String, _ list: [StoredObject]) -> Int {
            list.reduce(0) { $0 + ($1.value[path: "status", field]?.intValue ?? 0) }
        }
        let total = sum("replicas", all)
        let updated = newRS.map { sum("replicas", [$0]) } ?? 0
        let ready = sum("readyReplicas", all)
        let available = sum("availableReplicas", all)
        let desired = all.reduce(0) { $0 + ($1.value[path: "spec", "replicas"]?.intValue ?? 0) }
        let (_, maxUnavailable) = Self.fenceposts(d.value["spec"] ?? [:], replicas: replicas)
        let isAvailable = available >= replicas - maxUnavailable
        let complete = updated == replicas && total == replicas && available >= replicas
        let rsName = newRS?.name ?? ""

        let oldStatus = d.value["status"] ?? [:]
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            let s = JSONValue.string(status)
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
        if updated > 0 { status["updatedReplicas"] = .int(updated) }
        if ready > 0 { status["readyReplicas"] = .int(ready) }
        if available > 0 { status["availableReplicas"] = .int(available) }
        if desired - available > 0 { status["unavailableReplicas"] = .int(desired - available) }
        let progressing: JSONValue
        if d.value[path: "spec", "paused"]?.boolValue == true {
            progressing = condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
        } else if complete {
            progressing = condition("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"\(rsName)\" has successfully progressed.")
        } else {
            progressing = condition("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"\(rsName)\" is progressing.")
        }
        status["conditions"] = [
            isAvailable
                ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
                : condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            progressing,
        ]
        // progress.go syncRolloutStatus: a ReplicaSet's ReplicaFailure (the new one's first) becomes the
        // Deployment's (ReplicaSetToDeploymentCondition: lastUpdateTime = lastTransitionTime).
        let failing = ([newRS].compactMap { $0 } + all.filter { $0.name != newRS?.name }).lazy.compactMap { rs in
            rs.value[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "ReplicaFailure" }
        }.first
        if let f = failing {
            status["conditions"] = .array((status["conditions"]?.arrayValue ?? []) + [[
                "type": "ReplicaFailure", "status": f["status"] ?? "True", "lastUpdateTime": f["lastTransitionTime"] ?? "",
                "lastTransitionTime": f["lastTransitionTime"] ?? "", "reason": f["reason"] ?? "", "message": f["message"] ?? "",
            ]])
        }
        var v = d.value
        v["status"] = .object(status)
        if let rs = newRS, let revision = rs.value[path: "metadata", "annotations", Self.revisionAnnotation],
           v[path: "metadata", "annotations", Self.revisionAnnotation] != revision {
            if v[path: "metadata", "annotations"] == nil { v["metadata"]?["annotations"] = [:] }
            v["metadata"]?["annotations"]?[Self.revisionAnnotation] = revision
        }
        if v != d.value { cluster.putLocked(deployments, v) }
    }
}
