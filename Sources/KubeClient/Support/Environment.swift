#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment, read from `environ` without Foundation; one home for every module.
package enum Environment {
    /// One variable, read only when asked.
    package static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }

    package static func current() -> [String: String] {
        var out: [String: String] = [:]
        #if canImport(Glibc)
        var p = environ
        #else
        var p = _NSGetEnviron().pointee
        #endif
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                let key = String(s[..<eq])
                if out[key] == nil { out[key] = String(s[s.index(after: eq)...]) }
            }
            p += 1
        }
        return out
    }
}
