import Foundation
import XCTest

/// The committed completions and man pages are what the current parser generates.
/// Regenerate with `scripts/generate-docs.sh`.
final class DocsInSyncTests: XCTestCase {
    func testCompletionCommandPrintsTheGeneratedScript() throws {
        for shell in ["bash", "zsh", "fish"] {
            let command = try OSMBinary.run(["completion", shell])
            let builtIn = try OSMBinary.run(["--generate-completion-script", shell])
            XCTAssertEqual(command.status, 0, command.stderr)
            XCTAssertFalse(command.stdout.isEmpty)
            XCTAssertEqual(command.stdout, builtIn.stdout, shell)
        }
        let unknown = try OSMBinary.run(["completion", "powershell"])
        XCTAssertEqual(unknown.status, 1)
    }

    func testCommittedCompletionsAreCurrent() throws {
        let files = ["bash": "completions/osm.bash", "zsh": "completions/_osm", "fish": "completions/osm.fish"]
        for (shell, path) in files {
            let generated = try OSMBinary.run(["--generate-completion-script", shell]).stdout
            let committed = try String(contentsOf: OSMBinary.packageRoot.appendingPathComponent(path), encoding: .utf8)
            XCTAssertEqual(committed, generated, "\(path) is stale: run scripts/generate-docs.sh")
        }
    }

    /// Runs the generator script into a temporary folder and compares every file.
    func testCommittedManPagesAreCurrent() throws {
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("osm-docs-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }

        let result = try ProcessRunner.run("/bin/sh", [
            OSMBinary.packageRoot.appendingPathComponent("scripts/generate-docs.sh").path,
            "--binary", try OSMBinary.url.path, "--output-dir", temporary.path,
        ])
        XCTAssertEqual(result.status, 0, "scripts/generate-docs.sh failed:\n\(result.stderr)")
        guard result.status == 0 else { return }

        for folder in ["man", "completions"] {
            let committedFolder = OSMBinary.packageRoot.appendingPathComponent(folder)
            let generatedFolder = temporary.appendingPathComponent(folder)
            let committed = Set(try FileManager.default.contentsOfDirectory(atPath: committedFolder.path))
            let generated = Set(try FileManager.default.contentsOfDirectory(atPath: generatedFolder.path))
            XCTAssertEqual(committed, generated, "\(folder)/ differs in its files: run scripts/generate-docs.sh")
            for name in committed.intersection(generated).sorted() {
                let a = try Data(contentsOf: committedFolder.appendingPathComponent(name))
                let b = try Data(contentsOf: generatedFolder.appendingPathComponent(name))
                XCTAssertEqual(a, b, "\(folder)/\(name) is stale: run scripts/generate-docs.sh")
            }
        }
    }
}
