import XCTest
import ObjectModel
import YAMLCodec
@testable import KubeClient

/// Mutated kubeconfigs must only ever produce errors, never a crash or a hang.
/// (KubeconfigFuzzer.swift is the same check as a libFuzzer target.)
final class KubeconfigFuzzTests: XCTestCase {
    static let seeds: [String] = [
        kubeconfigYAML(namespace: "ns"),
        """
        apiVersion: v1
        kind: Config
        current-context: b
        clusters:
        - name: c
          cluster:
            server: https://[::1]:6443/prefix
            certificate-authority: ca.crt
            certificate-authority-data: QUJD
            tls-server-name: kubernetes
            proxy-url: http://proxy:3128
            insecure-skip-tls-verify: false
        users:
        - name: u
          user:
            client-certificate: a.crt
            client-key: a.key
            as: someone
            as-groups: [g1, g2]
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./plugin
              args: ["--x", "1"]
              env: [{name: A, value: "1"}, {name: B}]
              interactiveMode: IfAvailable
              provideClusterInfo: true
              installHint: |
                install it
        - name: v
          user: {username: a, password: b}
        contexts:
        - name: b
          context: {cluster: c, user: u, namespace: n}
        - name: d
          context: {cluster: c, user: v}
        """,
        """
        a: &a [x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b]
        clusters: [{name: x, cluster: {server: *c}}]
        contexts: [{name: x, context: {cluster: x}}]
        current-context: x
        """,
        "{\"clusters\":[{\"name\":\"c\",\"cluster\":{\"server\":\"http://h\"}}],\"contexts\":[{\"name\":\"x\",\"context\":{\"cluster\":\"c\"}}],\"current-context\":\"x\"}",
    ]

    static let tokens = ["{", "}", "[", "]", ":", ": ", "- ", "\n", "\n  ", "\t", "&a ", "*a", "!!binary ", "!!str ", "'", "\"",
                         "\u{0}", "~", "null", "123", "true", "---\n", "...\n", "? ", "|\n", ">\n", "#", "%YAML 1.1\n", "\u{FEFF}",
                         "\u{1F600}", "\\", "<<: *a\n", "0x1F", "1e400", "-", "name: ", "server: ", "cluster: ", "user: "]

    /// Parses and resolves like the loader, with file reads stubbed; only `KubeError` may come out.
    static func exercise(_ text: String) {
        do {
            let f = try KubeconfigFile(parsing: text, path: "/fuzz/config")
            let merged = KubeconfigLoader.merge([f, f])
            var o = ClientOptions()
            o.environment = ["HOME": "/fuzz-home"]
            for name in [nil] + merged.contextOrder.prefix(3).map(Optional.some) {
                o.context = name
                var loader = KubeconfigLoader(options: o)
                loader.readFile = { _ throws(FileSystem.ReadError) in Array("PEM".utf8) }
                _ = try? loader.resolve(merged, files: ["/fuzz/config"])
            }
        } catch {
            XCTAssertFalse(error.message.isEmpty)
        }
        _ = try? YAML.parseDocuments(text)
    }

    func testMutatedKubeconfigsNeverCrash() {
        var mutator = ByteMutator(seed: 0x6b756265, tokens: Self.tokens)
        for i in 0..<3000 {
            let bytes = mutator.mutated(Array(Self.seeds[i % Self.seeds.count].utf8))
            Self.exercise(String(decoding: bytes, as: UTF8.self))
        }
    }

    func testSeedsThemselves() {
        for s in Self.seeds { Self.exercise(s) }
    }
}

/// A small deterministic generator, so that a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
