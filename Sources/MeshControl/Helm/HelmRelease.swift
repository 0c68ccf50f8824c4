import ObjectModel

/// One revision of a Helm 3 release (`helm.sh/helm/v3/pkg/release.Release`, as Helm v3.2, which
/// upstream osm v0.8 vendors, stores it), with its Go struct's JSON field names.
///
/// The chart is kept as the JSON Helm wrote (metadata, templates, values, schema, files), and
/// keys a later Helm adds are kept as read, so a record written by Helm and rewritten here (to
/// mark it superseded) loses nothing.
package struct HelmRelease: Sendable, Equatable {
    package var name: String
    package var info: Info
    /// `chart.Chart`: `metadata`, `lock`, `templates`, `values`, `schema`, `files`.
    package var chart: JSONValue
    /// The values the user set (`helm get values`), merged onto the chart's `values` at render time.
    package var config: JSONValue
    /// The rendered templates, `---\n# Source: <chart>/templates/<file>\n<object>\n` each.
    package var manifest: String
    package var hooks: [JSONValue]
    /// The revision, from 1.
    package var version: Int
    package var namespace: String
    var otherKeys = JSONObject()

    package init(name: String, info: Info, chart: JSONValue, config: JSONValue, manifest: String,
                hooks: [JSONValue] = [], version: Int, namespace: String) {
        self.name = name
        self.info = info
        self.chart = chart
        self.config = config
        self.manifest = manifest
        self.hooks = hooks
        self.version = version
        self.namespace = namespace
    }

    /// `release.Status`.
    package struct Status: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        package var rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package var description: String { rawValue }

        package static let unknown = Status(rawValue: "unknown")
        package static let deployed = Status(rawValue: "deployed")
        package static let uninstalled = Status(rawValue: "uninstalled")
        package static let superseded = Status(rawValue: "superseded")
        package static let failed = Status(rawValue: "failed")
        package static let uninstalling = Status(rawValue: "uninstalling")
        package static let pendingInstall = Status(rawValue: "pending-install")
        package static let pendingUpgrade = Status(rawValue: "pending-upgrade")
        package static let pendingRollback = Status(rawValue: "pending-rollback")
    }

    /// `release.Info`. Times are kept as Go wrote them (RFC 3339 with nanoseconds; "" for zero).
    package struct Info: Sendable, Equatable {
        package var firstDeployed: String
        package var lastDeployed: String
        package var deleted: String = ""
        package var description: String
        package var status: Status
        package var notes: String = ""
        var otherKeys = JSONObject()

        package init(firstDeployed: String, lastDeployed: String, description: String, status: Status, notes: String = "") {
            self.firstDeployed = firstDeployed
            self.lastDeployed = lastDeployed
            self.description = description
            self.status = status
            self.notes = notes
        }
    }

    /// A failed revision's description: `Release "<name>" failed: <why>` (Helm's wording; the
    /// upgrade's says `Upgrade`), on one line, since `helm history` prints each revision as one
    /// row: the lines of `why` joined by "; ".
    package static func failureDescription(_ action: String, _ name: String, _ why: String) -> String {
        let lines = why.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        return "\(action) \"\(name)\" failed: " + lines.joined(separator: "; ")
    }

    /// The chart's `metadata.version` (`helm list`'s CHART is `<name>-<version>`).
    package var chartVersion: String? { chart[path: "metadata", "version"]?.stringValue }
    package var appVersion: String? { chart[path: "metadata", "appVersion"]?.stringValue }

    // MARK: JSON, field by field as encoding/json writes the Go structs

    /// Go's field order and `omitempty` rules; the times are structs, so never omitted.
    package var json: JSONValue {
        var o = JSONObject()
        if !name.isEmpty { o["name"] = .string(name) }
        var i = JSONObject()
        i["first_deployed"] = .string(info.firstDeployed)
        i["last_deployed"] = .string(info.lastDeployed)
        i["deleted"] = .string(info.deleted)
        if !info.description.isEmpty { i["description"] = .string(info.description) }
        if !info.status.rawValue.isEmpty { i["status"] = .string(info.status.rawValue) }
        if !info.notes.isEmpty { i["notes"] = .string(info.notes) }
        for (k, v) in info.otherKeys { i[k] = v }
        o["info"] = .object(i)
        if !chart.isNull { o["chart"] = chart }
        if let c = config.objectValue, !c.isEmpty { o["config"] = config }
        if !manifest.isEmpty { o["manifest"] = .string(manifest) }
        if !hooks.isEmpty { o["hooks"] = .array(hooks) }
        if version != 0 { o["version"] = .int(version) }
        if !namespace.isEmpty { o["namespace"] = .string(namespace) }
        for (k, v) in otherKeys { o[k] = v }
        return .object(o)
    }

    static let knownKeys: Set<String> = ["name", "info", "chart", "config", "manifest", "hooks", "version", "namespace"]
    static let knownInfoKeys: Set<String> = ["first_deployed", "last_deployed", "deleted", "description", "status", "notes"]

    /// Reads a release as `json.Unmarshal` would: missing fields are zero values.
    package init(json: JSONValue) throws(OSMError) {
        guard let o = json.objectValue else { throw OSMError(.badObject, "a Helm release record is not a JSON object") }
        func string(_ v: JSONValue?, _ field: String) throws(OSMError) -> String {
            guard let v, !v.isNull else { return "" }
            guard let s = v.stringValue else { throw OSMError(.badObject, "a Helm release record's \(field) is not a string") }
            return s
        }
        name = try string(o["name"], "name")
        if let i = o["info"], !i.isNull, i.objectValue == nil {
            throw OSMError(.badObject, "a Helm release record's info is not an object")
        }
        let i = o["info"]?.objectValue ?? JSONObject()
        info = Info(firstDeployed: try string(i["first_deployed"], "info.first_deployed"),
                    lastDeployed: try string(i["last_deployed"], "info.last_deployed"),
                    description: try string(i["description"], "info.description"),
                    status: Status(rawValue: try string(i["status"], "info.status")),
                    notes: try string(i["notes"], "info.notes"))
        info.deleted = try string(i["deleted"], "info.deleted")
        for (k, v) in i where !Self.knownInfoKeys.contains(k) { info.otherKeys[k] = v }
        chart = o["chart"] ?? .null
        config = o["config"].flatMap { $0.isNull ? nil : $0 } ?? .object(JSONObject())
        guard config.objectValue != nil else { throw OSMError(.badObject, "a Helm release record's config is not a map") }
        manifest = try string(o["manifest"], "manifest")
        hooks = o["hooks"]?.arrayValue ?? []
        if let v = o["version"], !v.isNull, v.intValue == nil {
            throw OSMError(.badObject, "a Helm release record's version is not a whole number")
        }
        version = o["version"]?.intValue ?? 0
        namespace = try string(o["namespace"], "namespace")
        for (k, v) in o where !Self.knownKeys.contains(k) { otherKeys[k] = v }
    }

    // MARK: storage encoding (pkg/storage/driver/util.go)

    /// `encodeRelease`: base64 (standard, padded) of the gzip of the JSON. Helm compresses at
    /// `gzip.BestCompression`; any level reads back the same (the level is nowhere in the
    /// stream Helm reads), and level 1 costs a third of 9's instructions for about 15% more
    /// bytes (a release of this chart: 3.3 KB instead of 2.8 KB, of 15 KB of JSON).
    ///
    /// The gzip stream is three members (Go's `gzip.Reader`, which Helm reads it with, reads
    /// them as one, as every gzip reader does): the JSON before `info.status`'s value, that
    /// value, both stored uncompressed, and the rest; so that superseding the revision later
    /// (`encoded(reusing:)`) rewrites the middle member only.
    package func encoded() throws(OSMError) -> String {
        do {
            let bytes = json.jsonBytes()
            guard let (start, end) = statusValue(in: bytes) else {
                return Base64.encode(try Gzip.compress(bytes, level: Self.compressionLevel))
            }
            // The first part (name, times, description: a few hundred bytes) is stored as it is
            // too: compressing it would save less than a hundred bytes for another compressor run.
            let head: Gzip.Part = start <= 1024 ? .stored(Array(bytes[..<start])) : .deflated(bytes[..<start])
            return Base64.encode(try Gzip.stream(of: [head, .stored(Array(bytes[start..<end])), .deflated(bytes[end...])],
                                                 level: Self.compressionLevel))
        } catch {
            throw OSMError("could not encode Helm release \(name) v\(version): \(error.description)")
        }
    }

    /// A record as it was read: its gzip stream and JSON, kept so that a rewrite of its status
    /// alone (Helm's supersede) neither writes nor compresses the JSON again.
    struct Stored: Sendable {
        /// The gzip stream (Helm's base64 decoded), its members, and their content.
        var gzip: [UInt8]
        var members: [Gzip.Member]
        var json: [UInt8]
        /// What the release read had, but its status: a release whose fields differ elsewhere
        /// is not this record with another status.
        var name: String, version: Int, namespace: String, info: Info
        var status: Status

        /// Whether `release` is the one read, but for its status (its chart, values and
        /// manifest are not compared: only the status and description are ever changed on a
        /// record read; the description check catches the rewrites that change both).
        func isStatusChange(of release: HelmRelease) -> Bool {
            var info = release.info
            info.status = status
            return release.name == name && release.version == version && release.namespace == namespace && info == self.info
        }
    }

    /// `encoded()` of this release, which is `stored`'s but for its status: `stored`'s JSON
    /// with the status's value replaced, and when that value is a member of its own (a record
    /// this osm wrote), the other members copied as they are.
    func encoded(reusing stored: Stored) throws(OSMError) -> String {
        guard stored.isStatusChange(of: self), let (start, end) = statusValue(in: stored.json, status: stored.status) else {
            return try encoded()
        }
        let value = JSONValue.string(info.status.rawValue).jsonBytes()
        let m = stored.members
        let parts: [Gzip.Part]
        if m.count == 3, m[0].content == 0..<start, m[1].content == start..<end, m[2].content == end..<stored.json.count {
            parts = [.member(stored.gzip[m[0].compressed]), .stored(value), .member(stored.gzip[m[2].compressed])]
        } else {
            parts = [start <= 1024 ? .stored(Array(stored.json[..<start])) : .deflated(stored.json[..<start]), .stored(value),
                     .deflated(stored.json[end...])]
        }
        do {
            return Base64.encode(try Gzip.stream(of: parts, level: Self.compressionLevel))
        } catch {
            throw OSMError("could not encode Helm release \(name) v\(version): \(error.description)")
        }
    }

    /// Where the JSON string value of `info.status` (`status`, this release's by default) is in
    /// `bytes`, when they begin as `json` writes this release (Go's field order, as Helm writes
    /// it too): nil otherwise, or with no status.
    func statusValue(in bytes: [UInt8], status: Status? = nil) -> (Int, Int)? {
        let status = status ?? info.status
        guard !status.rawValue.isEmpty else { return nil }
        var prefix: [UInt8] = Array("{".utf8)
        func field(_ key: String, _ value: String) {
            prefix += JSONValue.string(key).jsonBytes()
            prefix.append(UInt8(ascii: ":"))
            prefix += JSONValue.string(value).jsonBytes()
            prefix.append(UInt8(ascii: ","))
        }
        if !name.isEmpty { field("name", name) }
        prefix += Array(#""info":{"#.utf8)
        field("first_deployed", info.firstDeployed)
        field("last_deployed", info.lastDeployed)
        field("deleted", info.deleted)
        if !info.description.isEmpty { field("description", info.description) }
        prefix += Array(#""status":"#.utf8)
        let value = JSONValue.string(status.rawValue).jsonBytes()
        let end = prefix.count + value.count
        guard bytes.count > end, bytes[..<prefix.count].elementsEqual(prefix),
              bytes[prefix.count..<end].elementsEqual(value),
              bytes[end] == UInt8(ascii: ",") || bytes[end] == UInt8(ascii: "}") else { return nil }
        return (prefix.count, end)
    }

    /// The zlib level of the records this osm writes.
    static let compressionLevel: Int32 = 1

    /// `decodeRelease`: base64, then gunzip when the gzip magic is there (Helm once stored plain JSON), then JSON.
    package init(encoded: String) throws(OSMError) {
        var budget = Self.decodeBudget
        try self.init(encoded: encoded, budget: &budget)
    }

    /// What a command decodes of release records, in all: a real record is under 1 MiB; a
    /// record that expands to hundreds (a gzip bomb, or a chart gone wrong) must not take the
    /// command's memory and time with it.
    package static let decodeBudget = 64 << 20

    /// `init(encoded:)` within `budget` bytes of JSON, which it takes the record's share of.
    package init(encoded: String, budget: inout Int) throws(OSMError) {
        var stored: Stored? = nil
        try self.init(encoded: encoded, budget: &budget, stored: &stored)
    }

    /// `init(encoded:budget:)`, keeping the bytes read in `stored` (gzip records only).
    init(encoded: String, budget: inout Int, stored: inout Stored?) throws(OSMError) {
        guard var bytes = Base64.decode(encoded) else { throw OSMError(.badObject, "a Helm release record is not base64") }
        let tooLarge = "a Helm release record expands past what is left of the \(Self.decodeBudget >> 20) MiB a command reads of them in all (a real record is under 1 MiB)"
        var gzip: (bytes: [UInt8], members: [Gzip.Member])? = nil
        if Gzip.isGzip(bytes) {
            do {
                var members: [Gzip.Member] = []
                let json = try Gzip.decompress(bytes, limit: budget, members: &members)
                gzip = (bytes, members)
                bytes = json
            } catch {
                if error.tooLarge { throw OSMError(.badObject, tooLarge) }
                throw OSMError(.badObject, "a Helm release record does not decompress: \(error.description)")
            }
        }
        guard bytes.count <= budget else { throw OSMError(.badObject, tooLarge) }
        budget -= bytes.count
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw OSMError(.badObject, "a Helm release record is not JSON: \(error)")
        }
        try self.init(json: value)
        if let gzip {
            stored = Stored(gzip: gzip.bytes, members: gzip.members, json: bytes, name: name, version: version,
                            namespace: namespace, info: info, status: info.status)
        }
    }
}
