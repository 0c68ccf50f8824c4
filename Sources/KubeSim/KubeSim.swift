import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOHTTP2
import ObjectModel
import YAMLCodec

/// An in-memory Kubernetes API server over TLS, for tests, benchmarks and demos.
///
///     let sim = try KubeSim(options: KubeSimOptions())
///     try sim.start()
///     try sim.writeKubeconfig(to: path)
///     defer { sim.stop() }
public final class KubeSim: @unchecked Sendable {
    public let options: KubeSimOptions
    private let ca: CertificateAuthority
    private let cluster: Cluster
    private let api: APIServer
    private let faults: FaultInjector
    private let log: RequestLog
    private let forwarding: PortForwarding
    private let lock = NIOLock()
    private var group: MultiThreadedEventLoopGroup?
    private var channel: Channel?
    private var ticker: RepeatedTask?
    private var boundPort = 0
    private var stopped = false

    public init(options: KubeSimOptions) throws {
        self.options = options
        ca = try CertificateAuthority.shared()
        var unpullable: NSRegularExpression?
        if let pattern = options.unpullableImage {
            do { unpullable = try NSRegularExpression(pattern: pattern) } catch {
                throw KubeSimError("invalid --unpullable-image pattern \"\(pattern)\"")
            }
        }
        let minor = Self.minorVersion(options.serverVersion)
        guard minor != nil else { throw KubeSimError("invalid server version \"\(options.serverVersion)\" (want vMAJOR.MINOR.PATCH)") }
        cluster = Cluster(minorVersion: minor ?? 20, serverVersion: options.serverVersion, caPEM: ca.caCertPEM,
                          readyAfter: options.readyAfter, unpullable: unpullable)
        cluster.namespaceDeletionSeconds = options.namespaceDeletionSeconds
        cluster.watchCacheFreshSeconds = options.watchCacheEventFreshSeconds
        faults = try FaultInjector(options.faults)
        log = try RequestLog(path: options.logPath)
        api = APIServer(cluster: cluster, options: options, faults: faults, log: log)
        forwarding = PortForwarding(mappings: try options.forwards.map(PortForwardMapping.init(parsing:)))
    }

    static func minorVersion(_ v: String) -> Int? {
        let parts = v.drop { $0 == "v" }.split(separator: ".")
        guard parts.count >= 2, parts[0] == "1", let m = Int(parts[1]) else { return nil }
        return m
    }

    deinit { stop() }

    /// Binds and starts serving; returns once it listens.
    public func start() throws {
        try lock.withLock {
            guard channel == nil, !stopped else { return }
            var sslContext: NIOSSLContext?
            if !options.insecureHTTP {
                var tls = TLSConfiguration.makeServerConfiguration(
                    certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(ca.serverCertPEM.utf8), format: .pem))],
                    privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(ca.serverKeyPEM.utf8), format: .pem)))
                tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(ca.caCertPEM.utf8), format: .pem)])
                tls.certificateVerification = .optionalVerification
                tls.applicationProtocols = options.http2 ? ["h2", "http/1.1"] : ["http/1.1"]
                tls.shutdownTimeout = .milliseconds(200)
                sslContext = try NIOSSLContext(configuration: tls)
            }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.threads))
            let api = self.api
            let forwarding = self.forwarding
            let tlsContext = sslContext
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { [latency = options.latency] channel in
                    do { try LatencyHandler.install(on: channel, seconds: latency) } catch { return channel.eventLoop.makeFailedFuture(error) }
                    guard let tlsContext else { return Self.configureHTTP1(channel, api: api, forwarding: forwarding) }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }.flatMap {
                        // ALPN decides: h2 (each stream gets its own handler behind an
                        // HTTP/2-to-HTTP/1 codec) or HTTP/1.1.
                        channel.configureHTTP2SecureUpgrade(
                            h2ChannelConfigurator: { connection in
                                connection.configureHTTP2Pipeline(
                                    mode: .server, connectionConfiguration: .init(), streamConfiguration: Self.h2Streams
                                ) { stream in
                                    stream.eventLoop.makeCompletedFuture {
                                        try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                                        try stream.pipeline.syncOperations.addHandler(HTTPConnectionHandler(server: api, connection: connection))
                                    }
                                }.map { _ in }
                            },
                            http1ChannelConfigurator: { connection in Self.configureHTTP1(connection, api: api, forwarding: forwarding) })
                    }
                }
            do {
                let ch = try bootstrap.bind(host: options.bind, port: options.port).wait()
                channel = ch
                boundPort = ch.localAddress?.port ?? options.port
            } catch {
                try? group.syncShutdownGracefully()
                throw KubeSimError("cannot listen on \(options.bind):\(options.port): \(error)")
            }
            self.group = group
            api.setAddress("\(options.bind):\(boundPort)")
            let cluster = self.cluster
            // Tick often enough that pods turn ready close to `readyAfter` (a benchmark uses 0).
            let tickMs = Int64(min(50, max(2, options.readyAfter * 1000 / 5)))
            ticker = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(tickMs), delay: .milliseconds(tickMs)) { _ in
                cluster.tick()
            }
        }
    }

    /// libcurl (7.88, the version tests run against) ends each finished HTTP/2 stream with a RST_STREAM; NIO's guard against
    /// rapid-reset floods would close the connection after 200 of them in 30 s, which a bulk
    /// `osm namespace add` passes in well under a second. A real API server (Go's net/http2)
    /// does not count resets, so neither does this one, within reason.
    private static let h2Streams: NIOHTTP2Handler.StreamConfiguration = {
        var c = NIOHTTP2Handler.StreamConfiguration()
        c.streamResetFrameRateLimit.maximumCount = 1_000_000
        c.streamResetFrameRateLimit.windowLength = .seconds(1)
        return c
    }()

    private static func configureHTTP1(_ channel: Channel, api: APIServer, forwarding: PortForwarding) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            // A port-forward WebSocket upgrade (HTTP/1.1 only, as in Kubernetes) leaves HTTP behind.
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withServerUpgrade: PortForwardUpgrade.configuration(api: api, forwarding: forwarding), withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(DeclinedUpgradeFilter())
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(server: api, connection: channel))
        }
    }

    /// Stops serving and releases the port; safe to call more than once.
    public func stop() {
        let (g, ch, t): (MultiThreadedEventLoopGroup?, Channel?, RepeatedTask?) = lock.withLock {
            stopped = true
            defer { group = nil; channel = nil; ticker = nil }
            return (group, channel, ticker)
        }
        t?.cancel()
        try? ch?.close().wait()
        try? g?.syncShutdownGracefully()
        log.close()
    }

    public var port: Int { lock.withLock { boundPort } }

    public var url: String {
        let host = options.bind == "0.0.0.0" ? "127.0.0.1" : options.bind
        return "\(options.insecureHTTP ? "http" : "https")://\(host):\(port)"
    }

    public var caPEM: String { ca.caCertPEM }

    /// A client certificate signed by this server's CA: CN is the user, O entries are groups.
    public func issueClientCertificate(commonName: String, groups: [String] = []) throws -> (certPEM: String, keyPEM: String) {
        try ca.issueClientCertificate(commonName: commonName, groups: groups)
    }

    /// A kubeconfig with this server, its CA, and a client certificate for `user` ("admin" is in
    /// system:masters); over plain HTTP, the admin token, else the first bearer token.
    public func kubeconfigYAML(user: String = "admin") -> String {
        var userEntry = JSONObject()
        if options.insecureHTTP {
            // The admin token (system:masters) when there is one: under RBAC other token users start with no rights.
            if let t = options.adminToken.map({ Substring($0) }) ?? options.tokens.first?.split(separator: ",").first {
                userEntry["token"] = .string(String(t))
            }
        } else if let pair = try? issueClientCertificate(commonName: user, groups: user == "admin" ? ["system:masters"] : []) {
            userEntry["client-certificate-data"] = .string(Base64.encode(Array(pair.certPEM.utf8)))
            userEntry["client-key-data"] = .string(Base64.encode(Array(pair.keyPEM.utf8)))
        }
        var cluster = JSONObject()
        cluster["server"] = .string(url)
        if !options.insecureHTTP { cluster["certificate-authority-data"] = .string(Base64.encode(Array(caPEM.utf8))) }
        let config: JSONValue = [
            "apiVersion": "v1", "kind": "Config",
            "clusters": [["name": "kube-sim", "cluster": .object(cluster)]],
            "users": [["name": .string(user), "user": .object(userEntry)]],
            "contexts": [["name": "kube-sim", "context": ["cluster": "kube-sim", "user": .string(user)]]],
            "current-context": "kube-sim",
            "preferences": [:],
        ]
        return YAML.emit(config)
    }

    public func writeKubeconfig(to path: String, user: String = "admin") throws {
        let text = kubeconfigYAML(user: user)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KubeSimError("cannot write kubeconfig \(path)")
        }
    }

    /// Replaces the fault rules (a rule whose path pattern does not compile is ignored).
    public func setFaults(_ rules: [FaultRule]) {
        faults.setLenient(rules)
    }

    public var requestLog: [RequestLogEntry] { log.all }
    public func clearRequestLog() { log.clear() }

    // MARK: - Direct state access for tests

    private func lookup(_ group: String, _ version: String, _ resource: String) -> ResourceType? {
        cluster.snapshot().0.lookup(groupVersion: group.isEmpty ? version : "\(group)/\(version)", resource: resource)
    }

    /// One object, or nil. Group "" is the core group.
    public func object(group: String, version: String, resource: String, namespace: String?, name: String) -> JSONValue? {
        guard let t = lookup(group, version, resource) else { return nil }
        guard let s = try? cluster.get(t, namespace: t.namespaced ? namespace : nil, name: name) else { return nil }
        var v = s.value
        v["apiVersion"] = .string(t.groupVersion)
        return v
    }

    /// Objects of a resource, sorted by namespace and name; namespace nil = all namespaces.
    public func objects(group: String, version: String, resource: String, namespace: String?) -> [JSONValue] {
        guard let t = lookup(group, version, resource) else { return [] }
        return cluster.list(t, namespace: t.namespaced ? namespace : nil, labels: nil, fields: nil, limit: nil,
                            continueFrom: nil).items.map { s in
            var v = s.value
            v["apiVersion"] = .string(t.groupVersion)
            return v
        }
    }

    /// Seeds an object directly (create or replace), e.g. a Deployment "installed by upstream".
    /// A missing namespace is created.
    public func put(_ object: JSONValue) throws {
        do { try cluster.seed(object) } catch { throw KubeSimError(error.message) }
    }
}
