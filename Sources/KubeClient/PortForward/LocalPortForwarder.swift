#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kubectl port-forward` for one port: listens on 127.0.0.1 and forwards every accepted
/// connection (a browser opens several at once) to a pod's port, each over a tunnel of its own.
package final class LocalPortForwarder: @unchecked Sendable {
    package let namespace: String
    package let pod: String
    package let localPort: Int
    package let remotePort: Int

    private let client: any KubeAPI
    private let log: @Sendable (String) -> Void
    private let lock = Lock()
    private var listener: Int32 = -1
    private var wake: (read: Int32, write: Int32) = (-1, -1)
    private var running = 0
    private var stopped = false
    private var boundPortValue = 0
    /// How long a forwarded connection may go without a byte either way (or a local client
    /// refuse what the pod sends) before it is closed: the client's request timeout.
    package let idleTimeout: Double?
    /// How long `stop` waits for connections to wind down (a tunnel's upgrade may be unanswered).
    static let stopWait = 2.0

    /// `log` receives one line per failed connection, as kubectl prints them.
    package init(client: any KubeAPI, namespace: String, pod: String, localPort: Int, remotePort: Int,
                log: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.namespace = namespace
        self.pod = pod
        self.localPort = localPort
        self.remotePort = remotePort
        self.log = log
        idleTimeout = client.requestTimeout.flatMap { $0 > 0 ? $0 : nil }
    }

    deinit { stop() }

    /// The port listened on (`localPort`, or the one the system chose for 0).
    package var boundPort: Int { lock.withLock { boundPortValue } }

    /// Binds 127.0.0.1:localPort and starts accepting.
    package func start() throws(KubeError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw KubeError(.other, "unable to listen on port \(localPort): socket: \(Self.errnoText())") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(localPort).bigEndian)
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let why = Self.errnoText()
            Glibc.close(fd)
            throw KubeError(.other, "unable to listen on port \(localPort): listen tcp4 127.0.0.1:\(localPort): bind: \(why)")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            Glibc.close(fd)
            throw KubeError(.other, "unable to listen on port \(localPort): pipe: \(Self.errnoText())")
        }
        lock.withLock {
            listener = fd
            wake = (fds[0], fds[1])
            boundPortValue = Int(UInt16(bigEndian: actual.sin_port))
            running += 1
        }
        DetachedThread.start { [self] in
            acceptLoop()
            finished()
        }
    }

    /// Closes the listener and every tunnel, and waits until they are gone, or at most
    /// `stopWait` for those stuck in a call that cannot be woken (an unanswered upgrade); the
    /// process is about to exit. Safe to call twice.
    package func stop() {
        let (w, started): (Int32, Bool) = lock.withLock {
            defer { stopped = true }
            return (wake.write, !stopped && listener >= 0)
        }
        guard started else { return }
        var byte: UInt8 = 1
        _ = write(w, &byte, 1)
        lock.lock()
        let deadline = Lock.deadline(in: Self.stopWait)
        let until = Clock.monotonic() + Self.stopWait
        while running > 0 && Clock.monotonic() < until { lock.wait(until: deadline) }
        guard running == 0 else {
            // Threads still use these descriptors: leave them to the process's exit.
            lock.unlock()
            return
        }
        let fds = [listener, wake.read, wake.write]
        listener = -1
        wake = (-1, -1)
        lock.unlock()
        for fd in fds where fd >= 0 { Glibc.close(fd) }
    }

    private func finished() {
        lock.withLock {
            running -= 1
            lock.broadcast()
        }
    }

    private func acceptLoop() {
        let (fd, wakeFD) = lock.withLock { (listener, wake.read) }
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            let r = poll(&fds, 2, -1)
            if r < 0 { if errno == EINTR { continue }; return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let conn = accept(fd, nil, nil)
            guard conn >= 0 else {
                // Out of descriptors, the connection stays queued and the listener readable:
                // wait a little (or for stop) instead of spinning on it.
                if errno == EMFILE || errno == ENFILE {
                    var wakeOnly = pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)
                    if poll(&wakeOnly, 1, 100) > 0 { return }
                }
                continue
            }
            var one: Int32 = 1
            setsockopt(conn, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let go: Bool = lock.withLock {
                guard !stopped else { return false }
                running += 1
                return true
            }
            guard go else { Glibc.close(conn); return }
            DetachedThread.start { [self] in
                bridge(conn, wake: wakeFD)
                Glibc.close(conn)
                finished()
            }
        }
    }

    /// Copies bytes both ways between one local connection and its tunnel until either ends.
    private func bridge(_ local: Int32, wake: Int32) {
        let tunnel: PortForwardTunnel
        do {
            tunnel = try client.portForward(namespace: namespace, pod: pod, port: remotePort)
        } catch {
            log("an error occurred forwarding \(localPort) -> \(remotePort): \(error.message)")
            return
        }
        defer { tunnel.close() }
        let size = 256 << 10
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var lastActivity = Clock.monotonic()
        while true {
            // Everything the tunnel has, then wait for either side.
            do {
                drain: while true {
                    switch try tunnel.readAvailable() {
                    case .data(let d):
                        guard sendAll(local, d, wake: wake) else { return }
                        lastActivity = Clock.monotonic()
                    case .wouldBlock:
                        break drain
                    case .end:
                        if !tunnel.errorText.isEmpty {
                            log("an error occurred forwarding \(localPort) -> \(remotePort): \(tunnel.errorText)")
                        } else if tunnel.lostConnection {
                            log("lost connection to pod \(pod) while forwarding \(localPort) -> \(remotePort)")
                        }
                        shutdown(local, Int32(SHUT_WR))
                        return
                    }
                }
            } catch {
                log("an error occurred forwarding \(localPort) -> \(remotePort): \(error.message)")
                return
            }
            var fds = [
                pollfd(fd: tunnel.fileDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: local, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            var timeout: Int32 = -1
            if let idleTimeout {
                let left = lastActivity + idleTimeout - Clock.monotonic()
                if left <= 0 { return }  // idle for too long: the browser opens another when it needs one
                timeout = Int32(min(left * 1000 + 1, 60_000))
            }
            let r = poll(&fds, 3, timeout)
            if r < 0 { if errno == EINTR { continue }; return }
            if fds[2].revents != 0 { return }
            if fds[1].revents != 0 {
                let n = recv(local, buffer.baseAddress, size, 0)
                if n <= 0 { return }  // the local side is done: so is the tunnel
                lastActivity = Clock.monotonic()
                do { try tunnel.write(UnsafeRawBufferPointer(rebasing: buffer[..<n])) } catch {
                    log("an error occurred forwarding \(localPort) -> \(remotePort): \(error.message)")
                    return
                }
            }
        }
    }

    /// Sends every byte to the local client; false when it is gone, `stop` was called, or it
    /// took nothing for `idleTimeout` (a client that stopped reading).
    private func sendAll(_ fd: Int32, _ bytes: [UInt8], wake: Int32) -> Bool {
        bytes.withUnsafeBytes { b in
            var off = 0
            var progress = Clock.monotonic()
            while off < b.count {
                let n = send(fd, b.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                if n >= 0 {
                    off += n
                    progress = Clock.monotonic()
                    continue
                }
                guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return false }
                var timeout: Int32 = -1
                if let idleTimeout {
                    let left = progress + idleTimeout - Clock.monotonic()
                    if left <= 0 { return false }
                    timeout = Int32(min(left * 1000 + 1, 60_000))
                }
                var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
                if poll(&fds, 2, timeout) > 0 && fds[1].revents != 0 { return false }
            }
            return true
        }
    }

    static func errnoText() -> String {
        let text = String(cString: strerror(errno))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// A plain thread for blocking work (a tunnel waits on sockets, not on a pool).
package enum DetachedThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    package static func start(_ body: @escaping () -> Void) {
        var t = pthread_t()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        let arg = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = pthread_create(&t, &attr, { arg in
            Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue().body()
            return nil
        }, arg)
        pthread_attr_destroy(&attr)
        if rc != 0 {
            // No thread: run it here rather than drop the work.
            Unmanaged<Box>.fromOpaque(arg).takeRetainedValue().body()
        }
    }
}
