import CZlib
import ZlibLoader

/// gzip (RFC 1952) through the system zlib, as Go's `compress/gzip` writes and reads it for
/// Helm's release records.
enum Gzip {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// The output passed the caller's limit.
        var tooLarge = false
    }

    /// windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    private static let gzipWindowBits: Int32 = 15 + 16

    /// A gzip stream of `bytes`; level 9 is Go's `gzip.BestCompression`, which Helm uses.
    static func compress(_ bytes: [UInt8], level: Int32 = 9) throws(Failure) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let initStatus = osm_deflateInit2(stream, level, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY)
        guard initStatus == Z_OK else { throw failure("gzip: cannot start compressing", initStatus) }
        defer { osm_deflateEnd(stream) }
        let capacity = Int(osm_deflateBound(stream, UInt(bytes.count))) + 64
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        defer { input.deallocate() }
        input.update(from: bytes, count: bytes.count)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { output.deallocate() }
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(bytes.count)
        stream.pointee.next_out = output
        stream.pointee.avail_out = uInt(capacity)
        let status = osm_deflate(stream, Z_FINISH)
        guard status == Z_STREAM_END else { throw Failure(description: "gzip: compression failed (zlib status \(status))") }
        return Array(UnsafeBufferPointer(start: output, count: Int(stream.pointee.total_out)))
    }

    /// The bytes of a gzip stream; `limit` bounds the output against a malicious record.
    static func decompress(_ bytes: [UInt8], limit: Int = 256 << 20) throws(Failure) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let initStatus = osm_inflateInit2(stream, gzipWindowBits)
        guard initStatus == Z_OK else { throw failure("gunzip: cannot start decompressing", initStatus) }
        defer { osm_inflateEnd(stream) }
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        defer { input.deallocate() }
        input.update(from: bytes, count: bytes.count)
        let chunkSize = max(16 << 10, bytes.count * 8)
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(bytes.count)
        var output: [UInt8] = []
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
