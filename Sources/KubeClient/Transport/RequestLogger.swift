#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// kubectl-style `-v` request logs on standard error, with every credential masked at every level.
final class RequestLogger: @unchecked Sendable {
    let verbosity: Int
    private let sink: @Sendable (String) -> Void
    private let lock = Lock()
    private var secrets: [String] = []

    init(verbosity: Int, sink: (@Sendable (String) -> Void)?) {
        self.verbosity = verbosity
        self.sink = sink ?? { line in
            var bytes = Array(line.utf8)
            bytes.append(10)
            bytes.withUnsafeBytes { buf in
                var off = 0
                while off < buf.count {
                    let n = write(2, buf.baseAddress! + off, buf.count - off)
                    if n <= 0 { if errno == EINTR { continue }; break }
                    off += n
                }
            }
        }
    }

    func enabled(_ level: Int) -> Bool { verbosity >= level }

    /// Remembers a credential so that it never appears in a log line, even inside a body.
    func addSecret(_ s: String) {
        guard s.utf8.count >= 4 else { return }
        lock.withLock { if !secrets.contains(s) { secrets.append(s) } }
    }

    func log(_ level: Int, _ message: @autoclosure () -> String) {
        guard verbosity >= level else { return }
        let header = "I\(Clock.klogStamp()) \(String(getpid()).leftPadded(7)) request.go] "
        sink(header + scrub(message()))
    }

    func scrub(_ text: String) -> String {
        let list = lock.withLock { secrets }
        var out = text
        for s in list where out.contains(s) { out = out.replacingAll(s, with: "<masked>") }
        return out
    }

    /// A header as it may be shown: credentials masked, keeping the scheme.
    static func redactHeader(name: String, value: String) -> String {
        let lower = name.lowercased()
        if lower == "authorization" || lower == "proxy-authorization" {
            if let space = value.firstIndex(of: " ") { return "\(value[..<space]) <masked>" }
            return "<masked>"
        }
        if lower.contains("token") || lower == "cookie" || lower == "set-cookie" { return "<masked>" }
        return value
    }

    /// kubectl truncates logged bodies: 1 KiB at -v8, 10 KiB at -v9, whole at -v10.
    func truncate(_ body: String) -> String {
        let max: Int
        if verbosity >= 10 { return body } else if verbosity >= 9 { max = 10240 } else { max = 1024 }
        let count = body.count
        guard count > max else { return body }
        return String(body.prefix(max)) + " [truncated \(count - max) chars]"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
