import XCTest
import ObjectModel

@testable import MeshControl

/// Helm v3.2 `--set` parsing: structure, typing, escapes and Helm's error messages.
final class StrvalsTests: XCTestCase {
    func parsed(_ sets: String...) throws -> JSONValue {
        var v: JSONValue = [:]
        for s in sets { try Strvals.parse(into: &v, s) }
        return v
    }

    func error(_ set: String) -> String? {
        var v: JSONValue = [:]
        do {
            try Strvals.parse(into: &v, set)
            return nil
        } catch {
            return error.message
        }
    }

    func testDottedKeysNestMaps() throws {
        XCTAssertEqual(try parsed("a.b.c=d"), ["a": ["b": ["c": "d"]]])
        XCTAssertEqual(try parsed("a.b=1", "a.c=2"), ["a": ["b": 1, "c": 2]])
    }

    func testCommaSeparatesAssignments() throws {
        XCTAssertEqual(try parsed("a=1,b=two,c.d=x"), ["a": 1, "b": "two", "c": ["d": "x"]])
        XCTAssertEqual(try parsed("a=1,"), ["a": 1])
    }

    func testTyping() throws {
        let v = try parsed("t=TRUE,f=false,n=null,z=0,i=42,neg=-7,lead=007,fl=1.5,s=hello,e=")
        XCTAssertEqual(v["t"], true)
        XCTAssertEqual(v["f"], false)
        XCTAssertEqual(v["n"], .null)
        XCTAssertEqual(v["z"], 0)
        XCTAssertEqual(v["i"], 42)
        XCTAssertEqual(v["neg"], -7)
        XCTAssertEqual(v["lead"], "007")
        XCTAssertEqual(v["fl"], "1.5")  // helm --set never makes floats
        XCTAssertEqual(v["s"], "hello")
        XCTAssertEqual(v["e"], "")
    }

    func testListValues() throws {
        XCTAssertEqual(try parsed("a={x,y,3}"), ["a": ["x", "y", 3]])
        XCTAssertEqual(try parsed("a={x},b=c"), ["a": ["x"], "b": "c"])
    }

    func testIndexes() throws {
        XCTAssertEqual(try parsed("a[0]=x"), ["a": ["x"]])
        XCTAssertEqual(try parsed("a[2]=x"), ["a": [nil, nil, "x"]])
        XCTAssertEqual(try parsed("a[0].name=s1,a[1].name=s2"), ["a": [["name": "s1"], ["name": "s2"]]])
        XCTAssertEqual(try parsed("a[0].name=s1", "a[0].key=k"), ["a": [["name": "s1", "key": "k"]]])
        XCTAssertEqual(try parsed("a[1][0]=x"), ["a": [nil, ["x"]]])
        XCTAssertEqual(try parsed("a[0]={p,q}"), ["a": [["p", "q"]]])
    }

    func testEscapes() throws {
        XCTAssertEqual(try parsed(#"a=x\,y"#), ["a": "x,y"])
        XCTAssertEqual(try parsed(#"a\.b=c"#), ["a.b": "c"])
        XCTAssertEqual(try parsed(#"nodeSelector.kubernetes\.io/os=linux"#), ["nodeSelector": ["kubernetes.io/os": "linux"]])
        XCTAssertEqual(try parsed(#"a=\{x\}"#), ["a": "{x}"])
        XCTAssertEqual(try parsed(#"a=back\\slash"#), ["a": #"back\slash"#])
    }

    func testLaterSetsOverrideEarlier() throws {
        XCTAssertEqual(try parsed("a.b=1", "a.b=2"), ["a": ["b": 2]])
        XCTAssertEqual(try parsed("a.b=1", "a={x}"), ["a": ["x"]])
    }

    func testErrors() {
        XCTAssertEqual(error("a"), #"key "a" has no value"#)
        XCTAssertEqual(error("a,b=c"), #"key "a" has no value (cannot end with ,)"#)
        XCTAssertEqual(error("a.b"), #"key map "a" has no value"#)
        XCTAssertEqual(error("a[x]=1"), #"error parsing index: strconv.Atoi: parsing "x": invalid syntax"#)
        XCTAssertEqual(error("a[0"), "error parsing index: EOF")
        XCTAssertEqual(error("a[-1]=1"), "negative -1 index not allowed")
        XCTAssertEqual(error("a[0]x=1"), #"unexpected data at end of array index: "x""#)
        XCTAssertEqual(error("a={x,y"), "list must terminate with '}'")
        XCTAssertEqual(error("a[70000]=1"), "index of 70000 is greater than maximum supported index of 65536")
        var v: JSONValue = [:]
        XCTAssertNoThrow(try Strvals.parse(into: &v, "a=1"))
        XCTAssertThrowsError(try Strvals.parse(into: &v, "a.b=2")) { e in
            XCTAssertEqual(
                (e as? OSMError)?.message,
                "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}")
        }
        XCTAssertThrowsError(try Strvals.parse(into: &v, "a[0]=2")) { e in
            XCTAssertEqual(
                (e as? OSMError)?.message,
                "unable to parse key: interface conversion: interface {} is int64, not []interface {}")
        }
    }

    func testEmptyArgumentSetsNothing() throws {
        XCTAssertEqual(try parsed(""), [:])
    }
}
