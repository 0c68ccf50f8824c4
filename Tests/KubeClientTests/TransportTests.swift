import Foundation
import KubeSim
import TestSupport
import XCTest
import ObjectModel
@testable import KubeClient

final class TransportTests: XCTestCase {
    let s = Scratch()

    // MARK: API surface

    func testCRUDWithClientCertificate() throws {
        let path = s.path + "/admin.yaml"
        try SimFixture.sim.writeKubeconfig(to: path)
        var o = isolatedOptions(["KUBECONFIG": path], home: s.path)
        o.verbosity = 0
        let c = try KubeClient(options: o)
        let ns = SimFixture.uniqueName("crud")
        _ = try c.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns), "labels": ["team": "a"]]])
        let got = try c.get(.namespaces, name: ns)
        XCTAssertEqual(got[path: "metadata", "name"]?.stringValue, ns)

        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm", "labels": ["app": "x"]], "data": ["a": "1", "b": "2"]]
        _ = try c.create(.configMaps, namespace: ns, cm)
        let patched = try c.patch(.configMaps, namespace: ns, name: "cm", ["data": ["a": nil, "c": "3"]])
        XCTAssertEqual(patched["data"], ["b": "2", "c": "3"])
        let listed = try c.list(.configMaps, namespace: ns, labelSelector: "app=x")
        XCTAssertEqual(listed.count, 1)
        XCTAssertEqual(listed.first?["kind"]?.stringValue, "ConfigMap", "list items get their kind back")
        XCTAssertEqual(listed.first?["apiVersion"]?.stringValue, "v1")
        XCTAssertEqual(try c.list(.configMaps, namespace: ns, labelSelector: "app=y").count, 0)

        XCTAssertThrowsKubeError(try c.create(.configMaps, namespace: ns, cm), kind: .alreadyExists, contains: ["configmaps \"cm\" already exists"])
        try c.delete(.configMaps, namespace: ns, name: "cm")
        do {
            _ = try c.get(.configMaps, namespace: ns, name: "cm")
            XCTFail("deleted")
        } catch {
            XCTAssertEqual(error.kind, .notFound)
            XCTAssertEqual(error.message, "configmaps \"cm\" not found")
            XCTAssertEqual(error.code, 404)
        }
        let v = try c.serverVersion()
        XCTAssertEqual(v.major, 1)
        XCTAssertGreaterThan(v.minor, 10)
        let gvs = try c.servedGroupVersions()
        XCTAssertTrue(gvs.contains("v1") && gvs.contains("apps/v1"), "\(gvs)")
        let user = SimFixture.requests("/api/v1/namespaces/\(ns)").last?.user
        XCTAssertEqual(user, "admin")
    }

    func testListFollowsContinue() throws {
        let c = try SimFixture.client(s)
        let ns = SimFixture.uniqueName("many")
        _ = try c.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        let results = c.send(try (0..<520).map { i in
            try c.createRequest(.configMaps, namespace: ns, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("cm-\(i)")]])
        })
        XCTAssertEqual(results.filter { if case .success = $0 { return true } else { return false } }.count, 520)
        let items = try c.list(.configMaps, namespace: ns)
        let names = Set(items.compactMap { $0[path: "metadata", "name"]?.stringValue })
        XCTAssertEqual(names.count, items.count)
        XCTAssertTrue((0..<520).allSatisfy { names.contains("cm-\($0)") })
        let pages = SimFixture.requests("/api/v1/namespaces/\(ns)/configmaps", method: "GET")
        XCTAssertEqual(pages.count, 2)
        XCTAssertTrue(pages.last?.query.contains("continue=") ?? false, pages.last?.query ?? "")
    }

    func testABatchedListReadsEachPageOnce() throws {
        let c = try SimFixture.client(s)
        let ns = SimFixture.uniqueName("batched")
        _ = try c.create(.namespaces, ["metadata": ["name": .string(ns)]])
        let created = c.send(try (0..<510).map { i in
            try c.createRequest(.configMaps, namespace: ns, ["metadata": ["name": .string("cm-\(i)")]])
        })
        XCTAssertTrue(created.allSatisfy { if case .success = $0 { return true } else { return false } })
        let answer = try XCTUnwrap(c.send([c.listRequest(.configMaps, namespace: ns)]).first).get()
        let names = (answer.arrayValue ?? []).compactMap { $0[path: "metadata", "name"]?.stringValue }
        XCTAssertEqual(Set(names).count, names.count, "no item twice")
        XCTAssertTrue((0..<510).allSatisfy { Set(names).contains("cm-\($0)") })
        let pages = SimFixture.requests("/api/v1/namespaces/\(ns)/configmaps", method: "GET")
        XCTAssertEqual(pages.count, 2, "the batch's first page, then the rest from its continue token: \(pages.map(\.query))")
        XCTAssertTrue(pages.last?.query.contains("continue=") ?? false, pages.last?.query ?? "")
    }

    func testExpiredContinueTokenFallsBackToOneFullList() throws {
        let c = try SimFixture.client(s)
        let ns = SimFixture.uniqueName("expired")
        _ = try c.create(.namespaces, ["metadata": ["name": .string(ns)]])
        let results = c.send(try (0..<505).map { i in
            try c.createRequest(.configMaps, namespace: ns, ["metadata": ["name": .string("cm-\(i)")]])
        })
        XCTAssertTrue(results.allSatisfy { if case .success = $0 { return true } else { return false } })
        // The second page (the one with a continue token) is refused as expired.
        SimFixture.sim.setFaults([FaultRule(method: "GET", path: "/namespaces/\(ns)/configmaps$", skip: 1, count: 1, status: 410,
                                            reason: "Expired", message: "The provided continue parameter is too old")])
        defer { SimFixture.sim.setFaults([]) }
        let items = try c.list(.configMaps, namespace: ns)
        XCTAssertGreaterThanOrEqual(items.count, 505)
        let gets = SimFixture.requests("/api/v1/namespaces/\(ns)/configmaps", method: "GET")
        XCTAssertEqual(gets.map(\.status), [200, 410, 200])
        XCTAssertFalse(gets.last?.query.contains("limit") ?? true)
    }

    func testConnectionsAreReused() throws {
        let c = try SimFixture.client(s)
        for _ in 0..<10 { _ = try c.get(.namespaces, name: "default") }
        XCTAssertEqual(c.transportStats.requests, 10)
        XCTAssertEqual(c.transportStats.connections, 1, "ten sequential GETs share one connection and one TLS handshake")
        let results = c.send(try (0..<40).map { _ in try c.getRequest(.namespaces, name: "default") })
        XCTAssertTrue(results.allSatisfy { if case .success = $0 { return true } else { return false } })
        XCTAssertEqual(c.transportStats.connections, 1, "a batch reuses the connection (HTTP/2 streams)")
    }

    /// kube-sim offers h2 as a real API server does: concurrent requests share one connection.
    /// Against an HTTP/1.1-only server a batch needs connections of their own, a few per host.
    func testConcurrencyMultiplexesOverHTTP2AndBoundsConnectionsOverHTTP1() throws {
        let c2 = try SimFixture.client(s)
        let r2 = c2.send(try (0..<40).map { _ in try c2.getRequest(.namespaces, name: "default") })
        XCTAssertTrue(r2.allSatisfy { if case .success = $0 { return true } else { return false } })
        XCTAssertEqual(c2.transportStats.requests, 40)
        XCTAssertEqual(c2.transportStats.connections, 1, "HTTP/2: one connection for forty concurrent requests")
        // Concurrent, not one after another: each answer is held 300 ms, yet all forty arrive
        // within that time (a client that waited for each answer would spread them over 12 s).
        let ns = SimFixture.uniqueName("slow")
        _ = try c2.create(.namespaces, ["metadata": ["name": .string(ns)]])
        SimFixture.sim.setFaults([FaultRule(method: "GET", path: "/namespaces/\(ns)$", delayMs: 300)])
        defer { SimFixture.sim.setFaults([]) }
        let slow = c2.send(try (0..<40).map { _ in try c2.getRequest(.namespaces, name: ns) })
        XCTAssertTrue(slow.allSatisfy { if case .success = $0 { return true } else { return false } })
        let arrivals = SimFixture.requests("/api/v1/namespaces/\(ns)", method: "GET").map(\.startMs)
        XCTAssertEqual(arrivals.count, 40)
        XCTAssertLessThan((arrivals.max() ?? 0) - (arrivals.min() ?? 0), 300, "all forty were in flight at once")

        let http1 = try ClusterHarness { o in
            o.tokens = [SimFixture.userToken]
            o.http2 = false
            o.authorization = .alwaysAllow
        }
        let c1 = try SimFixture.client(s, server: http1.sim.url, clusterExtra: "insecure-skip-tls-verify: true", ca: false)
        let r1 = c1.send(try (0..<40).map { _ in try c1.getRequest(.namespaces, name: "default") })
        XCTAssertTrue(r1.allSatisfy { if case .success = $0 { return true } else { return false } })
        XCTAssertEqual(c1.transportStats.requests, 40)
        XCTAssertGreaterThan(c1.transportStats.connections, 1, "HTTP/1.1: concurrent requests need connections of their own")
        XCTAssertLessThanOrEqual(c1.transportStats.connections, 6, "HTTP/1.1: at most the engine's six connections per host")
    }

    func testBatchKeepsOrderAndErrors() throws {
        let c = try SimFixture.client(s)
        let results = c.send(try (0..<6).map { i in
            try c.getRequest(.namespaces, name: i % 2 == 0 ? "default" : "missing-\(i)")
        }).map { r in r.map { $0[path: "metadata", "name"]?.stringValue ?? "" } }
        for (i, r) in results.enumerated() {
            switch r {
            case .success(let n): XCTAssertEqual(n, "default"); XCTAssertEqual(i % 2, 0)
            case .failure(let e): XCTAssertEqual(e.kind, .notFound); XCTAssertEqual(i % 2, 1)
            }
        }
    }

    // MARK: Credentials

    func testBearerToken() throws {
        let c = try SimFixture.client(s)
        let ns = SimFixture.uniqueName("tok")
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .notFound)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)").last?.user, "token-user-0")
    }

    func testTokenFile() throws {
        s.write("tok", SimFixture.userToken + "\n")
        let c = try SimFixture.client(s, userBody: "tokenFile: tok")
        _ = try c.get(.namespaces, name: "default")
    }

    func testClientCertificateFiles() throws {
        let pair = try SimFixture.sim.issueClientCertificate(commonName: "cert-user", groups: ["dev"])
        s.write("pki/u.crt", pair.certPEM)
        s.write("pki/u.key", pair.keyPEM, mode: 0o600)
        let c = try SimFixture.client(s, userBody: "client-certificate: pki/u.crt\nclient-key: pki/u.key")
        let ns = SimFixture.uniqueName("cert")
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .notFound)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)").last?.user, "cert-user")
    }

    func testExecPluginTokenAndCertificate() throws {
        s.write("bin/token-plugin", """
        #!/bin/sh
        echo run >> "\(s.path)/token-runs"
        echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"\(SimFixture.userToken)"}}'
        """, mode: 0o755)
        let c = try SimFixture.client(s, userBody: """
        exec:
          apiVersion: client.authentication.k8s.io/v1beta1
          command: \(s.path)/bin/token-plugin
          interactiveMode: Never
        """)
        let ns = SimFixture.uniqueName("exec")
        for _ in 0..<3 { XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .notFound) }
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)").last?.user, "token-user-0")
        XCTAssertEqual(s.read("token-runs")?.split(separator: "\n").count, 1, "the plugin runs once per process")

        let pair = try SimFixture.sim.issueClientCertificate(commonName: "exec-cert-user")
        let cred: JSONValue = ["apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                               "status": ["clientCertificateData": .string(pair.certPEM), "clientKeyData": .string(pair.keyPEM)]]
        s.write("cred.json", cred.jsonString())
        s.write("bin/cert-plugin", "#!/bin/sh\ncat \"\(s.path)/cred.json\"\n", mode: 0o755)
        let d = try SimFixture.client(s, userBody: """
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: cert-plugin
          interactiveMode: IfAvailable
        """) { $0.environment["PATH"] = self.s.path + "/bin:/usr/bin:/bin" }
        let ns2 = SimFixture.uniqueName("exec-cert")
        XCTAssertThrowsKubeError(try d.get(.namespaces, name: ns2), kind: .notFound)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns2)").last?.user, "exec-cert-user")
    }

    func testExecPluginRunsAgainWhenTheServerRejectsItsToken() throws {
        // First run: a stale token; second run: a good one.
        s.write("bin/rotating", """
        #!/bin/sh
        if [ -e "\(s.path)/ran" ]; then TOKEN=\(SimFixture.userToken); else TOKEN=stale; touch "\(s.path)/ran"; fi
        echo "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$TOKEN\\"}}"
        """, mode: 0o755)
        let c = try SimFixture.client(s, userBody: """
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: \(s.path)/bin/rotating
          interactiveMode: Never
        """)
        XCTAssertEqual(try c.get(.namespaces, name: "default")[path: "metadata", "name"]?.stringValue, "default")
    }

    func testInClusterServiceAccount() throws {
        s.write("sa/token", SimFixture.userToken)
        s.write("sa/ca.crt", SimFixture.sim.caPEM)
        s.write("sa/namespace", "osm-system")
        var o = isolatedOptions(["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(SimFixture.sim.port)], home: s.path)
        o.inClusterRoot = s.path + "/sa"
        let c = try KubeClient(options: o)
        XCTAssertEqual(c.defaultNamespace, "osm-system")
        XCTAssertEqual(try c.get(.namespaces, name: "default")[path: "metadata", "name"]?.stringValue, "default")
    }

    func testBasicAuthIsSentAndMasked() throws {
        let log = LogCapture()
        let c = try SimFixture.client(s, userBody: "username: admin\npassword: pa55-w0rd-x") {
            $0.verbosity = 9
            $0.logSink = log.sink
        }
        // kube-sim knows no passwords: the server rejects them, and the error says whose they were.
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: "default"), kind: .unauthorized,
                                 contains: ["\"tester\"", "\"sim-ctx\"", "Unauthorized"])
        XCTAssertTrue(log.text.contains("Authorization: Basic <masked>"), log.text)
        XCTAssertFalse(log.text.contains("pa55-w0rd-x"))
        XCTAssertFalse(log.text.contains(Data("admin:pa55-w0rd-x".utf8).base64EncodedString()))
    }

    func testUnauthorizedNamesUserAndContext() throws {
        let c = try SimFixture.client(s, userBody: "token: wrong-token")
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: "default"), kind: .unauthorized,
                                 contains: ["user \"tester\"", "context \"sim-ctx\""])
    }

    func testForbiddenKeepsServerMessage() throws {
        let c = try SimFixture.client(s)
        let ns = SimFixture.uniqueName("forbidden")
        let msg = "configmaps is forbidden: User \"token-user-0\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"\(ns)\""
        SimFixture.sim.setFaults([FaultRule(method: "POST", path: "/namespaces/\(ns)/configmaps$", status: 403, message: msg)])
        defer { SimFixture.sim.setFaults([]) }
        XCTAssertThrowsKubeError(try c.create(.configMaps, namespace: ns, ["metadata": ["name": "x"]]), kind: .forbidden,
                                 contains: [msg])
    }

    // MARK: TLS and connection errors

    func testTLSVerificationFailure() throws {
        // No CA: the sim's self-made CA is not in the system bundle.
        let c = try SimFixture.client(s, ca: false)
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: "default"), kind: .tls,
                                 contains: ["TLS verification", SimFixture.sim.url])
    }

    func testInsecureSkipTLSVerify() throws {
        let c = try SimFixture.client(s, clusterExtra: "insecure-skip-tls-verify: true", ca: false)
        _ = try c.get(.namespaces, name: "default")
    }

    func testTLSServerName() throws {
        let good = try SimFixture.client(s, clusterExtra: "tls-server-name: kubernetes.default")
        _ = try good.get(.namespaces, name: "default")
        let bad = try SimFixture.client(s, clusterExtra: "tls-server-name: not-the-apiserver.example")
        XCTAssertThrowsKubeError(try bad.get(.namespaces, name: "default"), kind: .tls, contains: ["TLS"])
    }

    func testConnectionRefusedNamesURL() throws {
        let c = try SimFixture.client(s, server: "https://127.0.0.1:1")
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: "default"), kind: .connection,
                                 contains: ["https://127.0.0.1:1", "connection refused"])
    }

    func testDNSFailureNamesURL() throws {
        let c = try SimFixture.client(s, server: "https://no-such-host.invalid:6443")
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: "default"), kind: .connection,
                                 contains: ["https://no-such-host.invalid:6443", "resolve"])
    }

    func testProxyURLIsUsedAndLoopbackSkipsEnvironmentProxy() throws {
        let viaProxy = try SimFixture.client(s, clusterExtra: "proxy-url: http://127.0.0.1:1")
        XCTAssertThrowsKubeError(try viaProxy.get(.namespaces, name: "default"), kind: .connection)
        let envProxy = try SimFixture.client(s) { $0.environment["HTTPS_PROXY"] = "http://127.0.0.1:1" }
        _ = try envProxy.get(.namespaces, name: "default")
    }

    func testRequestTimeoutNamesTheLimit() throws {
        let ns = SimFixture.uniqueName("slow")
        SimFixture.sim.setFaults([FaultRule(method: "GET", path: "/namespaces/\(ns)$", delayMs: 3000)])
        defer { SimFixture.sim.setFaults([]) }
        let c = try SimFixture.client(s) { $0.requestTimeout = 0.5 }
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .timeout, contains: ["500ms", "--request-timeout"])
    }

    // MARK: Retries

    func testRetriesGETThrough503s() throws {
        let ns = SimFixture.uniqueName("flaky")
        SimFixture.sim.setFaults([FaultRule(method: "GET", path: "/namespaces/\(ns)$", count: 3, status: 503)])
        defer { SimFixture.sim.setFaults([]) }
        let c = try SimFixture.client(s)
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .notFound)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)").map(\.status), [503, 503, 503, 404])
    }

    func testRetryAttemptsAreBounded() throws {
        let ns = SimFixture.uniqueName("down")
        SimFixture.sim.setFaults([FaultRule(method: "GET", path: "/namespaces/\(ns)$", status: 503)])
        defer { SimFixture.sim.setFaults([]) }
        let c = try SimFixture.client(s) { $0.maxAttempts = 3 }
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .serviceUnavailable, contains: ["3 attempts"])
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)").count, 3)
    }

    func testHonoursRetryAfterOn429() throws {
        let ns = SimFixture.uniqueName("busy")
        SimFixture.sim.setFaults([FaultRule(path: "/namespaces/\(ns)$", count: 1, status: 429, retryAfter: 1)])
        defer { SimFixture.sim.setFaults([]) }
        let log = LogCapture()
        let c = try SimFixture.client(s) { $0.verbosity = 6; $0.logSink = log.sink }
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .notFound)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)").map(\.status), [429, 404])
        XCTAssertTrue(log.text.contains("after 429 Too Many Requests in 1s"), log.text)
    }

    func testSentPOSTIsNotRetried() throws {
        let ns = SimFixture.uniqueName("post")
        SimFixture.sim.setFaults([
            FaultRule(method: "POST", path: "/namespaces/\(ns)/configmaps$", count: 1, status: 503),
            FaultRule(method: "POST", path: "/namespaces/\(ns)/secrets$", count: 1, dropConnection: true),
        ])
        defer { SimFixture.sim.setFaults([]) }
        let c = try SimFixture.client(s)
        XCTAssertThrowsKubeError(try c.create(.configMaps, namespace: ns, ["metadata": ["name": "x"]]), kind: .serviceUnavailable)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)/configmaps").count, 1)
        XCTAssertThrowsKubeError(try c.create(.secrets, namespace: ns, ["metadata": ["name": "x"]]), kind: .connection)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)/secrets").count, 1)
    }

    func testMergePatchRetriedJSONPatchNot() throws {
        let c = try SimFixture.client(s)
        let ns = SimFixture.uniqueName("patch")
        _ = try c.create(.namespaces, ["metadata": ["name": .string(ns)]])
        SimFixture.sim.setFaults([FaultRule(method: "PATCH", path: "/namespaces/\(ns)$", count: 1, status: 503)])
        _ = try c.patch(.namespaces, name: ns, ["metadata": ["labels": ["a": "b"]]])
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)", method: "PATCH").map(\.status), [503, 200])
        SimFixture.sim.setFaults([FaultRule(method: "PATCH", path: "/namespaces/\(ns)$", count: 1, status: 503)])
        defer { SimFixture.sim.setFaults([]) }
        XCTAssertThrowsKubeError(try c.patch(.namespaces, name: ns, [["op": "add", "path": "/metadata/labels/c", "value": "d"]], type: .json),
                                 kind: .serviceUnavailable)
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)", method: "PATCH").count, 3)
    }

    func testDroppedGETIsRetried() throws {
        let ns = SimFixture.uniqueName("drop")
        SimFixture.sim.setFaults([FaultRule(method: "GET", path: "/namespaces/\(ns)$", count: 1, dropConnection: true)])
        defer { SimFixture.sim.setFaults([]) }
        let c = try SimFixture.client(s)
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .notFound)
    }

    // MARK: Secrets stay secret

    func testSecretsNeverInVerboseLogsOrOnDisk() throws {
        let tmp = NSTemporaryDirectory()
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [])
        let pair = try SimFixture.sim.issueClientCertificate(commonName: "secret-user")
        let keyBody = pair.keyPEM.split(separator: "\n").dropFirst().first.map(String.init) ?? "unused"
        let log = LogCapture()
        let c = try SimFixture.client(s, userBody: """
        client-certificate-data: \(Data(pair.certPEM.utf8).base64EncodedString())
        client-key-data: \(Data(pair.keyPEM.utf8).base64EncodedString())
        """) { $0.verbosity = 10; $0.logSink = log.sink }
        let t = try SimFixture.client(s) { $0.verbosity = 9; $0.logSink = log.sink }
        let ns = SimFixture.uniqueName("sec")
        _ = try c.create(.namespaces, ["metadata": ["name": .string(ns)]])
        _ = try t.create(.configMaps, namespace: ns, ["metadata": ["name": "echo"], "data": ["token": .string(SimFixture.userToken)]])
        _ = try t.get(.configMaps, namespace: ns, name: "echo")
        XCTAssertThrowsKubeError(try t.get(.secrets, namespace: ns, name: "nope"), kind: .notFound)
        // Secret objects' values are masked in logged bodies too; their keys stay.
        let secretValue = Data("hunter2-\(UUID().uuidString)".utf8).base64EncodedString()
        _ = try t.create(.secrets, namespace: ns, ["metadata": ["name": "s"], "data": ["password": .string(secretValue)]])
        _ = try t.list(.secrets, namespace: ns)
        let text = log.text
        XCTAssertTrue(text.contains("GET \(SimFixture.sim.url)/api/v1/namespaces/\(ns)/configmaps/echo 200 OK in"), text)
        XCTAssertTrue(text.contains("Authorization: Bearer <masked>"))
        XCTAssertTrue(text.contains("curl -v -XGET"))
        XCTAssertTrue(text.contains("Response Body:"))
        XCTAssertFalse(text.contains(SimFixture.userToken), "the token must never be logged, even inside a body")
        XCTAssertFalse(text.contains(keyBody))
        XCTAssertFalse(text.contains(secretValue))
        XCTAssertTrue(text.contains(#""password":"<masked>""#), text)

        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [])
        for name in after.subtracting(before) {
            let path = tmp + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(text.contains(keyBody) || text.contains(SimFixture.userToken), "\(path) holds a secret")
        }
    }
}
