import ObjectModel

/// Text that came from a server (or any other party osm does not control), made safe to print:
/// one line, no control characters for the terminal to act on, no credentials it echoed back.
package enum ServerText {
    /// Control characters become visible escapes (`\e`, `\a`, `\r`, `\n`, `\u{9b}`...), so that an
    /// answer can neither move the cursor, recolour or retitle the terminal, nor span lines.
    package static func printable(_ s: String) -> String { Escaper.terminal.escaped(s) }

    /// `Authorization: Bearer abc`, `authorization=Basic abc`, `"Authorization":["Bearer abc"]`: the
    /// credential after the scheme becomes `<masked>`, as in the request logs.
    package static func maskCredentials(_ s: String) -> String {
        guard s.contains("Bearer ") || s.contains("bearer ") || s.contains("Basic ") || s.contains("basic ") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.firstRange(ofAny: ["Bearer ", "bearer ", "Basic ", "basic "]) {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            // The credential runs to the next quote, space, comma, bracket or end.
            let end = rest.firstIndex(where: { "\"' ,;]}\\\n\r".contains($0) }) ?? rest.endIndex
            if end != rest.startIndex { out += "<masked>" }
            rest = rest[end...]
        }
        out += rest
        return out
    }
}

extension Substring {
    func firstRange(ofAny needles: [String]) -> Range<Substring.Index>? {
        var best: Range<Substring.Index>? = nil
        for n in needles {
            if let r = self.firstRange(of: n), best == nil || r.lowerBound < best!.lowerBound { best = r }
        }
        return best
    }
}
