import ObjectModel

/// An SMI `access.smi-spec.io/v1alpha3` TrafficTarget as upstream's `yaml.Marshal(&target)`
/// prints it: the Go struct (smi-sdk-go v0.5.0 over apimachinery v0.18.8), field by field,
/// whatever the server sent beyond those fields dropped as client-go drops it.
package enum TrafficTargetYAML {
    package static func node(_ target: JSONValue) -> GoYAMLv2 {
        let meta = target["metadata"] ?? .null
        let spec = target["spec"] ?? .null
        return .mapping([
            ("typemeta", .mapping([("kind", str(target["kind"])), ("apiversion", str(target["apiVersion"]))])),
            ("objectmeta", objectMeta(meta)),
            ("spec", .mapping([
                ("destination", subject(spec["destination"])),
                ("sources", .sequence((spec["sources"]?.arrayValue ?? []).map(subject))),
                ("rules", .sequence((spec["rules"]?.arrayValue ?? []).map(rule))),
            ])),
        ])
    }

    static func subject(_ v: JSONValue?) -> GoYAMLv2 {
        .mapping([("kind", str(v?["kind"])), ("name", str(v?["name"])), ("namespace", str(v?["namespace"]))])
    }

    static func rule(_ v: JSONValue) -> GoYAMLv2 {
        .mapping([
            ("kind", str(v["kind"])), ("name", str(v["name"])),
            ("matches", .sequence((v["matches"]?.arrayValue ?? []).map { str($0) })),
        ])
    }

    /// `metav1.ObjectMeta` (apimachinery v0.18.8).
    static func objectMeta(_ m: JSONValue) -> GoYAMLv2 {
        .mapping([
            ("name", str(m["name"])),
            ("generatename", str(m["generateName"])),
            ("namespace", str(m["namespace"])),
            ("selflink", str(m["selfLink"])),
            ("uid", str(m["uid"])),
            ("resourceversion", str(m["resourceVersion"])),
            ("generation", .int(m["generation"]?.intValue ?? 0)),
            ("creationtimestamp", .string(time(m["creationTimestamp"]))),
            ("deletiontimestamp", m["deletionTimestamp"]?.stringValue.map { .string(GoYAMLv2.localTime($0)) } ?? .null),
            ("deletiongraceperiodseconds", m["deletionGracePeriodSeconds"]?.intValue.map { .int($0) } ?? .null),
            ("labels", stringMap(m["labels"])),
            ("annotations", stringMap(m["annotations"])),
            ("ownerreferences", .sequence((m["ownerReferences"]?.arrayValue ?? []).map(ownerReference))),
            ("finalizers", .sequence((m["finalizers"]?.arrayValue ?? []).map { str($0) })),
            ("clustername", str(m["clusterName"])),
            ("managedfields", .sequence((m["managedFields"]?.arrayValue ?? []).map(managedFields))),
        ])
    }

    static func ownerReference(_ v: JSONValue) -> GoYAMLv2 {
        .mapping([
            ("apiversion", str(v["apiVersion"])), ("kind", str(v["kind"])), ("name", str(v["name"])), ("uid", str(v["uid"])),
            ("controller", v["controller"]?.boolValue.map { .bool($0) } ?? .null),
            ("blockownerdeletion", v["blockOwnerDeletion"]?.boolValue.map { .bool($0) } ?? .null),
        ])
    }

    /// `FieldsV1` holds the raw JSON bytes, which yaml.v2 prints as a list of numbers.
    static func managedFields(_ v: JSONValue) -> GoYAMLv2 {
        let fields: GoYAMLv2 = v["fieldsV1"].map { raw in
            .mapping([("raw", .sequence(raw.jsonBytes().map { .int(Int($0)) }))])
        } ?? .null
        return .mapping([
            ("manager", str(v["manager"])), ("operation", str(v["operation"])), ("apiversion", str(v["apiVersion"])),
            ("time", v["time"]?.stringValue.map { .string(GoYAMLv2.localTime($0)) } ?? .null),
            ("fieldstype", str(v["fieldsType"])), ("fieldsv1", fields),
        ])
    }

    static func str(_ v: JSONValue?) -> GoYAMLv2 { .string(v?.stringValue ?? "") }

    static func time(_ v: JSONValue?) -> String {
        guard let text = v?.stringValue else { return "0001-01-01T00:00:00Z" }
        return GoYAMLv2.localTime(text)
    }

    static func stringMap(_ v: JSONValue?) -> GoYAMLv2 {
        guard case .object(let o)? = v else { return .mapping([]) }
        var values: [String: String] = [:]
        for (k, value) in o { values[k] = value.stringValue ?? "" }
        return .mapping(GoYAMLv2.sortedKeys(Array(values.keys)).map { ($0, .string(values[$0]!)) })
    }
}
