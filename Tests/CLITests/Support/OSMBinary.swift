import Foundation
import XCTest

/// The real `osm` executable next to the test bundle (`.build/<triple>/debug/osm`), or
/// `$OSM_BINARY`. Runs it and captures what it printed.
enum OSMBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var url: URL {
        get throws {
            if let path = ProcessInfo.processInfo.environment["OSM_BINARY"], !path.isEmpty {
                return URL(fileURLWithPath: path)
            }
            let directory = buildDirectory
            let candidate = directory.appendingPathComponent("osm")
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
                throw MissingPrerequisite("no osm binary at \(candidate.path): run `swift build` first (or set OSM_BINARY)")
            }
            return candidate
        }
    }

    /// The folder holding the test bundle, where SwiftPM also puts the package's executables.
    static var buildDirectory: URL {
        #if os(Linux)
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
        #else
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent()
        #endif
    }

    /// The package's root folder (for the committed completions and man pages).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], removing: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = try url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in removing { env[name] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        return try capture(process)
    }

    static func capture(_ process: Process) throws -> Result {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        let errData = DataBox()
        let errReader = err.fileHandleForReading
        group.enter()
        DispatchQueue.global().async {
            errData.data = errReader.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self))
    }
}

/// Filled by one reader thread, read after it is done (the DispatchGroup orders the two).
private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A missing prerequisite is a failure, not a skip: tests that cannot run must say so loudly.
struct MissingPrerequisite: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
