#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 timestamps for every module, written as Go writes them and read as Go reads them.
///
/// - Kubernetes metadata (`creationTimestamp`, `deletionTimestamp`, conditions) uses whole seconds
///   in UTC: `2026-11-27T08:40:18Z` (`metav1.Time`).
/// - Helm's release records use Go's `time.Time` JSON form: up to nine fractional digits with
///   trailing zeros dropped, `2026-11-27T08:40:18.5Z` (`time.RFC3339Nano`), here always in UTC.
/// - `parse` reads either, with a `Z` or a `±hh:mm` offset (ExecCredential's
///   `expirationTimestamp`, kube-sim's ages).
public enum RFC3339 {
    /// How much of the current time `now` writes.
    public enum Precision: Sendable {
        /// `2026-11-27T08:40:18Z`, as Kubernetes writes object metadata.
        case seconds
        /// `2026-11-27T08:40:18.123456789Z`, as Go marshals `time.Time` (Helm's records).
        case nanoseconds
    }

    /// The current wall-clock time, in UTC.
    public static func now(_ precision: Precision = .seconds) -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(seconds: Int(ts.tv_sec), nanoseconds: precision == .seconds ? 0 : Int(ts.tv_nsec))
    }

    /// Which clock face `format` writes.
    public enum Zone: Sendable {
        /// UTC, with `Z`.
        case utc
        /// The process's local time zone (`TZ`), with its `±hh:mm` offset, or `Z` when that is
        /// zero, as Go writes a `time.Time` in `time.Local`.
        case local
    }

    /// `seconds` since the epoch plus `nanoseconds` (0..<1e9); the fraction is left out when
    /// `nanoseconds` is 0, else written with its trailing zeros dropped (Go's RFC3339Nano).
    public static func format(seconds: Int, nanoseconds: Int = 0, zone: Zone = .utc) -> String {
        var t = time_t(seconds)
        var parts = tm()
        switch zone {
        case .utc: gmtime_r(&t, &parts)
        case .local: localtime_r(&t, &parts)
        }
        var out = pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
        if nanoseconds > 0 {
            var fraction = pad(nanoseconds, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        let offset = zone == .utc ? 0 : Int(parts.tm_gmtoff)
        if offset == 0 { return out + "Z" }
        let minutes = abs(offset) / 60
        return out + (offset < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Seconds since the epoch (with the fraction, if any), or nil when the text is not RFC 3339:
    /// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`; `t`/`z` and a space for `T` are accepted, as
    /// RFC 3339 allows.
    public static func parse(_ text: String) -> Double? {
        instant(text).map { Double($0.seconds) + Double($0.nanoseconds) / 1e9 }
    }

    /// `parse` without rounding: whole seconds since the epoch and nanoseconds (0..<1e9; digits
    /// past the ninth are dropped, as Go does).
    public static func instant(_ text: String) -> (seconds: Int, nanoseconds: Int)? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for c in b[from..<from + len] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 20, let year = num(0, 4), b[4] == 45, let month = num(5, 2), b[7] == 45,
              let day = num(8, 2), b[10] == 84 || b[10] == 116 || b[10] == 32,
              let hour = num(11, 2), b[13] == 58, let minute = num(14, 2), b[16] == 58, let second = num(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var nanoseconds = 0
        if i < b.count, b[i] == 46 {
            i += 1
            let start = i
            var scale = 100_000_000
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                nanoseconds += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
            i += 6
        } else { return nil }
        guard i == b.count else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month - 1)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour)
        t.tm_min = Int32(minute)
        t.tm_sec = Int32(second)
        return (Int(timegm(&t)) - offset, nanoseconds)
    }
}
