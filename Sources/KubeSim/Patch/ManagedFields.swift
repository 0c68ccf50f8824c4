import Foundation
import ObjectModel

/// Field ownership as kube-apiserver v1.20 keeps it (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager
/// over sigs.k8s.io/structured-merge-diff/v4 merge.Updater), written from those sources as 1.20
/// vendors them (the kubernetes repository is not fetched here): every create, update and patch records
/// what it set under its manager (operation Update); a server-side apply (operation Apply) merges the
/// applied configuration into the object, removes what the applier stopped applying and no one else
/// owns, and fails with a conflict when it changes a field another manager owns, unless forced.
enum ManagedFields {
    typealias Path = FieldSet.Path

    // MARK: entries

    /// The entries of `metadata.managedFields`, or nil when there are none (or they do not decode).
    static func decode(_ v: JSONValue?) -> [ManagedFieldsEntry]? {
        guard let list = v?.arrayValue, !list.isEmpty else { return nil }
        var out: [ManagedFieldsEntry] = []
        for e in list {
            guard let manager = e["manager"]?.stringValue, let op = e["operation"]?.stringValue,
                  op == ManagedFieldsEntry.apply || op == ManagedFieldsEntry.update else { return nil }
            out.append(ManagedFieldsEntry(manager: manager, operation: op, apiVersion: e["apiVersion"]?.stringValue ?? "",
                                          time: e["time"]?.stringValue, set: FieldSet(fieldsV1: e["fieldsV1"] ?? [:])))
        }
        return out
    }

    /// fieldmanager sortEncodedManagedFields: by operation (Apply first), time, manager, apiVersion.
    static func encode(_ entries: [ManagedFieldsEntry]) -> JSONValue {
        let sorted = entries.sorted { p, q in
            if p.operation != q.operation { return p.operation < q.operation }
            if (p.time ?? "") != (q.time ?? "") { return (p.time ?? "") < (q.time ?? "") }
            if p.manager != q.manager { return p.manager < q.manager }
            return p.apiVersion < q.apiVersion
        }
        return .array(sorted.map(\.json))
    }

    /// The manager of a request without `fieldManager`: the User-Agent up to its first `/`, printable
    /// characters only, at most 128 (handlers/create.go managerOrUserAgent, prefixFromUserAgent).
    static func manager(fromUserAgent ua: String) -> String {
        let head = ua.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var out = ""
        for ch in head.unicodeScalars where isPrint(ch) {
            if out.utf8.count >= 128 { break }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s == " " { return true }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default: return true
        }
    }

    /// metav1 validation ValidateFieldManager: at most 128 bytes of printable characters.
    static func validate(_ manager: String) -> [FieldError] {
        if manager.utf8.count > 128 { return [.tooLong("fieldManager", 128)] }
        if !manager.unicodeScalars.allSatisfy(isPrint) {
            return [.invalid("fieldManager", GoValue.quote(manager), "must only contain printable characters")]
        }
        return []
    }

    // MARK: objects as field sets

    /// What fieldmanager's stripMeta leaves out of every set (apiVersion, kind and the system metadata).
    static func stripped(_ v: JSONValue, ignoreStatus: Bool) -> JSONValue {
        guard case .object(var o) = v else { return v }
        o["apiVersion"] = nil
        o["kind"] = nil
        if ignoreStatus { o["status"] = nil }
        if case .object(var m)? = o["metadata"] {
            for k in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "selfLink",
                      "clusterName", "managedFields"] { m[k] = nil }
            o["metadata"] = .object(m)
        }
        return .object(o)
    }

    private static func cleaned(_ s: FieldSet) -> FieldSet {
        FieldSet(Set(s.paths.filter { $0 != ["f:metadata"] && $0 != ["f:apiVersion"] && $0 != ["f:kind"] }))
    }

    /// The object a create is compared with: the kind's empty Go value as the converter writes it
    /// (empty structs present, nil pointers and slices left out or null), so a create owns the fields it
    /// set and the maps it brought (`.` entries) as 1.20's do.
    static func emptyObject(_ t: ResourceType, like v: JSONValue) -> JSONValue {
        var o = JSONObject()
        o["metadata"] = .object(JSONObject())
        guard !t.custom else { return .object(o) }
        if v["spec"] != nil {
            var spec = JSONObject()
            if ObjectDefaults.templateKinds.contains(t.kind) {
                spec["template"] = ["metadata": [:], "spec": ["containers": .null]]
                if t.kind != "Job" { spec["selector"] = .null }
                if t.kind == "Deployment" { spec["strategy"] = [:] }
                if t.kind == "StatefulSet" || t.kind == "DaemonSet" { spec["updateStrategy"] = [:] }
            }
            if t.kind == "Pod" { spec["containers"] = .null }
            // A Namespace's `kubernetes` finalizer comes from its strategy's PrepareForCreate, after the
            // field manager has run: not the creator's (its status phase, a default, is).
            if t.kind == "Namespace" { spec["finalizers"] = ["kubernetes"] }
            o["spec"] = .object(spec)
        }
        if v["status"] != nil { o["status"] = .object(JSONObject()) }
        return .object(o)
    }

    /// typed.TypedValue.ToFieldSet: the leaves and the items of associative and set lists of an applied
    /// configuration (a non-empty map is not a member itself; an empty one, or null, is).
    static func fieldSet(_ v: JSONValue, kind: String, custom: Bool) -> FieldSet {
        var set = FieldSet()
        func walk(_ v: JSONValue, _ p: Path, _ fields: [String]) {
            switch v {
            case .object(let o) where !o.isEmpty && !FieldSchema.isAtomicMap(fields, kind: kind, custom: custom):
                for (k, c) in o { walk(c, p + ["f:" + k], fields + [k]) }
            case .array(let a):
                switch FieldSchema.listType(fields, kind: kind, custom: custom) {
                case .atomic: set.insert(p)
                case .set: for x in a { set.insert(p + [FieldSchema.valueElement(x)]) }
                case .map(let keys):
                    for item in a {
                        let ip = p + [FieldSchema.keyElement(item, keys: keys)]
                        set.insert(ip)
                        if case .object(let o) = item { for (k, c) in o { walk(c, ip + ["f:" + k], fields + [k]) } }
                    }
                }
            default:
                if !p.isEmpty { set.insert(p) }
            }
        }
        walk(v, [], [])
        return cleaned(set)
    }

    struct Comparison {
        var added = FieldSet(), modified = FieldSet(), removed = FieldSet()
        var changed: FieldSet { added.union(modified) }
        var isSame: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }
    }

    /// typed.TypedValue.Compare: leaves added, removed or changed, and the maps, lists and list items
    /// added or removed as a whole (a null counts as present).
    static func compare(_ a: JSONValue, _ b: JSONValue, kind: String, custom: Bool) -> Comparison {
        var c = Comparison()
        func node(_ x: JSONValue?, _ y: JSONValue?, _ p: Path) {
            guard !p.isEmpty else { return }
            if x == nil { c.added.insert(p) } else if y == nil { c.removed.insert(p) }
        }
        func leaf(_ x: JSONValue?, _ y: JSONValue?, _ p: Path) {
            if x == nil { if y != nil { c.added.insert(p) } } else if y == nil { c.removed.insert(p) } else if x != y { c.modified.insert(p) }
        }
        func isObjectish(_ v: JSONValue?) -> Bool {
            if case .object? = v { return true }
            return v == nil || v == .null
        }
        func isArrayish(_ v: JSONValue?) -> Bool {
            if case .array? = v { return true }
            return v == nil || v == .null
        }
        func walk(_ x: JSONValue?, _ y: JSONValue?, _ p: Path, _ fields: [String]) {
            if isObjectish(x), isObjectish(y), x?.objectValue != nil || y?.objectValue != nil,
               !FieldSchema.isAtomicMap(fields, kind: kind, custom: custom) {
                let xo = x?.objectValue ?? JSONObject(), yo = y?.objectValue ?? JSONObject()
                for k in xo.keys { walk(xo[k], yo[k], p + ["f:" + k], fields + [k]) }
                for k in yo.keys where xo[k] == nil { walk(nil, yo[k], p + ["f:" + k], fields + [k]) }
                node(x, y, p)
                return
            }
            if isArrayish(x), isArrayish(y), x?.arrayValue != nil || y?.arrayValue != nil {
                let type = FieldSchema.listType(fields, kind: kind, custom: custom)
                if type != .atomic {
                    let xa = x?.arrayValue ?? [], ya = y?.arrayValue ?? []
                    func element(_ v: JSONValue) -> String {
                        if case .map(let keys) = type { return FieldSchema.keyElement(v, keys: keys) }
                        return FieldSchema.valueElement(v)
                    }
                    var xs: [String: JSONValue] = [:], ys: [String: JSONValue] = [:]
                    var order: [String] = []
                    for v in xa { let e = element(v); if xs[e] == nil { xs[e] = v; order.append(e) } }
                    for v in ya { let e = element(v); if ys[e] == nil { ys[e] = v; if xs[e] == nil { order.append(e) } } }
                    for e in order {
                        let ip = p + [e]
                        if case .map = type {
                            let xo = xs[e]?.objectValue ?? JSONObject(), yo = ys[e]?.objectValue ?? JSONObject()
                            for k in xo.keys { walk(xo[k], yo[k], ip + ["f:" + k], fields + [k]) }
                            for k in yo.keys where xo[k] == nil { walk(nil, yo[k], ip + ["f:" + k], fields + [k]) }
                            node(xs[e], ys[e], ip)
                        } else {
                            leaf(xs[e], ys[e], ip)
                        }
                    }
                    node(x, y, p)
                    return
                }
            }
            leaf(x, y, p)
        }
        walk(a, b, [], [])
        c.added = cleaned(c.added)
        c.modified = cleaned(c.modified)
        c.removed = cleaned(c.removed)
        return c
    }

    // MARK: writes

    /// FieldManager.Update (v1.20) for a create, update or patch by `manager`: the entries come from the
    /// new object when it has some, else from the old one; what changed goes to `manager`'s Update entry
    /// (taken from every other), what went is taken from every entry.
    static func recordUpdate(_ value: inout JSONValue, old: JSONValue?, _ t: ResourceType, manager: String,
                             ignoreStatus: Bool) {
        var entries = isReset(value[path: "metadata", "managedFields"]) ? []
            : decode(value[path: "metadata", "managedFields"]) ?? decode(old?[path: "metadata", "managedFields"]) ?? []
        let before = old.map { stripped($0, ignoreStatus: ignoreStatus) } ?? emptyObject(t, like: stripped(value, ignoreStatus: ignoreStatus))
        let c = compare(before, stripped(value, ignoreStatus: ignoreStatus), kind: t.kind, custom: t.custom)
        let changed = c.changed
        if !changed.isEmpty || !c.removed.isEmpty {
            for i in entries.indices { entries[i].set = entries[i].set.subtracting(changed).subtracting(c.removed) }
            if !changed.isEmpty {
                let mine = ManagedFieldsEntry(manager: manager, operation: ManagedFieldsEntry.update, apiVersion: t.groupVersion,
                                              time: RFC3339.now(), set: changed)
                if let i = entries.firstIndex(where: { $0.id == mine.id }) {
                    entries[i].set = entries[i].set.union(changed)
                    entries[i].time = mine.time
                } else {
                    entries.append(mine)
                }
            }
            entries.removeAll { $0.set.isEmpty }
        }
        capUpdaters(&entries)
        setEntries(&value, entries)
    }

    /// fieldmanager's capManagersManager (DefaultMaxUpdateManagers 10): past ten Update entries, the
    /// oldest are merged, per apiVersion, into `ancient-changes`, which takes the newest merged one's time.
    static func capUpdaters(_ entries: inout [ManagedFieldsEntry], max: Int = 10) {
        let updaters = entries.enumerated().filter { $0.element.operation == ManagedFieldsEntry.update }
            .sorted { ($0.element.time ?? "", $0.offset) < ($1.element.time ?? "", $1.offset) }.map(\.element.id)
        guard updaters.count > max else { return }
        var length = updaters.count
        var firstByVersion: [String: String] = [:]
        for id in updaters where length > max {
            guard let i = entries.firstIndex(where: { $0.id == id }) else { continue }
            let e = entries[i]
            let bucket = ManagedFieldsEntry(manager: "ancient-changes", operation: ManagedFieldsEntry.update,
                                            apiVersion: e.apiVersion, time: e.time, set: FieldSet())
            guard let first = firstByVersion[e.apiVersion] else {
                firstByVersion[e.apiVersion] = id
                continue
            }
            if !entries.contains(where: { $0.id == bucket.id }), let f = entries.firstIndex(where: { $0.id == first }) {
                entries[f].manager = bucket.manager
            }
            guard let b = entries.firstIndex(where: { $0.id == bucket.id }) else { continue }
            entries[b].set = entries[b].set.union(e.set)
            entries[b].time = e.time
            entries.removeAll { $0.id == id }
            length -= 1
        }
    }

    /// fieldmanager isResetManagedFields: `managedFields: []` or `[{}]` in a write asks for none.
    static func isReset(_ v: JSONValue?) -> Bool {
        guard let list = v?.arrayValue else { return false }
        return list.isEmpty || (list.count == 1 && list[0].objectValue?.isEmpty == true)
    }

    static func setEntries(_ value: inout JSONValue, _ entries: [ManagedFieldsEntry]) {
        guard case .object(var meta)? = value["metadata"] else { return }
        meta["managedFields"] = entries.isEmpty ? JSONValue?.none : encode(entries)
        value["metadata"] = .object(meta)
    }

    /// merge.Updater's merge of an applied configuration into the live object (typed.TypedValue.Merge,
    /// structured-merge-diff v4.0's mergingWalker): maps field by field, associative lists item by item
    /// and set lists as a union, both in the live order with the new items after ("a cheap hack to at
    /// least make the output order stable"), atomic lists and maps and scalars replaced.
    static func merge(_ live: JSONValue?, _ applied: JSONValue, kind: String, custom: Bool, _ fields: [String] = []) -> JSONValue {
        if case .object(let ro) = applied, case .object(var lo)? = live, !FieldSchema.isAtomicMap(fields, kind: kind, custom: custom) {
            for (k, rv) in ro { lo[k] = merge(lo[k], rv, kind: kind, custom: custom, fields + [k]) }
            return .object(lo)
        }
        if case .array(let ra) = applied, case .array(let la)? = live {
            let type = FieldSchema.listType(fields, kind: kind, custom: custom)
            if type == .atomic { return applied }
            func element(_ v: JSONValue) -> String {
                if case .map(let keys) = type { return FieldSchema.keyElement(v, keys: keys) }
                return FieldSchema.valueElement(v)
            }
            var appliedItems: [String: JSONValue] = [:]
            var order: [String] = []
            for x in ra {
                let e = element(x)
                if appliedItems[e] == nil { appliedItems[e] = x; order.append(e) }
            }
            var seen = Set<String>()
            var out: [JSONValue] = []
            for x in la {
                let e = element(x)
                guard !seen.contains(e) else { continue }
                seen.insert(e)
                out.append(appliedItems[e].map { merge(x, $0, kind: kind, custom: custom, fields) } ?? x)
            }
            for e in order where !seen.contains(e) { out.append(appliedItems[e]!) }
            return .array(out)
        }
        return applied
    }

    /// Removes the field or list item at `p` (a missing one is no error).
    static func remove(_ p: Path, from v: inout JSONValue) {
        guard let first = p.first else { return }
        let rest = Array(p.dropFirst())
        let body = String(first.dropFirst(2))
        if first.hasPrefix("f:") {
            guard case .object(var o) = v, var child = o[body] else { return }
            if rest.isEmpty { o[body] = nil } else {
                remove(rest, from: &child)
                o[body] = child
            }
            v = .object(o)
            return
        }
        guard case .array(var a) = v else { return }
        let index: Int?
        if first.hasPrefix("k:") {
            let keys = (try? JSONValue(parsing: body))?.objectValue?.keys ?? []
            index = a.firstIndex { FieldSchema.keyElement($0, keys: keys) == first }
        } else if first.hasPrefix("v:") {
            index = a.firstIndex { FieldSchema.valueElement($0) == first }
        } else {
            index = Int(body).flatMap { a.indices.contains($0) ? $0 : nil }
        }
        guard let i = index else { return }
        if rest.isEmpty { a.remove(at: i) } else { remove(rest, from: &a[i]) }
        v = .array(a)
    }

    /// fieldmanager NewConflictError: 409 Conflict, `Apply failed with 1 conflict: conflict with "x" using v1: .data.k`,
    /// a FieldManagerConflict cause per field.
    static func conflictError(_ conflicts: [(ManagedFieldsEntry, FieldSet)]) -> StatusError {
        var causes: [JSONValue] = []
        var byManager: [String: [String]] = [:]
        var count = 0
        for (entry, set) in conflicts {
            for p in set.ordered {
                let field = FieldSet.describe(p)
                causes.append(["reason": "FieldManagerConflict", "message": .string("conflict with \(entry.printed)"), "field": .string(field)])
                byManager[entry.printed, default: []].append(field)
                count += 1
            }
        }
        let message: String
        if count == 1, let only = byManager.first {
            message = "Apply failed with 1 conflict: conflict with \(only.key): \(only.value[0])"
        } else {
            var lines: [String] = []
            for m in byManager.keys.sorted() {
                lines.append("conflicts with \(m):")
                lines += byManager[m]!.map { "- \($0)" }
            }
            message = "Apply failed with \(count) conflicts: " + lines.joined(separator: "\n")
        }
        return StatusError(code: 409, reason: "Conflict", message: message, details: ["causes": .array(causes)])
    }
}
