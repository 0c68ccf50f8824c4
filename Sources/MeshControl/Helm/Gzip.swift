import CZlib
import ZlibLoader

/// gzip (RFC 1952) through the system zlib, as Go's `compress/gzip` writes and reads it for
/// Helm's release records.
///
/// A stream may be several gzip members one after the other; it reads as the concatenation of
/// their contents, as Go's `gzip.Reader` reads it (multistream, its default, which Helm's
/// `decodeRelease` keeps) and as RFC 1952 allows. This osm writes a record as three members (see
/// `HelmRelease.encoded()`) so that its status can later be rewritten without compressing it again.
enum Gzip {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// The output passed the caller's limit.
        var tooLarge = false
    }

    /// One member of a stream: where its bytes are, and where its content lands in the output.
    struct Member: Sendable, Equatable {
        var compressed: Range<Int>
        var content: Range<Int>
    }

    /// windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    private static let gzipWindowBits: Int32 = 15 + 16

    /// A gzip stream of `bytes`; level 9 is Go's `gzip.BestCompression`, which Helm uses.
    static func compress(_ bytes: [UInt8], level: Int32 = 9) throws(Failure) -> [UInt8] {
        try stream(of: [.deflated(bytes[...])], level: level)
    }

    /// A piece of a multi-member stream.
    enum Part {
        /// Compressed into a member of its own.
        case deflated(ArraySlice<UInt8>)
        /// A member of its own, uncompressed (`appendStored`).
        case stored([UInt8])
        /// A whole gzip member, copied as it is.
        case member(ArraySlice<UInt8>)
    }

    /// The members of `parts`, one after the other: a stream whose content is their contents'
    /// concatenation.
    static func stream(of parts: [Part], level: Int32) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var deflater: Deflater? = nil
        func deflate(_ bytes: ArraySlice<UInt8>) throws(Failure) {
            if deflater == nil { deflater = try Deflater(level: level) } else { try deflater!.reset() }
            try deflater!.append(compressing: bytes, to: &out)
        }
        for part in parts {
            switch part {
            case .deflated(let bytes): try deflate(bytes)
            case .stored(let bytes) where bytes.count <= 0xFFFF: appendStored(bytes, to: &out)
            // A stored block holds at most 64 KiB: a longer `.stored` part is compressed instead.
            case .stored(let bytes): try deflate(bytes[...])
            case .member(let bytes): out += bytes
            }
        }
        return out
    }

    /// A zlib deflate stream writing gzip members, reset between them.
    final class Deflater {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private var started = false

        init(level: Int32) throws(Failure) {
            stream.initialize(to: z_stream())
            let status = osm_deflateInit2(stream, level, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY)
            guard status == Z_OK else { throw failure("gzip: cannot start compressing", status) }
            started = true
        }

        deinit {
            if started { osm_deflateEnd(stream) }
            stream.deallocate()
        }

        func reset() throws(Failure) {
            let status = osm_deflateReset(stream)
            guard status == Z_OK else { throw failure("gzip: cannot start compressing", status) }
        }

        /// Appends one gzip member of `bytes` to `out`.
        func append(compressing bytes: ArraySlice<UInt8>, to out: inout [UInt8]) throws(Failure) {
            let capacity = Int(osm_deflateBound(stream, UInt(bytes.count))) + 64
            var status = Z_OK
            let member = [UInt8](unsafeUninitializedCapacity: capacity) { o, written in
                status = bytes.withUnsafeBufferPointer { b in
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: b.baseAddress ?? UnsafePointer(o.baseAddress!))
                    stream.pointee.avail_in = uInt(b.count)
                    stream.pointee.next_out = o.baseAddress!
                    stream.pointee.avail_out = uInt(capacity)
                    return osm_deflate(stream, Z_FINISH)
                }
                written = status == Z_STREAM_END ? capacity - Int(stream.pointee.avail_out) : 0
            }
            guard status == Z_STREAM_END else { throw Failure(description: "gzip: compression failed (zlib status \(status))") }
            out += member
        }
    }

    /// Appends one gzip member holding `bytes` uncompressed (a deflate stored block): for a few
    /// bytes, cheaper than a compressor's set-up, and read by every gzip reader.
    static func appendStored(_ bytes: [UInt8], to out: inout [UInt8]) {
        precondition(bytes.count <= 0xFFFF)
        // Header: magic, deflate, no flags, no time, no extra flags, OS unknown (as Go writes it).
        out += [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF]
        let n = UInt16(bytes.count)
        out += [0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)]
        out += bytes
        let crc = crc32(bytes)
        for v in [crc, UInt32(bytes.count)] {
            out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
        }
    }

    private static let crcTable: [UInt32] = (0..<256).map { (n: UInt32) -> UInt32 in
        var c = n
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309, gzip's), for short inputs.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// The bytes of a gzip stream; `limit` bounds the output against a malicious record.
    static func decompress(_ bytes: [UInt8], limit: Int = 256 << 20) throws(Failure) -> [UInt8] {
        var members: [Member] = []
        return try decompress(bytes, limit: limit, members: &members)
    }

    /// `decompress`, saying where each member is (`members`, in order).
    static func decompress(_ bytes: [UInt8], limit: Int = 256 << 20, members: inout [Member]) throws(Failure) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let initStatus = osm_inflateInit2(stream, gzipWindowBits)
        guard initStatus == Z_OK else { throw failure("gunzip: cannot start decompressing", initStatus) }
        defer { osm_inflateEnd(stream) }
        return try bytes.withUnsafeBufferPointer { (input) throws(Failure) -> [UInt8] in
            try inflate(stream, input, limit: limit, members: &members)
        }
    }

    private static func inflate(_ stream: UnsafeMutablePointer<z_stream>, _ input: UnsafeBufferPointer<UInt8>, limit: Int,
                                members: inout [Member]) throws(Failure) -> [UInt8] {
        let bytes = input
        // Room for what most records expand to in one pass, never more than the limit allows.
        let chunkSize = min(max(16 << 10, bytes.count * 8), max(16 << 10, limit + 1))
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress ?? UnsafePointer(chunk))
        stream.pointee.avail_in = uInt(bytes.count)
        var output: [UInt8] = []
        members = []
        var memberStart = (compressed: 0, content: 0)
        var status = Z_OK
        while status == Z_OK {
            stream.pointee.next_out = chunk
            stream.pointee.avail_out = uInt(chunkSize)
            status = osm_inflate(stream, Z_NO_FLUSH)
            let produced = chunkSize - Int(stream.pointee.avail_out)
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
            if output.count > limit { throw Failure(description: "gunzip: the data expands past \(limit >> 20) MiB", tooLarge: true) }
            // Z_BUF_ERROR after progress: go on; without progress the input is cut short.
            if status == Z_BUF_ERROR, produced > 0 { status = Z_OK }
            if status == Z_STREAM_END {
                let consumed = bytes.count - Int(stream.pointee.avail_in)
                members.append(Member(compressed: memberStart.compressed..<consumed, content: memberStart.content..<output.count))
                // Another member follows (Go's multistream reading); anything else after one
                // is an error, as in Go ("gzip: invalid header").
                if stream.pointee.avail_in > 0 {
                    guard isGzip(Array(bytes[consumed..<min(consumed + 3, bytes.count)])) else {
                        throw Failure(description: "gunzip: it is not valid gzip data (data after the end of the stream)")
                    }
                    memberStart = (consumed, output.count)
                    let reset = osm_inflateReset(stream)
                    guard reset == Z_OK else { throw failure("gunzip: cannot read the next member", reset) }
                    status = Z_OK
                }
            }
        }
        guard status == Z_STREAM_END else {
            let why = status == Z_BUF_ERROR ? "it is truncated" : "it is not valid gzip data (zlib status \(status))"
            throw Failure(description: "gunzip: \(why)")
        }
        return output
    }

    /// zlib not loadable says why; any other status is zlib's.
    private static func failure(_ what: String, _ status: Int32) -> Failure {
        if status == Z_VERSION_ERROR, let why = osm_zlib_load_error() {
            return Failure(description: "\(what): \(String(cString: why))")
        }
        return Failure(description: "\(what) (zlib status \(status))")
    }

    /// Go's check: a gzip stream starts with these three bytes (Helm stored plain JSON before it compressed).
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0x1F && bytes[1] == 0x8B && bytes[2] == 0x08
    }
}
