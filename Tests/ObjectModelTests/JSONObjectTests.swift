import XCTest
@testable import ObjectModel

/// `JSONObject` keeps its pairs in one array (an index past 16 keys); what it promises does not
/// depend on which: insertion order, last write wins, order-free equality and hashing.
final class JSONObjectTests: XCTestCase {
    func object(_ n: Int) -> JSONObject {
        var o = JSONObject()
        for i in 0..<n { o["k\(i)"] = .int(i) }
        return o
    }

    func testOrderLookupReplaceAndRemoveBelowAndAboveTheIndexedSize() {
        for n in [0, 1, 5, 16, 17, 40] {
            var o = object(n)
            XCTAssertEqual(o.count, n)
            XCTAssertEqual(o.keys, (0..<n).map { "k\($0)" })
            for i in 0..<n { XCTAssertEqual(o["k\(i)"], .int(i)) }
            XCTAssertNil(o["missing"])
            guard n > 2 else { continue }
            o["k1"] = "replaced"
            XCTAssertEqual(o.keys, (0..<n).map { "k\($0)" }, "a replaced key keeps its place")
            XCTAssertEqual(o["k1"], "replaced")
            o["k0"] = nil
            XCTAssertEqual(o.count, n - 1)
            XCTAssertNil(o["k0"])
            XCTAssertEqual(o.keys.first, "k1")
            for i in 2..<n { XCTAssertEqual(o["k\(i)"], .int(i), "after a removal, k\(i) of \(n)") }
            o["k0"] = true
            XCTAssertEqual(o.keys.last, "k0", "a key set again after removal goes last")
            XCTAssertEqual(Array(o.map(\.key)), o.keys)
        }
    }

    func testShrinkingBelowTheIndexedSizeStillFindsEveryKey() {
        var o = object(20)
        for i in 0..<15 { o["k\(i)"] = nil }
        XCTAssertEqual(o.keys, ["k15", "k16", "k17", "k18", "k19"])
        for i in 15..<20 { XCTAssertEqual(o["k\(i)"], .int(i)) }
        o["k99"] = 1
        XCTAssertEqual(o["k99"], 1)
    }

    func testEqualityAndHashIgnoreOrder() {
        for n in [3, 30] {
            let a = object(n)
            var b = JSONObject()
            for i in (0..<n).reversed() { b["k\(i)"] = .int(i) }
            XCTAssertEqual(a, b)
            XCTAssertEqual(a.hashValue, b.hashValue)
            var c = b
            c["k0"] = 99
            XCTAssertNotEqual(a, c)
            var d = b
            d["extra"] = .null
            XCTAssertNotEqual(a, d)
            XCTAssertEqual(Set([JSONValue.object(a), .object(b)]).count, 1)
        }
    }

    func testParsedDuplicateKeysKeepTheLastValueInTheFirstPlace() throws {
        let v = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        XCTAssertEqual(v.objectValue?.keys, ["a", "b"])
        XCTAssertEqual(v["a"], 3)
        var many = "{"
        for i in 0..<30 { many += "\"k\(i)\":\(i)," }
        many += "\"k3\":\"again\"}"
        let w = try JSONValue(parsing: many)
        XCTAssertEqual(w.objectValue?.count, 30)
        XCTAssertEqual(w["k3"], "again")
    }

    func testTheMemoryLimitStopsADocumentOfTinyValuesEarly() throws {
        // 200,000 empty objects in a list: 600 KB of JSON that takes megabytes once read.
        let bytes = Array(("[" + Array(repeating: "{}", count: 200_000).joined(separator: ",") + "]").utf8)
        var used = 0
        XCTAssertThrowsError(try JSONValue(parsing: bytes, memoryLimit: 1 << 20, memoryUsed: &used)) { error in
            XCTAssertTrue(error is JSONTooLargeError, "\(error)")
            XCTAssertEqual("\(error)", "its values would take more than 1 MiB of memory")
        }
        let v = try JSONValue(parsing: bytes, memoryLimit: 64 << 20, memoryUsed: &used)
        XCTAssertEqual(v.arrayValue?.count, 200_000)
        XCTAssertGreaterThan(used, 200_000 * 24, "each element is counted")
        XCTAssertLessThan(used, 200_000 * 64)
    }

    func testAnObjectOfManyKeysIsStoppedAtTheLimitNotAtItsClosingBrace() throws {
        // 300,000 keys: counted entry by entry, the limit stops reading long before the end.
        var text = "{"
        for i in 0..<300_000 { text += "\"k\(i)\":0," }
        text += "\"last\":0}"
        let bytes = Array(text.utf8)
        var used = 0
        XCTAssertThrowsError(try JSONValue(parsing: bytes, memoryLimit: 1 << 20, memoryUsed: &used)) { error in
            let e = error as? JSONTooLargeError
            XCTAssertNotNil(e, "\(error)")
            XCTAssertLessThan(e?.offset ?? .max, bytes.count / 4, "stopped at byte \(e?.offset ?? -1) of \(bytes.count)")
        }
    }

    func testInvalidUTF8IsChargedAsTheReplacementCharactersItBecomes() throws {
        // 100 bytes of 0xFF become 100 U+FFFD, 300 bytes stored: the charge is what is stored.
        var used = 0
        _ = try JSONValue(parsing: [0x5B, 0x22] + [UInt8](repeating: 0xFF, count: 100) + [0x22, 0x5D], memoryLimit: .max, memoryUsed: &used)
        XCTAssertGreaterThanOrEqual(used, 300)
    }

    func testTheMemoryLimitCountsLongStringsAndObjects() throws {
        let long = String(repeating: "x", count: 1000)
        var used = 0
        _ = try JSONValue(parsing: Array("[\"\(long)\"]".utf8), memoryLimit: .max, memoryUsed: &used)
        XCTAssertGreaterThanOrEqual(used, 1000)
        var objects = 0
        _ = try JSONValue(parsing: Array(#"{"a":{"b":{"c":1}}}"#.utf8), memoryLimit: .max, memoryUsed: &objects)
        XCTAssertGreaterThanOrEqual(objects, 3 * 48)
        // An escaped string is counted as the bytes it decodes to.
        var escaped = 0
        _ = try JSONValue(parsing: Array(("[\"" + String(repeating: "\\n", count: 500) + "\"]").utf8), memoryLimit: .max, memoryUsed: &escaped)
        XCTAssertGreaterThanOrEqual(escaped, 500)
    }
}
