/// Random names and ids the server hands out.
enum Identifiers {
    /// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func suffix(_ n: Int = 5) -> String {
        var s = ""
        for _ in 0..<n { s.append(alphabet[Int.random(in: 0..<alphabet.count)]) }
        return s
    }

    static func uid() -> String {
        let hex = Array("0123456789abcdef")
        var s = ""
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { s.append("-") }
            s.append(hex[Int.random(in: 0..<16)])
        }
        return s
    }

    /// A stable, name-safe hash of some bytes (like `pod-template-hash`).
    static func safeHash(_ bytes: [UInt8]) -> String {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        var s = ""
        var v = h
        repeat {
            s.append(alphabet[Int(v % UInt32(alphabet.count))])
            v /= UInt32(alphabet.count)
        } while v > 0
        return s
    }
}
