import ObjectModel

/// Helm's merge of user-supplied values onto a chart's defaults (`chartutil.CoalesceValues`):
/// the user's value wins; maps merge key by key; a user `null` deletes the default key.
enum ValuesCoalescer {
    static func coalesce(user: JSONValue, defaults: JSONValue) -> JSONValue {
        guard case .object(let d) = defaults else { return user }
        guard case .object(let u) = user else { return user }
        return .object(merge(user: u, defaults: d))
    }

    /// Keys keep the defaults' order; keys only the user gave follow in the user's order.
    private static func merge(user: JSONObject, defaults: JSONObject) -> JSONObject {
        var out = JSONObject()
        for (key, def) in defaults {
            guard let given = user[key] else {
                out[key] = def
                continue
            }
            switch (given, def) {
            case (.null, _): continue
            case (.object(let u), .object(let d)): out[key] = .object(merge(user: u, defaults: d))
            default: out[key] = given
            }
        }
        for (key, given) in user where defaults[key] == nil {
            out[key] = stripNulls(given)
        }
        return out
    }

    /// A null the user gave for a key the chart lacks is dropped, as Helm drops it.
    private static func stripNulls(_ v: JSONValue) -> JSONValue {
        guard case .object(let o) = v else { return v }
        var out = JSONObject()
        for (k, x) in o where !x.isNull { out[k] = stripNulls(x) }
        return .object(out)
    }
}
