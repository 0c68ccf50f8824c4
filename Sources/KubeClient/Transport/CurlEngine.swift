#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import CurlLoader

/// Runs every transfer of one client on one curl multi handle, so that they share its
/// connection cache (keep-alive, HTTP/2 multiplexing), DNS cache and TLS sessions.
///
/// Concurrency comes from the multi handle itself: `perform` adds a batch of transfers and
/// drives the handle on the calling thread until all of them are done; over HTTP/2 they go out
/// together as streams of one connection. No thread is started. When several threads call at
/// once (a client shared by threads), one of them drives everyone's transfers while the others
/// wait; when it is done with its own, another waiting thread takes over.
final class CurlEngine: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let share: UnsafeMutableRawPointer
    private let shareLock = Lock()
    /// Guards everything below; its condition says "a transfer finished or the driver left".
    private let lock = Lock()
    private var incoming: [Transfer] = []
    private var idle: [UnsafeMutableRawPointer] = []
    private var driving = false
    /// Transfers in the multi handle; only the driving thread touches it.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    private var transfers = 0
    private var newConnections = 0

    init(maxConnectionsPerHost: Int) throws(KubeError) {
        CurlRuntime.ensure()
        // Both only fail when out of memory, where nothing else would work either.
        guard let m = curl_multi_init(), let sh = curl_share_init() else { fatalError("libcurl: out of memory") }
        multi = m
        share = sh
        try Self.check("CURLMOPT_MAX_HOST_CONNECTIONS", osm_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost))
        try Self.check("CURLMOPT_PIPELINING", osm_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX)))
        try Self.check("CURLSHOPT_SHARE (TLS sessions)", osm_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue)))
        try Self.check("CURLSHOPT_SHARE (DNS)", osm_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue)))
        try Self.check("CURLSHOPT_LOCKFUNC", osm_curl_share_setopt_lock(
            share,
            { _, _, _, user in Unmanaged<Lock>.fromOpaque(user!).takeUnretainedValue().lock() },
            { _, _, user in Unmanaged<Lock>.fromOpaque(user!).takeUnretainedValue().unlock() },
            Unmanaged.passUnretained(shareLock).toOpaque()))
    }

    static func check(_ option: String, _ code: CURLMcode) throws(KubeError) {
        guard code != CURLM_OK else { return }
        throw refused(option, String(cString: curl_multi_strerror(code)))
    }

    static func check(_ option: String, _ code: CURLSHcode) throws(KubeError) {
        guard code != CURLSHE_OK else { return }
        throw refused(option, String(cString: curl_share_strerror(code)))
    }

    private static func refused(_ option: String, _ why: String) -> KubeError {
        KubeError(.other, CurlRuntime.refusedOption("\(option) (\(why))"))
    }

    deinit {
        for h in idle { curl_easy_cleanup(h) }
        curl_multi_cleanup(multi)
        curl_share_cleanup(share)
    }

    /// A reset easy handle attached to the shared caches, ready for options.
    func makeTransfer() -> Transfer? {
        guard let h: UnsafeMutableRawPointer = lock.withLock({ idle.popLast() }) ?? curl_easy_init() else { return nil }
        curl_easy_reset(h)
        let t = Transfer(easy: h)
        t.set(CURLOPT_SHARE, pointer: share)
        return t
    }

    /// Runs the transfer to completion; its handle then goes back to the pool.
    func perform(_ t: Transfer) { perform([t]) }

    /// Runs all the transfers at once and returns when every one is done; their handles then go
    /// back to the pool. A transfer with a refused option fails without being started.
    func perform(_ batch: [Transfer]) {
        guard !batch.isEmpty else { return }
        let wake: Bool = lock.withLock {
            for t in batch {
                if let refused = t.refusedOption { t.finish(refused.code) } else { incoming.append(t) }
            }
            return driving
        }
        // The driver may be waiting in curl_multi_poll: have it pick the new transfers up.
        if wake { curl_multi_wakeup(multi) }
        while true {
            let mustDrive: Bool = lock.withLock {
                while driving && !batch.allSatisfy(\.isFinished) { lock.wait() }
                if batch.allSatisfy(\.isFinished) { return false }
                driving = true
                return true
            }
            guard mustDrive else { break }
            drive(until: batch)
            lock.withLock {
                driving = false
                lock.broadcast()
            }
        }
        for t in batch {
            t.captureInfo()
            // Drop the pointers into the Transfer (error buffer, header lists, callbacks' data) before pooling.
            curl_easy_reset(t.easy)
        }
        lock.withLock {
            for t in batch {
                transfers += 1
                newConnections += t.newConnections
                idle.append(t.easy)
            }
        }
    }

    var stats: (transfers: Int, connections: Int) { lock.withLock { (transfers, newConnections) } }

    /// Drives the multi handle (everyone's transfers) until those of `batch` are done.
    private func drive(until batch: [Transfer]) {
        while true {
            let new: [Transfer] = lock.withLock {
                defer { incoming.removeAll() }
                return incoming
            }
            for t in new {
                let code = curl_multi_add_handle(multi, t.easy)
                if code == CURLM_OK {
                    active[t.easy] = t
                } else {
                    lock.withLock {
                        t.finish(CURLE_FAILED_INIT)
                        lock.broadcast()
                    }
                }
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            var finished: [(Transfer, CURLcode)] = []
            while let msg = curl_multi_info_read(multi, &left) {
                guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
                let code = osm_curl_msg_result(msg)
                curl_multi_remove_handle(multi, easy)
                if let t = active.removeValue(forKey: easy) { finished.append((t, code)) }
            }
            let done: Bool = lock.withLock {
                for (t, code) in finished { t.finish(code) }
                if !finished.isEmpty { lock.broadcast() }
                return batch.allSatisfy(\.isFinished)
            }
            if done { return }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}
