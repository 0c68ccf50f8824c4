import Foundation
import XCTest
import ObjectModel

/// The one RFC 3339 of every module: Kubernetes' whole-second metadata stamps, Go's `time.Time`
/// JSON form in Helm's records, and the parser for both (and for offsets).
final class RFC3339Tests: XCTestCase {
    func testSecondsFormAsKubernetesWritesMetadata() {
        XCTAssertEqual(RFC3339.format(seconds: 0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(RFC3339.format(seconds: 1_795_768_818), "2026-11-27T08:40:18Z")
        XCTAssertEqual(RFC3339.format(seconds: 951_782_400), "2000-02-29T00:00:00Z")
        XCTAssertEqual(RFC3339.format(seconds: 253_402_300_799), "9999-12-31T23:59:59Z")
    }

    func testNanosecondFormAsGoMarshalsTime() {
        // Go: time.Unix(1622541600, n).UTC().MarshalJSON()
        XCTAssertEqual(RFC3339.format(seconds: 1_622_541_600, nanoseconds: 0), "2021-06-01T10:00:00Z")
        XCTAssertEqual(RFC3339.format(seconds: 1_622_541_600, nanoseconds: 120_000_000), "2021-06-01T10:00:00.12Z")
        XCTAssertEqual(RFC3339.format(seconds: 1_622_541_600, nanoseconds: 5), "2021-06-01T10:00:00.000000005Z")
        XCTAssertEqual(RFC3339.format(seconds: 1_622_541_600, nanoseconds: 999_999_999), "2021-06-01T10:00:00.999999999Z")
    }

    func testLocalZoneAsGoWritesTimeLocal() {
        let saved = getenv("TZ").map { String(cString: $0) }
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        setenv("TZ", "IST-5:30", 1)  // POSIX form: UTC+05:30, no tzdata needed
        tzset()
        XCTAssertEqual(RFC3339.format(seconds: 1_795_768_818, zone: .local), "2026-11-27T14:10:18+05:30")
        XCTAssertEqual(RFC3339.format(seconds: 1_795_768_818, nanoseconds: 10, zone: .local), "2026-11-27T14:10:18.00000001+05:30")
        setenv("TZ", "XST+3", 1)  // UTC-03:00
        tzset()
        XCTAssertEqual(RFC3339.format(seconds: 1_795_768_818, zone: .local), "2026-11-27T05:40:18-03:00")
        setenv("TZ", "UTC0", 1)
        tzset()
        XCTAssertEqual(RFC3339.format(seconds: 1_795_768_818, zone: .local), "2026-11-27T08:40:18Z")
    }

    func testInstantKeepsEveryNanosecond() {
        XCTAssertEqual(RFC3339.instant("2026-11-27T08:40:18.123456789Z")?.seconds, 1_795_768_818)
        XCTAssertEqual(RFC3339.instant("2026-11-27T08:40:18.123456789Z")?.nanoseconds, 123_456_789)
        XCTAssertEqual(RFC3339.instant("2026-11-27T08:40:18.1234567891Z")?.nanoseconds, 123_456_789)
        XCTAssertEqual(RFC3339.instant("2026-11-27T08:40:18.000000005-01:00")?.seconds, 1_795_772_418)
    }

    func testNowHasThePrecisionAsked() throws {
        let seconds = RFC3339.now()
        XCTAssertEqual(seconds.count, 20, seconds)
        XCTAssertNotNil(RFC3339.parse(seconds))
        let nano = RFC3339.now(.nanoseconds)
        XCTAssertTrue(nano.hasSuffix("Z"), nano)
        let parsed = try XCTUnwrap(RFC3339.parse(nano))
        // Both were read from the same clock, in this order.
        XCTAssertLessThanOrEqual(try XCTUnwrap(RFC3339.parse(seconds)), parsed.rounded(.down))
    }

    func testParsesWhatItFormats() {
        for (s, n) in [(0, 0), (1_795_768_818, 0), (1_622_541_600, 500_000_000), (951_782_400, 250_000_000)] {
            XCTAssertEqual(RFC3339.parse(RFC3339.format(seconds: s, nanoseconds: n)), Double(s) + Double(n) / 1e9)
        }
    }

    func testParsesOffsetsAndRFCVariants() {
        XCTAssertEqual(RFC3339.parse("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(RFC3339.parse("2026-11-27T08:40:18Z"), 1_795_768_818)
        XCTAssertEqual(RFC3339.parse("2026-11-27T09:40:18.5+01:00"), 1_795_768_818.5)
        XCTAssertEqual(RFC3339.parse("2026-11-27T03:10:18-05:30"), 1_795_768_818)
        XCTAssertEqual(RFC3339.parse("2026-11-27t08:40:18z"), 1_795_768_818)
        XCTAssertEqual(RFC3339.parse("2026-11-27 08:40:18Z"), 1_795_768_818)
        XCTAssertEqual(RFC3339.parse("2016-12-31T23:59:60Z"), 1_483_228_800)  // leap second
    }

    func testRejectsMalformedInput() {
        for bad in [
            "", "2026-11-27", "2026-11-27T08:40:18", "2026-11-27T08:40Z", "2026-11-27X08:40:18Z",
            "2026-13-27T08:40:18Z", "2026-00-27T08:40:18Z", "2026-11-32T08:40:18Z", "2026-11-27T24:00:00Z",
            "2026-11-27T08:60:18Z", "2026-11-27T08:40:61Z", "2026-11-27T08:40:18.Z", "2026-11-27T08:40:18+01",
            "2026-11-27T08:40:18+0100", "2026-11-27T08:40:18+25:00", "2026-11-27T08:40:18Z ",
            " 2026-11-27T08:40:18Z", "2026/11/27T08:40:18Z", "26-11-27T08:40:18Z", "2026-11-27T08:40:18UTC",
            "２026-11-27T08:40:18Z",
        ] {
            XCTAssertNil(RFC3339.parse(bad), bad)
        }
    }
}
