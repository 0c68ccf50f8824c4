#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ObjectModel

/// kubectl-style `-v` request logs on standard error, with every credential masked at every level.
final class RequestLogger: @unchecked Sendable {
    let verbosity: Int
    private let sink: @Sendable (String) -> Void
    private let lock = Lock()
    private var secrets: [String] = []
    private let secretsInBody: (@Sendable (JSONValue) -> [String])?

    init(verbosity: Int, sink: (@Sendable (String) -> Void)?, secretsInBody: (@Sendable (JSONValue) -> [String])? = nil) {
        self.verbosity = verbosity
        self.sink = sink ?? { line in StandardError.write(line + "\n") }
        self.secretsInBody = secretsInBody
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

    /// A body as it may be logged: known credentials scrubbed (by `log`), Secret values masked, truncated.
    /// `secrets` says the request was about Secrets, whose bodies may leave out `kind`.
    func loggableBody(_ bytes: [UInt8], secrets: Bool = false) -> String {
        if let json = try? JSONValue(parsing: bytes) {
            for s in secretsInBody?(json) ?? [] { addSecret(s) }
            if secrets || Self.containsSecret(json) { return truncate(Self.maskSecrets(json).jsonString()) }
        }
        return truncate(String(decoding: bytes, as: UTF8.self))
    }

    static func containsSecret(_ v: JSONValue) -> Bool {
        if v["kind"]?.stringValue == "Secret" { return true }
        return v["items"]?.arrayValue?.contains { $0["kind"]?.stringValue == "Secret" } ?? false
            || v["kind"]?.stringValue == "SecretList"
    }

    /// Secrets' `data` and `stringData` values become `<masked>`; keys stay, so the log still says what was sent.
    static func maskSecrets(_ v: JSONValue) -> JSONValue {
        var out = v
        func mask(_ m: JSONValue?) -> JSONValue? {
            guard case .object(let o)? = m else { return m }
            var r = JSONObject()
            for (k, _) in o { r[k] = "<masked>" }
            return .object(r)
        }
        if let items = v["items"]?.arrayValue {
            out["items"] = .array(items.map { maskSecrets($0) })
        } else {
            if v["data"] != nil { out["data"] = mask(v["data"]) }
            if v["stringData"] != nil { out["stringData"] = mask(v["stringData"]) }
        }
        return out
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
