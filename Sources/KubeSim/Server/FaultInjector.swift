import Foundation
import NIOConcurrencyHelpers
import ObjectModel

/// Holds the fault rules and how often each has matched; decides what a request gets.
final class FaultInjector: @unchecked Sendable {
    private struct Compiled {
        let rule: FaultRule
        let regex: NSRegularExpression
        var seen = 0
    }
    private let lock = NIOLock()
    private var rules: [Compiled] = []
    /// Fast path: no rules, no regex work at all.
    private var empty = true

    init(_ rules: [FaultRule]) throws { try set(rules) }

    func set(_ newRules: [FaultRule]) throws {
        let compiled = try newRules.map { r -> Compiled in
            do { return Compiled(rule: r, regex: try NSRegularExpression(pattern: r.path)) } catch {
                throw KubeSimError("invalid fault path pattern \"\(r.path)\"")
            }
        }
        lock.withLock {
            rules = compiled
            empty = compiled.isEmpty
        }
    }

    /// Like `set`, but a rule whose pattern does not compile is left out instead of failing.
    func setLenient(_ newRules: [FaultRule]) {
        try? set(newRules.filter { (try? NSRegularExpression(pattern: $0.path)) != nil })
    }

    func add(_ newRules: [FaultRule]) throws {
        let current = lock.withLock { rules.map(\.rule) }
        try set(current + newRules)
    }

    var current: [FaultRule] { lock.withLock { rules.map(\.rule) } }

    /// The rule that applies to this request, counting it as seen by every rule it matches.
    func match(method: String, path: String) -> FaultRule? {
        lock.withLock {
            if empty { return nil }
            var hit: FaultRule?
            let range = NSRange(path.startIndex..., in: path)
            for i in rules.indices {
                let r = rules[i].rule
                if let m = r.method, m != "*", m.uppercased() != method { continue }
                guard rules[i].regex.firstMatch(in: path, range: range) != nil else { continue }
                rules[i].seen += 1
                let n = rules[i].seen
                if hit == nil, n > r.skip, r.count.map({ n <= r.skip + $0 }) ?? true { hit = r }
            }
            return hit
        }
    }

    static func defaultReason(_ code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Expired"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "Unknown"
        }
    }

    static func defaultMessage(_ code: Int) -> String {
        switch code {
        case 429: return "Too many requests, please try again later."
        case 500: return "Internal error occurred: injected fault"
        case 503: return "The server is currently unable to handle the request"
        case 504: return "The server was unable to return a response in the time allotted, but may still be processing the request"
        default: return "injected fault"
        }
    }
}
