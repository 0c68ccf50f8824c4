import ObjectModel
import CYAML

/// Builds `JSONValue`s from libyaml's event stream, resolving plain scalars the way
/// sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) does, so kubeconfigs mean what they mean to kubectl.
struct YAMLReader {
    /// A collection being built. A class, so that adding to it mutates it in place: an enum
    /// frame popped, changed and pushed back copied the whole collection on every entry,
    /// quadratic in the size of one mapping.
    private final class Frame {
        var items: [JSONValue] = []
        var object = JSONObject()
        var pendingKey: String?
        let isMapping: Bool
        let anchor: String?
        init(isMapping: Bool, anchor: String?) {
            self.isMapping = isMapping
            self.anchor = anchor
        }
    }

    private var anchors: [String: JSONValue] = [:]
    private var stack: [Frame] = []

    mutating func read(_ input: [UInt8]) throws(YAMLError) -> [JSONValue?] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(message: "cannot initialise the YAML parser", line: 1, column: 1)
        }
        defer { yaml_parser_delete(&parser) }
        var documents: [JSONValue?] = []
        var current: JSONValue? = nil
        var result: Result<[JSONValue?], YAMLError> = .success([])
        input.withUnsafeBufferPointer { buf in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    result = .failure(Self.error(from: parser))
                    return
                }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                let column = Int(event.start_mark.column) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    result = .success(documents)
                    return
                case YAML_DOCUMENT_START_EVENT:
                    current = nil
                    anchors = [:]
                case YAML_DOCUMENT_END_EVENT:
                    documents.append(current)
                case YAML_ALIAS_EVENT:
                    let name = String(cString: event.data.alias.anchor)
                    guard let v = anchors[name] else {
                        result = .failure(YAMLError(message: "unknown anchor '\(name)'", line: line, column: column))
                        return
                    }
                    if let e = add(v, line: line, column: column, root: &current) { result = .failure(e); return }
                case YAML_SCALAR_EVENT:
                    let s = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                    let tag = s.tag.map { String(cString: $0) }
                    let plain = s.style == YAML_PLAIN_SCALAR_STYLE
                    let v: JSONValue
                    switch Self.resolve(text, plain: plain, tag: tag) {
                    case .success(let r): v = r
                    case .failure(let m):
                        result = .failure(YAMLError(message: m.message, line: line, column: column))
                        return
                    }
                    if let a = s.anchor { anchors[String(cString: a)] = v }
                    if let e = add(v, line: line, column: column, root: &current) { result = .failure(e); return }
                case YAML_SEQUENCE_START_EVENT:
                    if stack.count > 256 {
                        result = .failure(YAMLError(message: "nesting too deep", line: line, column: column))
                        return
                    }
                    stack.append(Frame(isMapping: false, anchor: event.data.sequence_start.anchor.map { String(cString: $0) }))
                case YAML_MAPPING_START_EVENT:
                    if stack.count > 256 {
                        result = .failure(YAMLError(message: "nesting too deep", line: line, column: column))
                        return
                    }
                    stack.append(Frame(isMapping: true, anchor: event.data.mapping_start.anchor.map { String(cString: $0) }))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let top = stack.popLast() else { continue }
                    let v: JSONValue = top.isMapping ? .object(top.object) : .array(top.items)
                    top.object = JSONObject()
                    top.items = []
                    if let anchor = top.anchor { anchors[anchor] = v }
                    if let e = add(v, line: line, column: column, root: &current) { result = .failure(e); return }
                default:
                    continue
                }
            }
        }
        return try result.get()
    }

    private mutating func add(_ v: JSONValue, line: Int, column: Int, root: inout JSONValue?) -> YAMLError? {
        guard let top = stack.last else {
            root = v
            return nil
        }
        if !top.isMapping {
            top.items.append(v)
        } else if let key = top.pendingKey {
            if key == "<<", case .object(let merged) = v {
                for (k, mv) in merged where top.object[k] == nil { top.object[k] = mv }
            } else {
                top.object[key] = v
            }
            top.pendingKey = nil
        } else {
            switch v {
            case .string(let s): top.pendingKey = s
            case .int(let n): top.pendingKey = String(n)
            case .double(let d): top.pendingKey = String(d)
            case .bool(let b): top.pendingKey = b ? "true" : "false"
            case .null: top.pendingKey = "null"
            default:
                return YAMLError(message: "a mapping key must be a scalar", line: line, column: column)
            }
        }
        return nil
    }

    private static func error(from parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        let mark = parser.problem_mark
        let message = context.map { "\(problem) \($0)" } ?? problem
        return YAMLError(message: message, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// The value of a scalar: quoted scalars are strings; plain ones resolve by YAML 1.1 rules.
    static func resolve(_ text: String, plain: Bool, tag: String?) -> Result<JSONValue, YAMLError> {
        if let tag, tag != "!" {
            switch tag {
            case "tag:yaml.org,2002:str": return .success(.string(text))
            case "tag:yaml.org,2002:null": return .success(.null)
            case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
                let v = resolvePlain(text)
                if case .string = v {
                    return .failure(YAMLError(message: "cannot read '\(text)' as \(tag.split(separator: ":").last!)", line: 0, column: 0))
                }
                return .success(v)
            case "tag:yaml.org,2002:binary": return .success(.string(text))
            default: break
            }
        }
        if !plain { return .success(.string(text)) }
        return .success(resolvePlain(text))
    }

    static func resolvePlain(_ text: String) -> JSONValue {
        // Most scalars are plain words: neither a number nor one of the short special words below.
        if let first = text.utf8.first, text.utf8.count > 5,
           !(first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || (48...57).contains(first)) {
            return .string(text)
        }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first,
              first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (48...57).contains(first)
        else { return .string(text) }
        let cleaned = text.replacingOccurrences(of: "_", with: "")
        var body = Substring(cleaned)
        var sign = 1
        if body.hasPrefix("-") { sign = -1; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        if body.hasPrefix("0x"), let n = Int(body.dropFirst(2), radix: 16) { return .int(sign * n) }
        if body.hasPrefix("0o"), let n = Int(body.dropFirst(2), radix: 8) { return .int(sign * n) }
        if body.hasPrefix("0b"), let n = Int(body.dropFirst(2), radix: 2) { return .int(sign * n) }
        if body.count > 1, body.hasPrefix("0"), body.allSatisfy({ ("0"..."7").contains($0) }),
           let n = Int(body.dropFirst(), radix: 8) { return .int(sign * n) }
        if body.allSatisfy({ $0.isASCII && $0.isNumber }), !body.isEmpty, let n = Int(cleaned) { return .int(n) }
        if isFloat(body), let d = Double(cleaned) { return .double(d) }
        return .string(text)
    }

    private static func isFloat(_ s: Substring) -> Bool {
        // [0-9]*\.?[0-9]+([eE][-+]?[0-9]+)? with at least one digit.
        var sawDigit = false, sawDot = false, i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c.isASCII && c.isNumber { sawDigit = true } else if c == "." && !sawDot { sawDot = true } else { break }
            i = s.index(after: i)
        }
        guard sawDigit else { return false }
        if i == s.endIndex { return true }
        guard s[i] == "e" || s[i] == "E" else { return false }
        i = s.index(after: i)
        if i < s.endIndex, s[i] == "+" || s[i] == "-" { i = s.index(after: i) }
        guard i < s.endIndex else { return false }
        return s[i...].allSatisfy { $0.isASCII && $0.isNumber }
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
