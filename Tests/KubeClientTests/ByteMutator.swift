/// Mutates fuzz inputs: flipped bits, cut or repeated runs, inserted tokens, truncation,
/// random bytes; driven by a seeded generator so that a failure can be replayed.
struct ByteMutator {
    var rng: SplitMix64
    let tokens: [[UInt8]]

    init(seed: UInt64, tokens: [String]) {
        rng = SplitMix64(seed: seed)
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// A random number below `n` (n > 0).
    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    /// `seed` with one to four mutations.
    mutating func mutated(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + below(4)) {
            guard !bytes.isEmpty else { break }
            let at = below(bytes.count)
            switch rng.next() % 6 {
            case 0: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
            case 2: bytes.insert(contentsOf: tokens[below(tokens.count)], at: at)
            case 3:
                let end = min(bytes.count, at + below(64))
                bytes.insert(contentsOf: bytes[at..<end], at: below(bytes.count))
            case 4: bytes = Array(bytes[..<at])
            default: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
        }
        return bytes
    }

    /// `bytes` cut into one to eight pieces, as they might arrive from a socket.
    mutating func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        var cuts = (0..<below(8)).map { _ in bytes.isEmpty ? 0 : below(bytes.count + 1) }
        cuts += [0, bytes.count]
        cuts.sort()
        return zip(cuts, cuts.dropFirst()).map { Array(bytes[$0..<$1]) }
    }
}
