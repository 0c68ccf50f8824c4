import ObjectModel

/// The few Go text/template and sprig conversions the chart applies to values.
enum GoTemplate {
    /// `{{ value }}` as text: Go's `%v`; a missing or null value prints nothing (Helm removes
    /// `<no value>`).
    static func text(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return formatFloat(d)
        case .string(let s): return s
        case .array(let a): return "[" + a.map { text($0) }.joined(separator: " ") + "]"
        case .object(let o):
            return "map[" + o.keys.sorted().map { "\($0):\(text(o[$0]))" }.joined(separator: " ") + "]"
        }
    }

    /// Go's `%v` of a float64: integral values below 1e21 print without a fraction.
    static func formatFloat(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 9e18 { return String(Int(d)) }
        return String(d)
    }

    /// Go template truth: false, 0, nil, and empty strings, lists and maps are false.
    static func isTruthy(_ value: JSONValue?) -> Bool {
        guard let value else { return false }
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }

    /// How the YAML parser types text a template wrote bare (`replicas: {{ ... }}`).
    static func yamlScalar(_ s: String) -> JSONValue {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: break
        }
        if let i = Int(s), s.first != "+" { return .int(i) }
        if s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
           s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let d = Double(s)
        {
            return .double(d)
        }
        return .string(s)
    }

    /// `toYaml`: maps come out with their keys sorted.
    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for k in o.keys.sorted() { out[k] = sortedKeys(o[k] ?? .null) }
            return .object(out)
        case .array(let a): return .array(a.map(sortedKeys))
        default: return value
        }
    }
}
