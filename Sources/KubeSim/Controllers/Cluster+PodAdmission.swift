import Foundation
import ObjectModel

/// The admission plugins every 1.20 kube-apiserver runs on pods (the default `--enable-admission-plugins`
/// set, in its order): ServiceAccount, Priority, DefaultTolerationSeconds. Mutating, before the
/// registry's validation. Runs under the cluster's lock.
extension Cluster {
    static let serviceAccountTokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Admission of a pod being created. `reportedName` is what admission.NewForbidden calls the pod:
    /// its name, else its generateName (names are generated after admission).
    func admitPodLocked(_ pod: inout JSONValue, namespace: String, reportedName: String) throws(StatusError) {
        try admitServiceAccountLocked(&pod, namespace: namespace, reportedName: reportedName)
        Self.admitPriority(&pod)
        Self.admitDefaultTolerationSeconds(&pod)
    }

    /// plugin/pkg/admission/serviceaccount/admission.go (v1.20) Admit, for creates: `default` when no
    /// service account is named, 403 when it does not exist, the token Secret mounted in every
    /// container (a `secret` volume named after it: without BoundServiceAccountTokenVolume, beta only
    /// from 1.21), the account's imagePullSecrets when the pod has none.
    private func admitServiceAccountLocked(_ pod: inout JSONValue, namespace: String, reportedName: String) throws(StatusError) {
        if pod[path: "metadata", "annotations", "kubernetes.io/config.mirror"] != nil { return }
        if pod["spec"] == nil { pod["spec"] = [:] }
        var saName = pod[path: "spec", "serviceAccountName"]?.stringValue ?? ""
        // The v1 -> internal conversion takes the deprecated `serviceAccount` when serviceAccountName is empty.
        if saName.isEmpty { saName = pod[path: "spec", "serviceAccount"]?.stringValue ?? "" }
        if saName.isEmpty { saName = "default" }
        pod["spec"]?["serviceAccountName"] = .string(saName)
        pod["spec"]?["serviceAccount"] = .string(saName)
        let pods = type("", "pods")
        guard let sa = store.get(type("", "serviceaccounts").storageKey, namespace, saName)?.value else {
            // The lister's NotFound names the resource `serviceaccount`.
            throw StatusError.forbidden(pods, reportedName,
                                        "error looking up service account \(namespace)/\(saName): serviceaccount \"\(saName)\" not found")
        }
        var automount = sa["automountServiceAccountToken"]?.boolValue ?? true
        if let podSays = pod[path: "spec", "automountServiceAccountToken"]?.boolValue { automount = podSays }
        if automount { try mountServiceAccountToken(&pod, sa: sa, namespace: namespace) }
        if (pod[path: "spec", "imagePullSecrets"]?.arrayValue ?? []).isEmpty,
           let pulls = sa["imagePullSecrets"]?.arrayValue, !pulls.isEmpty {
            pod["spec"]?["imagePullSecrets"] = .array(pulls.map { ["name": $0["name"] ?? ""] })
        }
    }

    private func mountServiceAccountToken(_ pod: inout JSONValue, sa: JSONValue, namespace: String) throws(StatusError) {
        guard let token = referencedTokenSecretLocked(sa, namespace: namespace) else {
            // RequireAPIToken (on in kube-apiserver): a ServerTimeout whose message is replaced.
            let name = sa[path: "metadata", "name"]?.stringValue ?? ""
            throw StatusError(code: 500, reason: "ServerTimeout",
                              message: "No API token found for service account \"\(name)\", retry after the token is automatically created and added to the service account",
                              details: ["name": "create pod", "kind": "serviceaccounts", "retryAfterSeconds": 1])
        }
        var volumes = pod[path: "spec", "volumes"]?.arrayValue ?? []
        var volumeName = ""
        var hasVolume = false
        for v in volumes where v[path: "secret", "secretName"]?.stringValue == token {
            volumeName = v["name"]?.stringValue ?? ""
            hasVolume = true
            break
        }
        if volumeName.isEmpty {
            volumeName = token
            if volumes.contains(where: { $0["name"]?.stringValue == token }) { volumeName = Identifiers.generateName(token + "-") }
        }
        let mount: JSONValue = ["name": .string(volumeName), "readOnly": true, "mountPath": .string(Self.serviceAccountTokenMountPath)]
        var needsVolume = false
        for key in ["initContainers", "containers"] {
            guard let list = pod[path: "spec", key]?.arrayValue else { continue }
            pod["spec"]?[key] = .array(list.map { c in
                var c = c
                let mounts = c["volumeMounts"]?.arrayValue ?? []
                // An existing mount at the default path prevents mounting the token.
                if mounts.contains(where: { $0["mountPath"]?.stringValue == Self.serviceAccountTokenMountPath }) { return c }
                c["volumeMounts"] = .array(mounts + [mount])
                needsVolume = true
                return c
            })
        }
        if !hasVolume, needsVolume {
            // defaultMode 420 is SetDefaults_SecretVolumeSource's, applied when the pod is read back.
            volumes.append(["name": .string(volumeName), "secret": ["secretName": .string(token), "defaultMode": 420]])
            pod["spec"]?["volumes"] = .array(volumes)
        }
    }

    /// plugin/pkg/admission/priority/admission.go (v1.20): no priorityClassName and no global default
    /// class gives priority 0; NonPreemptingPriority (beta, on) adds the default preemptionPolicy.
    static func admitPriority(_ pod: inout JSONValue) {
        guard (pod[path: "spec", "priorityClassName"]?.stringValue ?? "").isEmpty else { return }
        if pod[path: "spec", "priority"] == nil { pod["spec"]?["priority"] = 0 }
        if pod[path: "spec", "preemptionPolicy"] == nil { pod["spec"]?["preemptionPolicy"] = "PreemptLowerThan" }
    }

    /// plugin/pkg/admission/defaulttolerationseconds/admission.go (v1.20), on create and update: a pod
    /// that does not tolerate the not-ready and unreachable NoExecute taints tolerates them for 300 s.
    static func admitDefaultTolerationSeconds(_ pod: inout JSONValue) {
        var tolerations = pod[path: "spec", "tolerations"]?.arrayValue ?? []
        func tolerates(_ key: String) -> Bool {
            tolerations.contains { t in
                let k = t["key"]?.stringValue ?? "", e = t["effect"]?.stringValue ?? ""
                return (k == key || k.isEmpty) && (e == "NoExecute" || e.isEmpty)
            }
        }
        let notReady = tolerates("node.kubernetes.io/not-ready"), unreachable = tolerates("node.kubernetes.io/unreachable")
        if !notReady {
            tolerations.append(["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
        }
        if !unreachable {
            tolerations.append(["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
        }
        if !notReady || !unreachable {
            if pod["spec"] == nil { pod["spec"] = [:] }
            pod["spec"]?["tolerations"] = .array(tolerations)
        }
    }
}
