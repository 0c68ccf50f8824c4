import ArgumentParser
import Foundation
import KubeSim

/// `kube-sim`: runs the simulated API server until SIGINT/SIGTERM.
struct KubeSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-sim",
        abstract: "An in-memory Kubernetes API server over TLS, for tests and demos.")

    @Option(help: "Port to listen on (0 picks a free one).") var port = 0
    @Option(help: "Address to bind.") var bind = "127.0.0.1"
    @Option(help: "Write a kubeconfig that reaches this server (admin client certificate).") var kubeconfig: String?
    @Option(name: .customLong("token"), help: "Accept this bearer token (TOKEN, TOKEN,USER or TOKEN,USER,GROUP...); repeatable. Its user starts with no rights under RBAC.")
    var tokens: [String] = []
    @Option(help: "Bearer token for the /kube-sim/faults admin endpoint.") var adminToken: String?
    @Option(help: "Kubernetes version to report; decides which API versions are served.")
    var serverVersion = "v1.20.15"
    @Option(help: "How long Deployment pods take to become ready (Go duration).") var readyAfter = "1s"
    @Option(help: "Pods whose image matches this regular expression never pull (ImagePullBackOff).")
    var unpullableImage: String?
    @Option(help: "YAML/JSON file with fault rules.") var faults: String?
    @Option(help: "Append one JSON line per request to this file.") var log: String?
    @Option(name: .customLong("forward"), help: ArgumentHelp(
        "Serve pods/portforward for a pod's port from a real TCP address; POD may end in * (a Deployment's pods); repeatable.",
        valueName: "NAMESPACE/POD:PORT=HOST:PORT"))
    var forwards: [String] = []
    @Flag(help: "Serve plain HTTP instead of HTTPS.") var insecureHttp = false
    @Flag(help: "Offer only HTTP/1.1 over TLS (by default ALPN offers h2 too, as a real API server does).") var http1Only = false
    @Option(help: "RBAC (roles and bindings decide; no credentials = system:anonymous) or AlwaysAllow (any authenticated user may do anything).")
    var authorizationMode = "RBAC"
    @Option(help: "How long a deleted namespace stays Terminating before it and its content go (Go duration; creates in it are refused meanwhile).")
    var namespaceDeletion = "3s"
    @Option(help: "One-way delay on every read and write of every connection, as across a network (Go duration, e.g. 10ms).")
    var latency = "0"

    func run() throws {
        var o = KubeSimOptions()
        o.port = port
        o.bind = bind
        o.tokens = tokens
        o.adminToken = adminToken
        o.serverVersion = serverVersion
        guard let ready = Self.seconds(readyAfter) else {
            throw ValidationError("invalid duration \"\(readyAfter)\" for --ready-after")
        }
        o.readyAfter = ready
        o.unpullableImage = unpullableImage
        if let faults {
            guard let text = try? String(contentsOfFile: faults, encoding: .utf8) else {
                throw ValidationError("cannot read faults file \(faults)")
            }
            o.faults = try FaultRule.parseList(text)
        }
        o.logPath = log
        o.insecureHTTP = insecureHttp
        o.http2 = !http1Only
        o.forwards = forwards
        guard let mode = AuthorizationMode(rawValue: authorizationMode) else {
            throw ValidationError("invalid --authorization-mode \"\(authorizationMode)\" (want RBAC or AlwaysAllow)")
        }
        o.authorization = mode
        guard let nsDeletion = Self.seconds(namespaceDeletion) else {
            throw ValidationError("invalid duration \"\(namespaceDeletion)\" for --namespace-deletion")
        }
        o.namespaceDeletionSeconds = nsDeletion
        guard let delay = Self.seconds(latency) else {
            throw ValidationError("invalid duration \"\(latency)\" for --latency")
        }
        o.latency = delay
        let sim = try KubeSim(options: o)
        try sim.start()
        if let kubeconfig { try sim.writeKubeconfig(to: kubeconfig) }
        FileHandle.standardOutput.write(Data("kube-sim ready at \(sim.url)\n".utf8))

        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { done.signal() }
            s.resume()
            sources.append(s)
        }
        done.wait()
        sim.stop()
        _ = sources
    }

    /// Go duration subset: `1s`, `500ms`, `1.5s`, `2m`, `0`.
    static func seconds(_ s: String) -> Double? {
        if s == "0" { return 0 }
        let units: [(String, Double)] = [("ms", 0.001), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(s)
        var total = 0.0
        while !rest.isEmpty {
            let num = rest.prefix { $0.isNumber || $0 == "." }
            guard !num.isEmpty, let v = Double(num) else { return nil }
            rest = rest.dropFirst(num.count)
            guard let (u, f) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(u.count)
            total += v * f
        }
        return total
    }
}
