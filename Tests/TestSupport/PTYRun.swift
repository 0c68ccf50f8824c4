import Foundation
import ObjectModel

/// Runs a command on a pseudo-terminal (stdin, stdout and stderr, as at an interactive shell)
/// and sends it signals when its output shows given texts (Python's pty module).
public enum PTYRun {
    public struct Step {
        public var waitFor: String
        public var signal: Int32

        public init(waitFor: String, signal: Int32) {
            self.waitFor = waitFor
            self.signal = signal
        }
    }

    public struct Result {
        public var status: Int
        public var output: String
        public var stepsDone: Int
    }

    public static func run(_ argv: [String], env: [String: String], cwd: URL, steps: [Step], timeout: Int = 120) throws -> Result {
        let spec: JSONValue = [
            "argv": JSONValue(argv), "env": JSONValue(env), "cwd": .string(cwd.path), "timeout": .int(timeout),
            "steps": .array(steps.map { ["wait_for": .string($0.waitFor), "signal": .int(Int($0.signal))] }),
        ]
        let script = cwd.appendingPathComponent("run_in_pty.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let r = try ProcessRunner.run(Tools.python, [script.path, spec.jsonString()], in: cwd, timeout: TimeInterval(timeout + 30))
        guard r.status == 0, let json = try? JSONValue(parsing: Array(r.stdout.utf8)) else {
            throw MissingPrerequisite("the pty runner failed: \(r.stderr)")
        }
        return Result(status: json["status"]?.intValue ?? -1, output: json["output"]?.stringValue ?? "",
                      stepsDone: json["steps_done"]?.intValue ?? 0)
    }

    private static let script = #"""
        import json, os, pty, select, signal, sys, time
        spec = json.loads(sys.argv[1])
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(spec["cwd"])
            os.execve(spec["argv"][0], spec["argv"], spec["env"])
        out, done, searched, status = b"", 0, 0, None
        steps = spec["steps"]
        deadline = time.time() + spec["timeout"]
        while True:
            if done < len(steps):
                needle = steps[done]["wait_for"].encode()
                at = out.find(needle, searched)
                if at >= 0:
                    searched = at + len(needle)
                    os.kill(pid, steps[done]["signal"])
                    done += 1
                    continue
            if time.time() > deadline:
                os.kill(pid, signal.SIGKILL)
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    data = b""
                if data:
                    out += data
                    continue
            wpid, st = os.waitpid(pid, os.WNOHANG)
            if wpid == pid:
                while True:
                    try:
                        r, _, _ = select.select([fd], [], [], 0.1)
                        data = os.read(fd, 65536) if r else b""
                    except OSError:
                        data = b""
                    if not data:
                        break
                    out += data
                status = os.waitstatus_to_exitcode(st)
                if status < 0:
                    status = 128 - status
                break
        print(json.dumps({"status": status, "output": out.decode("utf-8", "replace"), "steps_done": done}))
        """#
}
