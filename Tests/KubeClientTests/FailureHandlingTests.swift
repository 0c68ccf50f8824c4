import Foundation
import KubeSim
import TestSupport
import ObjectModel
import XCTest
@testable import KubeClient

/// Issue 12 at the client: server text made printable, credentials masked in echoes, retry
/// waits bounded in total, requests aborted by a signal.
final class FailureHandlingTests: XCTestCase {
    let s = Scratch()

    func testServerTextIsOneLineWithoutControlCharacters() {
        XCTAssertEqual(ServerText.printable("plain text"), "plain text")
        XCTAssertEqual(ServerText.printable("a\u{1B}[31mred\u{07}\r\nb\tc\u{9B}d\u{7F}"), #"a\e[31mred\a\r\nb\tc\u{9b}d\u{7f}"#)
        XCTAssertEqual(ServerText.printable("é ünïcode ✓"), "é ünïcode ✓")
    }

    func testEchoedAuthorizationValuesAreMasked() {
        XCTAssertEqual(ServerText.maskCredentials("Authorization: Bearer abc.def-ghi\nHost: x"), "Authorization: Bearer <masked>\nHost: x")
        XCTAssertEqual(ServerText.maskCredentials(#"{"Authorization":["Basic YWRtaW46cHc="]}"#), #"{"Authorization":["Basic <masked>"]}"#)
        XCTAssertEqual(ServerText.maskCredentials("nothing here"), "nothing here")
    }

    func testRetryAfterWaitsAreAnnouncedAndBoundedInTotal() throws {
        let ns = SimFixture.uniqueName("throttled")
        SimFixture.sim.setFaults([FaultRule(path: "/namespaces/\(ns)$", status: 429, retryAfter: 2)])
        defer { SimFixture.sim.setFaults([]) }
        let notices = LogCapture()
        let c = try SimFixture.client(s) {
            $0.maxRetryWait = 3
            $0.noticeSink = notices.sink
        }
        XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .tooManyRequests, contains: ["2 times"])
        // One wait of 2s fits in 3s; a second would not.
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(ns)").count, 2)
        XCTAssertEqual(notices.text.split(separator: "\n").count, 1, notices.text)
        XCTAssertTrue(notices.text.hasPrefix("Notice: ") && notices.text.contains("retry in 2s"), notices.text)
    }

    func testASignalAbortsARequestInFlight() throws {
        let ns = SimFixture.uniqueName("slow")
        SimFixture.sim.setFaults([FaultRule(path: "/namespaces/\(ns)$", delayMs: 20_000)])
        defer { SimFixture.sim.setFaults([]) }
        let interruption = Interruption()
        let c = try SimFixture.client(s) { $0.interruption = interruption }
        // SIGINT again and again until the call returns: signals before the request began do not
        // touch it (as the last line checks), so only one that finds it in flight can end it early;
        // none ever would leave it waiting out the 20s delay and failing.
        try whileSignalling(interruption, SIGINT) {
            XCTAssertThrowsKubeError(try c.get(.namespaces, name: ns), kind: .interrupted)
        }
        XCTAssertEqual(interruption.exitCode, 130)
        // Requests started after the signal are not aborted by it.
        XCTAssertNoThrow(try c.get(.namespaces, name: "default"))
    }

    /// A batch on the multi handle keeps the single path's rules: a signal aborts every request
    /// in flight, and a write that reached the server is reported as possibly applied (code 1,
    /// what `install --atomic` journals); a batch begun after the signal is sent as usual.
    func testASignalAbortsEveryRequestOfABatchInFlight() throws {
        let ns = SimFixture.uniqueName("slow")
        let cm = SimFixture.uniqueName("slow-cm")
        SimFixture.sim.setFaults([
            FaultRule(path: "/namespaces/\(ns)$", delayMs: 20_000),
            FaultRule(method: "POST", path: "/namespaces/default/configmaps$", delayMs: 20_000),
        ])
        defer { SimFixture.sim.setFaults([]) }
        let interruption = Interruption()
        let c = try SimFixture.client(s) { $0.interruption = interruption }
        let object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(cm), "namespace": "default"]]
        let batch = [try c.getRequest(.namespaces, name: ns), try c.createRequest(.configMaps, namespace: "default", object)]
        // The signal comes once the create has reached the server (kube-sim stores it at once and
        // only delays the answer): then both requests of the batch are in flight.
        let signalled = DispatchSemaphore(value: 0)
        Thread {
            eventually("ConfigMap \(cm) created by the batch in flight") {
                SimFixture.sim.object(group: "", version: "v1", resource: "configmaps", namespace: "default", name: cm) != nil
            }
            interruption.simulate(SIGINT)
            signalled.signal()
        }.start()
        let answers = c.send(batch)
        signalled.wait()
        XCTAssertEqual(answers.count, 2)
        for a in answers { XCTAssertThrowsKubeError(try a.get(), kind: .interrupted) }
        if case .failure(let e) = answers[1] { XCTAssertEqual(e.code, 1, "the create was sent: \(e.message)") }
        XCTAssertNoThrow(try c.send([try c.getRequest(.namespaces, name: "default")])[0].get())
    }

    func testRetryAfterInABatchIsAnnouncedAndWritesThatTimeOutMayHaveLanded() throws {
        let throttled = SimFixture.uniqueName("throttled")
        let slow = SimFixture.uniqueName("slow-cm")
        SimFixture.sim.setFaults([
            FaultRule(path: "/namespaces/\(throttled)$", count: 1, status: 429, retryAfter: 2),
            FaultRule(method: "POST", path: "/namespaces/default/configmaps$", delayMs: 4_000),
        ])
        defer { SimFixture.sim.setFaults([]) }
        let notices = LogCapture()
        let c = try SimFixture.client(s) { $0.noticeSink = notices.sink }
        let reads = c.send([try c.getRequest(.namespaces, name: throttled), try c.getRequest(.namespaces, name: "default")])
        // The 429 was retried after its Retry-After (then 404: no such namespace), and announced.
        XCTAssertThrowsKubeError(try reads[0].get(), kind: .notFound)
        XCTAssertNoThrow(try reads[1].get())
        XCTAssertEqual(SimFixture.requests("/api/v1/namespaces/\(throttled)").count, 2)
        XCTAssertTrue(notices.text.contains("retry in 2s"), notices.text)

        let timed = try SimFixture.client(s) { $0.requestTimeout = 1 }
        let object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(slow), "namespace": "default"]]
        let writes = timed.send([try timed.createRequest(.configMaps, namespace: "default", object)])
        XCTAssertThrowsKubeError(try writes[0].get(), kind: .timeout, contains: ["may have applied the change"])
    }

    func testTokensAreNotSentOverPlainHTTP() throws {
        XCTAssertThrowsKubeError(try SimFixture.client(s, server: "http://127.0.0.1:1"), kind: .credentials,
                                 contains: ["refusing to send the bearer token", "http://127.0.0.1:1", "\"tester\"", "\"sim\""])
        XCTAssertThrowsKubeError(try SimFixture.client(s, userBody: "username: u\npassword: p4ssw0rd", server: "http://127.0.0.1:1"),
                                 kind: .credentials, contains: ["refusing to send the password"])
        XCTAssertNoThrow(try SimFixture.client(s, userBody: "{}", server: "http://127.0.0.1:1"))
    }
}
