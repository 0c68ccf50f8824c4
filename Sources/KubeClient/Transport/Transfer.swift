import CCurl
import CurlLoader

/// One attempt on one libcurl easy handle: its buffers, callbacks and completion.
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    var headerList: UnsafeMutablePointer<curl_slist>? = nil
    var connectToList: UnsafeMutablePointer<curl_slist>? = nil
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// Copied out of the handle before it goes back to the pool.
    private(set) var status = 0
    private(set) var connected = false
    private(set) var newConnections = 0

    private(set) var body: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var statusLine = ""
    /// Set once the engine has finished the transfer.
    private(set) var result: CURLcode = CURLE_OK

    /// A request body curl may read only once: it cannot rewind it to resend it on its own.
    var upload: [UInt8] = []
    var uploadOffset = 0
    private(set) var osErrno = 0

    /// The most body bytes accepted; more aborts the transfer (CURLE_WRITE_ERROR) with `bodyTooLarge` set.
    var maxBodyBytes = Int.max
    /// The command's budget for answers, counted as the body arrives.
    var budget: ResponseBudget? = nil
    private(set) var bodyTooLarge = false
    /// Aborts the transfer (CURLE_ABORTED_BY_CALLBACK) once it returns true; polled by libcurl about once a second.
    var shouldAbort: (() -> Bool)? = nil

    /// The first option libcurl refused while the handle was being configured (then the
    /// transfer is never started), e.g. `CURLOPT_CAINFO_BLOB (An unknown option was passed in to libcurl)`.
    private(set) var refusedOption: (code: CURLcode, description: String)? = nil

    /// Set by the engine, under its lock, when the transfer is done.
    private(set) var isFinished = false

    init(easy: UnsafeMutableRawPointer) {
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        if let connectToList { curl_slist_free_all(connectToList) }
        errorBuffer.deallocate()
    }

    // MARK: Options, each result checked

    func set(_ o: CURLoption, _ v: Int) { check(o, osm_curl_setopt_long(easy, o, v)) }
    func set(_ o: CURLoption, _ v: String) { check(o, osm_curl_setopt_str(easy, o, v)) }
    func set(_ o: CURLoption, pointer v: UnsafeRawPointer?) { check(o, osm_curl_setopt_ptr(easy, o, v)) }
    func set(_ o: CURLoption, size v: curl_off_t) { check(o, osm_curl_setopt_off(easy, o, v)) }
    func set(_ o: CURLoption, callback v: osm_curl_data_cb) { check(o, osm_curl_setopt_datacb(easy, o, v)) }
    func set(_ o: CURLoption, blob v: inout curl_blob) { check(o, osm_curl_setopt_blob(easy, o, &v)) }

    private func check(_ o: CURLoption, _ code: CURLcode) {
        guard code != CURLE_OK, refusedOption == nil else { return }
        refusedOption = (code, "\(Self.name(of: o)) (\(String(cString: curl_easy_strerror(code))))")
    }

    /// `CURLOPT_URL` for CURLOPT_URL: libcurl knows its options' names.
    static func name(of o: CURLoption) -> String {
        if let info = curl_easy_option_by_id(o), let n = info.pointee.name { return "CURLOPT_" + String(cString: n) }
        return "libcurl option \(o.rawValue)"
    }

    /// Reads what the caller needs from the handle; called by the engine before reusing it.
    func captureInfo() {
        status = info(CURLINFO_RESPONSE_CODE)
        newConnections = info(CURLINFO_NUM_CONNECTS)
        osErrno = info(CURLINFO_OS_ERRNO)
        var pre: curl_off_t = 0
        _ = osm_curl_getinfo_off(easy, CURLINFO_PRETRANSFER_TIME_T, &pre)
        connected = pre > 0 || status > 0
    }

    func appendHeader(_ line: String) {
        let trimmed = line.trimmingWhitespace
        if trimmed.hasPrefix("HTTP/") {
            // A new response (after 100-continue or a redirect) starts over.
            statusLine = trimmed
            headers.removeAll()
        } else if let colon = trimmed.firstIndex(of: ":") {
            headers.append((String(trimmed[..<colon]), String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace))
        }
    }

    /// False when the body would grow past `maxBodyBytes`.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if body.count + bytes.count > maxBodyBytes || budget?.take(bytes.count) == false {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Called by the engine, under its lock.
    func finish(_ code: CURLcode) {
        result = code
        isFinished = true
    }

    var errorMessage: String {
        if let refusedOption {
            return CurlRuntime.refusedOption(refusedOption.description)
        }
        let s = String(cString: errorBuffer)
        return s.isEmpty ? String(cString: curl_easy_strerror(result)) : s
    }

    func info(_ i: CURLINFO) -> Int {
        var v: Int = 0
        _ = osm_curl_getinfo_long(easy, i, &v)
        return v
    }

    static let writeCallback: osm_curl_data_cb = { ptr, size, count, user in
        guard let user else { return 0 }
        let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
        let n = size * count
        if let ptr, n > 0, !t.appendBody(UnsafeRawBufferPointer(start: ptr, count: n)) { return 0 }
        return n
    }

    /// CURLOPT_XFERINFOFUNCTION: non-zero aborts the transfer.
    static let progressCallback: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = { user, _, _, _, _ in
        guard let user else { return 0 }
        let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
        return (t.shouldAbort?() ?? false) ? 1 : 0
    }

    static let readCallback: osm_curl_data_cb = { ptr, size, count, user in
        guard let user, let ptr else { return 0 }
        let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
        let n = min(size * count, t.upload.count - t.uploadOffset)
        guard n > 0 else { return 0 }
        t.upload.withUnsafeBytes { src in
            UnsafeMutableRawPointer(ptr).copyMemory(from: src.baseAddress! + t.uploadOffset, byteCount: n)
        }
        t.uploadOffset += n
        return n
    }

    static let headerCallback: osm_curl_data_cb = { ptr, size, count, user in
        guard let user else { return 0 }
        let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
        let n = size * count
        if let ptr, n > 0 {
            t.appendHeader(String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self))
        }
        return n
    }
}
