#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock and monotonic time in the forms the API uses.
enum Timestamp {
    /// RFC 3339 in UTC with whole seconds, e.g. `2021-06-01T12:00:00Z`.
    static func now() -> String { format(time(nil)) }

    static func format(_ t: time_t) -> String {
        var tt = t
        var tmv = tm()
        gmtime_r(&tt, &tmv)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(tmv.tm_year + 1900)-\(two(tmv.tm_mon + 1))-\(two(tmv.tm_mday))T\(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec))Z"
    }

    /// Seconds on a monotonic clock.
    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
