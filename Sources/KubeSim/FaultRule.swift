import ObjectModel
import YAMLCodec

/// One misbehaviour: requests matching `method` and `path` (a regular expression over the path,
/// without the query) get a canned error, a delay or a dropped connection instead of (or before) an answer.
public struct FaultRule: Sendable, Equatable {
    /// HTTP method, or nil / "*" for any.
    public var method: String?
    /// Regular expression searched in the request path.
    public var path: String
    /// Let this many matching requests through before the fault starts.
    public var skip: Int
    /// Apply to only this many matching requests (after `skip`); nil = every one.
    public var count: Int?
    /// Answer with this status code and a `Status` body (nil: no error answer, e.g. delay only).
    public var status: Int?
    public var reason: String?
    public var message: String?
    /// Seconds, sent as `Retry-After`.
    public var retryAfter: Int?
    /// Milliseconds to wait before answering (or before handling normally when `status` is nil).
    public var delayMs: Int?
    /// Close the connection without answering.
    public var dropConnection: Bool
    /// Handle the request first (apply a write), then answer with the fault (`status` or
    /// `dropConnection`) instead of the real answer: a write whose answer is lost.
    public var afterApply: Bool

    public init(method: String? = nil, path: String, skip: Int = 0, count: Int? = nil, status: Int? = nil,
                reason: String? = nil, message: String? = nil, retryAfter: Int? = nil, delayMs: Int? = nil,
                dropConnection: Bool = false, afterApply: Bool = false) {
        self.method = method
        self.path = path
        self.skip = skip
        self.count = count
        self.status = status
        self.reason = reason
        self.message = message
        self.retryAfter = retryAfter
        self.delayMs = delayMs
        self.dropConnection = dropConnection
        self.afterApply = afterApply
    }

    /// Reads a rule from JSON/YAML: `{method, path, skip, count|first, status, reason, message,
    /// retryAfter, delayMs, drop, afterApply}`.
    public init(json v: JSONValue) throws {
        guard let path = v["path"]?.stringValue else {
            throw KubeSimError("fault rule needs a \"path\" pattern: \(v.jsonString())")
        }
        self.init(path: path)
        method = v["method"]?.stringValue
        skip = v["skip"]?.intValue ?? 0
        count = v["count"]?.intValue ?? v["first"]?.intValue ?? v["times"]?.intValue
        status = v["status"]?.intValue ?? v["code"]?.intValue
        reason = v["reason"]?.stringValue
        message = v["message"]?.stringValue
        retryAfter = v["retryAfter"]?.intValue
        delayMs = v["delayMs"]?.intValue
        dropConnection = v["drop"]?.boolValue ?? v["dropConnection"]?.boolValue ?? false
        afterApply = v["afterApply"]?.boolValue ?? false
    }

    public var json: JSONValue {
        var o = JSONObject()
        if let method { o["method"] = .string(method) }
        o["path"] = .string(path)
        if skip != 0 { o["skip"] = .int(skip) }
        if let count { o["count"] = .int(count) }
        if let status { o["status"] = .int(status) }
        if let reason { o["reason"] = .string(reason) }
        if let message { o["message"] = .string(message) }
        if let retryAfter { o["retryAfter"] = .int(retryAfter) }
        if let delayMs { o["delayMs"] = .int(delayMs) }
        if dropConnection { o["drop"] = .bool(true) }
        if afterApply { o["afterApply"] = .bool(true) }
        return .object(o)
    }

    /// Parses a faults file: a YAML/JSON list of rules, or `{faults: [...]}`.
    public static func parseList(_ text: String) throws -> [FaultRule] {
        let v: JSONValue
        do { v = try YAML.parse(text) } catch { throw KubeSimError("faults: \(error)") }
        let list = v.arrayValue ?? v["faults"]?.arrayValue ?? (v.isNull ? [] : nil)
        guard let list else { throw KubeSimError("faults: expected a list of rules") }
        return try list.map { try FaultRule(json: $0) }
    }
}
