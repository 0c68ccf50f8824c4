import Foundation
import KubeSim
import XCTest
import TestSupport

/// The official Python client against the rules of ServiceAccountTests, PodAdmissionTests and
/// MetadataRulesTests, asserting what a 1.20 server answers (the prelude of PythonClientConformanceTests).
final class PythonClientAdmissionTests: XCTestCase {
    func testServiceAccountsAdmissionAndMetadataRules() throws {
        let h = try ClusterHarness()
        let python = try Tools.python(importing: "kubernetes")
        let script = PythonClientConformanceTests.prelude + "\n" + #"""
        v1 = client.CoreV1Api(admin)
        # The storage refuses a resourceVersion on create (500, no reason).
        body = expect(500, v1.create_namespaced_config_map, "default", {"metadata": {"name": "c", "resourceVersion": "42"}},
                      message="resourceVersion should not be set on objects to be created")
        assert "reason" not in body, body
        # A uid in a PUT body is a precondition.
        cm = v1.create_namespaced_config_map("default", {"metadata": {"name": "c"}, "data": {"a": "b"}})
        wrong = "00000000-0000-4000-8000-000000000000"
        expect(409, v1.replace_namespaced_config_map, "c", "default", {"metadata": {"name": "c", "uid": wrong}, "data": {"a": "x"}},
               reason="Conflict",
               message='Operation cannot be fulfilled on configmaps "c": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/c, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: %s, UID in object meta: %s' % (wrong, cm.metadata.uid))
        # ServiceAccount admission.
        pod = {"metadata": {"name": "p"}, "spec": {"serviceAccountName": "ghost", "containers": [{"name": "c", "image": "nginx"}]}}
        expect(403, v1.create_namespaced_pod, "default", pod, reason="Forbidden",
               message='pods "p" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found')
        pod["spec"] = {"containers": [{"name": "c", "image": "nginx", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}
        made = v1.create_namespaced_pod("default", pod)
        assert made.spec.service_account_name == "default", made.spec
        assert made.spec.containers[0].volume_mounts[0].mount_path == "/var/run/secrets/kubernetes.io/serviceaccount", made.spec
        assert made.spec.volumes[0].secret.secret_name.startswith("default-token-"), made.spec
        assert [(t.key, t.toleration_seconds) for t in made.spec.tolerations] == [
            ("node.kubernetes.io/not-ready", 300), ("node.kubernetes.io/unreachable", 300)], made.spec.tolerations
        assert made.status.qos_class == "Guaranteed", made.status
        # TokenRequest, and the token it gives.
        tr = v1.create_namespaced_service_account_token("default", "default", {"spec": {"expirationSeconds": 600}})
        assert tr.spec.audiences == ["https://kubernetes.default.svc.cluster.local"], tr.spec
        expect(403, client.CoreV1Api(as_token(tr.status.token)).list_namespaced_pod, "default",
               message='pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"')
        expect(422, v1.create_namespaced_service_account_token, "default", "default", {"spec": {"expirationSeconds": 60}},
               message='TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes')
        svc = v1.read_namespaced_service("kubernetes", "default")
        assert svc.spec.cluster_ip == "10.96.0.1" and svc.spec.ports[0].port == 443 and svc.spec.ports[0].name == "https", svc.spec
        """# + "\nprint('ok')\n"
        let out = try ProcessRunner.run(python, ["-c", script, h.kubeconfig, h.sim.url, h.caFile], timeout: 300)
        XCTAssertEqual(out.status, 0, "python failed:\n\(out.stderr)")
        XCTAssertTrue(out.stdout.hasSuffix("ok\n"), out.stdout)
    }
}
