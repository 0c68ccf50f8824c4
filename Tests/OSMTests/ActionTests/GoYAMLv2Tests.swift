@testable import OSM
import XCTest

/// gopkg.in/yaml.v2 v2.4.0's choices, from its encode.go / resolve.go / sorter.go and libyaml's
/// emitter: what upstream's `yaml.Marshal` prints for each kind of string.
final class GoYAMLv2Tests: XCTestCase {
    func testStringStyles() {
        let cases: [(String, String)] = [
            ("bookstore", "bookstore"),
            ("", "\"\""),                      // resolves to null
            ("true", "\"true\""), ("y", "\"y\""), ("off", "\"off\""), ("~", "\"~\""), ("<<", "\"<<\""),
            ("12345", "\"12345\""), ("0x1F", "\"0x1F\""), ("1.5", "\"1.5\""), (".5", "\".5\""), ("1e3", "\"1e3\""),
            ("2021-05-01T10:00:00Z", "\"2021-05-01T10:00:00Z\""), ("2021-05-01", "\"2021-05-01\""),
            ("1:20", "\"1:20\""),              // base 60 float
            ("1-2-3", "1-2-3"), ("v0.8.4", "v0.8.4"), ("a: b", "'a: b'"), ("*", "'*'"), ("-a", "-a"), ("- a", "'- a'"),
            ("it's", "it's"), ("#x", "'#x'"), ("a #b", "'a #b'"), (" lead", "' lead'"), ("/stats/prometheus", "/stats/prometheus"),
            ("tab\there", "tab\there"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(GoYAMLv2.scalar(input, indent: 0), expected, input)
        }
    }

    func testDocumentLayout() {
        let doc = GoYAMLv2.mapping([
            ("a", .mapping([("b", .string("x")), ("c", .mapping([])), ("d", .sequence([])), ("e", .null), ("f", .int(3))])),
            ("list", .sequence([.mapping([("k", .string("v")), ("l", .sequence([.string("1")]))]), .string("s")])),
            ("text", .string("line one\nline two\n")),
        ])
        XCTAssertEqual(doc.document(), """
            a:
              b: x
              c: {}
              d: []
              e: null
              f: 3
            list:
            - k: v
              l:
              - "1"
            - s
            text: |
              line one
              line two

            """)
    }

    func testMapKeysSortAsYAMLv2() {
        XCTAssertEqual(GoYAMLv2.sortedKeys(["b", "a10", "a9", "A", "a.b", "a"]), ["A", "a", "a.b", "a9", "a10", "b"])
    }
}
