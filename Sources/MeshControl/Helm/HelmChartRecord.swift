import ObjectModel

/// The chart a release of this osm records: upstream's `charts/osm` at v0.8.4 as Helm's loader
/// reads it (`Chart.yaml` as `metadata`, `values.yaml` as `values`). Its templates, schema and
/// files are left out (`[]`, `null`): osm renders the chart itself, and no Helm command reads
/// them back from a stored release (`helm upgrade` renders the chart it is given, `helm
/// rollback` reapplies the stored manifest, `helm get values --all` reads `values`).
package enum HelmChartRecord {
    package static var osm: JSONValue {
        var metadata = JSONObject()
        metadata["name"] = .string(ChartDefaults.chartName)
        metadata["version"] = .string(ChartDefaults.chartVersion)
        metadata["description"] = "A Helm chart to install the OSM control plane on Kubernetes"
        metadata["apiVersion"] = "v2"
        metadata["appVersion"] = .string(ChartDefaults.appVersion)
        metadata["type"] = "application"
        var chart = JSONObject()
        chart["metadata"] = .object(metadata)
        chart["lock"] = .null
        chart["templates"] = []
        chart["values"] = goOrdered(ChartDefaults.values)
        chart["schema"] = .null
        chart["files"] = []
        return .object(chart)
    }

    /// `templates/NOTES.txt` rendered, which Helm keeps as the release's notes.
    package static let notes = "Congratulations! The OSM control plane has been installed in your Kubernetes cluster!\n"

    /// A map's keys sorted at every level, as encoding/json writes a Go map.
    static func goOrdered(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            var out = JSONObject()
            for k in o.keys.sorted() { out[k] = goOrdered(o[k]!) }
            return .object(out)
        case .array(let a):
            return .array(a.map(goOrdered))
        default:
            return v
        }
    }
}
