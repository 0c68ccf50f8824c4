/// Go's `strconv.ParseBool`: the spellings upstream accepts wherever it reads a bool from text,
/// in kubeconfig fields, in the osm-config ConfigMap, in annotations, and (through pflag) as a
/// bool flag's value (`GoFlagValue` in the command layer).
package enum GoBool {
    /// `true` for `1 t T TRUE true True`, `false` for `0 f F FALSE false False`, else nil.
    package static func parse(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }
}
