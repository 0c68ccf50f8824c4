#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ObjectModel

/// Helm's clock: `time.Time` in its JSON form for the release's `first_deployed` /
/// `last_deployed` (`YAML.RFC3339` with nanoseconds), and Unix seconds for the `createdAt` /
/// `modifiedAt` labels.
enum HelmTime {
    static func now() -> String { RFC3339.now(.nanoseconds) }

    static func format(seconds: Int, nanoseconds: Int) -> String {
        RFC3339.format(seconds: seconds, nanoseconds: nanoseconds)
    }

    /// Seconds since 1970, as the `createdAt` / `modifiedAt` labels hold them.
    static func unixSeconds() -> Int { Int(time(nil)) }
}
