import Foundation
import KubeClient
import KubeSim
import XCTest

/// `osm dashboard` ends promptly on SIGINT in every phase, and its forwarded connections are
/// bounded by the request timeout while idle.
final class DashboardSignalTests: XCTestCase {
    typealias D = DashboardCommandTests

    /// A fake Grafana: each connection gets `behaviour` after its request's head.
    final class Grafana: @unchecked Sendable {
        let server: TCPTestServer
        init(_ behaviour: @escaping @Sendable (Int32) -> Void) throws {
            server = try TCPTestServer { fd in
                guard TCPTestServer.readRequestHead(fd) != nil else { return }
                behaviour(fd)
            }
        }
    }

    /// Installs a mesh with Grafana forwarded to `grafana`; nil when its pod never runs.
    private func cluster(_ grafana: Grafana) throws -> ClusterHarness? {
        let port = grafana.server.port
        let h = try ClusterHarness { $0.forwards = ["osm-system/osm-grafana-*:3000=127.0.0.1:\(port)"] }
        let install = try h.osm(["install", "--deploy-grafana"])
        XCTAssertEqual(install.status, 0, install.stderr)
        guard try D.grafanaPodRuns(h) else { return nil }
        return h
    }

    private func startDashboard(_ h: ClusterHarness, port: Int, extra: [String] = []) throws -> (Process, Pipe) {
        let osm = Process()
        osm.executableURL = try OSMBinary.url
        osm.arguments = ["dashboard", "-b=false", "-p", String(port)] + extra
        osm.environment = ["KUBECONFIG": h.kubeconfig, "HOME": h.dir.path, "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        osm.standardOutput = FileHandle.nullDevice
        osm.standardError = err
        try osm.run()
        return (osm, err)
    }

    private func waitListening(_ osm: Process, port: Int) -> Bool {
        eventually("osm dashboard listening on \(port)") {
            if let fd = D.connect(port: port) { close(fd); return true }
            return !osm.isRunning
        } && osm.isRunning
    }

    /// Waits (at most a generous minute, a hang guard) for osm to exit; false if it did not.
    private func exits(_ osm: Process) -> Bool {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { osm.waitUntilExit(); done.signal() }
        if done.wait(timeout: .now() + 60) == .timedOut {
            kill(osm.processIdentifier, SIGKILL)
            return false
        }
        return true
    }

    func testSIGINTEndsItWhileALocalClientHasStoppedReading() throws {
        let grafana = try Grafana { fd in
            // An endless page.
            let block = [UInt8](repeating: 0x67, count: 1 << 16)
            guard TCPTestServer.sendAll(fd, Array("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".utf8)) else { return }
            while TCPTestServer.sendAll(fd, block) {}
        }
        guard let h = try cluster(grafana) else { return }
        let port = try D.freePort()
        let (osm, err) = try startDashboard(h, port: port)
        defer { if osm.isRunning { kill(osm.processIdentifier, SIGKILL) } }
        guard waitListening(osm, port: port) else { return XCTFail("osm dashboard never listened") }
        guard let fd = D.connect(port: port) else { return XCTFail("no connection") }
        defer { close(fd) }
        TCPTestServer.sendAll(fd, Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        // Never read: osm's send to this client blocks once the buffers are full.
        sleep(2)
        osm.interrupt()
        guard exits(osm) else { return XCTFail("osm dashboard still running 60s after SIGINT") }
        XCTAssertEqual(osm.terminationReason, .exit)
        XCTAssertEqual(osm.terminationStatus, 0)
        XCTAssertEqual(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "")
    }

    func testSIGINTEndsItWhileATunnelsUpgradeIsUnanswered() throws {
        let grafana = try Grafana { fd in
            TCPTestServer.sendAll(fd, Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8))
        }
        guard let h = try cluster(grafana) else { return }
        let port = try D.freePort()
        // No request timeout: nothing but the signal ends the wait for the upgrade.
        let (osm, _) = try startDashboard(h, port: port, extra: ["--request-timeout", "0"])
        defer { if osm.isRunning { kill(osm.processIdentifier, SIGKILL) } }
        guard waitListening(osm, port: port) else { return XCTFail("osm dashboard never listened") }
        // From now on the API server takes ten minutes to answer an upgrade.
        h.sim.setFaults([FaultRule(path: "/portforward", delayMs: 600_000)])
        guard let fd = D.connect(port: port) else { return XCTFail("no connection") }
        defer { close(fd) }
        sleep(1)
        osm.interrupt()
        guard exits(osm) else { return XCTFail("osm dashboard still running 60s after SIGINT") }
        XCTAssertEqual(osm.terminationReason, .exit)
        XCTAssertEqual(osm.terminationStatus, 0)
    }

    func testSIGINTDuringStartUpEndsItAsTheSignalDoesUpstream() throws {
        let grafana = try Grafana { _ in }
        guard let h = try cluster(grafana) else { return }
        h.sim.setFaults([FaultRule(path: "/services/osm-grafana", delayMs: 600_000)])
        let port = try D.freePort()
        let (osm, err) = try startDashboard(h, port: port)
        defer { if osm.isRunning { kill(osm.processIdentifier, SIGKILL) } }
        sleep(1)
        osm.interrupt()
        guard exits(osm) else { return XCTFail("osm dashboard still running 60s after SIGINT") }
        // Upstream has no handler before it forwards: Go's default action ends it by the signal.
        XCTAssertEqual(osm.terminationReason, .uncaughtSignal)
        XCTAssertEqual(osm.terminationStatus, SIGINT)
        XCTAssertEqual(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "")
    }

    func testAnIdleForwardedConnectionIsClosedAfterTheRequestTimeout() throws {
        let grafana = try Grafana { _ in }
        guard let h = try cluster(grafana) else { return }
        let port = try D.freePort()
        let (osm, _) = try startDashboard(h, port: port, extra: ["--request-timeout", "2s"])
        defer { if osm.isRunning { kill(osm.processIdentifier, SIGKILL) } }
        guard waitListening(osm, port: port) else { return XCTFail("osm dashboard never listened") }
        guard let fd = D.connect(port: port) else { return XCTFail("no connection") }
        defer { close(fd) }
        // A hang guard: a minute without osm closing the connection fails the test.
        var guardTime = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guardTime, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        XCTAssertEqual(n, 0, "osm closes an idle connection (errno \(errno))")
        XCTAssertTrue(osm.isRunning, "the dashboard itself keeps running")
        osm.interrupt()
        guard exits(osm) else { return XCTFail("osm dashboard still running 60s after SIGINT") }
        XCTAssertEqual(osm.terminationStatus, 0)
    }
}
