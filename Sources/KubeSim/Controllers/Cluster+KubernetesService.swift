import ObjectModel

/// The `kubernetes` Service in `default` and its Endpoints, which every kube-apiserver keeps
/// (pkg/master/controller.go CreateOrUpdateMasterServiceIfNeeded and reconcilers/lease.go, v1.20): the
/// first IP of the service range (10.96.0.1), port 443 named `https` to the server's secure port, no
/// selector, and Endpoints holding the server's own address. kube-sim's secure port is the one it
/// listens on (6443 on a kubeadm cluster, or `--port`).
extension Cluster {
    func ensureKubernetesServiceLocked(address: String) {
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { return }
        let ip = parts[0] == "0.0.0.0" ? "127.0.0.1" : String(parts[0])
        let services = type("", "services")
        if store.get(services.storageKey, "default", "kubernetes") == nil {
            _ = try? createLocked(services, namespace: "default", body: [
                "apiVersion": "v1", "kind": "Service",
                "metadata": ["name": "kubernetes", "namespace": "default",
                             "labels": ["component": "apiserver", "provider": "kubernetes"]],
                "spec": ["ports": [["name": "https", "protocol": "TCP", "port": 443, "targetPort": .int(port)]],
                         "clusterIP": "10.96.0.1", "sessionAffinity": "None", "type": "ClusterIP"],
            ])
        }
        let endpoints = type("", "endpoints")
        let subsets: JSONValue = [["addresses": [["ip": .string(ip)]], "ports": [["name": "https", "port": .int(port), "protocol": "TCP"]]]]
        let current = store.get(endpoints.storageKey, "default", "kubernetes")?.value
        if current?["subsets"] != subsets {
            var e = current ?? [
                "apiVersion": "v1", "kind": "Endpoints",
                "metadata": ["name": "kubernetes", "namespace": "default",
                             "labels": ["endpointslice.kubernetes.io/skip-mirror": "true"]],
            ]
            e["subsets"] = subsets
            putLocked(endpoints, e)
        }
    }
}
