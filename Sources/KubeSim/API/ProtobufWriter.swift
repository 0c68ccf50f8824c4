/// Protocol-buffer wire encoding of the messages kube-sim writes (proto3: empty values are left out).
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func tag(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        bytes(field, Array(value.utf8))
    }

    mutating func bool(_ field: Int, _ value: Bool) {
        guard value else { return }
        tag(field, 0)
        varint(1)
    }

    /// An embedded message, written even when empty (its presence is what it says).
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var w = ProtobufWriter()
        body(&w)
        bytes(field, w.bytes)
    }
}
