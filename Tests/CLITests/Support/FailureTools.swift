import Foundation
import XCTest
import ObjectModel

extension ClusterHarness {
    /// Every object labelled as part of mesh `mesh`, as `Kind/name`, plus the namespace `ns` if it exists.
    func meshObjects(_ mesh: String = "osm", namespace ns: String = "osm-system") -> [String] {
        var out: [String] = []
        let kinds: [(String, String, String, String, Bool)] = [
            ("ConfigMap", "", "v1", "configmaps", true), ("Secret", "", "v1", "secrets", true),
            ("Service", "", "v1", "services", true), ("ServiceAccount", "", "v1", "serviceaccounts", true),
            ("Deployment", "apps", "v1", "deployments", true),
            ("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", false),
            ("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", false),
            ("MutatingWebhookConfiguration", "admissionregistration.k8s.io", "v1beta1", "mutatingwebhookconfigurations", false),
            ("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "v1beta1", "validatingwebhookconfigurations", false),
        ]
        for (kind, g, v, r, namespaced) in kinds {
            for o in sim.objects(group: g, version: v, resource: r, namespace: namespaced ? ns : nil)
            where o[path: "metadata", "labels", "app.kubernetes.io/instance"]?.stringValue == mesh {
                out.append("\(kind)/\(o[path: "metadata", "name"]?.stringValue ?? "")")
            }
        }
        return out.sorted()
    }

    /// The SMI CRDs that exist.
    var crds: [String] {
        sim.objects(group: "apiextensions.k8s.io", version: "v1beta1", resource: "customresourcedefinitions", namespace: nil)
            .compactMap { $0[path: "metadata", "name"]?.stringValue }.sorted()
    }
}

/// A tiny misbehaving API server (Python, /usr/bin/python3): what kube-sim will not do.
final class HostileServer {
    enum Mode: String {
        case empty200, itemsDict = "items-dict", wrongShape = "wrong-shape", endless, hang, echoAuth = "echo-auth", record
        /// Any GET finds a running meshed pod; the port-forward upgrade is refused with `Content-Length: -1`.
        case upgradeNegativeLength = "upgrade-negative-length"
        /// As `upgradeNegativeLength`, but the upgrade succeeds and the tunnel's error channel
        /// says something with terminal controls in it, then the tunnel closes.
        case forwardErrorText = "forward-error-text"
        /// As `forwardErrorText`, but the error channel never ends: 64 KiB frames of text.
        case forwardErrorEndless = "forward-error-endless"
        /// Every list is one page of 60 MB: two million objects of a name each (no `limit` honoured).
        case tinyList = "tiny-list"
        /// Every list is one page of 50 MB: 52,000 namespaces as a real 1.20 server writes them
        /// (labels, annotations, managedFields).
        case namespaceList = "namespace-list"
    }

    let dir: URL
    let port: Int
    let tls: Bool
    private let process: Process
    private let log: URL

    var url: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    init(_ mode: Mode, tls: Bool = false) throws {
        guard FileManager.default.isExecutableFile(atPath: Tools.python) else {
            throw MissingPrerequisite("\(Tools.python) is needed for the hostile test server")
        }
        self.tls = tls
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("osm-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("hostile_server.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        log = dir.appendingPathComponent("requests.jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        var args = [script.path, mode.rawValue, log.path]
        if tls {
            let cert = dir.appendingPathComponent("server.crt").path, key = dir.appendingPathComponent("server.key").path
            let gen = try ProcessRunner.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                                                 "-days", "1", "-subj", "/CN=127.0.0.1"], in: dir, timeout: 60)
            guard gen.status == 0 else { throw MissingPrerequisite("openssl could not make a test certificate: \(gen.stderr)") }
            args += ["--tls", cert, key]
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: Tools.python)
        process.arguments = args
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(10) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw MissingPrerequisite("the hostile test server did not start")
        }
        port = p
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Requests received so far: method, path, headers.
    var requests: [JSONValue] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONValue(parsing: Array($0.utf8)) }
    }

    /// A kubeconfig for this server with the given `user:` fields (YAML lines under `user:`).
    func writeKubeconfig(user: [String] = []) throws -> String {
        let path = dir.appendingPathComponent("kubeconfig").path
        let userLines = user.isEmpty ? "    {}" : user.map { "    " + $0 }.joined(separator: "\n")
        let text = """
            apiVersion: v1
            kind: Config
            current-context: hostile
            clusters:
            - name: hostile-cluster
              cluster:
                server: \(url)
                insecure-skip-tls-verify: true
            contexts:
            - name: hostile
              context:
                cluster: hostile-cluster
                user: hostile-user
            users:
            - name: hostile-user
              user:
            \(userLines)

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func osm(_ args: [String], user: [String] = [], timeout: TimeInterval = 120, file: StaticString = #filePath,
             line: UInt = #line) throws -> ProcessResult {
        try OSMBinary.run(args, kubeconfig: try writeKubeconfig(user: user), home: dir, timeout: timeout, file: file, line: line)
    }

    static let script = #"""
        import base64, hashlib, json, ssl, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        MODE, LOG = sys.argv[1], sys.argv[2]
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with lock, open(LOG, "a") as f:
                    f.write(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers)}) + "\n")
                if MODE == "hang":
                    time.sleep(3600)
                    return
                if MODE == "endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    chunk = b" " * (1 << 20)
                    frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
                    try:
                        self.wfile.write(b"1\r\n[\r\n")
                        while True:
                            self.wfile.write(frame)
                    except (OSError, ssl.SSLError):
                        return
                if MODE in ("upgrade-negative-length", "forward-error-text", "forward-error-endless"):
                    if self.path.split("?")[0].endswith("/portforward") and MODE != "upgrade-negative-length":
                        key = self.headers.get("Sec-WebSocket-Key", "")
                        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
                        self.send_response(101)
                        self.send_header("Upgrade", "websocket")
                        self.send_header("Connection", "Upgrade")
                        self.send_header("Sec-WebSocket-Accept", accept.decode())
                        self.send_header("Sec-WebSocket-Protocol", "v4.channel.k8s.io")
                        self.end_headers()
                        port = int(self.path.split("ports=")[1].split("&")[0])
                        text = b"\x1b]0;pwned\x07error forwarding port\r\nsecond line"
                        for payload in (bytes([0, port & 255, port >> 8]), bytes([1, port & 255, port >> 8]), b"\x01" + text):
                            self.wfile.write(bytes([0x82, len(payload)]) + payload)
                        if MODE == "forward-error-endless":
                            frame = bytes([0x82, 127]) + (65537).to_bytes(8, "big") + b"\x01" + b"e" * 65536
                            try:
                                while True:
                                    self.wfile.write(frame)
                            except (OSError, ssl.SSLError):
                                return
                        self.wfile.write(bytes([0x88, 2, 3, 0xE8]))
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    if self.path.split("?")[0].endswith("/portforward"):
                        self.send_response(403)
                        self.send_header("Content-Length", "-1")
                        self.end_headers()
                        self.wfile.write(b"no")
                        self.close_connection = True
                        return
                    name = self.path.split("?")[0].rsplit("/", 1)[-1]
                    body = json.dumps({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": name, "namespace": "default",
                                       "labels": {"osm-proxy-uuid": "1"}}, "status": {"phase": "Running"}}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                status, body = 200, b'{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}'
                if MODE == "echo-auth":
                    status, body = 500, "".join("%s: %s\n" % (k, v) for k, v in self.headers.items()).encode()
                elif MODE == "empty200":
                    body = b""
                elif MODE == "items-dict":
                    body = b'{"kind":"List","apiVersion":"v1","metadata":{},"items":{"a":1}}'
                elif MODE == "wrong-shape":
                    body = b"[1,2,3]"
                elif MODE in ("tiny-list", "namespace-list"):
                    body = LIST
                self.send_response(status)
                self.send_header("Content-Type", "text/plain" if MODE == "echo-auth" else "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_one

        LIST = b""
        if MODE == "tiny-list":
            LIST = b'{"kind":"NamespaceList","apiVersion":"v1","metadata":{},"items":[' + b",".join(
                b'{"metadata":{"name":"n%d"}}' % i for i in range(2000000)) + b"]}"
        elif MODE == "namespace-list":
            def namespace(i):
                name = "namespace-%06d" % i
                return {"metadata": {"name": name, "uid": "0f1e2d3c-4b5a-6978-8796-%012d" % i, "resourceVersion": str(1000 + i),
                        "creationTimestamp": "2026-12-01T10:00:00Z",
                        "labels": {"kubernetes.io/metadata.name": name, "team": "payments", "openservicemesh.io/monitored-by": "osm"},
                        "annotations": {"openservicemesh.io/sidecar-injection": "enabled", "description": "d" * 200},
                        "managedFields": [{"manager": "kubectl-create", "operation": "Update", "apiVersion": "v1",
                                           "time": "2026-12-01T10:00:00Z", "fieldsType": "FieldsV1",
                                           "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:team": {}}}, "f:status": {"f:phase": {}}}}]},
                        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
            LIST = json.dumps({"kind": "NamespaceList", "apiVersion": "v1", "metadata": {"resourceVersion": "99999"},
                               "items": [namespace(i) for i in range(52000)]}).encode()

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if len(sys.argv) > 3 and sys.argv[3] == "--tls":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(sys.argv[4], sys.argv[5])
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
