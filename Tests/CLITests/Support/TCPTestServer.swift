import Foundation

/// A TCP server on 127.0.0.1 (a free port) for the far end of port-forward tests: each accepted
/// connection is handed to `handler` on a thread of its own and closed when it returns.
final class TCPTestServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false
    private(set) var connections = 0

    init(handler: @escaping @Sendable (Int32) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0 && listen(fd, 128) == 0
        guard ok else { close(fd); throw CocoaError(.fileWriteUnknown) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = fd
        let t = Thread { [self] in
            while true {
                let conn = accept(fd, nil, nil)
                if conn < 0 {
                    if lock.withLock({ stopped }) { return }
                    continue
                }
                lock.withLock { connections += 1 }
                Thread {
                    handler(conn)
                    close(conn)
                }.start()
            }
        }
        t.start()
    }

    deinit { stop() }

    func stop() {
        let first: Bool = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Reads up to the end of an HTTP request's head; nil if the peer closed first.
    static func readRequestHead(_ fd: Int32) -> String? {
        var data = [UInt8]()
        var byte: UInt8 = 0
        while !(data.count >= 4 && data.suffix(4) == [13, 10, 13, 10]) {
            guard recv(fd, &byte, 1, 0) == 1 else { return nil }
            data.append(byte)
        }
        return String(decoding: data, as: UTF8.self)
    }

    @discardableResult
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { b in
            var off = 0
            while off < b.count {
                let n = send(fd, b.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                off += n
            }
            return true
        }
    }
}

/// Envoy's admin interface as far as `osm proxy get` needs it: `/config_dump` answers with a
/// config whose `outbound-listener` has the `outbound-egress-filter-chain` default chain (to
/// the `passthrough-outbound` cluster) while `egress()` says egress is on, and none when off.
final class FakeEnvoyAdmin: @unchecked Sendable {
    private var server: TCPTestServer!
    private let egress: @Sendable () -> Bool
    private let lock = NSLock()
    private var dropAfterBytes: Int?
    /// Extra bytes in the dump, to make it span many WebSocket frames.
    let padding: Int

    var port: Int { server.port }
    var connections: Int { server.connections }

    init(padding: Int = 0, egress: @escaping @Sendable () -> Bool) throws {
        self.egress = egress
        self.padding = padding
        server = try TCPTestServer { [unowned self] fd in self.serve(fd) }
    }

    deinit { server.stop() }

    /// From now on, answers with the full Content-Length but closes after this many body bytes.
    func dropAfter(_ bytes: Int?) { lock.withLock { dropAfterBytes = bytes } }

    func configDump(egress: Bool) -> [UInt8] {
        var listener: [String: Any] = [
            "name": "outbound-listener",
            "address": ["socket_address": ["address": "0.0.0.0", "port_value": 15001]],
            "filter_chains": [["name": "outbound-mesh-http-filter-chain:curl/curl"]],
            "listener_filters": [["name": "envoy.filters.listener.original_dst"]],
        ]
        if egress {
            listener["default_filter_chain"] = [
                "name": "outbound-egress-filter-chain",
                "filters": [["name": "envoy.filters.network.tcp_proxy",
                             "typed_config": ["@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                                              "stat_prefix": "passthrough-outbound", "cluster": "passthrough-outbound"]]],
            ]
        }
        let dump: [String: Any] = ["configs": [
            ["@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
             "dynamic_listeners": [["name": "outbound-listener", "active_state": ["listener": listener]]]],
            ["@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", "padding": String(repeating: "p", count: padding)],
        ]]
        let data = try! JSONSerialization.data(withJSONObject: dump, options: [.prettyPrinted, .sortedKeys])
        return Array(data) + [10]
    }

    private func serve(_ fd: Int32) {
        guard let head = TCPTestServer.readRequestHead(fd) else { return }
        let target = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let body: [UInt8]
        var status = "200 OK"
        if target == "/config_dump" || target.hasPrefix("/config_dump?") {
            body = configDump(egress: egress())
        } else {
            status = "404 Not Found"
            body = Array("invalid path: \(target)\nadmin commands are:\n  /config_dump: dump current Envoy configs\n".utf8)
        }
        var reply = Array("HTTP/1.1 \(status)\r\ncontent-type: text/plain\r\ncontent-length: \(body.count)\r\n\r\n".utf8)
        let drop = lock.withLock { dropAfterBytes }
        reply += body.prefix(drop ?? body.count)
        TCPTestServer.sendAll(fd, reply)
    }
}
