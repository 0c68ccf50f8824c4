#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A handful of plain threads that take job numbers in turn: blocking calls (waiting on the
/// network) need real threads, not a pool sized to the number of cores.
enum WorkerThreads {
    private final class Shared: @unchecked Sendable {
        let lock = Lock()
        var next = 0
        let jobs: Int
        let body: (Int) -> Void
        init(jobs: Int, body: @escaping (Int) -> Void) { self.jobs = jobs; self.body = body }

        func take() -> Int? {
            lock.withLock { () -> Int? in
                guard next < jobs else { return nil }
                defer { next += 1 }
                return next
            }
        }

        func work() { while let i = take() { body(i) } }
    }

    static func run(workers: Int, jobs: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let shared = Shared(jobs: jobs, body: body)
            var threads: [pthread_t] = []
            for _ in 1..<workers {
                var t = pthread_t()
                let arg = Unmanaged.passRetained(shared).toOpaque()
                let rc = pthread_create(&t, nil, { arg in
                    let s = Unmanaged<Shared>.fromOpaque(arg!).takeRetainedValue()
                    s.work()
                    return nil
                }, arg)
                if rc == 0 { threads.append(t) } else { Unmanaged<Shared>.fromOpaque(arg).release() }
            }
            shared.work()
            for t in threads { pthread_join(t, nil) }
        }
    }
}
