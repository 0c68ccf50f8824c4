import XCTest
@testable import ObjectModel
@testable import YAMLCodec

/// One escaper, one rule set per emitter: each set writes what its emitter always wrote.
final class EscaperTests: XCTestCase {
    func testEachRuleSet() {
        let text = "a\"b\\c\n\t\r\u{07}\u{1B}\u{7F}\u{9B}\u{2028}é"
        XCTAssertEqual(Escaper.goQuote.escaped(text), "a\\\"b\\\\c\\n\\t\\r\\a\\x1b\\x7f\u{9B}\u{2028}é")
        XCTAssertEqual(Escaper.yamlDoubleQuoted.escaped(text), "a\\\"b\\\\c\\n\\t\\r\\x07\\x1B\\x7F\u{9B}\u{2028}é")
        XCTAssertEqual(Escaper.terminal.escaped(text), "a\"b\\c\\n\\t\\r\\a\\e\\u{7f}\\u{9b}\\u{2028}é")
        XCTAssertEqual(GoFormat.quoted("x\u{01}"), "\"x\\x01\"")
        XCTAssertFalse(Escaper.terminal.changes("plain text"))
    }

    func testHexWidths() {
        XCTAssertEqual(Escaper.hex("\u{1B}", uppercase: true), "\\x1B")
        XCTAssertEqual(Escaper.hex("\u{FEFF}", uppercase: true), "\\uFEFF")
        XCTAssertEqual(Escaper.hex("\u{1F600}", uppercase: false), "\\U0001f600")
    }

    func testAByteOrderMarkInAYAMLStringIsEscapedAndReadsBack() throws {
        // A reader may drop a raw BOM; `\x` takes exactly two hex digits in YAML, so the mark is `\uFEFF`.
        let yaml = YAMLWriter.quoted("\u{FEFF}x")
        XCTAssertEqual(yaml, "\"\\uFEFFx\"")
        XCTAssertEqual(try YAML.parse("v: " + yaml + "\n")["v"], .string("\u{FEFF}x"))
    }
}
