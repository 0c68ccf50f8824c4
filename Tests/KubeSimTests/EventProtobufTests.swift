import Foundation
import XCTest
import ObjectModel
import TestSupport

/// client-go's event recorders (tools/record, through the typed clientset) post core/v1 Events as protobuf
/// (`application/vnd.kubernetes.protobuf`, the `k8s\0` envelope around k8s.io/api/core/v1 generated.proto's
/// Event); a 1.20 server decodes and stores them as any other body.
final class EventProtobufTests: XCTestCase {
    var h: ClusterHarness!
    override func setUpWithError() throws { h = try ClusterHarness() }
    override func tearDown() { h = nil }

    /// Protobuf wire encoding, enough for this message.
    private struct Message {
        var bytes: [UInt8] = []
        mutating func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        mutating func int(_ field: Int, _ v: Int) { varint(UInt64(field << 3)); varint(UInt64(bitPattern: Int64(v))) }
        mutating func bytes(_ field: Int, _ b: [UInt8]) { varint(UInt64(field << 3 | 2)); varint(UInt64(b.count)); bytes += b }
        mutating func string(_ field: Int, _ s: String) { bytes(field, Array(s.utf8)) }
        mutating func message(_ field: Int, _ m: Message) { bytes(field, m.bytes) }
    }

    func testProtobufEventIsStored() throws {
        var meta = Message()
        meta.string(1, "web-1.16f0")
        meta.string(3, "default")
        var involved = Message()
        involved.string(1, "Pod"); involved.string(2, "default"); involved.string(3, "web-1")
        involved.string(4, "0c1d5a5e-7b7a-4d8e-9a51-6f1e9f5b2c11"); involved.string(5, "v1"); involved.string(7, "spec.containers{main}")
        var source = Message()
        source.string(1, "kubelet"); source.string(2, "node-1")
        var time = Message()
        time.int(1, 1_767_225_600)  // 2026-01-01T00:00:00Z
        var event = Message()
        event.message(1, meta)
        event.message(2, involved)
        event.string(3, "Pulled")
        event.string(4, "Container image \"nginx:1.19\" already present on machine")
        event.message(5, source)
        event.message(6, time)
        event.message(7, time)
        event.int(8, 1)
        event.string(9, "Normal")
        event.message(10, Message())  // eventTime: zero
        event.string(14, "")
        event.string(15, "")
        var typeMeta = Message()
        typeMeta.string(1, "v1"); typeMeta.string(2, "Event")
        var unknown = Message()
        unknown.message(1, typeMeta)
        unknown.bytes(2, event.bytes)
        unknown.string(3, ""); unknown.string(4, "")
        let body = h.file("event.pb")
        try Data([0x6B, 0x38, 0x73, 0x00] + unknown.bytes).write(to: URL(fileURLWithPath: body))
        let r = try ProcessRunner.run("/usr/bin/curl", [
            "-s", "-S", "-o", "-", "-w", "\n%{http_code}", "--cacert", h.caFile,
            "--cert", h.adminCertificate.cert, "--key", h.adminCertificate.key,
            "-H", "Content-Type: application/vnd.kubernetes.protobuf", "-H", "Accept: application/json",
            "--data-binary", "@" + body, h.sim.url + "/api/v1/namespaces/default/events",
        ], in: h.dir)
        XCTAssertTrue(r.stdout.hasSuffix("\n201"), r.stdout)

        let e = (try? JSONValue(parsing: Array(try h.kubectl("get", "event", "web-1.16f0", "-o", "json").stdout.utf8))) ?? .null
        XCTAssertEqual(e["reason"]?.stringValue, "Pulled")
        XCTAssertEqual(e["message"]?.stringValue, "Container image \"nginx:1.19\" already present on machine")
        XCTAssertEqual(e["involvedObject"], ["kind": "Pod", "namespace": "default", "name": "web-1",
                                             "uid": "0c1d5a5e-7b7a-4d8e-9a51-6f1e9f5b2c11", "apiVersion": "v1",
                                             "fieldPath": "spec.containers{main}"])
        XCTAssertEqual(e["source"], ["component": "kubelet", "host": "node-1"])
        XCTAssertEqual(e["firstTimestamp"]?.stringValue, "2026-01-01T00:00:00Z")
        XCTAssertEqual(e["lastTimestamp"]?.stringValue, "2026-01-01T00:00:00Z")
        XCTAssertEqual(e["count"]?.intValue, 1)
        XCTAssertEqual(e["type"]?.stringValue, "Normal")
        XCTAssertEqual(e["eventTime"], .null)
        XCTAssertEqual(e["reportingComponent"]?.stringValue, "")
        let row = try h.kubectl("get", "events", "--field-selector", "reason=Pulled", "--no-headers").stdout
        XCTAssertTrue(row.contains("Normal") && row.contains("pod/web-1"), row)
    }
}
