import Foundation
import XCTest

/// Exec credential plugins end with osm: Ctrl-C (SIGINT to osm's pid alone, as a terminal's
/// Ctrl-C never reaches a plugin in a process group of its own), SIGTERM, and osm's exit never
/// leave a plugin running or osm's stderr held open.
final class ExecPluginSignalTests: XCTestCase {
    /// A plugin that records its pid and its child's, then waits forever.
    private func hangingPlugin(_ s: HostileServer) throws -> (user: [String], pids: URL) {
        let pids = s.dir.appendingPathComponent("plugin.pids")
        let plugin = s.dir.appendingPathComponent("hang.sh")
        try """
            #!/bin/sh
            sleep 600 &
            echo "$$ $!" > \(pids.path).tmp
            mv \(pids.path).tmp \(pids.path)
            wait
            """.write(to: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin.path)
        return (["exec:", "  apiVersion: client.authentication.k8s.io/v1beta1", "  command: \(plugin.path)", "  interactiveMode: Never"], pids)
    }

    /// Running, as opposed to gone or a zombie nobody has reaped yet (its parent, osm, is gone).
    private func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Processes running the plugin script (every run of it, the rollback's too).
    private func pluginProcesses(_ script: String) -> [String] {
        usleep(300_000)
        guard let r = try? ProcessRunner.run("/usr/bin/pgrep", ["-f", script]) else { return ["pgrep failed"] }
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// Starts osm, waits for the plugin to start, sends `sig` to osm's pid alone; returns osm's
    /// exit (status and how), its stderr (read to its end: the plugin must not hold it open)
    /// and the plugin's pids.
    private func interrupt(_ args: [String], with sig: Int32) throws -> (Int32, Process.TerminationReason, String, [pid_t]) {
        let s = try HostileServer(.record, tls: true)
        defer { XCTAssertEqual(pluginProcesses(s.dir.appendingPathComponent("hang.sh").path), [], "plugin processes left running") }
        let (user, pidFile) = try hangingPlugin(s)
        let kubeconfig = try s.writeKubeconfig(user: user)
        let process = Process()
        process.executableURL = try OSMBinary.url
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig
        env["HOME"] = s.dir.path
        process.environment = env
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while !FileManager.default.fileExists(atPath: pidFile.path), Date().timeIntervalSince(started) < 30 { usleep(20_000) }
        let pids = try String(contentsOf: pidFile, encoding: .utf8).split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(pids.count, 2)
        kill(process.processIdentifier, sig)
        // Reading to the end returns only once every holder of the pipe (the plugin too) is gone.
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, text, pids)
    }

    func testCtrlCEndsAPluginInItsOwnProcessGroup() throws {
        for sig in [SIGINT, SIGTERM] {
            let (status, reason, stderr, pids) = try interrupt(["namespace", "list"], with: sig)
            // As without a plugin: osm ends by the signal, as a shell reports it (128+n).
            XCTAssertEqual(reason, .uncaughtSignal, stderr)
            XCTAssertEqual(status, sig, stderr)
            usleep(200_000)
            for pid in pids { XCTAssertFalse(alive(pid), "plugin process \(pid) outlived osm (signal \(sig))") }
        }
    }

    func testCtrlCDuringAtomicInstallStopsThePluginAndRollsBackAtOnce() throws {
        let started = Date()
        let (status, reason, stderr, pids) = try interrupt(["install", "--atomic"], with: SIGINT)
        XCTAssertEqual(reason, .exit, stderr)
        XCTAssertEqual(status, 130, stderr)
        XCTAssertTrue(stderr.contains("was stopped: osm was interrupted") || stderr.contains("Interrupted"), stderr)
        usleep(200_000)
        for pid in pids { XCTAssertFalse(alive(pid), "plugin process \(pid) outlived osm") }
        // Bounded: the rollback's own plugin run waits at most ExecPlugin's 10s, not --timeout's 5m.
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "a hang guard, not a timing assertion")
    }
}
