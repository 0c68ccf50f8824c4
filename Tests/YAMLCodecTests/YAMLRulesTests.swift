import XCTest
@testable import ObjectModel
@testable import YAMLCodec

/// The go-yaml v2 output rules the chart golden files and `-o yaml` rely on, byte for byte, and
/// how malformed input is refused.
final class YAMLRulesTests: XCTestCase {
    private func emit(_ v: JSONValue) -> String { YAML.emit(v) }

    func testBlockLayoutAsKubectlPrintsIt() {
        // Sequences sit at their key's indent; mappings in a sequence start on the dash's line.
        XCTAssertEqual(emit(["a": [1, 2], "b": ["c": ["d": "e"]]]), "a:\n- 1\n- 2\nb:\n  c:\n    d: e\n")
        XCTAssertEqual(emit(["items": [["name": "a", "ports": [80, 443]], ["name": "b"]]]),
                       "items:\n- name: a\n  ports:\n  - 80\n  - 443\n- name: b\n")
        XCTAssertEqual(emit([[1, 2], [3]]), "- - 1\n  - 2\n- - 3\n")
        // Empty collections stay inline; key order is kept as given (the chart's order).
        XCTAssertEqual(emit(["z": [], "a": [:], "m": nil]), "z: []\na: {}\nm: null\n")
        XCTAssertEqual(emit(["f": 1.5, "i": -3, "t": true]), "f: 1.5\ni: -3\nt: true\n")
    }

    func testStringsAreQuotedOnlyWhenPlainTextWouldMeanSomethingElse() {
        for (value, text) in [
            ("true", "\"true\""), ("false", "\"false\""), ("null", "\"null\""), ("~", "\"~\""), ("123", "\"123\""),
            ("1.5", "\"1.5\""), ("0x10", "\"0x10\""), ("", "\"\""), (" lead", "\" lead\""), ("trail ", "\"trail \""),
            ("a: b", "\"a: b\""), ("a #c", "\"a #c\""), ("end:", "\"end:\""), ("*x", "\"*x\""), ("&x", "\"&x\""),
            ("!x", "\"!x\""), ("- x", "\"- x\""), ("---", "\"---\""), ("{a}", "\"{a}\""), ("[a]", "\"[a]\""),
            ("#x", "\"#x\""), ("%x", "\"%x\""), ("@x", "\"@x\""), ("`x", "\"`x\""), ("'x", "\"'x\""), ("\"x", "\"\\\"x\""),
            ("a\u{1B}[31mb", "\"a\\x1B[31mb\""), ("tab\there", "\"tab\\there\""), ("cr\r", "\"cr\\r\""),
            // Plain where go-yaml writes them plain.
            ("v0.8.4", "v0.8.4"), ("-v", "-v"), ("openservicemesh/osm-controller:v0.8.4", "openservicemesh/osm-controller:v0.8.4"),
            ("/api/v2/spans", "/api/v2/spans"), ("a:b", "a:b"), ("a#b", "a#b"), ("24h", "24h"), ("é", "é"),
        ] {
            XCTAssertEqual(emit(["k": .string(value)]), "k: \(text)\n", value)
            XCTAssertEqual(try YAML.parse(emit(["k": .string(value)]))["k"], .string(value), value)
        }
        // Keys follow the same rule.
        XCTAssertEqual(emit(["app.kubernetes.io/name": "x", "true": 1, "a: b": 2]), "app.kubernetes.io/name: x\n\"true\": 1\n\"a: b\": 2\n")
    }

    /// go-yaml v2 reads YAML 1.1: its other spellings of booleans, nulls, numbers and the
    /// special floats are not plain strings, so a string spelled so is quoted, and read back.
    func testYAML11SpellingsAreQuotedAsStringsAndReadAsTheirValues() throws {
        for word in ["yes", "Yes", "NO", "on", "Off", "y", "N", "True", "FALSE", "Null", "NULL", "~",
                     "0o17", "017", "0b101", "1_000", "+1", "-2", ".5", "1e3", "-1.5E-3",
                     ".inf", "-.inf", "+.INF", ".nan", ".NaN"] {
            XCTAssertEqual(emit(["k": .string(word)]), "k: \"\(word)\"\n", word)
            XCTAssertEqual(try YAML.parse(emit(["k": .string(word)]))["k"], .string(word), word)
        }
        let read = try YAML.parse("a: yes\nb: Off\nc: ~\nd: 0o17\ne: 017\nf: 1_000\ng: .inf\nh: -.Inf\ni: +1\nj: 0b11\n")
        XCTAssertEqual(read["a"], true)
        XCTAssertEqual(read["b"], false)
        XCTAssertEqual(read["c"], .null)
        XCTAssertEqual(read["d"], 15)
        XCTAssertEqual(read["e"], 15)
        XCTAssertEqual(read["f"], 1000)
        XCTAssertEqual(read["g"], .double(.infinity))
        XCTAssertEqual(read["h"], .double(-.infinity))
        XCTAssertEqual(read["i"], 1)
        XCTAssertEqual(read["j"], 3)
        XCTAssertTrue(try YAML.parse("x: .nan\n")["x"]?.doubleValue?.isNaN == true)
        // The special floats are written as go-yaml writes them.
        XCTAssertEqual(emit(["p": .double(.infinity), "m": .double(-.infinity), "x": .double(.nan)]), "p: .inf\nm: -.inf\nx: .nan\n")
        // Keys follow the same rule: `n` and `y` are booleans to go-yaml v2.
        XCTAssertEqual(emit(["n": 1, "y": 2, "no": 3]), "\"n\": 1\n\"y\": 2\n\"no\": 3\n")
    }

    func testMultiLineTextIsALiteralBlockWhenItCanBeOne() {
        XCTAssertEqual(emit(["s": "l1\nl2\n"]), "s: |\n  l1\n  l2\n")
        XCTAssertEqual(emit(["s": "l1\nl2"]), "s: |-\n  l1\n  l2\n")
        XCTAssertEqual(emit(["s": "l1\n\n"]), "s: |+\n  l1\n\n")
        XCTAssertEqual(emit(["a": ["s": "x\n\ny\n"]]), "a:\n  s: |\n    x\n\n    y\n")
        XCTAssertEqual(emit([["s": "x\ny\n"]]), "- s: |\n    x\n    y\n")
        // Text a literal block cannot carry exactly is quoted instead.
        XCTAssertEqual(emit(["s": " lead\nx\n"]), "s: \" lead\\nx\\n\"\n")
        XCTAssertEqual(emit(["s": "trailing \nx"]), "s: \"trailing \\nx\"\n")
        XCTAssertEqual(emit(["s": "a\tb\nc"]), "s: \"a\\tb\\nc\"\n")
        for s in ["l1\nl2\n", "l1\nl2", "l1\n\n", " lead\nx\n", "x\n\ny\n", "trailing \nx"] {
            XCTAssertEqual(try YAML.parse(emit(["s": .string(s)]))["s"], .string(s), s)
        }
    }

    func testDocumentsAreSeparated() throws {
        XCTAssertEqual(YAML.emitDocuments([["a": 1], ["b": 2]]), "a: 1\n---\nb: 2\n")
        XCTAssertEqual(try YAML.parseDocuments("a: 1\n---\nb: 2\n"), [["a": 1], ["b": 2]])
        XCTAssertEqual(try YAML.parseDocuments("# only a comment\n"), [])
    }

    func testMalformedInputIsRefusedWithAPosition() {
        let cases = [
            "a: \"unterminated\n",       // quoted scalar without its end
            "a: [1, 2\n",                 // flow sequence without its end
            "a: {b: 1\n",                 // flow mapping without its end
            "a: b: c\n",                  // a mapping value where none may start
            "a:\n  b: 1\n c: 2\n",        // indentation that matches no level
            "- a\nb: c\n",                // a mapping key after a sequence at the same level
            "a: *missing\n",              // an alias to no anchor
            "\t- x\n",                    // a tab as indentation
            "a: 'x\n",                    // single-quoted scalar without its end
            "key: @reserved\n",           // a reserved indicator starting a plain scalar
        ]
        for text in cases {
            XCTAssertThrowsError(try YAML.parse(text), text.debugDescription) { e in
                guard let err = e as? YAMLError else { return XCTFail("\(e)") }
                XCTAssertGreaterThan(err.line, 0, text.debugDescription)
                XCTAssertFalse(err.message.isEmpty)
            }
        }
    }
}
