import ObjectModel

/// One `metadata.managedFields` entry (meta/v1 ManagedFieldsEntry).
struct ManagedFieldsEntry {
    var manager: String
    var operation: String
    var apiVersion: String
    var time: String?
    var set: FieldSet

    static let apply = "Apply", update = "Update"

    /// fieldmanager.BuildManagerIdentifier (v1.20): an applier is one manager whatever its
    /// apiVersion; an updater is one per manager and apiVersion.
    var id: String { operation == Self.apply ? "\(manager)\u{0}Apply" : "\(manager)\u{0}Update\u{0}\(apiVersion)" }

    var json: JSONValue {
        var o = JSONObject()
        o["manager"] = .string(manager)
        o["operation"] = .string(operation)
        o["apiVersion"] = .string(apiVersion)
        if let time { o["time"] = .string(time) }
        o["fieldsType"] = "FieldsV1"
        o["fieldsV1"] = set.fieldsV1
        return .object(o)
    }

    /// fieldmanager's printManager: `"kubectl-client-side-apply" using v1` for an updater, `"kubectl"` for an applier.
    var printed: String {
        operation == Self.update ? "\(GoValue.quote(manager)) using \(apiVersion)" : GoValue.quote(manager)
    }
}
