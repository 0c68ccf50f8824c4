import YAML

/// Decodes the `k8s\0` protobuf envelope kubectl sends for a few kinds (filled in later).
enum ProtobufDecoder {
    static func decode(_ body: [UInt8], kind: String) throws(StatusError) -> JSONValue {
        throw StatusError(code: 415, reason: "UnsupportedMediaType", message: "protobuf bodies are not supported")
    }
}
