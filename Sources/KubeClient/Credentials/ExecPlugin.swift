#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ObjectModel

/// Runs `users[].user.exec` credential plugins the way client-go does, once per process
/// per plugin configuration (again only when the credential expires or the server rejects it).
final class ExecPlugin: @unchecked Sendable {
    static let shared = ExecPlugin()

    private let lock = Lock()
    private var cache: [ExecConfig: ExecCredential] = [:]
    /// Serialises runs so that two threads needing the same plugin run it once.
    private let runLock = Lock()

    struct SpawnError: Error { let code: Int32 }

    struct Context {
        var userName: String
        var environment: [String: String]
        var interactive: Bool?
        var cluster: ClientConfig
        /// Seconds the plugin may run before it is killed.
        var timeout: Double = ClientOptions.defaultExecTimeout
    }

    /// How long a plugin may run once osm has been interrupted (a rollback's credential).
    static let timeoutAfterInterruption: Double = 10
    /// How long a plugin has to exit after SIGTERM before it is killed.
    static let terminationGrace: Double = 2

    /// The most a plugin may print: a credential is a few KiB.
    static let maxOutputBytes = 16 << 20

    func credential(_ config: ExecConfig, _ ctx: Context) throws(KubeError) -> ExecCredential {
        let now = Clock.wall()
        if let c = lock.withLock({ cache[config] }), c.isValid(at: now) { return c }
        runLock.lock()
        defer { runLock.unlock() }
        if let c = lock.withLock({ cache[config] }), c.isValid(at: Clock.wall()) { return c }
        let c = try run(config, ctx)
        lock.withLock { cache[config] = c }
        return c
    }

    /// Forgets a credential the server rejected, so the next request runs the plugin again.
    func invalidate(_ config: ExecConfig) {
        lock.withLock { _ = cache.removeValue(forKey: config) }
    }

    func run(_ config: ExecConfig, _ ctx: Context) throws(KubeError) -> ExecCredential {
        let what = "exec plugin \"\(config.command)\" of user \"\(ctx.userName)\""
        guard let path = Self.lookPath(config.command, path: ctx.environment["PATH"]) else {
            var hint = config.installHint.map { Self.oneLine($0) } ?? ""
            if hint.isEmpty { hint = "install it, or fix users[].user.exec.command in the kubeconfig" }
            throw KubeError(.credentials, "\(what) not found\(config.command.contains("/") ? "" : " in PATH"): \(hint)")
        }
        let stdinIsTerminal = ctx.interactive ?? (isatty(0) == 1)
        let interactive: Bool
        switch config.interactiveMode {
        case .never: interactive = false
        case .ifAvailable: interactive = stdinIsTerminal
        case .always:
            guard stdinIsTerminal else {
                throw KubeError(.credentials, "\(what) needs an interactive terminal (interactiveMode: Always), but standard input is not one; run osm in a terminal or use a non-interactive credential")
            }
            interactive = true
        }
        var env = ctx.environment
        for e in config.env { env[e.name] = e.value }
        env["KUBERNETES_EXEC_INFO"] = Self.execInfo(config, interactive: interactive, cluster: ctx.cluster).jsonString()

        // After Ctrl-C (install's rollback still needs a credential) a plugin gets a short wait.
        let interrupted = Interruption.shared.count > 0
        let timeout = interrupted ? min(ctx.timeout, Self.timeoutAfterInterruption) : ctx.timeout
        let result = Self.spawn(path: path, args: [config.command] + config.args, env: env, inheritStdin: interactive,
                                timeout: timeout, maxOutput: Self.maxOutputBytes)
        switch result {
        case .failure(let err):
            throw KubeError(.credentials, "\(what) could not be started: \(String(cString: strerror(err.code))); check that \(path) is executable")
        case .success(let run) where run.interrupted:
            throw KubeError(.credentials, "\(what) was stopped: osm was interrupted")
        case .success(let run) where run.timedOut:
            throw KubeError(.credentials, "\(what) did not finish within \(GoDuration(seconds: timeout)) (it hung or kept its output open) and was killed; run it by hand to see why, or raise --request-timeout")
        case .success(let run) where run.tooLarge:
            throw KubeError(.credentials, "\(what) printed more than \(Self.maxOutputBytes >> 20) MiB, far more than any credential, and was stopped; run it by hand to see what it prints")
        case .success(let run):
            let (status, output) = (run.status, run.output)
            guard status == 0 else {
                throw KubeError(.credentials, "\(what) failed with exit status \(status); run it by hand to see why, or log in again")
            }
            return try ExecCredential(output: output, apiVersion: config.apiVersion, what: what)
        }
    }

    static func execInfo(_ config: ExecConfig, interactive: Bool, cluster: ClientConfig) -> JSONValue {
        var spec: JSONValue = ["interactive": .bool(interactive)]
        if config.provideClusterInfo {
            var c: JSONValue = ["server": .string(cluster.server)]
            if let name = cluster.tlsServerName { c["tls-server-name"] = .string(name) }
            if cluster.insecureSkipTLSVerify { c["insecure-skip-tls-verify"] = true }
            if let ca = cluster.caPEM { c["certificate-authority-data"] = .string(Base64.encode(ca)) }
            if let proxy = cluster.proxyURL { c["proxy-url"] = .string(proxy) }
            spec["cluster"] = c
        }
        return ["kind": "ExecCredential", "apiVersion": .string(config.apiVersion), "spec": spec]
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).map { String($0).trimmingWhitespace }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Go's exec.LookPath against the PATH the plugin will see.
    static func lookPath(_ command: String, path: String?) -> String? {
        if command.contains("/") { return FileSystem.isExecutableFile(command) ? command : nil }
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = FilePath.join(dir.isEmpty ? "." : String(dir), command)
            if FileSystem.isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    struct Run {
        var status: Int32
        var output: [UInt8]
        var timedOut = false
        var tooLarge = false
        /// osm was interrupted (SIGINT/SIGTERM) while it ran: it was told to stop.
        var interrupted = false
    }

    /// Runs a program with stdout captured and stderr passed through; returns exit status and stdout.
    /// Past `timeout` seconds, or `maxOutput` bytes, the program (and, unless it shares the
    /// terminal, every process it started) is killed.
    static func spawn(path: String, args: [String], env: [String: String], inheritStdin: Bool,
                      timeout: Double = ClientOptions.defaultExecTimeout, maxOutput: Int = 16 << 20) -> Result<Run, SpawnError> {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .failure(SpawnError(code: errno)) }
        let readEnd = fds[0], writeEnd = fds[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        if !inheritStdin { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }

        // The plugin gets default signal handling (osm may have SIGINT/SIGTERM blocked) and, when it
        // does not talk to the terminal, a process group of its own so that a timeout kills its children too.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = Interruption.signalSet()
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var flags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if !inheritStdin {
            flags |= Int16(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attr, 0)
        }
        posix_spawnattr_setflags(&attr, flags)

        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        // Signals wait until the plugin is in the table, so that none can miss it.
        let interruption = Interruption.shared
        let signalsBefore = interruption.count
        var blocked = Interruption.signalSet()
        sigaddset(&blocked, SIGHUP)
        var oldMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &oldMask)
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        close(writeEnd)
        guard rc == 0 else {
            pthread_sigmask(SIG_SETMASK, &oldMask, nil)
            close(readEnd)
            return .failure(SpawnError(code: rc))
        }
        let target = inheritStdin ? pid : -pid
        let slot = RunningPlugins.add(target)
        defer { RunningPlugins.remove(slot) }
        let wait = { () -> Run in
            pthread_sigmask(SIG_SETMASK, &oldMask, nil)
            return Self.collect(pid: pid, target: target, readEnd: readEnd, timeout: timeout, maxOutput: maxOutput,
                                interrupted: { interruption.count > signalsBefore })
        }
        return .success(interruption.isWatching ? wait() : RunningPlugins.withSignalsEndingPlugins(wait))
    }

    /// Reads the plugin's output until it closes, then reaps it: killed (with its group) past
    /// the deadline, past `maxOutput`, or `terminationGrace` after osm was interrupted.
    private static func collect(pid: pid_t, target: pid_t, readEnd: Int32, timeout: Double, maxOutput: Int,
                                interrupted: () -> Bool) -> Run {
        var run = Run(status: 0, output: [])
        var buf = [UInt8](repeating: 0, count: 65536)
        var deadline = Clock.monotonic() + max(timeout, 0.001)
        while true {
            if !run.interrupted && interrupted() {
                // The signal's watcher has sent SIGTERM; past the grace it is killed.
                run.interrupted = true
                kill(target, SIGTERM)
                deadline = min(deadline, Clock.monotonic() + terminationGrace)
            }
            let left = deadline - Clock.monotonic()
            if left <= 0 { run.timedOut = !run.interrupted; break }
            var p = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(left * 1000 + 1, 200)))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let n = buf.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            if run.output.count + n > maxOutput { run.tooLarge = true; break }
            run.output.append(contentsOf: buf[0..<n])
        }
        close(readEnd)
        if run.timedOut || run.tooLarge || (run.interrupted && Clock.monotonic() >= deadline) {
            kill(target, SIGKILL)
        }
        var status: Int32 = 0
        // Its output closed: it exits now, or soon; past the deadline it is killed.
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno != EINTR) { break }
            if !run.interrupted && interrupted() {
                run.interrupted = true
                kill(target, SIGTERM)
                deadline = min(deadline, Clock.monotonic() + terminationGrace)
            }
            if Clock.monotonic() > deadline {
                kill(target, SIGKILL)
                run.timedOut = !run.interrupted
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            Clock.sleep(seconds: 0.005)
        }
        if interrupted() { run.interrupted = true }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        run.status = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return run
    }
}
