import ObjectModel

/// What the API server fills in on create, per kind.
enum ObjectDefaults {
    static func apply(_ o: inout JSONValue, kind: String, version: String = "v1") {
        switch kind {
        case "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration":
            defaultWebhooks(&o, mutating: kind.hasPrefix("Mutating"), v1: version == "v1")
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
        case "ReplicaSet":
            // pkg/apis/apps/v1/defaults.go SetDefaults_ReplicaSet: replicas 1; the template's pod defaults.
            if o[path: "spec", "replicas"] == nil { o["spec"]?["replicas"] = 1 }
            o["status"] = ["replicas": 0]
            defaultTemplate(&o)
        case "StatefulSet":
            // pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet (v1.20).
            var spec = o["spec"] ?? [:]
            if spec["replicas"] == nil { spec["replicas"] = 1 }
            if spec["podManagementPolicy"] == nil { spec["podManagementPolicy"] = "OrderedReady" }
            if spec[path: "updateStrategy", "type"] == nil { spec["updateStrategy"] = ["type": "RollingUpdate"] }
            if spec[path: "updateStrategy", "type"]?.stringValue == "RollingUpdate", spec[path: "updateStrategy", "rollingUpdate", "partition"] == nil {
                spec["updateStrategy"]?["rollingUpdate"] = ["partition": 0]
            }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = 10 }
            o["spec"] = spec
            o["status"] = ["replicas": 0]
            defaultTemplate(&o)
        case "DaemonSet":
            // pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet (v1.20).
            var spec = o["spec"] ?? [:]
            if spec[path: "updateStrategy", "type"] == nil { spec["updateStrategy"] = ["type": "RollingUpdate"] }
            if spec[path: "updateStrategy", "type"]?.stringValue == "RollingUpdate", spec[path: "updateStrategy", "rollingUpdate", "maxUnavailable"] == nil {
                spec["updateStrategy"]?["rollingUpdate"] = ["maxUnavailable": 1]
            }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = 10 }
            o["spec"] = spec
            o["status"] = ["currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0]
            defaultTemplate(&o)
        case "Job":
            // pkg/apis/batch/v1/defaults.go SetDefaults_Job, and pkg/registry/batch/job/strategy.go
            // generateSelector: unless manualSelector, the selector is the server's `controller-uid`, which
            // the template gets as a label with `job-name`.
            var spec = o["spec"] ?? [:]
            if spec["completions"] == nil, spec["parallelism"] == nil { spec["completions"] = 1 }
            if spec["parallelism"] == nil { spec["parallelism"] = 1 }
            if spec["backoffLimit"] == nil { spec["backoffLimit"] = 6 }
            if spec["manualSelector"]?.boolValue != true, let uid = o[path: "metadata", "uid"] {
                var labels = spec[path: "template", "metadata", "labels"]?.objectValue ?? JSONObject()
                labels["controller-uid"] = uid
                labels["job-name"] = o[path: "metadata", "name"] ?? ""
                if spec["template"] == nil { spec["template"] = [:] }
                if spec[path: "template", "metadata"] == nil { spec["template"]?["metadata"] = [:] }
                spec["template"]?["metadata"]?["labels"] = .object(labels)
                spec["selector"] = ["matchLabels": ["controller-uid": uid]]
            }
            o["spec"] = spec
            o["status"] = [:]
            defaultTemplate(&o)
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
            defaultTemplate(&o)
        case "CustomResourceDefinition":
            // Established at once: there is no API extension server to wait for.
            let now = JSONValue.string(RFC3339.now())
            var versions: [JSONValue] = (o[path: "spec", "versions"]?.arrayValue ?? [])
                .filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }
            if versions.isEmpty, let v = o[path: "spec", "version"] { versions = [v] }
            o["status"] = [
                "conditions": [
                    ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                     "message": "no conflicts found", "lastTransitionTime": now],
                    ["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                     "message": "the initial names have been accepted", "lastTransitionTime": now],
                ],
                "acceptedNames": o[path: "spec", "names"] ?? [:],
                "storedVersions": .array(versions),
            ]
        case "ClusterRoleBinding", "RoleBinding":
            defaultSubjects(&o, kind: kind)
        case "Pod":
            if var spec = o["spec"] {
                defaultPodSpec(&spec)
                defaultPodOnly(&spec)
                o["spec"] = spec
            }
            // pkg/registry/core/pod/strategy.go PrepareForCreate: Pending, with the QoS class.
            if o[path: "status", "phase"] == nil { o["status"] = ["phase": "Pending"] }
            if o[path: "status", "qosClass"] == nil {
                let qos = PodQOS.qosClass(o["spec"] ?? [:])
                o["status"]?["qosClass"] = .string(qos)
            }
        default: break
        }
    }

    /// admissionregistration defaulting (v1beta1 and v1 differ in failurePolicy, matchPolicy, timeout,
    /// and v1beta1 fills sideEffects and admissionReviewVersions that v1 requires). Rules keep no
    /// defaulted `scope`: they are an atomic list, so kubectl apply would see every re-apply as a change.
    static func defaultWebhooks(_ o: inout JSONValue, mutating: Bool, v1: Bool) {
        guard let hooks = o["webhooks"]?.arrayValue else { return }
        o["webhooks"] = .array(hooks.map { w in
            var w = w
            func def(_ k: String, _ v: JSONValue) { if w[k] == nil || w[k] == .null { w[k] = v } }
            def("failurePolicy", v1 ? "Fail" : "Ignore")
            def("matchPolicy", v1 ? "Equivalent" : "Exact")
            def("namespaceSelector", [:])
            def("objectSelector", [:])
            def("timeoutSeconds", v1 ? 10 : 30)
            if mutating { def("reinvocationPolicy", "Never") }
            if !v1 {
                def("sideEffects", "Unknown")
                def("admissionReviewVersions", ["v1beta1"])
            }
            if var svc = w[path: "clientConfig", "service"], svc != .null, svc["port"] == nil {
                svc["port"] = 443
                w["clientConfig"]?["service"] = svc
            }
            return w
        })
    }

    /// rbac/v1 defaulting: User and Group subjects get the RBAC API group.
    static func defaultSubjects(_ o: inout JSONValue, kind: String) {
        guard kind == "ClusterRoleBinding" || kind == "RoleBinding", let subjects = o["subjects"]?.arrayValue else { return }
        o["subjects"] = .array(subjects.map { s in
            var s = s
            if (s["apiGroup"]?.stringValue ?? "").isEmpty, ["User", "Group"].contains(s["kind"]?.stringValue ?? "") {
                s["apiGroup"] = "rbac.authorization.k8s.io"
            }
            return s
        })
    }

    /// The built-in kinds with a pod template.
    static let templateKinds: Set<String> = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"]

    /// Defaults inside a Deployment's pod template; applied on every write, as the server does.
    static func defaultTemplate(_ o: inout JSONValue) {
        guard var spec = o[path: "spec", "template", "spec"] else { return }
        defaultPodSpec(&spec)
        o["spec"]?["template"]?["spec"] = spec
    }

    /// pkg/apis/core/v1/defaults.go SetDefaults_Pod (v1.20), which pods get and pod templates do not:
    /// requests default to limits, enableServiceLinks to true.
    static func defaultPodOnly(_ spec: inout JSONValue) {
        for key in ["containers", "initContainers"] {
            guard let list = spec[key]?.arrayValue else { continue }
            spec[key] = .array(list.map { c in
                guard let limits = c[path: "resources", "limits"]?.objectValue, !limits.isEmpty else { return c }
                var c = c
                var requests = c[path: "resources", "requests"]?.objectValue ?? JSONObject()
                for (k, v) in limits where requests[k] == nil { requests[k] = v }
                c["resources"]?["requests"] = .object(requests)
                return c
            })
        }
        if spec["enableServiceLinks"] == nil { spec["enableServiceLinks"] = true }
    }

    static func defaultPodSpec(_ spec: inout JSONValue) {
        // The v1 <-> internal conversion (Convert_v1_PodSpec_To_core_PodSpec and back): serviceAccountName,
        // else the deprecated serviceAccount, and serviceAccount written back as serviceAccountName.
        if let name = spec["serviceAccountName"]?.stringValue, !name.isEmpty {
            spec["serviceAccount"] = .string(name)
        } else if let name = spec["serviceAccount"]?.stringValue, !name.isEmpty {
            spec["serviceAccountName"] = .string(name)
        }
        if spec["restartPolicy"] == nil { spec["restartPolicy"] = "Always" }
        if spec["terminationGracePeriodSeconds"] == nil { spec["terminationGracePeriodSeconds"] = 30 }
        if spec["dnsPolicy"] == nil { spec["dnsPolicy"] = "ClusterFirst" }
        if spec["securityContext"] == nil { spec["securityContext"] = [:] }
        if spec["schedulerName"] == nil { spec["schedulerName"] = "default-scheduler" }
        for key in ["containers", "initContainers"] {
            guard let list = spec[key]?.arrayValue else { continue }
            spec[key] = .array(list.map { c in
                var c = c
                if c["terminationMessagePath"] == nil { c["terminationMessagePath"] = "/dev/termination-log" }
                if c["terminationMessagePolicy"] == nil { c["terminationMessagePolicy"] = "File" }
                if c["resources"] == nil { c["resources"] = [:] }
                if c["imagePullPolicy"] == nil {
                    let image = c["image"]?.stringValue ?? ""
                    let tag = image.split(separator: "/").last.flatMap { $0.split(separator: ":", maxSplits: 1).dropFirst().first }
                    c["imagePullPolicy"] = (tag == nil || tag == "latest") && !image.contains("@") ? "Always" : "IfNotPresent"
                }
                if let ports = c["ports"]?.arrayValue {
                    c["ports"] = .array(ports.map { p in
                        var p = p
                        if p["protocol"] == nil { p["protocol"] = "TCP" }
                        return p
                    })
                }
                return c
            })
        }
    }
}
