import Foundation
import KubeClient
import KubeSim
import XCTest
import ObjectModel

/// `osm dashboard` against kube-sim, whose Grafana pod's port 3000 leads to a fake Grafana.
final class DashboardCommandTests: XCTestCase {
    /// A port nothing listens on right now.
    static func freePort() throws -> Int {
        let server = try TCPTestServer { _ in }
        defer { server.stop() }
        return server.port
    }

    /// Whether a listener could take the port now (as osm itself binds: SO_REUSEADDR).
    static func canListen(on port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0 && listen(fd, 1) == 0
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
        if !ok { close(fd); return nil }
        return fd
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return out }
            out += buffer[..<n]
        }
    }

    /// What the fake Grafana answers for a path: its own name in it, 200 KB long.
    static func grafanaPage(_ path: String) -> [UInt8] {
        Array("<html>grafana page \(path)</html>\n".utf8) + [UInt8](repeating: UInt8(ascii: "g"), count: 200_000)
    }

    /// Waits until the Grafana pod runs: it comes from the Deployment, running once kube-sim's
    /// kubelet says so. False (and the test failed) if it never does.
    static func grafanaPodRuns(_ h: ClusterHarness, file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        var options = ClientOptions()
        options.kubeconfig = h.kubeconfig
        let client = try KubeClient(options: options)
        return try eventually("the Grafana pod running", file: file, line: line) {
            try client.list(.pods, namespace: "osm-system", labelSelector: "app=osm-grafana")
                .contains(where: { $0[path: "status", "phase"]?.stringValue == "Running" })
        }
    }

    func testForwardsTwentyConcurrentRequestsAndStopsCleanlyOnSIGINT() throws {
        final class Counter: @unchecked Sendable { let lock = NSLock(); var requests = 0 }
        let served = Counter()
        let grafana = try TCPTestServer { fd in
            guard let head = TCPTestServer.readRequestHead(fd) else { return }
            served.lock.withLock { served.requests += 1 }
            let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            let body = Self.grafanaPage(path)
            TCPTestServer.sendAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body)
        }
        let h = try ClusterHarness { $0.forwards = ["osm-system/osm-grafana-*:3000=127.0.0.1:\(grafana.port)"] }
        let install = try h.osm(["install", "--deploy-grafana"])
        XCTAssertEqual(install.status, 0, install.stderr)
        guard try Self.grafanaPodRuns(h) else { return }

        let port = try Self.freePort()
        let osm = Process()
        osm.executableURL = try OSMBinary.url
        osm.arguments = ["dashboard", "-b=false", "-p", String(port)]
        osm.environment = ["KUBECONFIG": h.kubeconfig, "HOME": h.dir.path, "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        osm.standardOutput = out
        osm.standardError = err
        try osm.run()
        defer { if osm.isRunning { osm.terminate() } }

        // Ready once the port accepts connections.
        let listening = eventually("osm dashboard listening on \(port)") {
            if let fd = Self.connect(port: port) {
                close(fd)
                return true
            }
            return !osm.isRunning
        }
        guard listening, osm.isRunning else {
            return XCTFail("osm dashboard never listened: \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        }

        // 20 connections open at once, then each sends its request.
        let count = 20
        final class Shared: @unchecked Sendable {
            let lock = NSCondition()
            var connected = 0
            var answers: [[UInt8]]
            init(_ n: Int) { answers = [[UInt8]](repeating: [], count: n) }
        }
        let shared = Shared(count)
        let lock = shared.lock
        var threads: [Thread] = []
        for i in 0..<count {
            let t = Thread {
                guard let fd = Self.connect(port: port) else { return }
                defer { close(fd) }
                lock.lock()
                shared.connected += 1
                lock.broadcast()
                while shared.connected < count { lock.wait() }
                lock.unlock()
                TCPTestServer.sendAll(fd, Array("GET /d/\(i) HTTP/1.1\r\nHost: localhost:\(port)\r\nConnection: close\r\n\r\n".utf8))
                let answer = Self.readAll(fd)
                lock.withLock { shared.answers[i] = answer }
            }
            threads.append(t)
            t.start()
        }
        eventually("all \(count) answers read") { lock.withLock { !shared.answers.contains(where: \.isEmpty) } }
        let answers = lock.withLock { shared.answers }
        for i in 0..<count {
            let body = Self.grafanaPage("/d/\(i)")
            let want = Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
            XCTAssertEqual(answers[i].count, want.count, "request \(i)")
            XCTAssertTrue(answers[i] == want, "request \(i) got another answer")
        }
        XCTAssertEqual(served.lock.withLock { served.requests }, count, "each request reached Grafana once")

        osm.interrupt()
        osm.waitUntilExit()
        XCTAssertEqual(osm.terminationReason, .exit)
        XCTAssertEqual(osm.terminationStatus, 0)
        XCTAssertEqual(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "[+] Starting Dashboard forwarding\n")
        XCTAssertEqual(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "")
        XCTAssertNil(Self.connect(port: port), "nothing listens after SIGINT")
        XCTAssertTrue(Self.canListen(on: port), "the port is free again")
    }

    func testNoGrafanaServiceOrRunningPodIsAOneLineError() throws {
        let h = try ClusterHarness()
        let none = try h.osm(["dashboard", "--open-browser=false"])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stdout, "[+] Starting Dashboard forwarding\n")
        XCTAssertEqual(none.stderr, "Error: Failed to get OSM Grafana service data: services \"osm-grafana\" not found\n")

        XCTAssertEqual(try h.osm(["install", "--deploy-grafana"]).status, 0)
        // Grafana's pods are there but, with the service's selector changed, none is selected.
        let patch = try h.kubectl(["patch", "service", "osm-grafana", "-n", "osm-system", "--type=merge", "-p", #"{"spec":{"selector":{"app":"no-such-app"}}}"#])
        XCTAssertEqual(patch.status, 0, patch.stderr)
        let noPod = try h.osm(["dashboard", "-b=0"])
        XCTAssertEqual(noPod.status, 1)
        XCTAssertEqual(noPod.stderr, "Error: No running Grafana pod available\n")
    }

    func testBusyLocalPortIsReported() throws {
        let grafana = try TCPTestServer { _ in }
        let h = try ClusterHarness { $0.forwards = ["osm-system/osm-grafana-*:3000=127.0.0.1:\(grafana.port)"] }
        XCTAssertEqual(try h.osm(["install", "--deploy-grafana"]).status, 0)
        guard try Self.grafanaPodRuns(h) else { return }
        let busy = try TCPTestServer { _ in }
        let r = try h.osm(["dashboard", "-b=false", "--local-port", String(busy.port)])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "Error: Port forwarding failed: unable to listen on port \(busy.port): listen tcp4 127.0.0.1:\(busy.port): bind: address already in use; pick a free port with --local-port\n")
    }
}
