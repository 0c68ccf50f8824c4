#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment, read from `environ` without Foundation; one home for every module.
public enum Environment {
    /// One variable, read only when asked.
    public static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }

    public static func current() -> [String: String] {
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
