import Foundation
import XCTest
@testable import ObjectModel
@testable import YAMLCodec

/// The byte-level paths of Base64, the JSON writer and parser, and the YAML writer (issue 25)
/// against references: Foundation, round trips, and the String rules the YAML writer had.
final class FastPathTests: XCTestCase {
    /// A deterministic generator (no seed from the clock: a failure reproduces).
    struct LCG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    // MARK: Base64

    func testBase64OfLargeInputsMatchesFoundation() {
        var rng = LCG(state: 1)
        for n in [0, 1, 2, 3, 4, 5, 57, 58, 59, 1000, 65_537, 300_001] {
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let enc = Base64.encode(bytes)
            XCTAssertEqual(enc, Data(bytes).base64EncodedString(), "\(n) bytes")
            XCTAssertEqual(Base64.decode(enc), bytes, "\(n) bytes")
            XCTAssertEqual(Base64.decode(enc, .lenient), bytes, "\(n) bytes, lenient")
            // Line breaks anywhere (PEM's 64 columns, CRLF), as Go's StdEncoding skips them.
            let wrapped = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            XCTAssertEqual(Base64.decode(wrapped), bytes, "\(n) bytes, wrapped")
            // A Substring, and a non-contiguous collection for encode.
            XCTAssertEqual(Base64.decode(("x" + enc + "x").dropFirst().dropLast()), bytes)
            XCTAssertEqual(Base64.encode(bytes.lazy.map { $0 }), enc)
        }
    }

    func testBase64RejectsWhatGoRejectsAtEveryPosition() {
        let good = Base64.encode(Array("Helm release records".utf8))
        for i in 0..<good.utf8.count {
            var bad = Array(good.utf8)
            bad[i] = UInt8(ascii: "*")
            XCTAssertNil(Base64.decode(String(decoding: bad, as: UTF8.self)), "a bad character at \(i)")
            var space = Array(good.utf8)
            space.insert(UInt8(ascii: " "), at: i)
            XCTAssertNil(Base64.decode(String(decoding: space, as: UTF8.self)), "a space at \(i)")
            XCTAssertNotNil(Base64.decode(String(decoding: space, as: UTF8.self), .lenient), "a space at \(i), lenient")
            var newline = Array(good.utf8)
            newline.insert(UInt8(ascii: "\n"), at: i)
            XCTAssertEqual(Base64.decode(String(decoding: newline, as: UTF8.self)), Array("Helm release records".utf8), "a line break at \(i)")
        }
        XCTAssertNil(Base64.decode("QQ=A"), "data after padding inside a quad")
        XCTAssertNil(Base64.decode("QUJDQQ=A"), "data after padding inside the last quad")
        XCTAssertEqual(Base64.decode("QUJD\nQQ=\n="), Array("ABCA".utf8))
        XCTAssertNil(Base64.decode("QUJDQ"), "six bits left")
        XCTAssertNil(Base64.decode("QUJD===="), "four padding characters")
        XCTAssertEqual(Base64.decode("QUJDREVG-_", .lenient), Array("ABCDEF".utf8) + [0xFB])
        XCTAssertEqual(Base64.decode("\u{e9}"), nil, "non-ASCII")
    }

    // MARK: JSON strings

    func testJSONStringsWithEscapesAndNonASCIIRoundTrip() throws {
        var rng = LCG(state: 7)
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "😀", "\u{2028}", "<&>"]
        for _ in 0..<500 {
            let s = (0..<rng.below(40)).map { _ in pieces[rng.below(pieces.count)] }.joined()
            let text = JSONValue.string(s).jsonString()
            XCTAssertEqual(try JSONValue(parsing: text), .string(s))
            // Foundation reads it back the same.
            let read = try JSONSerialization.jsonObject(with: Data(("[" + text + "]").utf8)) as? [String]
            XCTAssertEqual(read, [s])
        }
        XCTAssertEqual(JSONValue.string("a\"b\\c\nd\re\tf\u{1}g\u{1F}h/é").jsonString(), #""a\"b\\c\nd\re\tf\u0001g\u001fh/é""#)
        XCTAssertEqual(JSONValue.string("").jsonString(), #""""#)
    }

    func testLargeJSONStringsWithManyEscapesRoundTrip() throws {
        // A release manifest: hundreds of kilobytes of lines with quotes.
        let line = "  name: \"osm-controller\" # é\\path\n"
        let big = String(repeating: line, count: 20_000)
        let doc: JSONValue = ["manifest": .string(big), "plain": .string(String(repeating: "x", count: 100_000))]
        let bytes = doc.jsonBytes()
        XCTAssertEqual(try JSONValue(parsing: bytes), doc)
        XCTAssertThrowsError(try JSONValue(parsing: Array(bytes.dropLast(2))), "unterminated")
        XCTAssertThrowsError(try JSONValue(parsing: "[\"a\nb\"]"), "a raw line break in a string")
        XCTAssertThrowsError(try JSONValue(parsing: "[\"a\\qb\"]"), "an unknown escape")
        XCTAssertEqual(try JSONValue(parsing: #"["\ud83d\ude00\u00e9\/"]"#), ["😀é/"])
    }

    // MARK: JSONObject

    /// Order, replacement and removal, below and past the size where it starts an index; equality
    /// and hashing that ignore order.
    func testJSONObjectKeepsOrderAcrossItsIndex() {
        var rng = LCG(state: 3)
        for size in [0, 1, 7, 8, 9, 10, 30, 200] {
            var o = JSONObject()
            var model: [(String, JSONValue)] = []
            for i in 0..<size {
                let k = "k\(rng.below(size * 2))"
                o[k] = .int(i)
                if let j = model.firstIndex(where: { $0.0 == k }) { model[j].1 = .int(i) } else { model.append((k, .int(i))) }
            }
            for _ in 0..<(size / 2) {
                let k = "k\(rng.below(size * 2 + 1))"
                o[k] = nil
                model.removeAll { $0.0 == k }
                XCTAssertNil(o[k])
            }
            o["late"] = "x"
            model.append(("late", "x"))
            XCTAssertEqual(o.keys, model.map(\.0), "size \(size)")
            XCTAssertEqual(o.map(\.value), model.map(\.1), "size \(size)")
            XCTAssertEqual(o.count, model.count)
            for (k, v) in model { XCTAssertEqual(o[k], v) }
            let reversed = JSONObject(model.reversed())
            XCTAssertEqual(reversed, o, "order does not matter to ==")
            XCTAssertEqual(reversed.hashValue, o.hashValue, "nor to the hash")
            var other = reversed
            other["late"] = "y"
            XCTAssertNotEqual(other, o)
            other["late"] = nil
            XCTAssertNotEqual(other, o)
        }
        XCTAssertEqual(Set<JSONValue>([["a": 1, "b": 2], ["b": 2, "a": 1], ["a": 1.0, "b": 2]]).count, 1)
    }

    // MARK: YAML writer

    /// The writer as it was before it wrote bytes: the same structure over Strings, with the
    /// String rules (`needsQuotes`, `quoted`, `blockLiteral`) for every scalar.
    enum Reference {
        static func document(_ v: JSONValue) -> String {
            var out = ""
            switch v {
            case .object(let o) where !o.isEmpty: mapping(o, indent: 0, into: &out)
            case .array(let a) where !a.isEmpty: sequence(a, indent: 0, into: &out)
            default:
                if case .string(let s) = v, let block = YAMLWriter.blockLiteral(s, indent: 0) { out = block } else { out = scalar(v) + "\n" }
            }
            return out
        }
        static func pad(_ n: Int) -> String { String(repeating: " ", count: n) }
        static func scalar(_ v: JSONValue) -> String {
            if case .string(let s) = v { return YAMLWriter.needsQuotes(s) ? YAMLWriter.quoted(s) : s }
            return YAMLWriter.scalar(v)
        }
        static func mapping(_ o: JSONObject, indent: Int, into out: inout String) {
            for (k, v) in o {
                out += pad(indent) + (YAMLWriter.needsQuotes(k) ? YAMLWriter.quoted(k) : k) + ":"
                value(v, indent: indent, nestedIndent: indent + 2, seqIndent: indent, into: &out)
            }
        }
        static func value(_ v: JSONValue, indent: Int, nestedIndent: Int, seqIndent: Int, into out: inout String) {
            switch v {
            case .object(let o) where !o.isEmpty: out += "\n"; mapping(o, indent: nestedIndent, into: &out)
            case .array(let a) where !a.isEmpty: out += "\n"; sequence(a, indent: seqIndent, into: &out)
            case .string(let s):
                if let block = YAMLWriter.blockLiteral(s, indent: nestedIndent) { out += " " + block } else { out += " " + scalar(v) + "\n" }
            default: out += " " + scalar(v) + "\n"
            }
        }
        static func sequence(_ a: [JSONValue], indent: Int, into out: inout String) {
            for v in a {
                switch v {
                case .object(let o) where !o.isEmpty:
                    var inner = ""
                    mapping(o, indent: indent + 2, into: &inner)
                    out += pad(indent) + "- " + inner.dropFirst(indent + 2)
                case .array(let nested) where !nested.isEmpty:
                    var inner = ""
                    sequence(nested, indent: indent + 2, into: &inner)
                    out += pad(indent) + "- " + inner.dropFirst(indent + 2)
                default:
                    out += pad(indent) + "-"
                    value(v, indent: indent, nestedIndent: indent + 2, seqIndent: indent + 2, into: &out)
                }
            }
        }
    }

    static let words = ["", "y", "Y", "n", "N", "yes", "Yes", "YES", "yEs", "no", "No", "NO", "nO", "on", "On", "ON", "oN",
                        "off", "Off", "OFF", "oFF", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "null", "Null",
                        "NULL", "nULL", "~", "-", "--", "---", "- a", "-a", ":", "a:", "a: b", "a:b", "#a", "a #b", "a#b", " a",
                        "a ", ".inf", "-.Inf", ".NaN", "1", "-1", "+1", "0x1F", "0o17", "0b1", "017", "08", "1_000", "1.5", "1e3",
                        "1.", ".5", "1:20", "2021-06-01", "v0.8.4", "osm", "osm-system", "openservicemesh.io/monitored-by",
                        "[a]", "{a}", "!a", "&a", "*a", "|a", ">a", "'a'", "\"a\"", "%a", "@a", "`a", "?a", ",a", "a,b",
                        "é", "éa", "a\u{301}", " \u{301}", "\u{FEFF}a", "a\u{7F}", "a\tb", "a\rb", "\r\n", "line\n", "a\nb",
                        "a\nb\n", "a\n\n", "a\n\nb\n\n\n", "\na", " a\nb", "a \nb", "a\n b", "a\u{1}b", "é\nb", "tab\t\nx",
                        "12345", "123456", "abcde", "abcdef", "Yes!", "TRUE1", "nullx"]

    func testByteWriterWritesWhatTheStringRulesWrite() {
        var rng = LCG(state: 42)
        let alphabet = ["a", "Z", "y", "n", "0", "9", " ", ":", "#", "-", ".", "\n", "\"", "\\", "\t", "\r", "~", "é", "\u{7F}", "\u{FEFF}", "'", "_", "e", "+", "\u{1}",
                        "x", "o", "b", "i", "f", "I", "N", "F", "p", "/", "*", "1", "7", "8", "E", "M", "h"]
        var strings = Self.words
        for _ in 0..<6000 {
            strings.append((0..<rng.below(9)).map { _ in alphabet[rng.below(alphabet.count)] }.joined())
        }
        // Number shapes, and words that look like them.
        let numberish = ["0", "1", "7", "8", "9", "_", ".", "e", "E", "+", "-", "x", "o", "b", "a", "f", "i", "n", "I", "N", "M"]
        for _ in 0..<6000 {
            let lead = ["", "-", "+", ".", "0", "0x", "0o", "0b", "-.", "+."][rng.below(10)]
            strings.append(lead + (0..<rng.below(8)).map { _ in numberish[rng.below(numberish.count)] }.joined())
        }
        strings += ["-.inf", "+.INF", ".NaN", ".nan", "-.Inf", ".inF", "-.infx", "--verbosity", "-c", "+1_0", "0x_1F", "1e+5", "1e5x",
                    "12e", "0b102", "0o19", "--", "-.5e-3", "+.5", "~x", "~~~~~~", "512M", "24h", "15d", "0.5", "1.5"]
        for s in strings {
            XCTAssertEqual(YAMLWriter.document(.string(s)), Reference.document(.string(s)), "\(s.debugDescription)")
            let v: JSONValue = ["k": .string(s), "list": [.string(s), ["x": .string(s)], [.string(s)]], s: ["n": .string(s)]]
            XCTAssertEqual(YAMLWriter.document(v), Reference.document(v), "\(s.debugDescription) nested")
        }
    }

    func testByteWriterNestsAsTheStringWriter() {
        let doc: JSONValue = [
            "a": [[], [:], [[1, 2], ["x": [["y": nil]]]], [[:]], [["p": true, "q": 1.5]], "s"],
            "b": ["c": ["d": ["e": "multi\nline\ntext\n"]], "empty": [:], "none": []],
            "n": [1, -2, 3.25, .double(.infinity), .double(-.infinity), .double(.nan), true, false, nil],
            "block": "keep\n\n", "strip": "no end\nline",
        ]
        XCTAssertEqual(YAMLWriter.document(doc), Reference.document(doc))
        for v: JSONValue in [[], [:], 1, "x", nil, [[[["deep"]]]], ["k": [[["deep": "v"]]]]] {
            XCTAssertEqual(YAMLWriter.document(v), Reference.document(v), "\(v)")
        }
    }
}
