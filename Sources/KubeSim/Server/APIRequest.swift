/// One HTTP request, as the connection handler hands it to the API.
struct APIRequest {
    var method: String
    /// Decoded path without the query.
    var path: String
    /// Raw query string (after `?`), for the log.
    var rawQuery: String
    var query: [String: String]
    var contentType: String
    var accept: String
    var authorization: String?
    var body: [UInt8]
    /// CN of a verified client certificate, if any.
    var certificateUser: String?
    /// Its O entries: the user's groups.
    var certificateGroups: [String] = []
    /// The `Impersonate-*` headers: whom the caller asks to act as.
    var impersonation = Impersonation()
    /// The User-Agent header: whom managedFields name when the request gives no `fieldManager`.
    var userAgent = ""

    init(method: String, uri: String, contentType: String, accept: String, authorization: String?,
         body: [UInt8], certificateUser: String?) {
        self.method = method
        let q = uri.firstIndex(of: "?")
        path = Self.percentDecode(q.map { String(uri[..<$0]) } ?? uri)
        rawQuery = q.map { String(uri[uri.index(after: $0)...]) } ?? ""
        var query: [String: String] = [:]
        if !rawQuery.isEmpty {
            for pair in rawQuery.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                let k = Self.percentDecode(String(kv[0]), plus: true)
                if query[k] == nil { query[k] = kv.count > 1 ? Self.percentDecode(String(kv[1]), plus: true) : "" }
            }
        }
        self.query = query
        self.contentType = contentType
        self.accept = accept
        self.authorization = authorization
        self.body = body
        self.certificateUser = certificateUser
    }

    static func percentDecode(_ s: String, plus: Bool = false) -> String {
        guard s.utf8.contains(where: { $0 == 0x25 || (plus && $0 == 0x2B) }) else { return s }
        var out: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == 0x25, i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plus && u[i] == 0x2B ? 0x20 : u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
