import KubeClient
import ObjectModel

/// `osm verify control-plane`: whether a v0.8 control plane is whole and healthy, one check per
/// object that makes it: its namespace, the osm-controller and osm-injector Deployments and their
/// pods, osm-config's values, the admission webhooks and the SMI CRDs.
package struct ControlPlaneVerifier: Sendable {
    package var osmNamespace: String
    /// The mesh to check; nil takes the `meshName` label of the namespace's controller.
    package var meshName: String?

    package init(osmNamespace: String, meshName: String?) {
        self.osmNamespace = osmNamespace
        self.meshName = meshName
    }

    /// Restarts at or above this count, with the container not ready, read as a restart loop.
    static let restartLoopThreshold = 3

    package func run(client: any KubeAPI) -> Verification {
        // Everything is read at once; each check looks at its own answers.
        enum Read: Int, CaseIterable {
            case namespace, deployments, pods, configMap, mutating, validating, crds, services
        }
        let ns = osmNamespace
        let instanceSelector = meshName.map { "\(MeshConstants.instanceLabel)=\($0)" }
        // The webhooks and CRDs at v1, falling back to v1beta1 (a second round) on a server
        // that does not serve v1 (before Kubernetes 1.16).
        let eitherVersion: [Read: (v1: APIResource, v1beta1: APIResource, selector: String?)] = [
            .mutating: (.mutatingWebhookConfigurationsV1, .mutatingWebhookConfigurationsV1beta1, instanceSelector),
            .validating: (.validatingWebhookConfigurationsV1, .validatingWebhookConfigurationsV1beta1, instanceSelector),
            .crds: (.customResourceDefinitionsV1, .customResourceDefinitionsV1beta1, nil),
        ]
        func request(_ r: Read) throws(KubeError) -> KubeRequest {
            switch r {
            case .namespace: return try client.getRequest(.namespaces, name: ns)
            case .deployments: return client.listRequest(.deployments, namespace: ns)
            case .pods: return client.listRequest(.pods, namespace: ns)
            case .configMap: return try client.getRequest(.configMaps, namespace: ns, name: MeshConstants.configMapName)
            case .services: return client.listRequest(.services, namespace: ns)
            case .mutating, .validating, .crds:
                let e = eitherVersion[r]!
                return client.listRequest(e.v1, labelSelector: e.selector)
            }
        }
        var answers: [Result<JSONValue, KubeError>] = []
        do throws(KubeError) {
            answers = client.send(try Read.allCases.map(request))
        } catch {
            answers = Read.allCases.map { _ in .failure(error) }
        }
        let older = Read.allCases.filter { r in
            if eitherVersion[r] != nil, case .failure(let e) = answers[r.rawValue], e.code == 404 { return true }
            return false
        }
        for (r, answer) in zip(older, client.send(older.map { client.listRequest(eitherVersion[$0]!.v1beta1, labelSelector: eitherVersion[$0]!.selector) })) {
            answers[r.rawValue] = answer
        }
        func read(_ r: Read) -> Result<JSONValue, KubeError> { answers[r.rawValue] }

        var steps: [Verification] = [namespaceCheck(read(.namespace))]
        let deployments = (try? read(.deployments).get().arrayValue) ?? []
        let controller = deployments.first { $0.metadata.name == MeshConstants.controllerName }
        let mesh = meshName ?? controller?.metadata.label(MeshConstants.meshNameLabel)
        for app in [MeshConstants.controllerName, MeshConstants.injectorName] {
            steps.append(deploymentCheck(app, read(.deployments), mesh: mesh))
            steps.append(podsCheck(app, read(.pods)))
        }
        steps.append(configMapCheck(read(.configMap)))
        let services = Set(((try? read(.services).get().arrayValue) ?? []).map {
            "\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")"
        })
        let servicesKnown = (try? read(.services).get()) != nil
        steps.append(webhookCheck("MutatingWebhookConfiguration", read(.mutating), mesh: mesh,
                                  services: servicesKnown ? services : nil))
        steps.append(webhookCheck("ValidatingWebhookConfiguration", read(.validating), mesh: mesh,
                                  services: servicesKnown ? services : nil))
        steps.append(crdCheck(read(.crds)))
        let context = "Verify the health of OSM control plane in namespace \(GoFormat.quoted(ns))" +
            (mesh.map { " (mesh \(GoFormat.quoted($0)))" } ?? "")
        return .all(context, steps)
    }

    private func namespaceCheck(_ answer: Result<JSONValue, KubeError>) -> Verification {
        let context = "Verify namespace \(GoFormat.quoted(osmNamespace)) exists and is active"
        switch answer {
        case .failure(let e) where e.code == 404:
            return .failure(context, "Namespace \(GoFormat.quoted(osmNamespace)) does not exist",
                            suggestion: "Install a control plane there (osm install --osm-namespace \(osmNamespace)) or name the right one with --osm-namespace")
        case .failure(let e):
            return .unknown(context, "Error fetching namespace \(GoFormat.quoted(osmNamespace)): \(e.message)")
        case .success(let ns):
            if ns.phase == "Terminating" || ns.metadata.deletionTimestamp != nil {
                return .failure(context, "Namespace \(GoFormat.quoted(osmNamespace)) is Terminating",
                                suggestion: "Wait until it is gone, then install the control plane again (osm install)")
            }
            return .success(context)
        }
    }

    private func deploymentCheck(_ app: String, _ answer: Result<JSONValue, KubeError>, mesh: String?) -> Verification {
        let context = "Verify Deployment \(GoFormat.quoted("\(osmNamespace)/\(app)")) is available"
        let items: [JSONValue]
        switch answer {
        case .failure(let e): return .unknown(context, "Error fetching deployments in namespace \(GoFormat.quoted(osmNamespace)): \(e.message)")
        case .success(let list): items = list.arrayValue ?? []
        }
        guard let d = items.first(where: { $0.metadata.name == app }) else {
            return .failure(context, "Deployment \(app) not found in namespace \(GoFormat.quoted(osmNamespace))",
                            suggestion: "Finish or repeat the install: osm install --osm-namespace \(osmNamespace)\(mesh.map { " --mesh-name \($0)" } ?? "")")
        }
        if let mesh, let label = d.metadata.label(MeshConstants.meshNameLabel), label != mesh {
            return .failure(context, "Deployment \(app) belongs to mesh \(GoFormat.quoted(label)), not \(GoFormat.quoted(mesh))",
                            suggestion: "Name the mesh installed in this namespace: --mesh-name \(label)")
        }
        let wanted = d.replicas ?? 1
        let available = d.availableReplicas ?? 0
        let condition = d.condition("Available")
        if condition?.isTrue == true && available >= min(wanted, 1) {
            return .success(context)
        }
        var reason = "Deployment \(app) has \(available) of \(wanted) replicas available"
        if let message = condition?.message, !message.isEmpty { reason += ": \(message)" }
        return .failure(context, reason, suggestion: "See the pod checks below and `kubectl describe deployment \(app) -n \(osmNamespace)`")
    }

    private func podsCheck(_ app: String, _ answer: Result<JSONValue, KubeError>) -> Verification {
        let context = "Verify readiness status of pod for app \(GoFormat.quoted("\(osmNamespace)/\(app)"))"
        let pods: [JSONValue]
        switch answer {
        case .failure(let e): return .unknown(context, "Error fetching pods for app \(osmNamespace)/\(app): \(e.message)")
        case .success(let list):
            pods = (list.arrayValue ?? []).filter { $0.metadata.label(MeshConstants.appLabel) == app }
        }
        guard !pods.isEmpty else {
            return .failure(context, "No pods found for app \(osmNamespace)/\(app)",
                            suggestion: "Check the Deployment's events: kubectl describe deployment \(app) -n \(osmNamespace)")
        }
        var problems: [String] = []
        for pod in pods {
            if let problem = Self.podProblem(pod) { problems.append(problem) }
        }
        if problems.isEmpty { return .success(context) }
        return .failure(context, problems.joined(separator: "; "),
                        suggestion: "Check the pods' events and logs: kubectl describe pod -n \(osmNamespace) -l app=\(app)")
    }

    /// Why a pod is not serving: not Running, a container waiting (with its reason and image),
    /// not ready, or restarting in a loop. Nil when it is healthy.
    static func podProblem(_ pod: JSONValue) -> String? {
        let name = pod.metadata.name ?? "?"
        let phase = pod.phase ?? "Unknown"
        let images = Dictionary(pod.podContainers.compactMap { c -> (String, String)? in
            guard let n = c.name else { return nil }
            return (n, c.image ?? "")
        }, uniquingKeysWith: { a, _ in a })
        for status in pod.containerStatuses {
            let container = status.name ?? "?"
            let image = status.image ?? images[container] ?? ""
            let restarts = status.restartCount
            if let waiting = status.waiting, let reason = waiting.reason {
                var text = "pod \(name): container \(container) is waiting: \(reason) (image \(image))"
                if let message = waiting.message, !message.isEmpty { text += ": \(message)" }
                if restarts > 0 { text += ", restarted \(restarts) times" }
                return text
            }
            if restarts >= restartLoopThreshold && !status.ready {
                let why = status.lastTerminated.map { " (last exit: \($0.reason ?? "?"), code \($0.exitCode ?? -1))" } ?? ""
                return "pod \(name): container \(container) restarted \(restarts) times and is not ready\(why) (image \(image))"
            }
        }
        if phase != "Running" { return "pod \(name) is \(phase), not Running" }
        if pod.condition("Ready")?.isTrue != true { return "pod \(name) is Running but not ready" }
        return nil
    }

    private func configMapCheck(_ answer: Result<JSONValue, KubeError>) -> Verification {
        let context = "Verify ConfigMap \(GoFormat.quoted("\(osmNamespace)/\(MeshConstants.configMapName)")) is valid"
        let cm: JSONValue
        switch answer {
        case .failure(let e) where e.code == 404:
            return .failure(context, "ConfigMap \(MeshConstants.configMapName) not found in namespace \(GoFormat.quoted(osmNamespace))",
                            suggestion: "Reinstall the control plane (osm mesh uninstall, then osm install): the controller cannot start without it")
        case .failure(let e): return .unknown(context, "Error fetching ConfigMap \(MeshConstants.configMapName): \(e.message)")
        case .success(let value): cm = value
        }
        var data: [String: String] = [:]
        var nonString: [String] = []
        if case .object(let o)? = cm["data"] {
            for (k, v) in o {
                if let s = v.stringValue { data[k] = s } else { nonString.append(k) }
            }
        }
        let problems = nonString.sorted().map { "\($0): not a string" } + OSMConfigRules.problems(in: data)
        if problems.isEmpty { return .success(context) }
        return .failure(context, problems.joined(separator: "; "),
                        suggestion: "Set valid values with osm mesh upgrade (e.g. --enable-egress=false), or kubectl edit configmap \(MeshConstants.configMapName) -n \(osmNamespace)")
    }

    private func webhookCheck(_ kind: String, _ answer: Result<JSONValue, KubeError>, mesh: String?,
                              services: Set<String>?) -> Verification {
        let context = "Verify \(kind) of mesh \(GoFormat.quoted(mesh ?? "?"))"
        let items: [JSONValue]
        switch answer {
        case .failure(let e): return .unknown(context, "Error fetching \(kind)s: \(e.message)")
        case .success(let list): items = list.arrayValue ?? []
        }
        // Ours: pointing at services in the control plane namespace.
        let ours = items.filter { config in
            (config["webhooks"]?.arrayValue ?? []).contains { $0[path: "clientConfig", "service", "namespace"]?.stringValue == osmNamespace }
        }
        guard !ours.isEmpty else {
            return .failure(context, "No \(kind) of mesh \(GoFormat.quoted(mesh ?? "?")) points at namespace \(GoFormat.quoted(osmNamespace))",
                            suggestion: "Reinstall the control plane (osm mesh uninstall, then osm install)")
        }
        var problems: [String] = []
        for config in ours {
            let name = config.metadata.name ?? "?"
            for hook in config["webhooks"]?.arrayValue ?? [] {
                let hookName = hook["name"]?.stringValue ?? "?"
                if (hook[path: "clientConfig", "caBundle"]?.stringValue ?? "").isEmpty {
                    problems.append("\(name) webhook \(hookName) has no caBundle (the \(kind.hasPrefix("Mutating") ? "injector" : "controller") writes it when it starts)")
                }
                if let svc = hook[path: "clientConfig", "service"], let services {
                    let key = "\(svc["namespace"]?.stringValue ?? "")/\(svc["name"]?.stringValue ?? "")"
                    if !services.contains(key) { problems.append("\(name) webhook \(hookName) points at Service \(key), which does not exist") }
                }
            }
        }
        if problems.isEmpty { return .success(context) }
        return .failure(context, problems.joined(separator: "; "),
                        suggestion: "Check that osm-controller and osm-injector are running (they write the caBundle), or reinstall the control plane")
    }

    private func crdCheck(_ answer: Result<JSONValue, KubeError>) -> Verification {
        let context = "Verify the SMI CustomResourceDefinitions"
        let present: Set<String>
        switch answer {
        case .failure(let e): return .unknown(context, "Error fetching CustomResourceDefinitions: \(e.message)")
        case .success(let list): present = Set((list.arrayValue ?? []).compactMap { $0.metadata.name })
        }
        let missing = SMICustomResourceDefinitions.all.compactMap { $0.metadata.name }.filter { !present.contains($0) }
        if missing.isEmpty { return .success(context) }
        return .failure(context, "Missing: \(missing.joined(separator: ", "))",
                        suggestion: "osm install creates them; after a partial uninstall, reinstall the control plane")
    }
}
