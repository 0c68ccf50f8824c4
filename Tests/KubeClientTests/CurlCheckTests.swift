import CCurl
import CurlLoader
import XCTest
@testable import KubeClient

/// libcurl is checked where it is loaded (its version) and wherever an option is set (each result).
final class CurlCheckTests: XCTestCase {
    private func problem(_ number: UInt32, _ text: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 512)
        let rc = osm_curl_version_problem(number, text, &buffer, buffer.count)
        return rc == 0 ? nil : String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The gate is 7.77.0 (CURLOPT_CAINFO_BLOB): older libraries would drop the in-memory CA.
    func testVersionGateRefusesLibcurlOlderThanTheBlobOptionsNeed() {
        let message = problem(0x074C01, "7.76.1")
        XCTAssertNotNil(message)
        XCTAssertTrue(message?.contains("libcurl 7.76.1 is too old") == true, message ?? "")
        XCTAssertTrue(message?.contains("7.77.0 or later") == true, message ?? "")
        // 7.68 was the old promise: the client certificate blobs (7.71) were missing too.
        XCTAssertNotNil(problem(0x074400, "7.68.0"))
        XCTAssertNil(problem(0x074D00, "7.77.0"))
        XCTAssertNil(problem(0x075801, "7.88.1"))
        XCTAssertNil(problem(0x080B00, "8.11.0"))
    }

    /// The libcurl this machine loads passes the gate (else every cluster command fails first).
    func testInstalledLibcurlPassesTheGate() throws {
        XCTAssertEqual(osm_curl_load(), 0, osm_curl_load_error().map { String(cString: $0) } ?? "")
        let info = try XCTUnwrap(curl_version_info(CURLVERSION_FOURTH))
        XCTAssertGreaterThanOrEqual(info.pointee.version_num, OSM_CURL_MIN_VERSION)
    }

    /// A refused option stops the transfer before it starts, and the error names the option.
    func testRefusedOptionFailsTheTransferNamingTheOption() throws {
        XCTAssertEqual(osm_curl_load(), 0)
        let engine = try CurlEngine(maxConnectionsPerHost: 2)
        let t = try XCTUnwrap(engine.makeTransfer())
        t.set(CURLOPT_URL, "https://127.0.0.1:1/")
        t.set(CURLOPT_HTTP_VERSION, -1)  // libcurl refuses it (CURLE_BAD_FUNCTION_ARGUMENT)
        t.set(CURLoption(rawValue: 99_999), 1)  // as an older libcurl refuses an option it lacks; does not hide the first
        XCTAssertEqual(t.refusedOption?.code, CURLE_BAD_FUNCTION_ARGUMENT)
        engine.perform(t)
        XCTAssertEqual(t.result, CURLE_BAD_FUNCTION_ARGUMENT)
        XCTAssertTrue(t.errorMessage.contains("refused option CURLOPT_HTTP_VERSION"), t.errorMessage)
        XCTAssertEqual(Transfer.name(of: CURLoption(rawValue: 99_999)), "libcurl option 99999")
        XCTAssertEqual(engine.stats.connections, 0)
    }
}
