import Foundation
import KubeSim
import XCTest
import ObjectModel

/// A kube-sim in this process on loopback (RBAC on, as a real cluster; the admin certificate is
/// cluster-admin through system:masters), a private temp folder with a kubeconfig, the CA and the
/// admin's client certificate, and ways to run osm, kubectl and curl against it. The one
/// kube-sim harness of every test target.
public final class ClusterHarness {
    public let sim: KubeSim
    public let dir: URL
    public let kubeconfig: String

    public init(configure: (inout KubeSimOptions) -> Void = { _ in }) throws {
        var options = KubeSimOptions()
        options.readyAfter = 0.2
        options.authorization = .rbac
        configure(&options)
        sim = try KubeSim(options: options)
        try sim.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("osm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        kubeconfig = dir.appendingPathComponent("kubeconfig").path
        try sim.writeKubeconfig(to: kubeconfig, user: "admin")
    }

    deinit {
        sim.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// The path of `name` in this harness's private folder.
    public func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The server's CA certificate, as a file (written on first use).
    public private(set) lazy var caFile: String = {
        let path = file("ca.crt")
        try! sim.caPEM.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    /// A client certificate and key for `admin` in system:masters, as files (made on first use).
    public private(set) lazy var adminCertificate: (cert: String, key: String) = {
        let pair = try! sim.issueClientCertificate(commonName: "admin", groups: ["system:masters"])
        let (cert, key) = (file("admin.crt"), file("admin.key"))
        try! pair.certPEM.write(toFile: cert, atomically: true, encoding: .utf8)
        try! pair.keyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        return (cert, key)
    }()

    // MARK: running programs against it

    /// `osm` (or `$OSM_BINARY`) against this cluster, with a private HOME and no OSM_NAMESPACE.
    public func osm(_ args: [String], stdin: String? = nil, env: [String: String] = [:], timeout: TimeInterval = 120,
                    combined: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try OSMBinary.run(args, kubeconfig: kubeconfig, home: dir, env: env, stdin: stdin, timeout: timeout,
                          combined: combined, file: file, line: line)
    }

    /// The environment osm and kubectl see: this one's, with the harness's kubeconfig and HOME.
    public func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        environment["HOME"] = dir.path
        environment.removeValue(forKey: "OSM_NAMESPACE")
        for (k, v) in extra { environment[k] = v }
        return environment
    }

    /// kubectl (found on PATH; a test fails loudly without it) as the admin.
    public func kubectl(_ args: [String], stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try ProcessRunner.run(try Tools.kubectl(file: file, line: line), args, stdin: stdin, environment: environment(), in: dir,
                              timeout: 120, file: file, line: line)
    }

    public func kubectl(_ args: String..., stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try kubectl(args, stdin: stdin, file: file, line: line)
    }

    /// Helm v3.8.1 (`Tools.helm`; a test fails loudly without it) as the admin, with its cache,
    /// config and data folders in the harness's private folder.
    public func helm(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let home = dir.path
        return try ProcessRunner.run(try Tools.helm(file: file, line: line), args,
                                     environment: environment(["HELM_CACHE_HOME": home + "/helm-cache", "HELM_CONFIG_HOME": home + "/helm-config",
                                                               "HELM_DATA_HOME": home + "/helm-data"]),
                                     in: dir, timeout: 120, file: file, line: line)
    }

    /// kubectl as the bearer-token user `token` (a kubeconfig and a discovery cache of its own, CA verified).
    public func kubectl(token: String, _ args: String..., stdin: String? = nil, file: StaticString = #filePath,
                        line: UInt = #line) throws -> ProcessResult {
        let path = self.file("kubeconfig-\(token)")
        if !FileManager.default.fileExists(atPath: path) {
            let config: JSONValue = [
                "apiVersion": "v1", "kind": "Config",
                "clusters": [["name": "sim", "cluster": ["server": .string(sim.url), "certificate-authority": .string(caFile)]]],
                "users": [["name": "u", "user": ["token": .string(token)]]],
                "contexts": [["name": "sim", "context": ["cluster": "sim", "user": "u"]]],
                "current-context": "sim",
            ]
            try config.jsonString().write(toFile: path, atomically: true, encoding: .utf8)
        }
        return try ProcessRunner.run(try Tools.kubectl(file: file, line: line),
                                     ["--cache-dir", self.file("kube-cache-\(token)")] + args, stdin: stdin,
                                     environment: environment(["KUBECONFIG": path]), in: dir, timeout: 120, file: file, line: line)
    }


    // MARK: raw HTTP, with curl (a client no one here wrote)

    public struct Reply {
        public let status: Int
        public let body: String
        public var json: JSONValue? { try? JSONValue(parsing: body) }
    }

    public enum Credential { case admin, none, token(String), certificate(cert: String, key: String) }

    /// One request with curl. `body` is sent as is.
    public func request(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json",
                        as credential: Credential = .admin, headers: [String] = []) throws -> Reply {
        var args = ["-s", "-S", "-o", "-", "-w", "\n%{http_code}", "-X", method, "--cacert", caFile]
        switch credential {
        case .admin: args += ["--cert", adminCertificate.cert, "--key", adminCertificate.key]
        case .none: break
        case .token(let t): args += ["-H", "Authorization: Bearer \(t)"]
        case .certificate(let cert, let key):
            let c = file("\(UUID().uuidString).crt"), k = file("\(UUID().uuidString).key")
            try cert.write(toFile: c, atomically: true, encoding: .utf8)
            try key.write(toFile: k, atomically: true, encoding: .utf8)
            args += ["--cert", c, "--key", k]
        }
        for h in headers { args += ["-H", h] }
        if body != nil {
            args += ["-H", "Content-Type: \(contentType)", "--data-binary", "@-"]
        }
        args.append(sim.url + path)
        let r = try ProcessRunner.run("/usr/bin/curl", args, stdin: body, in: dir)
        var out = r.stdout
        guard let nl = out.lastIndex(of: "\n") else { return Reply(status: 0, body: out) }
        let code = Int(out[out.index(after: nl)...]) ?? 0
        out = String(out[..<nl])
        return Reply(status: code, body: out)
    }

    public func json(_ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json")
        throws -> (Int, JSONValue)
    {
        let r = try request(method, path, body: body?.jsonString(), contentType: contentType)
        return (r.status, r.json ?? .null)
    }

    // MARK: cluster state, read directly from the server's store

    public func namespace(_ name: String) -> JSONValue? {
        sim.object(group: "", version: "v1", resource: "namespaces", namespace: nil, name: name)
    }

    public func configMap(_ name: String, in ns: String) -> JSONValue? {
        sim.object(group: "", version: "v1", resource: "configmaps", namespace: ns, name: name)
    }

    public func deployment(_ name: String, in ns: String) -> JSONValue? {
        sim.object(group: "apps", version: "v1", resource: "deployments", namespace: ns, name: name)
    }

    public func createNamespace(_ name: String, labels: [String: String] = [:], annotations: [String: String] = [:]) throws {
        var meta: JSONObject = ["name": .string(name)]
        if !labels.isEmpty { meta["labels"] = JSONValue(labels) }
        if !annotations.isEmpty { meta["annotations"] = JSONValue(annotations) }
        try sim.put(["apiVersion": "v1", "kind": "Namespace", "metadata": .object(meta)])
    }

    /// Requests that changed state (anything but GET), as the server logged them.
    public var writes: [RequestLogEntry] { sim.requestLog.filter { $0.method != "GET" } }
}
