import Foundation
import XCTest

/// What a finished process printed, and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// The one way tests run a program to its end: osm, kubectl, curl, python, openssl, git.
public enum ProcessRunner {
    /// Runs `path` with `args` and waits for it to exit. Output goes to files in `folder` (so a
    /// large output can never block the child on a full pipe); with `combined`, stderr goes to
    /// the same file as stdout (as `2>&1` in a CI log) and is returned as stdout. `environment`
    /// nil inherits this process's. `timeout` is a hang guard only: a process still running
    /// then is killed and the test fails saying so.
    public static func run(_ path: String, _ args: [String], stdin: String? = nil, environment: [String: String]? = nil,
                           in folder: URL = FileManager.default.temporaryDirectory, timeout: TimeInterval = 120,
                           combined: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.environment = environment ?? ProcessInfo.processInfo.environment
        let outURL = folder.appendingPathComponent("out-\(UUID().uuidString)")
        let errURL = folder.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = combined ? out : err
        let input = Pipe()
        p.standardInput = input
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            XCTFail("hang guard: \(path) \(args.joined(separator: " ")) was still running after \(Int(timeout))s and was killed",
                    file: file, line: line)
            exited.wait()
        }
        p.waitUntilExit()
        try out.close()
        try err.close()
        return ProcessResult(status: p.terminationStatus,
                             stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                             stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// A missing prerequisite is a failure, not a skip: tests that cannot run must say so loudly.
public struct MissingPrerequisite: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, polling, and fails naming `what` was awaited if it never
/// does. The deadline is a hang guard, generous on purpose: what is asserted is the state, not
/// how soon it came. Returns whether it held.
@discardableResult
public func eventually(_ what: @autoclosure () -> String, timeout: TimeInterval = 60, file: StaticString = #filePath,
                       line: UInt = #line, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= end { break }
        usleep(20_000)
    }
    XCTFail("never happened within the \(Int(timeout))s hang guard: \(what())", file: file, line: line)
    return false
}
