import Foundation
import KubeSim
@testable import KubeClient

/// One kube-sim per test process, with a known token user, plus kubeconfig builders for each credential kind.
enum SimFixture {
    static let userToken = "t0ken-for-user0-\(UUID().uuidString)"
    static let adminToken = "adm1n-\(UUID().uuidString)"

    nonisolated(unsafe) static var started: KubeSim?
    static let lock = NSLock()

    static var sim: KubeSim {
        lock.lock()
        defer { lock.unlock() }
        if let s = started { return s }
        var o = KubeSimOptions()
        o.tokens = [userToken]
        o.adminToken = adminToken
        o.readyAfter = 0.1
        o.threads = 2
        do {
            let s = try KubeSim(options: o)
            try s.start()
            started = s
            return s
        } catch {
            preconditionFailure("cannot start kube-sim: \(error)")
        }
    }

    static var caData: String { Data(sim.caPEM.utf8).base64EncodedString() }

    /// A kubeconfig for the sim with the given `user:` body and cluster extras.
    static func kubeconfig(userBody: String, server: String? = nil, clusterExtra: String? = nil, ca: Bool = true) -> String {
        var cluster = "    server: \(server ?? sim.url)\n"
        if ca { cluster += "    certificate-authority-data: \(caData)\n" }
        if let clusterExtra { cluster += clusterExtra.split(separator: "\n").map { "    \($0)\n" }.joined() }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sim
          cluster:
        \(cluster)users:
        - name: tester
          user:
        \(userBody.split(separator: "\n").map { "    \($0)" }.joined(separator: "\n"))
        contexts:
        - name: sim-ctx
          context: {cluster: sim, user: tester}
        current-context: sim-ctx

        """
    }

    static func client(_ scratch: Scratch, userBody: String = "token: \(userToken)", server: String? = nil,
                       clusterExtra: String? = nil, ca: Bool = true, configure: (inout ClientOptions) -> Void = { _ in }) throws -> KubeClient {
        let path = scratch.write("kubeconfig-\(UUID().uuidString)", kubeconfig(userBody: userBody, server: server, clusterExtra: clusterExtra, ca: ca))
        var o = isolatedOptions(["KUBECONFIG": path], home: scratch.path)
        configure(&o)
        return try KubeClient(options: o)
    }

    /// The sim's log entries for a path. kube-sim logs a request just after answering it, so this
    /// waits (up to a few seconds) until at least `atLeast` entries are there, then a moment more.
    static func requests(_ path: String, method: String? = nil, atLeast: Int = 1) -> [RequestLogEntry] {
        func current() -> [RequestLogEntry] { sim.requestLog.filter { $0.path == path && (method == nil || $0.method == method) } }
        let deadline = Date().addingTimeInterval(5)
        while current().count < atLeast && Date() < deadline { usleep(10_000) }
        usleep(50_000)
        return current()
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
