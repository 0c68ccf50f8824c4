import ObjectModel

/// A Grafana 7.0 dashboard (schema 25, the `grafana/grafana:7.0.1` the chart deploys) built
/// section by section: each `section` starts a full-width row, and the panels after it flow left
/// to right on the 24-column grid, wrapping when a line is full. Every panel and variable reads
/// the data source `osm-grafana-datasources` provisions.
struct GrafanaDashboard {
    /// One PromQL query of a panel and the legend of its series.
    struct Query {
        var expr: String
        var legend: String

        init(_ expr: String, legend: String) {
            self.expr = expr
            self.legend = legend
        }
    }

    static let datasource = "Prometheus"
    static let gridWidth = 24

    let uid: String
    let title: String
    let description: String
    /// How far back the dashboard opens, e.g. `now-1h`.
    var from = "now-1h"
    /// Auto-refresh period, or nil for none.
    var refresh: String? = nil

    private var panels: [JSONValue] = []
    private var variables: [JSONValue] = []
    private var nextID = 1
    // The flow cursor: where the next panel goes, and the height of the line being filled.
    private var x = 0
    private var y = 0
    private var lineHeight = 0

    init(uid: String, title: String, description: String) {
        self.uid = uid
        self.title = title
        self.description = description
    }

    /// A drop-down variable whose values are a `label_values(...)` query.
    mutating func variable(_ name: String, label: String, query: String, multi: Bool = false) {
        var v: JSONObject = [
            "name": .string(name), "label": .string(label), "type": "query", "datasource": .string(Self.datasource),
            "query": .string(query), "definition": .string(query),
            // Refresh on time-range change when several pods are picked (their set moves), else on load.
            "refresh": .int(multi ? 2 : 1), "hide": 0, "sort": 1, "regex": "", "skipUrlSync": false,
            "multi": .bool(multi), "includeAll": .bool(multi), "allValue": nil, "options": [],
        ]
        let all: JSONValue = ["selected": true, "text": "All", "value": ["$__all"]]
        v["current"] = multi ? all : [:]
        variables.append(.object(v))
    }

    /// A full-width row heading; the panels after it go below.
    mutating func section(_ title: String) {
        newLine()
        panels.append([
            "id": .int(takeID()), "type": "row", "title": .string(title), "collapsed": false, "panels": [],
            "gridPos": grid(x: 0, y: y, w: Self.gridWidth, h: 1),
        ])
        y += 1
    }

    /// A time-series graph, one series per query result.
    mutating func graph(
        _ title: String, _ queries: [Query], width: Int, height: Int = 8, unit: String = "short",
        help: String? = nil, stacked: Bool = false
    ) {
        var p = panel("graph", title, width: width, height: height, help: help, queries: queries.map { target($0) })
        p["lines"] = true
        p["linewidth"] = 1
        p["fill"] = stacked ? 3 : 1
        p["fillGradient"] = 0
        p["stack"] = .bool(stacked)
        p["points"] = false
        p["pointradius"] = 2
        p["bars"] = false
        p["nullPointMode"] = "null"
        p["renderer"] = "flot"
        p["legend"] = [
            "show": true, "alignAsTable": .bool(queries.count > 2), "values": .bool(queries.count > 2),
            "current": .bool(queries.count > 2), "max": .bool(queries.count > 2), "avg": false, "min": false, "total": false,
        ]
        p["tooltip"] = ["shared": true, "sort": 2, "value_type": "individual"]
        p["xaxis"] = ["mode": "time", "show": true, "buckets": nil, "values": []]
        p["yaxes"] = [
            ["format": .string(unit), "show": true, "logBase": 1, "min": 0, "max": nil, "label": nil],
            ["format": "short", "show": false, "logBase": 1, "min": nil, "max": nil, "label": nil],
        ]
        p["yaxis"] = ["align": false, "alignLevel": nil]
        p["fieldConfig"] = ["defaults": ["custom": [:]], "overrides": []]
        p["options"] = ["dataLinks": []]
        panels.append(.object(p))
    }

    /// A single number: the latest value of the query (instant).
    mutating func stat(_ title: String, _ query: Query, width: Int, height: Int = 5, help: String? = nil) {
        var t = target(query)
        t["instant"] = true
        var p = panel("stat", title, width: width, height: height, help: help, queries: [t])
        p["options"] = [
            "reduceOptions": ["calcs": ["lastNotNull"], "fields": "", "values": false],
            "colorMode": "value", "graphMode": "area", "justifyMode": "auto", "orientation": "auto",
        ]
        p["fieldConfig"] = [
            "defaults": [
                "custom": [:], "unit": "none", "decimals": 0, "mappings": [],
                "thresholds": ["mode": "absolute", "steps": [["color": "blue", "value": nil]]],
            ],
            "overrides": [],
        ]
        panels.append(.object(p))
    }

    /// How a histogram's buckets fill over time (queries give Prometheus `le` buckets).
    mutating func heatmap(_ title: String, _ query: Query, width: Int, height: Int = 9, unit: String = "s", help: String? = nil) {
        var t = target(query)
        t["format"] = "heatmap"
        var p = panel("heatmap", title, width: width, height: height, help: help, queries: [t])
        p["dataFormat"] = "tsbuckets"
        p["color"] = ["mode": "spectrum", "colorScheme": "interpolateYlGnBu", "colorScale": "sqrt", "exponent": 0.5, "cardColor": "#5794F2"]
        p["cards"] = ["cardPadding": nil, "cardRound": nil]
        p["heatmap"] = [:]
        p["hideZeroBuckets"] = true
        p["highlightCards"] = true
        p["reverseYBuckets"] = false
        p["yBucketBound"] = "upper"
        p["legend"] = ["show": true]
        p["tooltip"] = ["show": true, "showHistogram": true]
        p["xAxis"] = ["show": true]
        p["yAxis"] = ["format": .string(unit), "decimals": nil, "logBase": 1, "min": nil, "max": nil, "show": true, "splitFactor": nil]
        p["fieldConfig"] = ["defaults": ["custom": [:]], "overrides": []]
        panels.append(.object(p))
    }

    /// The dashboard as the JSON file Grafana's file provisioning reads.
    var json: String {
        let refreshEvery: JSONValue = refresh.map(JSONValue.string) ?? false
        let board: JSONObject = [
            "uid": .string(uid),
            "title": .string(title),
            "description": .string(description),
            "tags": ["osm", "openservicemesh"],
            "editable": true,
            "graphTooltip": 1,
            "style": "dark",
            "timezone": "browser",
            "schemaVersion": 25,
            "version": 1,
            "refresh": refreshEvery,
            "time": ["from": .string(from), "to": "now"],
            "timepicker": ["refresh_intervals": ["10s", "30s", "1m", "5m", "15m"]],
            "annotations": [
                "list": [
                    [
                        "name": "Annotations & Alerts", "type": "dashboard", "builtIn": 1, "datasource": "-- Grafana --",
                        "enable": true, "hide": true, "iconColor": "rgba(0, 211, 255, 1)",
                    ]
                ]
            ],
            "links": [],
            "templating": ["list": .array(variables)],
            "panels": .array(panels),
        ]
        return JSONValue.object(board).jsonString(pretty: true) + "\n"
    }

    // MARK: layout

    private mutating func takeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    private mutating func newLine() {
        y += lineHeight
        x = 0
        lineHeight = 0
    }

    private func grid(x: Int, y: Int, w: Int, h: Int) -> JSONValue {
        ["h": .int(h), "w": .int(w), "x": .int(x), "y": .int(y)]
    }

    private mutating func place(width: Int, height: Int) -> JSONValue {
        if x + width > Self.gridWidth { newLine() }
        defer {
            x += width
            lineHeight = max(lineHeight, height)
        }
        return grid(x: x, y: y, w: width, h: height)
    }

    private mutating func panel(_ type: String, _ title: String, width: Int, height: Int, help: String?, queries: [JSONObject]) -> JSONObject {
        var p: JSONObject = [
            "id": .int(takeID()), "type": .string(type), "title": .string(title), "datasource": .string(Self.datasource),
            "gridPos": place(width: width, height: height),
        ]
        if let help { p["description"] = .string(help) }
        var refID = UInt8(ascii: "A")
        p["targets"] = .array(queries.map { t in
            var t = t
            t["refId"] = .string(String(UnicodeScalar(refID)))
            refID += 1
            return .object(t)
        })
        return p
    }

    private func target(_ q: Query) -> JSONObject {
        ["expr": .string(q.expr), "legendFormat": .string(q.legend), "format": "time_series", "interval": "", "intervalFactor": 1]
    }
}
