import Foundation
import XCTest

/// The `osm` executable under test: `$OSM_BINARY` when set (to measure an older build with the
/// same tests), else the one SwiftPM built beside this test bundle.
public enum OSMBinary {
    public static var path: String {
        if let p = ProcessInfo.processInfo.environment["OSM_BINARY"], !p.isEmpty { return p }
        return buildDirectory.appendingPathComponent("osm").path
    }

    /// `path`, failing loudly when there is no such executable.
    public static var url: URL {
        get throws {
            let p = path
            guard FileManager.default.isExecutableFile(atPath: p) else {
                throw MissingPrerequisite("no osm binary at \(p): run `swift build` first (or set OSM_BINARY)")
            }
            return URL(fileURLWithPath: p)
        }
    }

    /// The folder holding the test bundle, where SwiftPM also puts the package's executables.
    public static var buildDirectory: URL {
        #if os(Linux)
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        #else
        var folder = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
            ?? Bundle.main.bundleURL.appendingPathComponent("x")
        folder.deleteLastPathComponent()
        #endif
        // .../debug/osmPackageTests.xctest/...: the products sit beside the bundle.
        while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        return folder
    }

    /// The package's root folder (for the committed completions, man pages and scripts).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)  // <root>/Tests/TestSupport/OSMBinary.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// osm against `kubeconfig` with `home` as HOME (the folder its output files go to) and no
    /// OSM_NAMESPACE, plus `env`: how tests run it against a cluster (`ClusterHarness.osm`).
    public static func run(_ arguments: [String], kubeconfig: String, home: URL, env: [String: String] = [:],
                           stdin: String? = nil, timeout: TimeInterval = 120, combined: Bool = false,
                           file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        try run(arguments, environment: ["KUBECONFIG": kubeconfig, "HOME": home.path].merging(env) { $1 },
                removing: ["OSM_NAMESPACE"], stdin: stdin, in: home, timeout: timeout, combined: combined,
                file: file, line: line)
    }

    /// Runs osm with this process's environment minus `removing`, plus `environment`.
    @discardableResult
    public static func run(_ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
                           stdin: String? = nil, in folder: URL = FileManager.default.temporaryDirectory,
                           timeout: TimeInterval = 120, combined: Bool = false,
                           file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        for name in removing { env[name] = nil }
        env.merge(environment) { $1 }
        return try ProcessRunner.run(try url.path, arguments, stdin: stdin, environment: env, in: folder, timeout: timeout,
                                     combined: combined, file: file, line: line)
    }
}
