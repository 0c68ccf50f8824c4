import Foundation
import KubeSim
import XCTest
import YAML

/// A kube-sim in this process, a kubeconfig for it in a private temp folder, and a way to run
/// the real `osm` binary (and kubectl) against it.
final class ClusterHarness {
    let sim: KubeSim
    let dir: URL
    var kubeconfig: String { dir.appendingPathComponent("kubeconfig").path }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    init(configure: (inout KubeSimOptions) -> Void = { _ in }) throws {
        var options = KubeSimOptions()
        options.readyAfter = 0.2
        // As a real cluster: the harness's admin certificate is cluster-admin through system:masters.
        options.authorization = .rbac
        configure(&options)
        sim = try KubeSim(options: options)
        try sim.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("osm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try sim.writeKubeconfig(to: kubeconfig, user: "admin")
    }

    deinit {
        sim.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// The `osm` executable built beside this test bundle.
    static var osmBinary: String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = exe.deletingLastPathComponent()
        // Swift's XCTest runs .../debug/osmPackageTests.xctest; the products sit beside it.
        if folder.lastPathComponent.hasSuffix(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent("osm").path
    }

    func osm(_ args: [String], stdin: String? = nil, env: [String: String] = [:], timeout: TimeInterval = 120,
             combined: Bool = false) throws -> Run {
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        environment["HOME"] = dir.path
        environment.removeValue(forKey: "OSM_NAMESPACE")
        for (k, v) in env { environment[k] = v }
        return try Self.run(Self.osmBinary, args, stdin: stdin, environment: environment, in: dir, timeout: timeout,
                            combined: combined)
    }

    func kubectl(_ args: [String], stdin: String? = nil) throws -> Run {
        guard let path = Self.which("kubectl") else {
            XCTFail("kubectl is not on PATH: these tests compare osm's effects with kubectl's view and need it (it is preinstalled on this kind of machine)")
            throw CocoaError(.fileNoSuchFile)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        environment["HOME"] = dir.path
        return try Self.run(path, args, stdin: stdin, environment: environment, in: dir, timeout: 60)
    }

    static func which(_ tool: String) -> String? {
        for p in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(p)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// With `combined`, stderr goes to the same file as stdout (as `2>&1` in a CI log) and is returned as stdout.
    static func run(_ path: String, _ args: [String], stdin: String?, environment: [String: String], in folder: URL,
                    timeout: TimeInterval, combined: Bool = false) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.environment = environment
        let outURL = folder.appendingPathComponent("out-\(UUID().uuidString)")
        let errURL = folder.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = combined ? out : err
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning {
            if Date() > deadline {
                p.terminate()
                XCTFail("\(path) \(args.joined(separator: " ")) ran past \(timeout)s")
                break
            }
            usleep(5_000)
        }
        p.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return Run(status: p.terminationStatus, stdout: stdout, stderr: stderr)
    }

    // MARK: cluster state, read directly from the server's store

    func namespace(_ name: String) -> JSONValue? {
        sim.object(group: "", version: "v1", resource: "namespaces", namespace: nil, name: name)
    }

    func configMap(_ name: String, in ns: String) -> JSONValue? {
        sim.object(group: "", version: "v1", resource: "configmaps", namespace: ns, name: name)
    }

    func deployment(_ name: String, in ns: String) -> JSONValue? {
        sim.object(group: "apps", version: "v1", resource: "deployments", namespace: ns, name: name)
    }

    func createNamespace(_ name: String, labels: [String: String] = [:], annotations: [String: String] = [:]) throws {
        var meta: JSONObject = ["name": .string(name)]
        if !labels.isEmpty { meta["labels"] = JSONValue(labels) }
        if !annotations.isEmpty { meta["annotations"] = JSONValue(annotations) }
        try sim.put(["apiVersion": "v1", "kind": "Namespace", "metadata": .object(meta)])
    }

    /// Requests that changed state (anything but GET), as the server logged them.
    var writes: [RequestLogEntry] { sim.requestLog.filter { $0.method != "GET" } }
}
