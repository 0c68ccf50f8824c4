/// Minimal protobuf wire-format reader.
struct ProtobufReader {
    private var b: ArraySlice<UInt8>

    init(_ b: ArraySlice<UInt8>) { self.b = b }

    struct Field {
        let wireType: Int
        let payload: ArraySlice<UInt8>
        let value: UInt64

        func bytes() throws(StatusError) -> ArraySlice<UInt8> {
            guard wireType == 2 else { throw ProtobufReader.bad() }
            return payload
        }
        func string() throws(StatusError) -> String { String(decoding: try bytes(), as: UTF8.self) }
        func varint() throws(StatusError) -> UInt64 {
            guard wireType == 0 else { throw ProtobufReader.bad() }
            return value
        }
    }

    static func bad() -> StatusError { StatusError.badRequest("malformed protobuf body") }

    private mutating func readVarint() throws(StatusError) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while let c = b.first {
            b = b.dropFirst()
            v |= UInt64(c & 0x7F) << shift
            if c & 0x80 == 0 { return v }
            shift += 7
            if shift > 63 { break }
        }
        throw Self.bad()
    }

    mutating func fields(_ visit: (Int, Field) throws(StatusError) -> Void) throws(StatusError) {
        while !b.isEmpty {
            let tag = try readVarint()
            let n = Int(tag >> 3), wt = Int(tag & 7)
            switch wt {
            case 0: try visit(n, Field(wireType: 0, payload: [], value: try readVarint()))
            case 1:
                guard b.count >= 8 else { throw Self.bad() }
                b = b.dropFirst(8)
            case 2:
                let len = Int(try readVarint())
                guard len >= 0, b.count >= len else { throw Self.bad() }
                let payload = b.prefix(len)
                b = b.dropFirst(len)
                try visit(n, Field(wireType: 2, payload: payload, value: 0))
            case 5:
                guard b.count >= 4 else { throw Self.bad() }
                b = b.dropFirst(4)
            default: throw Self.bad()
            }
        }
    }
}
