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
