import ObjectModel

/// Legacy discovery documents and `/version`, built once per server.
enum Discovery {
    static func version(_ gitVersion: String) -> JSONValue {
        let parts = gitVersion.dropFirst().split(separator: ".")
        return [
            "major": .string(parts.count > 0 ? String(parts[0]) : "1"),
            "minor": .string(parts.count > 1 ? String(parts[1]) : "20"),
            "gitVersion": .string(gitVersion),
            "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
            "buildDate": "2021-01-01T00:00:00Z", "goVersion": "go1.15.15", "compiler": "gc",
            "platform": "linux/amd64",
        ]
    }

    static func coreVersions(address: String) -> JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(address)]]]
    }

    static func group(_ g: (name: String, versions: [String])) -> JSONValue {
        let versions: [JSONValue] = g.versions.map { ["groupVersion": .string("\(g.name)/\($0)"), "version": .string($0)] }
        return ["name": .string(g.name), "versions": .array(versions), "preferredVersion": versions[0]]
    }

    static func groupList(_ catalog: ResourceCatalog) -> JSONValue {
        ["kind": "APIGroupList", "apiVersion": "v1",
         "groups": .array(catalog.groups.filter { !$0.name.isEmpty }.map { group($0) })]
    }

    static func groupDocument(_ g: (name: String, versions: [String])) -> JSONValue {
        var v = group(g)
        v["kind"] = "APIGroup"
        v["apiVersion"] = "v1"
        return v
    }

    static func resourceList(_ groupVersion: String, _ types: [ResourceType]) -> JSONValue {
        var resources: [JSONValue] = []
        for t in types {
            var r = JSONObject([
                "name": .string(t.name), "singularName": .string(t.singular), "namespaced": .bool(t.namespaced),
                "kind": .string(t.kind), "verbs": JSONValue(t.verbs),
            ])
            if !t.shortNames.isEmpty { r["shortNames"] = JSONValue(t.shortNames) }
            if t.group == "apps" || (t.group == "batch" && t.name == "jobs") { r["categories"] = ["all"] }
            if ["pods", "services"].contains(t.name) { r["categories"] = ["all"] }
            resources.append(.object(r))
            if t.hasStatus {
                resources.append(["name": .string("\(t.name)/status"), "singularName": "", "namespaced": .bool(t.namespaced),
                                  "kind": .string(t.kind), "verbs": ["get", "patch", "update"]])
            }
            if t.hasScale {
                resources.append(["name": .string("\(t.name)/scale"), "singularName": "", "namespaced": true, "group": "autoscaling",
                                  "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]])
            }
            if t.name == "serviceaccounts", !t.custom {
                resources.append(["name": "serviceaccounts/token", "singularName": "", "namespaced": true, "group": "authentication.k8s.io",
                                  "version": "v1", "kind": "TokenRequest", "verbs": ["create"]])
            }
            if t.name == "namespaces" {
                resources.append(["name": "namespaces/finalize", "singularName": "", "namespaced": false,
                                  "kind": "Namespace", "verbs": ["update"]])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion),
                "resources": .array(resources)]
    }
}
