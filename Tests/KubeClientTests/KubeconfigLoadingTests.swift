import XCTest
@testable import KubeClient

final class KubeconfigLoadingTests: XCTestCase {
    func testDefaultFileUnderHome() throws {
        let s = Scratch()
        s.write(".kube/config", kubeconfigYAML(namespace: "team-a"))
        let c = try KubeClient(options: isolatedOptions(home: s.path))
        XCTAssertEqual(c.server, "https://127.0.0.1:6443")
        XCTAssertEqual(c.contextName, "ctx1")
        XCTAssertEqual(c.userName, "u1")
        XCTAssertEqual(c.clusterName, "c1")
        XCTAssertEqual(c.defaultNamespace, "team-a")
        XCTAssertEqual(c.config.credential, .bearer("abc123"))
        XCTAssertTrue(c.configSource.contains(s.path + "/.kube/config"))
    }

    func testServerWithoutSchemeMeansHTTPS() throws {
        let s = Scratch()
        s.write(".kube/config", kubeconfigYAML(server: "10.0.0.1:6443"))
        XCTAssertEqual(try KubeClient(options: isolatedOptions(home: s.path)).server, "https://10.0.0.1:6443")
    }

    func testKubeconfigListMergesFirstDefinitionWins() throws {
        let s = Scratch()
        // The first file sets no current-context; the second does. Both define cluster c1.
        let a = s.write("a.yaml", kubeconfigYAML(server: "https://first:1", current: nil))
        let b = s.write("b.yaml", kubeconfigYAML(server: "https://second:2", current: "ctx1") + """
        """)
        let c3 = s.write("c.yaml", kubeconfigYAML(server: "https://third:3", cluster: "c3", user: "u3", context: "ctx3", current: "ctx3"))
        var o = isolatedOptions(["KUBECONFIG": "\(a):\(s.path)/missing.yaml::\(b):\(c3)"], home: s.path)
        var c = try KubeClient(options: o)
        XCTAssertEqual(c.contextName, "ctx1", "current-context comes from the first file that sets one")
        XCTAssertEqual(c.server, "https://first:1", "the first file to define a cluster wins")
        o.context = "ctx3"
        c = try KubeClient(options: o)
        XCTAssertEqual(c.server, "https://third:3")
        XCTAssertEqual(c.userName, "u3")
    }

    func testExplicitKubeconfigBeatsEnvironment() throws {
        let s = Scratch()
        let a = s.write("a.yaml", kubeconfigYAML(server: "https://from-env:1"))
        let b = s.write("b.yaml", kubeconfigYAML(server: "https://from-flag:2"))
        var o = isolatedOptions(["KUBECONFIG": a], home: s.path)
        o.kubeconfig = b
        XCTAssertEqual(try KubeClient(options: o).server, "https://from-flag:2")
    }

    func testMissingExplicitKubeconfigNamesIt() {
        let s = Scratch()
        var o = isolatedOptions(home: s.path)
        o.kubeconfig = s.path + "/nope.yaml"
        XCTAssertThrowsKubeError(try KubeClient(options: o), kind: .kubeconfig, contains: ["nope.yaml", "--kubeconfig"])
    }

    func testNoConfigurationAtAll() {
        let s = Scratch()
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(home: s.path)), kind: .kubeconfig,
                                 contains: ["no kubeconfig found", ".kube/config"])
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": s.path + "/x:" + s.path + "/y"], home: s.path)),
                                 kind: .kubeconfig, contains: ["KUBECONFIG"])
    }

    func testUnknownContextNamesItAndTheFile() {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML())
        var o = isolatedOptions(["KUBECONFIG": f], home: s.path)
        o.context = "prod"
        XCTAssertThrowsKubeError(try KubeClient(options: o), kind: .kubeconfig, contains: ["\"prod\"", f, "ctx1"])
    }

    func testNoCurrentContext() {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML(current: nil))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path)),
                                 kind: .kubeconfig, contains: ["current-context", "--context"])
    }

    func testMalformedYAMLGivesLineAndColumn() {
        let s = Scratch()
        let f = s.write("config", "apiVersion: v1\nclusters:\n- name: a\n  cluster: {server: [\n")
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path)),
                                 kind: .kubeconfig, contains: [f, "line ", "column "])
    }

    func testWrongShapeNamesTheField() {
        let s = Scratch()
        let f = s.write("config", "clusters:\n- name: a\n  cluster:\n    server: [1, 2]\n")
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path)),
                                 kind: .kubeconfig, contains: ["clusters[0].cluster.server"])
    }

    func testUnquotedNonStringsAreRefusedAsKubectlDoes() {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML(context: "n", current: "n"))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path)),
                                 kind: .kubeconfig, contains: ["current-context", "boolean", "quotes"])
        let g = s.write("pw", kubeconfigYAML(userBody: "    username: a\n    password: 0123"))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": g], home: s.path)),
                                 kind: .kubeconfig, contains: ["users[0].user.password", "number", "quotes"])
        let h = s.write("quoted", kubeconfigYAML(context: "'n'", current: "\"n\"", userBody: "    username: a\n    password: '0123'"))
        XCTAssertNoThrow(try KubeClient(options: isolatedOptions(["KUBECONFIG": h], home: s.path)))
    }

    func testClusterWithoutServer() {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML().replacingOccurrences(of: "    server: https://127.0.0.1:6443\n", with: ""))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path)),
                                 kind: .kubeconfig, contains: ["\"c1\"", "no server"])
    }

    func testContextReferringToMissingClusterOrUser() {
        let s = Scratch()
        let f1 = s.write("c1", kubeconfigYAML().replacingOccurrences(of: "cluster: c1", with: "cluster: gone"))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f1], home: s.path)),
                                 kind: .kubeconfig, contains: ["cluster \"gone\""])
        let f2 = s.write("c2", kubeconfigYAML().replacingOccurrences(of: "user: u1", with: "user: ghost"))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f2], home: s.path)),
                                 kind: .kubeconfig, contains: ["user \"ghost\""])
    }

    func testRelativePathsResolveAgainstTheirFile() throws {
        let s = Scratch()
        s.write("conf/pki/ca.crt", "CA-PEM")
        s.write("conf/pki/user.crt", "CERT-PEM")
        s.write("conf/pki/user.key", "KEY-PEM")
        s.write("conf/tok", "  file-token\n")
        let f = s.write("conf/config", """
        clusters:
        - name: c
          cluster:
            server: https://k:6443
            certificate-authority: pki/ca.crt
            tls-server-name: kubernetes
        users:
        - name: u
          user:
            client-certificate: pki/user.crt
            client-key: ./pki/user.key
            tokenFile: tok
        contexts:
        - name: x
          context: {cluster: c, user: u}
        current-context: x
        """)
        // A second file in another folder defines the context; paths still follow the file that names them.
        let c = try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path))
        XCTAssertEqual(c.config.caPEM.map { String(decoding: $0, as: UTF8.self) }, "CA-PEM")
        XCTAssertEqual(c.config.clientCertificatePEM.map { String(decoding: $0, as: UTF8.self) }, "CERT-PEM")
        XCTAssertEqual(c.config.clientKeyPEM.map { String(decoding: $0, as: UTF8.self) }, "KEY-PEM")
        XCTAssertEqual(c.config.credential, .bearer("file-token"), "tokenFile wins and is trimmed")
        XCTAssertEqual(c.config.tlsServerName, "kubernetes")
    }

    func testTildeExpands() throws {
        let s = Scratch()
        s.write("certs/ca.pem", "CA")
        s.write("cfg/config", kubeconfigYAML().replacingOccurrences(
            of: "insecure-skip-tls-verify: true", with: "certificate-authority: ~/certs/ca.pem"))
        let c = try KubeClient(options: isolatedOptions(["KUBECONFIG": "~/cfg/config"], home: s.path))
        XCTAssertEqual(c.config.caPEM, Array("CA".utf8))
    }

    func testMissingReferencedFileIsExplained() {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML(userBody: "    client-certificate: nope.crt\n    client-key: nope.key"))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path)),
                                 kind: .kubeconfig, contains: [s.path + "/nope.crt", "client-certificate"])
    }

    func testEmbeddedDataIsBase64Decoded() throws {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML(userBody: """
            client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        """))
        let c = try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path))
        XCTAssertEqual(c.config.clientCertificatePEM, Array("CERT".utf8))
        XCTAssertEqual(c.config.clientKeyPEM, Array("KEY".utf8))
        let bad = s.write("bad", kubeconfigYAML(userBody: "    client-key-data: '%%%'\n    client-certificate-data: QQ=="))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": bad], home: s.path)),
                                 kind: .kubeconfig, contains: ["client-key-data", "base64"])
    }

    func testBasicAuthAndConflicts() throws {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML(userBody: "    username: admin\n    password: s3cret"))
        let c = try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path))
        XCTAssertEqual(c.config.credential, .basic(username: "admin", password: "s3cret"))
        let both = s.write("both", kubeconfigYAML(userBody: "    username: admin\n    password: s3cret\n    token: t"))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": both], home: s.path)),
                                 kind: .kubeconfig, contains: ["only one"])
        let ap = s.write("ap", kubeconfigYAML(userBody: "    auth-provider:\n      name: gcp"))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": ap], home: s.path)),
                                 kind: .kubeconfig, contains: ["auth-provider \"gcp\"", "exec"])
    }

    func testInClusterWithFakeServiceAccountFolder() throws {
        let s = Scratch()
        // A JWT whose claims say which service account it is.
        let claims = Data(#"{"sub":"system:serviceaccount:osm-system:osm"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
        s.write("sa/token", "eyJhbGciOiJSUzI1NiJ9.\(claims).sig\n")
        s.write("sa/ca.crt", "CA")
        s.write("sa/namespace", "osm-system")
        var o = isolatedOptions(["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"], home: s.path)
        o.inClusterRoot = s.path + "/sa"
        let c = try KubeClient(options: o)
        XCTAssertEqual(c.server, "https://10.96.0.1:443")
        XCTAssertEqual(c.defaultNamespace, "osm-system")
        XCTAssertEqual(c.userName, "system:serviceaccount:osm-system:osm")
        XCTAssertEqual(c.config.caPEM, Array("CA".utf8))
        if case .bearer(let t) = c.config.credential { XCTAssertTrue(t.hasSuffix(".sig")) } else { XCTFail() }

        // A kubeconfig, when there is one, wins over the service account.
        s.write(".kube/config", kubeconfigYAML(server: "https://outside:6443"))
        XCTAssertEqual(try KubeClient(options: o).server, "https://outside:6443")

        // IPv6 service hosts get brackets.
        try? FileManager.default.removeItem(atPath: s.path + "/.kube/config")
        o.environment["KUBERNETES_SERVICE_HOST"] = "fd00::1"
        XCTAssertEqual(try KubeClient(options: o).server, "https://[fd00::1]:443")
    }

    func testExecCommandWithSlashResolvesAgainstFile() throws {
        let s = Scratch()
        let f = s.write("dir/config", kubeconfigYAML(userBody: """
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: ./bin/plugin
              args: [--flag, "2"]
              env: [{name: A, value: b}]
        """))
        let c = try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path))
        guard case .exec(let e) = c.config.credential else { return XCTFail("want exec") }
        XCTAssertEqual(e.command, s.path + "/dir/./bin/plugin")
        XCTAssertEqual(e.args, ["--flag", "2"])
        XCTAssertEqual(e.env.first?.name, "A")
        XCTAssertEqual(e.interactiveMode, .ifAvailable)
    }

    func testExecV1NeedsInteractiveMode() {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML(userBody: """
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: plugin
        """))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": f], home: s.path)),
                                 kind: .kubeconfig, contains: ["interactiveMode"])
        let g = s.write("old", kubeconfigYAML(userBody: """
            exec:
              apiVersion: client.authentication.k8s.io/v1alpha1
              command: plugin
        """))
        XCTAssertThrowsKubeError(try KubeClient(options: isolatedOptions(["KUBECONFIG": g], home: s.path)),
                                 kind: .kubeconfig, contains: ["v1alpha1"])
    }

    func testConfigLoadedIsLoggedAtV6() throws {
        let s = Scratch()
        let f = s.write("config", kubeconfigYAML())
        let log = LogCapture()
        var o = isolatedOptions(["KUBECONFIG": f], home: s.path)
        o.verbosity = 6
        o.logSink = log.sink
        _ = try KubeClient(options: o)
        XCTAssertTrue(log.text.contains("Config loaded from file:  \(f)"), log.text)
    }
}
