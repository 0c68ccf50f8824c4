#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// A connection to the API server opened by libcurl with the same options as every request
/// (TLS verification, client certificate, proxy, timeouts), then left to us (CONNECT_ONLY):
/// raw bytes in and out over its TLS session with curl_easy_send/recv. libcurl 7.77 (the
/// oldest osm runs on) has no WebSocket support, and later versions have it only when built
/// with it (experimental until 8.11, off in Debian 12's 7.88). One thread at a time may use it.
final class CurlConnection {
    private let transfer: Transfer
    private var easy: UnsafeMutableRawPointer?
    /// The multi handle that opened the connection, kept until the connection closes.
    private var group: CurlConnectionGroup?
    let socket: Int32

    enum Received {
        case bytes(Int)
        /// Nothing to read now; poll `socket` (after draining, no bytes wait inside TLS).
        case again
        case closed
        case failed(String)
    }

    struct Failure: Error {
        let code: CURLcode
        let message: String
        let connected: Bool
        let osErrno: Int
    }

    convenience init(transport: Transport, url: String, auth: Transport.Auth) throws(Failure) {
        let t = try Self.prepare(transport: transport, url: url, auth: auth)
        let rc = curl_easy_perform(t.easy)
        if rc != CURLE_OK {
            let failure = Self.failure(rc, t)
            curl_easy_cleanup(t.easy)
            throw failure
        }
        self.init(connected: t, group: nil)
    }

    /// A connection libcurl has just opened in `group`'s multi handle (CONNECT_ONLY: the transfer
    /// is done once connected). The easy handle stays in that multi handle while it is used:
    /// curl_easy_send/recv find its connection there.
    init(connected t: Transfer, group: CurlConnectionGroup?) {
        transfer = t
        easy = t.easy
        self.group = group
        var fd: curl_socket_t = -1
        _ = osm_curl_getinfo_socket(t.easy, &fd)
        socket = Int32(fd)
    }

    /// A fresh easy handle with the options of every request, for a CONNECT_ONLY connection.
    static func prepare(transport: Transport, url: String, auth: Transport.Auth) throws(Failure) -> Transfer {
        guard let h = curl_easy_init() else {
            throw Failure(code: CURLE_OUT_OF_MEMORY, message: "cannot allocate a libcurl handle", connected: false, osErrno: 0)
        }
        let t = Transfer(easy: h)
        transport.configureConnection(t, url: url, auth: auth, timeout: nil)
        // An upgrade is an HTTP/1.1 affair: ALPN must not pick h2, where the Upgrade header means nothing.
        t.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        t.set(CURLOPT_PIPEWAIT, 0)
        // Through a proxy the bytes we write must reach the API server itself, even over plain http.
        t.set(CURLOPT_HTTPPROXYTUNNEL, 1)
        t.set(CURLOPT_CONNECT_ONLY, 1)
        if let refused = t.refusedOption {
            // A refused option (an old libcurl): never connect with half the settings.
            let failure = Failure(code: refused.code, message: t.errorMessage, connected: false, osErrno: 0)
            curl_easy_cleanup(h)
            throw failure
        }
        return t
    }

    /// Why connecting failed, from libcurl's code and the transfer's error buffer.
    static func failure(_ rc: CURLcode, _ t: Transfer) -> Failure {
        let text = String(cString: t.errorBuffer)
        return Failure(code: rc, message: text.isEmpty ? String(cString: curl_easy_strerror(rc)) : text,
                       connected: false, osErrno: t.info(CURLINFO_OS_ERRNO))
    }

    deinit { close() }

    func close() {
        if let easy {
            if let group { curl_multi_remove_handle(group.multi, easy) }
            curl_easy_cleanup(easy)
        }
        easy = nil
        group = nil
    }

    /// Sends every byte, waiting for the socket when its buffer is full.
    func sendAll(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        guard let easy else { throw Failure(code: CURLE_SEND_ERROR, message: "the connection is closed", connected: true, osErrno: 0) }
        var off = 0
        while off < bytes.count {
            var n = 0
            let rc = curl_easy_send(easy, bytes.baseAddress! + off, bytes.count - off, &n)
            switch rc {
            case CURLE_OK: off += n
            case CURLE_AGAIN: _ = wait(for: Int16(POLLOUT), milliseconds: 1000)
            default:
                throw Failure(code: rc, message: String(cString: curl_easy_strerror(rc)), connected: true, osErrno: transfer.info(CURLINFO_OS_ERRNO))
            }
        }
    }

    func sendAll(_ bytes: [UInt8]) throws(Failure) {
        var failure: Failure?
        bytes.withUnsafeBytes { b in
            do throws(Failure) { try sendAll(b) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Received {
        guard let easy else { return .closed }
        var n = 0
        let rc = curl_easy_recv(easy, buffer.baseAddress, buffer.count, &n)
        switch rc {
        case CURLE_OK: return n == 0 ? .closed : .bytes(n)
        case CURLE_AGAIN: return .again
        default: return .failed(String(cString: curl_easy_strerror(rc)))
        }
    }

    /// Whether the socket became ready within the time (-1: no limit).
    func wait(for events: Int16, milliseconds: Int32) -> Bool {
        var p = pollfd(fd: socket, events: events, revents: 0)
        while true {
            let r = poll(&p, 1, milliseconds)
            if r < 0 && errno == EINTR { continue }
            return r > 0
        }
    }
}

/// A multi handle that opens CONNECT_ONLY connections side by side (one `PortForwardBatch`
/// round). Its own, not the client's: libcurl prunes idle connections of a multi handle's cache
/// that have bytes waiting (a tunnel's, to it) whenever that handle opens a new one, so every
/// connection of a group is started at once and the group opens no more; it is cleaned up once
/// its last connection has closed.
final class CurlConnectionGroup {
    let multi: UnsafeMutableRawPointer

    init?() {
        guard let m = curl_multi_init() else { return nil }
        multi = m
    }

    deinit { curl_multi_cleanup(multi) }
}
