import ObjectModel

/// The ListOptions of a list or watch, read and checked as 1.20's handler does
/// (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go ListResource, then
/// staging/src/k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go
/// ValidateListOptions). Written from knowledge of the v1.20 sources (the repository is too large
/// to fetch here).
struct ListOptions {
    /// `resourceVersion`, nil when absent or empty (both mean "most recent", from etcd).
    var resourceVersion: String?
    /// `resourceVersionMatch`: `Exact`, `NotOlderThan`, or nil (the legacy semantics).
    var match: String?
    var continueToken: String?
    var limit: Int?
    var watch: Bool

    init(query: [String: String], watch: Bool) throws(StatusError) {
        resourceVersion = query["resourceVersion"].flatMap { $0.isEmpty ? nil : $0 }
        match = query["resourceVersionMatch"].flatMap { $0.isEmpty ? nil : $0 }
        continueToken = query["continue"].flatMap { $0.isEmpty ? nil : $0 }
        limit = query["limit"].flatMap { Int($0) }
        self.watch = watch
        let errors = validate()
        if !errors.isEmpty {
            throw StatusError.invalid(kind: "ListOptions", group: "meta.k8s.io", name: "", errors)
        }
    }

    /// ValidateListOptions, v1.20.
    private func validate() -> [FieldError] {
        guard let match else { return [] }
        var errors: [FieldError] = []
        if watch { errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch")) }
        if resourceVersion == nil {
            errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"))
        }
        if continueToken != nil {
            errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
        }
        if match != "Exact" && match != "NotOlderThan" {
            errors.append(.notSupported("resourceVersionMatch", GoValue.quote(match), ["Exact", "NotOlderThan", ""]))
        }
        if match == "Exact" && resourceVersion == "0" {
            errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""))
        }
        return errors
    }

    /// The resourceVersion as the storage layer parses it (APIObjectVersioner.ParseResourceVersion):
    /// absent and "0" are 0; anything but an unsigned integer is a storage InvalidError, which no layer
    /// converts, so the client gets it as a 500 without a reason (responsewriters.ErrorToAPIStatus), unless
    /// the request goes to etcd (`storage`: a limit, a continue or Exact), whose List wraps it in a 400
    /// (`invalid resource version: ...`, etcd3/store.go).
    func parsedResourceVersion(storage: Bool = false) throws(StatusError) -> Int {
        guard let rv = resourceVersion, rv != "0" else { return 0 }
        guard let n = UInt64(rv), let i = Int(exactly: n) else {
            let why = rv.first == "-" || rv.contains(where: { !$0.isASCII || !$0.isNumber })
                ? "strconv.ParseUint: parsing \(GoValue.quote(rv)): invalid syntax"
                : "strconv.ParseUint: parsing \(GoValue.quote(rv)): value out of range"
            let message = "resourceVersion: Invalid value: \(GoValue.quote(rv)): \(why)"
            if storage { throw StatusError.badRequest("invalid resource version: " + message) }
            throw StatusError(code: 500, reason: "", message: message)
        }
        return i
    }
}

/// etcd3's continue token (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go, v1.20: continueToken,
/// encodeContinue, decodeContinue): base64.RawURLEncoding of `{"v":"meta.k8s.io/v1","rv":RV,"start":KEY}`,
/// KEY being the next key after the list's key prefix (`name\u0000` in a namespace, `namespace/name\u0000`
/// across namespaces).
struct ContinueToken {
    /// The revision the first page was read at; -1 for "the latest" (a token handed back with a 410).
    let resourceVersion: Int
    let startKey: String

    static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(startKey: String, resourceVersion: Int) -> String {
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(resourceVersion), "start": .string(startKey)]
        // Go's json.Marshal field order: v, rv, start.
        let text = "{\"v\":\"meta.k8s.io/v1\",\"rv\":\(resourceVersion),\"start\":" + (json["start"]?.jsonString() ?? "\"\"") + "}"
        return rawURLBase64(Array(text.utf8))
    }

    static func rawURLBase64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var v: UInt32 = 0
            for j in 0..<3 { v = v << 8 | (j < n ? UInt32(bytes[i + j]) : 0) }
            for j in 0..<(n + 1) { out.append(urlAlphabet[Int(v >> UInt32(18 - 6 * j) & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// base64.RawURLEncoding.DecodeString, with Go's error (`illegal base64 data at input byte N`).
    static func rawURLBase64Decode(_ text: String) -> (bytes: [UInt8], error: String?) {
        let chars = Array(text.utf8)
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for (i, c) in chars.enumerated() {
            guard let v = urlAlphabet.firstIndex(of: c) else {
                // Go skips \r and \n; anything else outside the alphabet (padding too) is corrupt.
                if c == 10 || c == 13 { continue }
                return ([], "illegal base64 data at input byte \(i)")
            }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(acc >> UInt32(bits) & 0xFF))
            }
        }
        let significant = chars.filter { $0 != 10 && $0 != 13 }.count
        if significant % 4 == 1 { return ([], "illegal base64 data at input byte \(max(0, chars.count - 1))") }
        return (out, nil)
    }

    /// decodeContinue; a failure is the request's 400 (`invalid continue token: continue key is not valid: ...`).
    static func decode(_ text: String) throws(StatusError) -> ContinueToken {
        func invalid(_ why: String) -> StatusError {
            StatusError.badRequest("invalid continue token: continue key is not valid: \(why)")
        }
        let (data, failure) = rawURLBase64Decode(text)
        if let failure { throw invalid(failure) }
        let value: JSONValue
        do { value = try JSONValue(parsing: data) } catch { throw invalid(goJSONSyntaxError(data)) }
        guard case .object(let o) = value else {
            throw invalid("json: cannot unmarshal \(goJSONType(value)) into Go value of type etcd3.continueToken")
        }
        for (field, want) in [("v", "string"), ("rv", "int64"), ("start", "string")] {
            guard let v = o[field], v != .null else { continue }
            let ok = want == "int64" ? v.intValue != nil : v.stringValue != nil
            if !ok { throw invalid("json: cannot unmarshal \(goJSONType(v)) into Go struct field continueToken.\(field) of type \(want)") }
        }
        let version = o["v"]?.stringValue ?? ""
        guard version == "meta.k8s.io/v1" else {
            throw invalid("server does not recognize this encoded version \(GoValue.quote(version))")
        }
        let rv = o["rv"]?.intValue ?? 0
        if rv == 0 { throw invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)") }
        let start = o["start"]?.stringValue ?? ""
        if start.isEmpty { throw invalid("encoded start key empty (version meta.k8s.io/v1)") }
        // path.Clean must leave "/"+start as it is: no `.`/`..` segments, no `//`, no trailing `/`.
        let key = start.hasPrefix("/") ? start : "/" + start
        let segments = key.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) { throw invalid(start) }
        return ContinueToken(resourceVersion: rv, startKey: String(key.dropFirst()))
    }

    private static func goJSONType(_ v: JSONValue) -> String {
        switch v {
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .array: return "array"
        case .object: return "object"
        case .null: return "null"
        }
    }

    /// encoding/json's syntax error for what did not parse, for its two common shapes.
    private static func goJSONSyntaxError(_ data: [UInt8]) -> String {
        guard let first = data.first(where: { ![9, 10, 13, 32].contains($0) }) else { return "unexpected end of JSON input" }
        if !Array("{[\"-0123456789tfn".utf8).contains(first) {
            let c = first < 0x80 ? String(UnicodeScalar(first)) : "\\x" + String(first, radix: 16)
            return "invalid character '\(c)' looking for beginning of value"
        }
        return "unexpected end of JSON input"
    }
}
