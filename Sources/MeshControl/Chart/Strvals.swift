import ObjectModel

/// Helm's `--set` syntax ("strvals"), as Helm v3.2 (the version upstream osm v0.8 links) reads it:
/// `a.b=c` nests maps, `a[0].b=c` indexes lists (growing them with nulls), `a={x,y}` is a list,
/// `k1=v1,k2=v2` sets several keys, `\` escapes the next character, and values are typed the way
/// `helm --set` types them (`true`/`false`/`null` in any case, integers without a leading zero;
/// everything else, floats included, stays a string). Like later Helm releases, an index above
/// 65536 is refused rather than allocated.
package enum Strvals {
    /// Merges one `--set` argument into `values` (an object; anything else is replaced by one).
    /// Errors carry Helm's own wording, without the `invalid format for --set` prefix.
    package static func parse(into values: inout JSONValue, _ set: String) throws(OSMError) {
        var root = values.objectValue ?? JSONObject()
        var parser = StrvalsParser(Array(set.unicodeScalars))
        defer { values = .object(root) }
        while true {
            switch parser.key(&root) {
            case .ok: continue
            case .end: return
            case .failed(let message): throw OSMError(.invalidInput, message)
            }
        }
    }
}

/// The outcome of one step of the parser: Go's `nil`, `io.EOF` or an error.
enum StrvalsStep: Equatable {
    case ok
    case end
    case failed(String)
}

/// A cursor over the scalars of one `--set` argument, following Helm's recursive descent.
struct StrvalsParser {
    private let text: [Unicode.Scalar]
    private var position = 0

    init(_ text: [Unicode.Scalar]) { self.text = text }

    private static let maxIndex = 65536

    /// Reads up to (and consumes) the first unescaped stop character.
    /// `stop` is nil when the input ran out first.
    private mutating func runesUntil(_ stops: Set<Unicode.Scalar>) -> (text: String, stop: Unicode.Scalar?) {
        var out = String.UnicodeScalarView()
        while position < text.count {
            let r = text[position]
            position += 1
            if stops.contains(r) { return (String(out), r) }
            if r == "\\" {
                guard position < text.count else { return (String(out), nil) }
                out.append(text[position])
                position += 1
            } else {
                out.append(r)
            }
        }
        return (String(out), nil)
    }

    mutating func key(_ data: inout JSONObject) -> StrvalsStep {
        let (k, last) = runesUntil(["=", "[", ",", "."])
        switch last {
        case nil:
            return k.isEmpty ? .end : .failed("key \"\(goEscaped(k))\" has no value")
        case "[":
            let index: Int
            switch keyIndex() {
            case .success(let i): index = i
            case .failure(let e): return .failed("error parsing index: \(e.message)")
            }
            var list: [JSONValue] = []
            if let existing = data[k] {
                guard case .array(let a) = existing else {
                    return .failed("unable to parse key: interface conversion: interface {} is \(goTypeName(existing)), not []interface {}")
                }
                list = a
            }
            let step = listItem(&list, index)
            set(&data, k, .array(list))
            return step
        case "=":
            switch valueList() {
            case .list(let l):
                set(&data, k, .array(l))
                return .ok
            case .end:
                set(&data, k, "")
                return .end
            case .notAList:
                let (raw, _) = runesUntil([","])
                set(&data, k, Self.typed(raw))
                return .ok
            case .failed(let message):
                return .failed(message)
            }
        case ",":
            set(&data, k, "")
            return .failed("key \"\(goEscaped(k))\" has no value (cannot end with ,)")
        default:  // "."
            var inner = JSONObject()
            if let existing = data[k] {
                guard case .object(let o) = existing else {
                    return .failed("unable to parse key: interface conversion: interface {} is \(goTypeName(existing)), not map[string]interface {}")
                }
                inner = o
            }
            let step = key(&inner)
            if inner.isEmpty { return .failed("key map \"\(goEscaped(k))\" has no value") }
            set(&data, k, .object(inner))
            return step
        }
    }

    private func set(_ data: inout JSONObject, _ key: String, _ value: JSONValue) {
        if !key.isEmpty { data[key] = value }
    }

    private mutating func keyIndex() -> Result<Int, OSMError> {
        let (v, stop) = runesUntil(["]"])
        if stop == nil { return .failure(OSMError(.invalidInput, "EOF")) }
        guard let i = Self.atoi(v) else {
            return .failure(OSMError(.invalidInput, "strconv.Atoi: parsing \"\(goEscaped(v))\": invalid syntax"))
        }
        return .success(i)
    }

    /// Go's strconv.Atoi for the values an index can hold.
    private static func atoi(_ s: String) -> Int? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s.hasPrefix("+") ? String(s.dropFirst()) : s)
    }

    private func setIndex(_ list: inout [JSONValue], _ index: Int, _ value: JSONValue) -> StrvalsStep {
        if index < 0 { return .failed("negative \(index) index not allowed") }
        if index > Self.maxIndex {
            return .failed("index of \(index) is greater than maximum supported index of \(Self.maxIndex)")
        }
        while list.count <= index { list.append(.null) }
        list[index] = value
        return .ok
    }

    private mutating func listItem(_ list: inout [JSONValue], _ i: Int) -> StrvalsStep {
        if i < 0 { return .failed("negative \(i) index not allowed") }
        let (k, last) = runesUntil(["[", ".", "="])
        if !k.isEmpty { return .failed("unexpected data at end of array index: \"\(goEscaped(k))\"") }
        switch last {
        case nil:
            return .end
        case "=":
            switch valueList() {
            case .list(let l): return setIndex(&list, i, .array(l))
            case .end: return setIndex(&list, i, "")
            case .notAList:
                let (raw, _) = runesUntil([","])
                return setIndex(&list, i, Self.typed(raw))
            case .failed(let message): return .failed(message)
            }
        case "[":
            let next: Int
            switch keyIndex() {
            case .success(let n): next = n
            case .failure(let e): return .failed("error parsing index: \(e.message)")
            }
            var nested: [JSONValue] = []
            if list.count > i, case .array(let a) = list[i] { nested = a }
            // As Helm: an unfinished nested item (even at the end of input) leaves the list as it was.
            let step = listItem(&nested, next)
            if step != .ok { return step }
            return setIndex(&list, i, .array(nested))
        default:  // "."
            var inner = JSONObject()
            if list.count > i, case .object(let o) = list[i] { inner = o }
            let step = key(&inner)
            if step != .ok { return step }
            return setIndex(&list, i, .object(inner))
        }
    }

    private enum ListValue {
        case list([JSONValue])
        case notAList
        case end
        case failed(String)
    }

    /// `{a,b,c}` after `=`; anything else is left unread for the plain value reader.
    private mutating func valueList() -> ListValue {
        guard position < text.count else { return .end }
        guard text[position] == "{" else { return .notAList }
        position += 1
        var list: [JSONValue] = []
        while true {
            let (raw, last) = runesUntil([",", "}"])
            switch last {
            case nil:
                return .failed("list must terminate with '}'")
            case "}":
                if position < text.count, text[position] == "," { position += 1 }
                list.append(Self.typed(raw))
                return .list(list)
            default:
                list.append(Self.typed(raw))
            }
        }
    }

    /// helm --set typing: booleans and null in any case, "0", and integers not starting with 0.
    static func typed(_ s: String) -> JSONValue {
        let lower = s.lowercased()
        if lower == "true" { return true }
        if lower == "false" { return false }
        if lower == "null" { return .null }
        if s == "0" { return 0 }
        if let first = s.first, first != "0", let n = goParseInt(s) { return .int(n) }
        return .string(s)
    }

    /// strconv.ParseInt(s, 10, 64): optional sign, decimal digits only.
    private static func goParseInt(_ s: String) -> Int? {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s.hasPrefix("+") ? String(s.dropFirst()) : s)
    }

    private func goTypeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "nil"
        case .bool: return "bool"
        case .int: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    private func goEscaped(_ s: String) -> String { GoFormat.escaped(s) }
}
