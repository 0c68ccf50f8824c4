/// Random names and ids the server hands out.
enum Identifiers {
    /// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func suffix(_ n: Int = 5) -> String {
        var s = ""
        for _ in 0..<n { s.append(alphabet[Int.random(in: 0..<alphabet.count)]) }
        return s
    }

    /// A random (version 4, RFC 4122 variant) UUID, as FillObjectMetaSystemFields's `uuid.NewUUID()`
    /// (k8s.io/apimachinery/pkg/util/uuid, google/uuid NewRandom).
    static func uid() -> String {
        let hex = Array("0123456789abcdef")
        var s = ""
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { s.append("-") }
            switch i {
            case 12: s.append("4")
            case 16: s.append(hex[8 + Int.random(in: 0..<4)])
            default: s.append(hex[Int.random(in: 0..<16)])
            }
        }
        return s
    }

    /// names.SimpleNameGenerator.GenerateName (k8s.io/apiserver/pkg/storage/names/generate.go, v1.20):
    /// the prefix cut to 58 characters (63 - 5), then 5 random characters.
    static func generateName(_ base: String) -> String {
        let maxGeneratedNameLength = 63 - 5
        let utf8 = Array(base.utf8)
        let prefix = utf8.count > maxGeneratedNameLength ? String(decoding: utf8[..<maxGeneratedNameLength], as: UTF8.self) : base
        return prefix + suffix()
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
