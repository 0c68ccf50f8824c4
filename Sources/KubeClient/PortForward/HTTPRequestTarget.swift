import ObjectModel

/// The request-target Go's http client sends for `http://host/` followed by a user's text, as
/// upstream's `proxy get` builds its URL: Go's `url.Parse` refuses control characters and bad
/// escapes, drops the fragment, and re-escapes a path that is not validly escaped already.
/// Unlike Go, a space in the query is sent as `%20`, never raw: no byte in the result ends or
/// splits the request line.
package enum HTTPRequestTarget {
    /// Why Go's `url.Parse` refuses the text (its wording).
    package struct Invalid: Error, Sendable {
        package let reason: String
    }

    /// Go's `encodePath` escaping keeps these besides the unreserved characters.
    static let pathKeeps = "$&+,/:;=@"
    /// What `validEncoded` accepts in a path as it stands.
    static let validInPath = Set("!$&'()*+,;=:@[]/%".utf8)

    /// The request-target for the URL `http://host/` + `text`. A text that starts with a slash
    /// gets a second one, as upstream's `fmt.Sprintf("http://localhost:%d/%s", ...)` makes it
    /// (`/stats` goes as `//stats`).
    package static func goRequestURI(_ text: String) throws(Invalid) -> String {
        let bytes = Array(text.utf8)
        guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw Invalid(reason: "net/url: invalid control character in URL")
        }
        let beforeFragment = bytes.split(separator: UInt8(ascii: "#"), maxSplits: 1, omittingEmptySubsequences: false)
        if beforeFragment.count > 1 { _ = try unescape(Array(beforeFragment[1])) }  // Go checks the fragment's escapes too
        let rest = beforeFragment.first ?? []
        let q = rest.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = Array(rest[..<(q ?? rest.endIndex)])
        let path = [UInt8(ascii: "/")] + rawPath
        let decoded = try unescape(path)
        var target = path.allSatisfy({ URLEncoding.isUnreserved($0) || validInPath.contains($0) })
            ? String(decoding: path, as: UTF8.self)
            : URLEncoding.encode(bytes: decoded, keeping: pathKeeps)
        if let q {
            target += String(decoding: rest[q...], as: UTF8.self).withLineBreakersEscaped
        }
        return target
    }

    /// `%XX` decoded; Go's `invalid URL escape "%zz"` for a `%` without two hex digits after it.
    static func unescape(_ s: [UInt8]) throws(Invalid) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            guard s[i] == UInt8(ascii: "%") else { out.append(s[i]); i += 1; continue }
            guard i + 2 < s.count, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) else {
                let bad = String(decoding: s[i..<min(s.count, i + 3)], as: UTF8.self)
                throw Invalid(reason: "invalid URL escape \(GoFormat.quoted(bad))")
            }
            out.append(hi << 4 | lo)
            i += 3
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    /// Spaces and control bytes as `%XX` (all else as it is), so that the text cannot end or
    /// split a request line.
    var withLineBreakersEscaped: String {
        let breaks = { (c: UInt8) in c <= 0x20 || c == 0x7F }
        return utf8.contains(where: breaks) ? URLEncoding.encode(bytes: utf8, escaping: breaks) : self
    }
}
