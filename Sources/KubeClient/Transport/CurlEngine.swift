#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// Drives every transfer of one client on a curl multi handle from one background thread,
/// so that callers on any thread share its connection cache (keep-alive, HTTP/2 multiplexing),
/// DNS cache and TLS sessions. Callers block until their transfer is done.
final class CurlEngine: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let share: UnsafeMutableRawPointer
    private let shareLock = Lock()
    private let lock = Lock()
    private var incoming: [Transfer] = []
    private var idle: [UnsafeMutableRawPointer] = []
    private var stopping = false
    private var started = false
    private var thread = pthread_t()
    /// Only touched by the engine thread.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    private(set) var transfers = 0
    private(set) var newConnections = 0

    init(maxConnectionsPerHost: Int) {
        CurlRuntime.ensure()
        // Both only fail when out of memory, where nothing else would work either.
        guard let m = curl_multi_init(), let sh = curl_share_init() else { fatalError("libcurl: out of memory") }
        multi = m
        share = sh
        _ = osm_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        _ = osm_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = osm_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        _ = osm_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        _ = osm_curl_share_setopt_lock(
            share,
            { _, _, _, user in Unmanaged<Lock>.fromOpaque(user!).takeUnretainedValue().lock() },
            { _, _, user in Unmanaged<Lock>.fromOpaque(user!).takeUnretainedValue().unlock() },
            Unmanaged.passUnretained(shareLock).toOpaque())
    }

    deinit {
        shutdown()
        for h in idle { curl_easy_cleanup(h) }
        curl_multi_cleanup(multi)
        curl_share_cleanup(share)
    }

    /// A reset easy handle attached to the shared caches, ready for options.
    func makeTransfer() -> Transfer? {
        guard let h: UnsafeMutableRawPointer = lock.withLock({ idle.popLast() }) ?? curl_easy_init() else { return nil }
        curl_easy_reset(h)
        _ = osm_curl_setopt_share(h, share)
        return Transfer(easy: h)
    }

    /// Runs the transfer to completion; its handle then goes back to the pool.
    func perform(_ t: Transfer) {
        lock.withLock {
            incoming.append(t)
            if !started {
                started = true
                startThread()
            }
        }
        curl_multi_wakeup(multi)
        t.wait()
        t.captureInfo()
        // Drop the pointers into the Transfer (error buffer, header lists, callbacks' data) before pooling.
        curl_easy_reset(t.easy)
        lock.withLock {
            transfers += 1
            newConnections += t.newConnections
            idle.append(t.easy)
        }
    }

    var stats: (transfers: Int, connections: Int) { lock.withLock { (transfers, newConnections) } }

    func shutdown() {
        let wasStarted: Bool = lock.withLock {
            stopping = true
            return started
        }
        guard wasStarted else { return }
        curl_multi_wakeup(multi)
        pthread_join(thread, nil)
        lock.withLock { started = false }
    }

    private func startThread() {
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let engine = Unmanaged<CurlEngine>.fromOpaque(arg!).takeRetainedValue()
            engine.loop()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<CurlEngine>.fromOpaque(box).release()
            started = false
        }
    }

    private func loop() {
        while true {
            let (new, stop) = lock.withLock { () -> ([Transfer], Bool) in
                defer { incoming.removeAll() }
                return (incoming, stopping)
            }
            for t in new {
                if curl_multi_add_handle(multi, t.easy) == CURLM_OK {
                    active[t.easy] = t
                } else {
                    t.finish(CURLE_FAILED_INIT)
                }
            }
            if stop && active.isEmpty { return }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let msg = curl_multi_info_read(multi, &left) {
                guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
                let code = osm_curl_msg_result(msg)
                curl_multi_remove_handle(multi, easy)
                if let t = active.removeValue(forKey: easy) { t.finish(code) }
            }
            if !active.isEmpty || lock.withLock({ incoming.isEmpty && !stopping }) {
                curl_multi_poll(multi, nil, 0, 1000, nil)
            }
        }
    }
}
