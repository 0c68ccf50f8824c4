import Foundation
import XCTest
import ObjectModel

/// The one Base64 of every module: Go's StdEncoding where the API server and Helm read it, and
/// a lenient mode for kubeconfig data and JWT payloads.
final class Base64Tests: XCTestCase {
    func testRoundTripsAndMatchesFoundation() {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let enc = Base64.encode(bytes)
            XCTAssertEqual(enc, Data(bytes).base64EncodedString())
            XCTAssertEqual(Base64.decode(enc), bytes)
            XCTAssertEqual(Base64.decode(enc, .lenient), bytes)
        }
    }

    func testStandardIsGosStdEncoding() {
        XCTAssertEqual(Base64.decode("QUJD\nREVG"), Array("ABCDEF".utf8), "line breaks are skipped, as Go does")
        XCTAssertEqual(Base64.decode("QUI=\r\n"), Array("AB".utf8))
        XCTAssertNil(Base64.decode("QUI"), "unpadded")
        XCTAssertNil(Base64.decode("QU JD"), "a space")
        XCTAssertNil(Base64.decode("-_8="), "the URL-safe alphabet")
        XCTAssertNil(Base64.decode("QU*D"))
        XCTAssertNil(Base64.decode("QQ==QQ=="), "data after padding")
        XCTAssertNil(Base64.decode("Q==="))
        XCTAssertEqual(Base64.decode(""), [])
    }

    func testLenientTakesPEMAndJWTShapes() {
        XCTAssertEqual(Base64.decode("QUI", .lenient), Array("AB".utf8))
        XCTAssertEqual(Base64.decode(" QU\tJD ", .lenient), Array("ABC".utf8))
        XCTAssertEqual(Base64.decode("-_8", .lenient), [0xFB, 0xFF])
        XCTAssertNil(Base64.decode("QU*D", .lenient))
        XCTAssertNil(Base64.decode("Q", .lenient), "six bits make no byte")
    }
}
