import Foundation
import KubeSim
import TestSupport
@testable import KubeClient

/// One kube-sim per test process, with a known token user, plus kubeconfig builders for each credential kind.
enum SimFixture {
    static let userToken = "t0ken-for-user0-\(UUID().uuidString)"
    static let adminToken = "adm1n-\(UUID().uuidString)"

    /// The harness, started on first use and kept for the whole test process.
    nonisolated(unsafe) static let harness: ClusterHarness = {
        do {
            return try ClusterHarness { o in
                o.tokens = [userToken]
                o.adminToken = adminToken
                o.readyAfter = 0.1
                o.threads = 2
                // The client's tests talk as token users that hold no RBAC grants.
                o.authorization = .alwaysAllow
            }
        } catch {
            preconditionFailure("cannot start kube-sim: \(error)")
        }
    }()

    static var sim: KubeSim { harness.sim }

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

    /// The sim's log entries for a path. kube-sim logs a request before its answer leaves, so
    /// once a client call has returned, every request it made is here: nothing to wait for.
    static func requests(_ path: String, method: String? = nil) -> [RequestLogEntry] {
        sim.requestLog.filter { $0.path == path && (method == nil || $0.method == method) }
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
