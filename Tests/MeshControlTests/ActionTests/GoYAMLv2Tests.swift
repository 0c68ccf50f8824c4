@testable import MeshControl
import Glibc
import ObjectModel
import XCTest

/// gopkg.in/yaml.v2 v2.4.0's choices, from its encode.go / resolve.go / sorter.go and libyaml's
/// emitter: what upstream's `yaml.Marshal` prints for each kind of string.
final class GoYAMLv2Tests: XCTestCase {
    func testStringStyles() {
        let cases: [(String, String)] = [
            ("bookstore", "bookstore"),
            ("", "\"\""),                      // resolves to null
            ("true", "\"true\""), ("y", "\"y\""), ("off", "\"off\""), ("~", "\"~\""), ("<<", "\"<<\""),
            ("12345", "\"12345\""), ("0x1F", "\"0x1F\""), ("1.5", "\"1.5\""), (".5", "\".5\""), ("1e3", "\"1e3\""),
            ("2021-05-01T10:00:00Z", "\"2021-05-01T10:00:00Z\""), ("2021-05-01", "\"2021-05-01\""),
            ("1:20", "\"1:20\""),              // base 60 float
            ("1-2-3", "1-2-3"), ("v0.8.4", "v0.8.4"), ("a: b", "'a: b'"), ("*", "'*'"), ("-a", "-a"), ("- a", "'- a'"),
            ("it's", "it's"), ("#x", "'#x'"), ("a #b", "'a #b'"), (" lead", "' lead'"), ("/stats/prometheus", "/stats/prometheus"),
            ("tab\there", "tab\there"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(GoYAMLv2.scalar(input, indent: 0), expected, input)
        }
    }

    func testDocumentLayout() {
        let doc = GoYAMLv2.mapping([
            ("a", .mapping([("b", .string("x")), ("c", .mapping([])), ("d", .sequence([])), ("e", .null), ("f", .int(3))])),
            ("list", .sequence([.mapping([("k", .string("v")), ("l", .sequence([.string("1")]))]), .string("s")])),
            ("text", .string("line one\nline two\n")),
        ])
        XCTAssertEqual(doc.document(), """
            a:
              b: x
              c: {}
              d: []
              e: null
              f: 3
            list:
            - k: v
              l:
              - "1"
            - s
            text: |
              line one
              line two

            """)
    }

    func testMapKeysSortAsYAMLv2() {
        XCTAssertEqual(GoYAMLv2.sortedKeys(["b", "a10", "a9", "A", "a.b", "a"]), ["A", "a", "a.b", "a9", "a10", "b"])
    }
}

/// The TrafficTarget struct as yaml.v2 walks it, for fields kube-sim does not set.
final class TrafficTargetYAMLTests: XCTestCase {
    func testOwnerReferencesManagedFieldsAndDeletion() throws {
        setenv("TZ", "UTC", 1)
        tzset()
        let target = try JSONValue(parsing: #"""
            {"apiVersion":"access.smi-spec.io/v1alpha3","kind":"TrafficTarget",
             "metadata":{"name":"t","namespace":"ns","uid":"u-1","resourceVersion":"7","generation":2,
               "creationTimestamp":"2021-05-01T10:00:00Z","deletionTimestamp":"2021-05-02T00:00:00+02:00",
               "deletionGracePeriodSeconds":0,"finalizers":["x/y"],
               "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"o","uid":"u-2","controller":true}],
               "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"access.smi-spec.io/v1alpha3",
                 "time":"2021-05-01T10:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:a":{}}}]},
             "spec":{"destination":{"kind":"ServiceAccount","name":"d"}}}
            """#)
        XCTAssertEqual(TrafficTargetYAML.node(target).document(), """
            typemeta:
              kind: TrafficTarget
              apiversion: access.smi-spec.io/v1alpha3
            objectmeta:
              name: t
              generatename: ""
              namespace: ns
              selflink: ""
              uid: u-1
              resourceversion: "7"
              generation: 2
              creationtimestamp: "2021-05-01T10:00:00Z"
              deletiontimestamp: "2021-05-01T22:00:00Z"
              deletiongraceperiodseconds: 0
              labels: {}
              annotations: {}
              ownerreferences:
              - apiversion: v1
                kind: ConfigMap
                name: o
                uid: u-2
                controller: true
                blockownerdeletion: null
              finalizers:
              - x/y
              clustername: ""
              managedfields:
              - manager: kubectl
                operation: Update
                apiversion: access.smi-spec.io/v1alpha3
                time: "2021-05-01T10:00:00Z"
                fieldstype: FieldsV1
                fieldsv1:
                  raw:
                  - 123
                  - 34
                  - 102
                  - 58
                  - 97
                  - 34
                  - 58
                  - 123
                  - 125
                  - 125
            spec:
              destination:
                kind: ServiceAccount
                name: d
                namespace: ""
              sources: []
              rules: []

            """)
    }
}
