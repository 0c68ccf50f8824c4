import Foundation
import XCTest
@testable import KubeClient

/// A scratch folder for one test, removed afterwards.
final class Scratch {
    let path: String

    init() {
        let base = NSTemporaryDirectory() + "kubeclient-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ rel: String, _ text: String, mode: Int = 0o644) -> String {
        let full = path + "/" + rel
        let dir = (full as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        return full
    }

    func read(_ rel: String) -> String? {
        try? String(contentsOfFile: path + "/" + rel, encoding: .utf8)
    }
}

/// Options that see only what the test gives them: no real KUBECONFIG or HOME.
func isolatedOptions(_ env: [String: String] = [:], home: String) -> ClientOptions {
    var o = ClientOptions()
    o.environment = ["HOME": home, "PATH": "/usr/bin:/bin"].merging(env) { _, new in new }
    o.inClusterRoot = home + "/no-service-account"
    return o
}

/// Collects `-v` lines.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var sink: @Sendable (String) -> Void { { [self] line in lock.lock(); lines.append(line); lock.unlock() } }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}

func kubeconfigYAML(server: String = "https://127.0.0.1:6443", cluster: String = "c1", user: String = "u1",
                    context: String = "ctx1", current: String? = "ctx1", namespace: String? = nil,
                    userBody: String = "    token: abc123") -> String {
    var s = """
    apiVersion: v1
    kind: Config
    clusters:
    - name: \(cluster)
      cluster:
        server: \(server)
        insecure-skip-tls-verify: true
    users:
    - name: \(user)
      user:
    \(userBody)
    contexts:
    - name: \(context)
      context:
        cluster: \(cluster)
        user: \(user)

    """
    if let namespace { s += "    namespace: \(namespace)\n" }
    if let current { s += "current-context: \(current)\n" }
    return s
}

func XCTAssertThrowsKubeError(_ body: @autoclosure () throws -> Any, kind: KubeError.Kind, contains: [String] = [],
                              file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected a \(kind) error", file: file, line: line)
    } catch let e as KubeError {
        XCTAssertEqual(e.kind, kind, e.message, file: file, line: line)
        for s in contains { XCTAssertTrue(e.message.contains(s), "\"\(e.message)\" should contain \"\(s)\"", file: file, line: line) }
        XCTAssertFalse(e.message.contains("\n"), "messages are one line: \(e.message)", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

/// Runs `body` while another thread delivers `signal` to `interruption` every few milliseconds,
/// and stops the signals before returning.
func whileSignalling(_ interruption: Interruption, _ signal: Int32, _ body: () throws -> Void) rethrows {
    final class Flag: @unchecked Sendable {
        let lock = NSLock()
        var done = false
    }
    let flag = Flag()
    let stopped = DispatchSemaphore(value: 0)
    Thread {
        while !flag.lock.withLock({ flag.done }) {
            interruption.simulate(signal)
            usleep(10_000)
        }
        stopped.signal()
    }.start()
    defer {
        flag.lock.withLock { flag.done = true }
        stopped.wait()
    }
    try body()
}
