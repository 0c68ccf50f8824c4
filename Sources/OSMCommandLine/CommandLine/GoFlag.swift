/// One flag, declared once: its name, shorthand, Go type, default and help. The pflag front end
/// (`FlagSet`) parses it; ArgumentParser's declaration of the same property (`@Option(flag)`)
/// reads its name and help from here, so `--help`, the man pages and the completions state the
/// default the code uses.
struct GoFlag: Sendable {
    /// The pflag value types osm's flags use, each parsed as pflag v1.0.5 parses it.
    enum Kind: Sendable {
        case bool
        case string
        /// `StringSliceVar`: each value is a CSV record; the first use replaces the default.
        case stringSlice
        /// `StringArrayVar`: each value is one element, as written.
        case stringArray
        /// `Uint16Var`: `strconv.ParseUint(s, 0, 16)`.
        case uint16
        /// `IntVar`: `strconv.ParseInt(s, 0, 64)`.
        case int
        /// `DurationVar`: `time.ParseDuration`.
        case duration
    }

    let name: String
    let shorthand: Character?
    let kind: Kind
    /// The default as pflag's `DefValue` prints it (`osm`, `false`, `5m0s`, `[]`); an unset flag
    /// holds it parsed. Empty for a string flag means the empty string.
    let defaultValue: String
    let usage: String
    let valueName: String
    /// Shown in help instead of `defaultValue` where the default is computed at run time
    /// (`$OSM_NAMESPACE`, the current context).
    let defaultDescription: String?

    init(_ name: String, _ kind: Kind, default defaultValue: String = "",
         valueName: String? = nil, describedDefault: String? = nil, _ usage: String) {
        self.init(name, nil, kind, default: defaultValue, valueName: valueName, describedDefault: describedDefault, usage)
    }

    init(_ name: String, _ shorthand: Character?, _ kind: Kind, default defaultValue: String = "",
         valueName: String? = nil, describedDefault: String? = nil, _ usage: String) {
        self.name = name
        self.shorthand = shorthand
        self.kind = kind
        self.defaultValue = defaultValue
        self.usage = usage
        self.valueName = valueName ?? (kind == .bool ? "bool" : kind == .duration ? "duration" : "value")
        self.defaultDescription = describedDefault
    }

    /// pflag's `NoOptDefVal`: the value of a flag given without one. Only bool flags have it.
    var valueWhenBare: String? { kind == .bool ? "true" : nil }

    /// The default as help states it.
    var helpDefault: String? {
        if let defaultDescription { return defaultDescription }
        switch kind {
        case .string: return defaultValue.isEmpty ? nil : defaultValue
        case .stringSlice, .stringArray: return nil
        default: return defaultValue
        }
    }
}
