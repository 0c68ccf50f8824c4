import YAML

/// `/openapi/v3` documents (filled in later).
struct OpenAPIDocuments: Sendable {
    init(catalog: ResourceCatalog) {}

    func serve(_ segs: [Substring]) throws(StatusError) -> APIReply {
        throw StatusError.pathNotFound
    }
}
