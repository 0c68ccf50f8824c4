import XCTest
@testable import ObjectModel
@testable import YAMLCodec

/// Reading is linear in the size of one collection: a mapping or sequence is added to in place.
final class LargeDocumentTests: XCTestCase {
    func testAMappingOf300000KeysAndASequenceOf300000Items() throws {
        var text = "big:\n"
        for i in 0..<300_000 { text += "  k\(i): v\(i)\n" }
        text += "list:\n"
        for i in 0..<300_000 { text += "- \(i)\n" }
        // Before, each key copied the whole mapping: this never finished.
        let doc = try YAML.parse(text)
        XCTAssertEqual(doc["big"]?.objectValue?.count, 300_000)
        XCTAssertEqual(doc["big"]?["k299999"], "v299999")
        XCTAssertEqual(doc["list"]?.arrayValue?.count, 300_000)
        XCTAssertEqual(doc["list"]?[123_456], 123_456)
    }

    func testAnchorsAndMergeKeysStillWork() throws {
        let doc = try YAML.parse("""
        base: &b {a: 1, b: 2}
        derived:
          <<: *b
          b: 3
        seq: &s [1, 2]
        again: *s
        """)
        XCTAssertEqual(doc["derived"]?["a"], 1)
        XCTAssertEqual(doc["derived"]?["b"], 3)
        XCTAssertEqual(doc["again"], [1, 2])
        XCTAssertEqual(doc["base"], ["a": 1, "b": 2])
    }
}
