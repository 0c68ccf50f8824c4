import Foundation
import NIOConcurrencyHelpers

/// The request log: in memory for tests, and as JSON lines in a file when asked.
final class RequestLog: @unchecked Sendable {
    private let lock = NIOLock()
    private var entries: [RequestLogEntry] = []
    private let file: FileHandle?

    init(path: String?) throws {
        if let path {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw KubeSimError("cannot create log file \(path)")
                }
            }
            guard let h = FileHandle(forWritingAtPath: path) else { throw KubeSimError("cannot open log file \(path)") }
            _ = try? h.seekToEnd()
            file = h
        } else {
            file = nil
        }
    }

    func append(_ e: RequestLogEntry) {
        lock.withLock {
            entries.append(e)
            if entries.count > 100_000 { entries.removeFirst(50_000) }
            if let file {
                var line = e.json.jsonBytes()
                line.append(0x0A)
                try? file.write(contentsOf: Data(line))
            }
        }
    }

    var all: [RequestLogEntry] { lock.withLock { entries } }
    func clear() { lock.withLock { entries.removeAll() } }
    func close() { lock.withLock { try? file?.close() } }
}
