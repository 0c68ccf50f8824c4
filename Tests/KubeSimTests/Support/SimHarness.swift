import Foundation
import KubeSim
import XCTest
import YAML

/// A running KubeSim plus what a test needs to talk to it: a temp folder with its CA and an admin
/// client certificate, a curl-based HTTP helper and a kubectl runner.
final class SimHarness {
    let sim: KubeSim
    let dir: String
    let kubeconfig: String

    struct Reply {
        let status: Int
        let body: String
        var json: JSONValue? { try? JSONValue(parsing: body) }
    }

    init(_ configure: (inout KubeSimOptions) -> Void = { _ in }) throws {
        var o = KubeSimOptions()
        o.readyAfter = 0.3
        o.authorization = .rbac
        configure(&o)
        sim = try KubeSim(options: o)
        try sim.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        kubeconfig = "\(dir)/kubeconfig"
        try sim.writeKubeconfig(to: kubeconfig)
        try sim.caPEM.write(toFile: "\(dir)/ca.crt", atomically: true, encoding: .utf8)
        let admin = try sim.issueClientCertificate(commonName: "admin", groups: ["system:masters"])
        try admin.certPEM.write(toFile: "\(dir)/admin.crt", atomically: true, encoding: .utf8)
        try admin.keyPEM.write(toFile: "\(dir)/admin.key", atomically: true, encoding: .utf8)
    }

    deinit {
        sim.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    enum Credential { case admin, none, token(String), certificate(cert: String, key: String) }

    /// One request with curl. `body` is sent as is.
    func request(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json",
                 as credential: Credential = .admin, headers: [String] = []) throws -> Reply {
        var args = ["-s", "-S", "-o", "-", "-w", "\n%{http_code}", "-X", method, "--cacert", "\(dir)/ca.crt"]
        switch credential {
        case .admin: args += ["--cert", "\(dir)/admin.crt", "--key", "\(dir)/admin.key"]
        case .none: break
        case .token(let t): args += ["-H", "Authorization: Bearer \(t)"]
        case .certificate(let cert, let key):
            let c = "\(dir)/\(UUID().uuidString).crt", k = "\(dir)/\(UUID().uuidString).key"
            try cert.write(toFile: c, atomically: true, encoding: .utf8)
            try key.write(toFile: k, atomically: true, encoding: .utf8)
            args += ["--cert", c, "--key", k]
        }
        for h in headers { args += ["-H", h] }
        if let body {
            args += ["-H", "Content-Type: \(contentType)", "--data-binary", "@-"]
        }
        args.append(sim.url + path)
        let r = try Self.run("/usr/bin/curl", args, stdin: body)
        var out = r.stdout
        guard let nl = out.lastIndex(of: "\n") else { return Reply(status: 0, body: out) }
        let code = Int(out[out.index(after: nl)...]) ?? 0
        out = String(out[..<nl])
        return Reply(status: code, body: out)
    }

    func json(_ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json")
        throws -> (Int, JSONValue)
    {
        let r = try request(method, path, body: body?.jsonString(), contentType: contentType)
        return (r.status, r.json ?? .null)
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let kubectlPath = "/usr/bin/kubectl"

    /// Runs kubectl against this server.
    func kubectl(_ args: String..., stdin: String? = nil) throws -> Output {
        guard FileManager.default.isExecutableFile(atPath: Self.kubectlPath) else {
            XCTFail("kubectl not found at \(Self.kubectlPath): the conformance tests need it")
            throw KubeSimTestError("kubectl missing")
        }
        return try Self.run(Self.kubectlPath, ["--kubeconfig", kubeconfig, "--cache-dir", "\(dir)/kube-cache"] + args, stdin: stdin)
    }

    /// Runs kubectl as the bearer-token user `token` (a kubeconfig of its own, CA verified).
    func kubectl(token: String, _ args: String..., stdin: String? = nil) throws -> Output {
        let path = "\(dir)/kubeconfig-\(token)"
        if !FileManager.default.fileExists(atPath: path) {
            let config: JSONValue = [
                "apiVersion": "v1", "kind": "Config",
                "clusters": [["name": "sim", "cluster": ["server": .string(sim.url), "certificate-authority": .string("\(dir)/ca.crt")]]],
                "users": [["name": "u", "user": ["token": .string(token)]]],
                "contexts": [["name": "sim", "context": ["cluster": "sim", "user": "u"]]],
                "current-context": "sim",
            ]
            try config.jsonString().write(toFile: path, atomically: true, encoding: .utf8)
        }
        return try Self.run(Self.kubectlPath, ["--kubeconfig", path, "--cache-dir", "\(dir)/kube-cache-\(token)"] + args, stdin: stdin)
    }

    static func run(_ exe: String, _ args: [String], stdin: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = NSTemporaryDirectory()
        p.environment = env
        let errPath = NSTemporaryDirectory() + "/kube-sim-test-stderr-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        guard let errHandle = FileHandle(forWritingAtPath: errPath) else { throw KubeSimTestError("no temp file") }
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = errHandle
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try errHandle.close()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return Output(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Polls until `condition` holds or `timeout` seconds pass (no timing assertion: just a bound).
    func eventually(timeout: Double = 20, _ what: String, _ condition: () throws -> Bool) rethrows {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what)")
    }
}
