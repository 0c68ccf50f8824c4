import ObjectModel

/// The discovery answers for one catalog, encoded once (rebuilt when CRDs change the catalog).
struct DiscoveryDocuments: Sendable {
    let coreVersions: [UInt8]
    let groupList: [UInt8]
    let groups: [String: [UInt8]]
    let resourceLists: [String: [UInt8]]

    init(catalog: ResourceCatalog, address: String) {
        coreVersions = Discovery.coreVersions(address: address).jsonBytes()
        groupList = Discovery.groupList(catalog).jsonBytes()
        var groups: [String: [UInt8]] = [:]
        for g in catalog.groups where !g.name.isEmpty { groups[g.name] = Discovery.groupDocument(g).jsonBytes() }
        self.groups = groups
        var lists: [String: [UInt8]] = [:]
        for g in catalog.groups {
            for v in g.versions {
                let gv = g.name.isEmpty ? v : "\(g.name)/\(v)"
                lists[gv] = Discovery.resourceList(gv, catalog.resources(groupVersion: gv) ?? []).jsonBytes()
            }
        }
        resourceLists = lists
    }
}
