import Foundation
import KubeSim
import XCTest
import ObjectModel
import TestSupport

/// resourceVersion, resourceVersionMatch, continue and limit as 1.20 reads them, the watch cache's
/// window, and label selectors with `>`/`<`. What a real server answers is cited in each test (from
/// knowledge of the v1.20 sources; the kubernetes repository is too large to fetch here).
final class ListWatchEdgeTests: XCTestCase {
    private func rv(_ v: JSONValue) -> Int { Int(v[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? -1 }

    private func names(_ list: JSONValue) -> [String] {
        (list["items"]?.arrayValue ?? []).compactMap { $0[path: "metadata", "name"]?.stringValue }.filter { $0 != "kube-root-ca.crt" }
    }

    private func events(_ r: ClusterHarness.Reply) -> [JSONValue] {
        r.body.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
    }

    private func churn(_ h: ClusterHarness, _ kind: String, _ name: String, times: Int) throws {
        for i in 0..<times {
            try h.sim.put(["apiVersion": "v1", "kind": .string(kind), "metadata": ["name": .string(name), "namespace": "default"],
                           "data": ["i": .string(Base64.encode(Array(String(i).utf8)))]])
        }
    }

    // MARK: watch cache window

    /// watch_cache.go (v1.20): each resource's cache holds at least 100 events (defaultLowerBoundCapacity)
    /// and only grows while its oldest event is younger than eventFreshDuration; a watch from before the
    /// window is `too old resource version: RV (OLDEST-1)` (getAllEventsSinceLocked), one ERROR event.
    func testWatchFromBeforeTheResourcesWindowIsExpired() throws {
        let h = try ClusterHarness { $0.watchCacheEventFreshSeconds = 0 }
        let (_, cm) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "churn"]])
        let first = rv(cm)
        // Other resources' events do not push configmaps out: the windows are per resource.
        try churn(h, "Secret", "other", times: 300)
        var r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(first)&timeoutSeconds=1")
        XCTAssertEqual(events(r).first?["type"]?.stringValue, nil, "nothing happened to configmaps since: \(r.body.prefix(300))")

        try churn(h, "ConfigMap", "churn", times: 150)
        r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(first)&timeoutSeconds=1")
        let e = events(r)
        XCTAssertEqual(e.count, 1, r.body.prefix(300).description)
        XCTAssertEqual(e.first?["type"], "ERROR")
        XCTAssertEqual(e.first?[path: "object", "code"], 410)
        XCTAssertEqual(e.first?[path: "object", "reason"], "Expired")
        // 151 configmap events: the window holds the last 100, so the oldest one watchable from is
        // the 51st's version minus one.
        let now = rv(try h.json("GET", "/api/v1/namespaces/default/configmaps").1)
        let message = e.first?[path: "object", "message"]?.stringValue ?? ""
        XCTAssertTrue(message.hasPrefix("too old resource version: \(first) ("), message)
        let oldest = Int(message.split(separator: "(").last?.dropLast() ?? "") ?? 0
        XCTAssertGreaterThan(oldest, first)
        XCTAssertLessThan(oldest, now)

        // From inside the window: every later change, no error.
        r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(oldest)&timeoutSeconds=1")
        XCTAssertEqual(events(r).count, 100)
        XCTAssertFalse(events(r).contains { $0["type"] == "ERROR" })
    }

    /// With 1.20's 75s eventFreshDuration, a burst of young events grows the window (resizeCacheLocked,
    /// up to 100*1024 events) instead of dropping them.
    func testABurstOfEventsGrowsTheWindow() throws {
        let h = try ClusterHarness()
        let (_, cm) = try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": "churn"]])
        try churn(h, "ConfigMap", "churn", times: 4500)
        let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(rv(cm))&timeoutSeconds=5")
        XCTAssertEqual(events(r).count, 4500, "\(r.body.count) bytes, ends \(r.body.suffix(200))")
        XCTAssertFalse(events(r).contains { $0["type"] == "ERROR" }, r.body.prefix(300).description)
    }

    // MARK: ListOptions validation

    /// ValidateListOptions (staging/src/k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go,
    /// v1.20), called by handlers/get.go ListResource: 422 `ListOptions.meta.k8s.io "" is invalid`.
    func testResourceVersionMatchIsValidatedAs120() throws {
        let h = try ClusterHarness()
        func message(_ query: String) throws -> (Int, String) {
            let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?\(query)")
            return (r.status, r.json?["message"]?.stringValue ?? r.body)
        }
        let prefix = "ListOptions.meta.k8s.io \"\" is invalid: "
        XCTAssertEqual(try message("resourceVersionMatch=NotOlderThan").1,
                       prefix + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")
        XCTAssertEqual(try message("resourceVersionMatch=NotOlderThan").0, 422)
        XCTAssertEqual(try message("resourceVersion=0&resourceVersionMatch=Exact").1,
                       prefix + "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")
        XCTAssertEqual(try message("resourceVersion=5&resourceVersionMatch=Newest").1,
                       prefix + "resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"")
        XCTAssertEqual(try message("watch=1&resourceVersion=5&resourceVersionMatch=NotOlderThan").1,
                       prefix + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch")
        XCTAssertEqual(try message("resourceVersionMatch=Exact&continue=abc").1,
                       prefix + "[resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided]")
        // APIObjectVersioner.ParseResourceVersion's storage.InvalidError reaches the client unconverted: 500.
        let (code, text) = try message("resourceVersion=abc")
        XCTAssertEqual(code, 500)
        XCTAssertEqual(text, "resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax")
        // With a limit the list goes to etcd, whose List makes it a 400 (etcd3/store.go).
        let (code2, text2) = try message("resourceVersion=abc&limit=5")
        XCTAssertEqual(code2, 400)
        XCTAssertEqual(text2, "invalid resource version: resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax")
    }

    /// The same through the official Python client, which sends resource_version_match as given.
    func testPythonClientSeesListOptionErrors() throws {
        let h = try ClusterHarness()
        let python = try Tools.python(importing: "kubernetes")
        let script = #"""
        import json, sys
        from kubernetes import client, config
        from kubernetes.client.rest import ApiException
        config.load_kube_config(config_file=sys.argv[1])
        v1 = client.CoreV1Api()
        try:
            v1.list_namespaced_config_map("default", resource_version_match="Exact")
            raise SystemExit("accepted")
        except ApiException as e:
            assert e.status == 422, e.body
            assert json.loads(e.body)["details"]["causes"][0]["field"] == "resourceVersionMatch", e.body
        first = v1.create_namespaced_config_map("default", {"metadata": {"name": "a"}})
        v1.create_namespaced_config_map("default", {"metadata": {"name": "b"}})
        then = v1.list_namespaced_config_map("default", resource_version=first.metadata.resource_version,
                                             resource_version_match="Exact")
        assert [i.metadata.name for i in then.items if i.metadata.name != "kube-root-ca.crt"] == ["a"], then.items
        assert then.metadata.resource_version == first.metadata.resource_version
        print("ok")
        """#
        let out = try ProcessRunner.run(python, ["-c", script, h.kubeconfig], timeout: 120)
        XCTAssertEqual(out.stdout, "ok\n", out.stderr)
    }

    // MARK: resourceVersion semantics

    /// cacher.go List / etcd3 store.go List (v1.20): Exact reads at that revision; NotOlderThan (and the
    /// legacy form without limit) reads the latest once the cache has it, else 504 `Too large resource
    /// version`; the legacy form with a limit reads at that revision; a revision etcd compacted is 410.
    func testExactNotOlderThanAndLegacyResourceVersions() throws {
        let h = try ClusterHarness()
        let base = "/api/v1/namespaces/default/configmaps"
        let (_, a) = try h.json("POST", base, body: ["metadata": ["name": "a"], "data": ["v": "1"]])
        let atA = rv(a)
        XCTAssertEqual(try h.json("POST", base, body: ["metadata": ["name": "b"]]).0, 201)
        XCTAssertEqual(try h.json("PATCH", base + "/a", body: ["data": ["v": "2"]], contentType: "application/merge-patch+json").0, 200)
        XCTAssertEqual(try h.json("DELETE", base + "/b").0, 200)

        var (status, list) = try h.json("GET", base + "?resourceVersion=\(atA)&resourceVersionMatch=Exact")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(names(list), ["a"])
        XCTAssertEqual(list["items"]?.arrayValue?.first { $0[path: "metadata", "name"] == "a" }?[path: "data", "v"], "1")
        XCTAssertEqual(rv(list), atA)

        // Legacy with a limit: etcd at that revision too.
        (status, list) = try h.json("GET", base + "?resourceVersion=\(atA + 1)&limit=10")
        XCTAssertEqual(names(list), ["a", "b"])
        XCTAssertEqual(rv(list), atA + 1)

        (status, list) = try h.json("GET", base + "?resourceVersion=\(atA)&resourceVersionMatch=NotOlderThan")
        XCTAssertEqual(names(list), ["a"])
        XCTAssertGreaterThan(rv(list), atA + 2)
        let now = rv(list)

        let r = try h.request("GET", base + "?resourceVersion=\(now + 1000)")
        XCTAssertEqual(r.status, 504)
        XCTAssertEqual(r.json?["reason"], "Timeout")
        XCTAssertEqual(r.json?["message"]?.stringValue, "Timeout: Too large resource version: \(now + 1000), current: \(now)")
        XCTAssertEqual(r.json?[path: "details", "causes"]?[0]?["reason"], "ResourceVersionTooLarge")

        // History gone (etcd compacted): Exact is 410 Expired (etcd3 interpretListError).
        for i in 0..<4100 {
            try h.sim.put(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "churn", "namespace": "default"],
                           "stringData": ["i": .string(String(i))]])
        }
        let old = try h.request("GET", base + "?resourceVersion=\(atA)&resourceVersionMatch=Exact")
        XCTAssertEqual(old.status, 410)
        XCTAssertEqual(old.json?["reason"], "Expired")
        XCTAssertEqual(old.json?["message"], "The resourceVersion for the provided list is too old.")
    }

    /// cacher.go List (v1.20): `hasLimit := ... pred.Limit > 0 && resourceVersion != "0"`: RV=0 is served
    /// from the watch cache, whole, with no continue token.
    func testResourceVersionZeroIgnoresTheLimit() throws {
        let h = try ClusterHarness()
        for n in ["a", "b", "c"] {
            XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": .string(n)]]).0, 201)
        }
        let (_, whole) = try h.json("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0&limit=1")
        XCTAssertEqual(names(whole), ["a", "b", "c"])
        XCTAssertNil(whole[path: "metadata", "continue"])
        XCTAssertNil(whole[path: "metadata", "remainingItemCount"])
        let (_, page) = try h.json("GET", "/api/v1/namespaces/default/configmaps?limit=1")
        XCTAssertEqual(page["items"]?.arrayValue?.count, 1)
        XCTAssertNotNil(page[path: "metadata", "continue"])
    }

    // MARK: continue

    /// etcd3 store.go (v1.20): tokens are base64url `{"v":"meta.k8s.io/v1","rv":N,"start":"KEY\u0000"}`;
    /// pages after the first are read at the first page's revision; a token with a resourceVersion is 400
    /// `specifying resource version is not allowed when using continue`; decodeContinue's failures are 400
    /// `invalid continue token: continue key is not valid: ...`.
    func testContinueTokensAs120() throws {
        let h = try ClusterHarness()
        let base = "/api/v1/namespaces/default/configmaps"
        for n in ["a", "b", "c"] {
            XCTAssertEqual(try h.json("POST", base, body: ["metadata": ["name": .string(n)]]).0, 201)
        }
        let (_, page1) = try h.json("GET", base + "?limit=2")
        XCTAssertEqual(names(page1), ["a", "b"])
        XCTAssertEqual(page1[path: "metadata", "remainingItemCount"], 2)  // c and kube-root-ca.crt
        let token = try XCTUnwrap(page1[path: "metadata", "continue"]?.stringValue)
        var padded = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while padded.count % 4 != 0 { padded += "=" }
        let decoded = try JSONValue(parsing: Base64.decode(padded) ?? [])
        XCTAssertEqual(decoded["v"], "meta.k8s.io/v1")
        XCTAssertEqual(decoded["rv"]?.intValue, rv(page1))
        XCTAssertEqual(decoded["start"], "b\u{0}")

        // Written after the first page: not in the rest of this list (etcd reads at the token's revision).
        XCTAssertEqual(try h.json("POST", base, body: ["metadata": ["name": "d"]]).0, 201)
        let (status, page2) = try h.json("GET", base + "?limit=5&continue=\(token)")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(names(page2), ["c"])
        XCTAssertEqual(rv(page2), rv(page1))
        XCTAssertNil(page2[path: "metadata", "continue"])

        func refusal(_ query: String) throws -> String {
            let r = try h.request("GET", base + "?" + query)
            XCTAssertEqual(r.status, 400, r.body)
            XCTAssertEqual(r.json?["reason"], "BadRequest")
            return r.json?["message"]?.stringValue ?? r.body
        }
        XCTAssertEqual(try refusal("continue=\(token)&resourceVersion=\(rv(page1))"),
                       "specifying resource version is not allowed when using continue")
        XCTAssertEqual(try refusal("continue=ab*cd"),
                       "invalid continue token: continue key is not valid: illegal base64 data at input byte 2")
        func b64(_ s: String) -> String {
            Base64.encode(Array(s.utf8)).replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        }
        XCTAssertEqual(try refusal("continue=" + b64(#"{"v":"other/v9","rv":5,"start":"a"}"#)),
                       "invalid continue token: continue key is not valid: server does not recognize this encoded version \"other/v9\"")
        XCTAssertEqual(try refusal("continue=" + b64(#"{"v":"meta.k8s.io/v1","rv":5,"start":"../secrets/x"}"#)),
                       "invalid continue token: continue key is not valid: ../secrets/x")
        XCTAssertEqual(try refusal("continue=" + b64(#"{"v":"meta.k8s.io/v1","rv":0,"start":"a"}"#)),
                       "invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        XCTAssertEqual(try refusal("continue=" + b64("hello")),
                       "invalid continue token: continue key is not valid: invalid character 'h' looking for beginning of value")

        // kubectl pages through with its own tokens.
        let out = try h.kubectl("get", "configmaps", "-A", "--chunk-size=1", "-o", "name")
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("configmap/d\n"), out.stdout)
        XCTAssertEqual(out.stdout.split(separator: "\n").count,
                       (try h.json("GET", "/api/v1/configmaps").1["items"]?.arrayValue?.count) ?? -1)
    }

    // MARK: label selectors

    /// labels.Parse (staging/src/k8s.io/apimachinery/pkg/labels/selector.go, v1.20) takes `>` and `<`
    /// with an integer; labels whose value is not an integer never match; a non-integer bound is refused.
    func testLabelSelectorsGreaterAndLessThan() throws {
        let h = try ClusterHarness()
        for (name, n) in [("one", "1"), ("three", "3"), ("five", "5"), ("word", "many")] {
            XCTAssertEqual(try h.json("POST", "/api/v1/namespaces/default/configmaps",
                                      body: ["metadata": ["name": .string(name), "labels": ["n": .string(n)]]]).0, 201)
        }
        func get(_ selector: String) throws -> [String] {
            let o = try h.kubectl("get", "configmaps", "-l", selector, "-o", "jsonpath={.items[*].metadata.name}")
            XCTAssertEqual(o.status, 0, o.stderr)
            return o.stdout.split(separator: " ").map(String.init).sorted()
        }
        XCTAssertEqual(try get("n>1"), ["five", "three"])
        XCTAssertEqual(try get("n<5"), ["one", "three"])
        XCTAssertEqual(try get("n>1,n<5"), ["three"])
        XCTAssertEqual(try get("n>-10"), ["five", "one", "three"])
        let r = try h.request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=n%3Emany")
        XCTAssertEqual(r.status, 400)
    }
}
