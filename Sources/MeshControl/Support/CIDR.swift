/// IPv4 CIDR validation for outbound IP range exclusions (`a.b.c.d/x`).
package enum CIDR {
    package static func isValidIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits), parts[1].allSatisfy(\.isNumber) else { return false }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        return octets.allSatisfy { o in
            guard !o.isEmpty, o.count <= 3, o.allSatisfy(\.isNumber), let v = Int(o) else { return false }
            return v <= 255
        }
    }
}
