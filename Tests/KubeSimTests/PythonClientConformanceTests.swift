import Foundation
import KubeSim
import XCTest
import TestSupport

/// The official Python client (Debian python3-kubernetes 22.6, run by /usr/bin/python3) driven
/// through each rule kube-sim shares with kube-apiserver 1.20: RBAC, validation, deletion, watch.
/// Each test runs a Python script that asserts what a real server answers; the script's own
/// AssertionError (with the server's reply) is the failure message.
final class PythonClientConformanceTests: XCTestCase {
    private func runPython(_ h: ClusterHarness, _ body: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let python = try Tools.python(importing: "kubernetes", file: file, line: line)
        let script = Self.prelude + "\n" + body + "\nprint('ok')\n"
        let out = try ProcessRunner.run(python, ["-c", script, h.kubeconfig, h.sim.url, h.caFile], timeout: 300)
        XCTAssertEqual(out.status, 0, "python failed:\n\(out.stderr)", file: file, line: line)
        XCTAssertTrue(out.stdout.hasSuffix("ok\n"), out.stdout, file: file, line: line)
    }

    static let prelude = #"""
    import json, sys, time
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
    KUBECONFIG, URL, CA = sys.argv[1:4]
    config.load_kube_config(config_file=KUBECONFIG)
    admin = client.ApiClient()

    def as_token(tok):
        c = client.Configuration()
        c.host = URL
        c.ssl_ca_cert = CA
        if tok is not None:
            c.api_key = {"authorization": "Bearer " + tok}
        return client.ApiClient(c)

    def expect(status, fn, *args, message=None, reason=None, **kw):
        try:
            fn(*args, **kw)
        except ApiException as e:
            body = json.loads(e.body) if e.body else {}
            assert e.status == status, "%s: status %s, wanted %s: %s" % (fn.__name__, e.status, status, e.body)
            if message is not None:
                assert body.get("message") == message, "message\n  %r\nwanted\n  %r" % (body.get("message"), message)
            if reason is not None:
                assert body.get("reason") == reason, "reason %r, wanted %r" % (body.get("reason"), reason)
            return body
        raise AssertionError("%s succeeded; wanted %s" % (fn.__name__, status))

    def eventually(what, cond, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if cond():
                return
            time.sleep(0.05)
        raise AssertionError("timed out waiting for " + what)

    def gone(fn, *args):
        try:
            fn(*args)
            return False
        except ApiException as e:
            return e.status == 404

    def causes(body):
        return [(c["reason"], c["field"]) for c in body["details"]["causes"]]
    """#

    func testRBACSelfSubjectAccessReviewAndAnonymous() throws {
        let h = try ClusterHarness { $0.tokens = ["alice-token,alice", "bob-token,bob,viewers"] }
        try runPython(h, #"""
        alice = client.CoreV1Api(as_token("alice-token"))
        expect(403, alice.list_namespace, reason="Forbidden",
               message='namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope')
        expect(401, client.CoreV1Api(as_token("wrong")).list_namespace, reason="Unauthorized")

        rbac = client.RbacAuthorizationV1Api(admin)
        assert rbac.read_cluster_role("cluster-admin").rules[0].verbs == ["*"]
        crb = rbac.read_cluster_role_binding("cluster-admin")
        assert [(s.kind, s.name) for s in crb.subjects] == [("Group", "system:masters")], crb.subjects
        for name in ["admin", "edit", "view"]:
            rbac.read_cluster_role(name)
        rbac.create_namespaced_role("default", client.V1Role(
            metadata=client.V1ObjectMeta(name="cm-reader"),
            rules=[client.V1PolicyRule(api_groups=[""], resources=["configmaps"], verbs=["get", "list"])]))
        rbac.create_namespaced_role_binding("default", client.V1RoleBinding(
            metadata=client.V1ObjectMeta(name="alice-reads"),
            role_ref=client.V1RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name="cm-reader"),
            subjects=[client.V1Subject(kind="User", name="alice")]))
        assert "kube-root-ca.crt" in [c.metadata.name for c in alice.list_namespaced_config_map("default").items]
        expect(403, alice.create_namespaced_config_map, "default", {"metadata": {"name": "x"}},
               message='configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"')
        expect(403, alice.read_namespaced_secret, "nope", "kube-system",
               message='secrets "nope" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "kube-system"')

        def review(api, verb, resource, namespace="default"):
            return client.AuthorizationV1Api(api).create_self_subject_access_review(client.V1SelfSubjectAccessReview(
                spec=client.V1SelfSubjectAccessReviewSpec(resource_attributes=client.V1ResourceAttributes(
                    verb=verb, resource=resource, namespace=namespace)))).status
        s = review(as_token("alice-token"), "list", "configmaps")
        assert s.allowed is True and s.reason == 'RBAC: allowed by RoleBinding "alice-reads/default" of Role "cm-reader" to User "alice"', s
        assert review(as_token("alice-token"), "delete", "configmaps").allowed is False
        # A group from the token, bound to the bootstrap view role.
        assert review(as_token("bob-token"), "list", "pods").allowed is False
        rbac.create_cluster_role_binding(client.V1ClusterRoleBinding(
            metadata=client.V1ObjectMeta(name="viewers"),
            role_ref=client.V1RoleRef(api_group="rbac.authorization.k8s.io", kind="ClusterRole", name="view"),
            subjects=[client.V1Subject(kind="Group", name="viewers", api_group="rbac.authorization.k8s.io")]))
        assert review(as_token("bob-token"), "list", "pods").allowed is True
        assert review(as_token("bob-token"), "get", "secrets").allowed is False
        client.CoreV1Api(as_token("bob-token")).list_namespaced_pod("default")
        # Escalation prevention: bob may write roles in default, but only with rules he holds.
        rbac.create_namespaced_role("default", {"metadata": {"name": "role-writer"},
            "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["create"]}]})
        rbac.create_namespaced_role_binding("default", {"metadata": {"name": "bob-writes"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "role-writer"},
            "subjects": [{"kind": "User", "name": "bob"}]})
        bob_rbac = client.RbacAuthorizationV1Api(as_token("bob-token"))
        bob_rbac.create_namespaced_role("default", {"metadata": {"name": "pod-reader"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]})
        expect(403, bob_rbac.create_namespaced_role, "default", {"metadata": {"name": "secret-reader"},
               "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]},
               message='roles.rbac.authorization.k8s.io "secret-reader" is forbidden: user "bob" (groups=["viewers" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}')

        anon = as_token(None)
        assert client.VersionApi(anon).get_code().git_version == "v1.20.15"
        body = anon.call_api("/healthz", "GET", response_type="str", _return_http_data_only=True)
        assert body == "ok", body
        expect(403, client.CoreV1Api(anon).list_namespace,
               message='namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope')
        expect(403, client.CoreApi(anon).get_api_versions, message='forbidden: User "system:anonymous" cannot get path "/api/"')
        """#)
    }

    /// Impersonate-User and -Group as default headers of the client (staging/src/k8s.io/apiserver/pkg/
    /// endpoints/filters/impersonation.go in kubernetes v1.20).
    func testImpersonation() throws {
        let h = try ClusterHarness { $0.tokens = ["bob-token,bob"] }
        try runPython(h, #"""
        def impersonating(user, group=None, base=None):
            api = base or client.ApiClient()
            api.set_default_header("Impersonate-User", user)
            if group is not None:
                api.set_default_header("Impersonate-Group", group)
            return api
        alice = client.CoreV1Api(impersonating("alice"))
        expect(403, alice.list_namespaced_secret, "default", reason="Forbidden",
               message='secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "default"')
        client.RbacAuthorizationV1Api(admin).create_namespaced_role_binding("default", {"metadata": {"name": "alice-edits"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"},
            "subjects": [{"kind": "User", "name": "alice"}]})
        alice.list_namespaced_secret("default")
        expect(403, alice.list_namespaced_secret, "kube-system")

        bob_as_alice = client.CoreV1Api(impersonating("alice", base=as_token("bob-token")))
        expect(403, bob_as_alice.list_namespaced_secret, "default", reason="Forbidden",
               message='users "alice" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope')
        bob_as_robot = client.CoreV1Api(impersonating("system:serviceaccount:default:robot", base=as_token("bob-token")))
        expect(403, bob_as_robot.list_namespaced_pod, "default",
               message='serviceaccounts "robot" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "default"')
        client.RbacAuthorizationV1Api(admin).create_cluster_role({"metadata": {"name": "impersonator"},
            "rules": [{"apiGroups": [""], "resources": ["users", "serviceaccounts"], "verbs": ["impersonate"]}]})
        client.RbacAuthorizationV1Api(admin).create_cluster_role_binding({"metadata": {"name": "bob-impersonates"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "impersonator"},
            "subjects": [{"kind": "User", "name": "bob"}]})
        bob_as_alice.list_namespaced_secret("default")
        expect(403, bob_as_robot.list_namespaced_pod, "default",
               message='pods is forbidden: User "system:serviceaccount:default:robot" cannot list resource "pods" in API group "" in the namespace "default"')
        bob_as_admins = client.CoreV1Api(impersonating("alice", group="admins", base=as_token("bob-token")))
        expect(403, bob_as_admins.list_namespaced_pod, "default",
               message='groups "admins" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope')
        """#)
    }

    func testValidation() throws {
        let h = try ClusterHarness()
        try runPython(h, #"""
        v1 = client.CoreV1Api(admin)
        apps = client.AppsV1Api(admin)
        expect(400, v1.create_namespaced_config_map, "default", {"metadata": {"name": "typed"}, "data": {"a": 1}}, reason="BadRequest",
               message='ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string')
        expect(400, apps.create_namespaced_deployment, "default", {"metadata": {"name": "web"}, "spec": {"replicas": "two"}},
               message='Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32')
        expect(404, v1.read_namespaced_config_map, "typed", "default")

        dep = {"metadata": {"name": "web"}, "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web2"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
        body = expect(422, apps.create_namespaced_deployment, "default", dep, reason="Invalid",
                      message='Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web2"}: `selector` does not match template `labels`')
        assert causes(body) == [("FieldValueInvalid", "spec.template.metadata.labels")], body

        hook = {"metadata": {"name": "hook"}, "webhooks": [{"name": "hook.example.com", "clientConfig": {"url": "https://example.com/x"}}]}
        body = expect(422, client.AdmissionregistrationV1Api(admin).create_validating_webhook_configuration, hook)
        assert causes(body) == [("FieldValueRequired", "webhooks[0].sideEffects"), ("FieldValueRequired", "webhooks[0].admissionReviewVersions")], body
        # v1beta1 (which this client has no class for) defaults both.
        made = admin.call_api("/apis/admissionregistration.k8s.io/v1beta1/validatingwebhookconfigurations", "POST", body=hook,
                              header_params={"Content-Type": "application/json", "Accept": "application/json"},
                              response_type="object", _return_http_data_only=True)
        assert made["webhooks"][0]["sideEffects"] == "Unknown" and made["webhooks"][0]["admissionReviewVersions"] == ["v1beta1"], made

        crd = {"metadata": {"name": "widgets.example.com"}, "spec": {
            "group": "example.com", "scope": "Namespaced", "names": {"plural": "gadgets", "kind": "Gadget"},
            "versions": [{"name": "v1", "served": True, "storage": True,
                          "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}
        expect(422, client.ApiextensionsV1Api(admin).create_custom_resource_definition, crd,
               message='CustomResourceDefinition.apiextensions.k8s.io "widgets.example.com" is invalid: metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group')
        crd["spec"]["names"] = {"plural": "widgets", "kind": "Widget"}
        client.ApiextensionsV1Api(admin).create_custom_resource_definition(crd)

        body = expect(422, v1.create_namespaced_config_map, "default", {"metadata": {"name": "l", "labels": {"app": "bad value!"}}, "data": {"bad/key": "x"}})
        assert causes(body) == [("FieldValueInvalid", "metadata.labels"), ("FieldValueInvalid", "data[bad/key]")], body

        # Immutable fields.
        svc = v1.create_namespaced_service("default", {"metadata": {"name": "svc"}, "spec": {"ports": [{"port": 80}], "selector": {"app": "web"}}})
        body = expect(422, v1.patch_namespaced_service, "svc", "default", {"spec": {"clusterIP": "10.96.200.200"}})
        assert body["message"].endswith("may not change once set"), body["message"]
        dep["spec"]["template"]["metadata"]["labels"] = {"app": "web"}
        apps.create_namespaced_deployment("default", dep)
        body = expect(422, apps.patch_namespaced_deployment, "web", "default",
                      {"spec": {"selector": {"matchLabels": {"app": "x"}}, "template": {"metadata": {"labels": {"app": "x"}}}}})
        assert body["message"].endswith("field is immutable"), body["message"]
        v1.create_namespaced_config_map("default", {"metadata": {"name": "frozen"}, "data": {"a": "1"}, "immutable": True})
        expect(422, v1.patch_namespaced_config_map, "frozen", "default", {"data": {"a": "2"}},
               message='ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set')
        rbac = client.RbacAuthorizationV1Api(admin)
        rbac.create_namespaced_role_binding("default", {"metadata": {"name": "rb"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "User", "name": "u"}]})
        body = expect(422, rbac.patch_namespaced_role_binding, "rb", "default", {"roleRef": {"name": "edit"}})
        assert body["message"].endswith("cannot change roleRef"), body["message"]

        # Sizes.
        expect(422, v1.create_namespaced_config_map, "default", {"metadata": {"name": "big"}, "data": {"k": "x" * (1024 * 1024 + 1)}},
               message='ConfigMap "big" is invalid: []: Too long: must have at most 1048576 bytes')
        expect(413, v1.create_namespaced_config_map, "default", {"metadata": {"name": "huge"}, "data": {"k": "y" * (3 * 1024 * 1024)}},
               reason="RequestEntityTooLarge")

        # Parameters.
        expect(400, v1.list_namespaced_config_map, "default", field_selector="spec.foo=bar", message="field label not supported: spec.foo")
        expect(422, v1.create_namespaced_config_map, "default", {"metadata": {"name": "dry"}}, dry_run="true",
               message='CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"true"}: supported values: "All"')
        expect(404, v1.read_namespaced_config_map, "dry", "default")
        custom = client.CustomObjectsApi(admin)
        eventually("widgets served", lambda: not gone(custom.list_namespaced_custom_object, "example.com", "v1", "default", "widgets"))
        custom.create_namespaced_custom_object("example.com", "v1", "default", "widgets", {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"a": 1}})
        def smp():
            admin.call_api("/apis/example.com/v1/namespaces/default/widgets/w", "PATCH",
                           header_params={"Content-Type": "application/strategic-merge-patch+json", "Accept": "application/json"},
                           body={"spec": {"a": 2}}, response_type="object", _return_http_data_only=True)
        expect(415, smp, reason="UnsupportedMediaType")
        assert custom.patch_namespaced_custom_object("example.com", "v1", "default", "widgets", "w", {"spec": {"a": 2}})["spec"]["a"] == 2
        """#)
    }

    func testDeletion() throws {
        let h = try ClusterHarness { $0.namespaceDeletionSeconds = 1 }
        try runPython(h, #"""
        v1 = client.CoreV1Api(admin)
        apps = client.AppsV1Api(admin)
        v1.create_namespaced_config_map("default", {"metadata": {"name": "held", "finalizers": ["example.com/hold"]}})
        v1.delete_namespaced_config_map("held", "default")
        cm = v1.read_namespaced_config_map("held", "default")
        assert cm.metadata.deletion_timestamp is not None and cm.metadata.finalizers == ["example.com/hold"], cm.metadata
        v1.patch_namespaced_config_map("held", "default", {"metadata": {"finalizers": None}})
        assert gone(v1.read_namespaced_config_map, "held", "default")

        p = v1.create_namespaced_config_map("default", {"metadata": {"name": "p"}})
        expect(409, v1.delete_namespaced_config_map, "p", "default", reason="Conflict",
               body=client.V1DeleteOptions(preconditions=client.V1Preconditions(uid="not-the-uid")),
               message='Operation cannot be fulfilled on ConfigMap "p": the UID in the precondition (not-the-uid) does not match the UID in record (' + p.metadata.uid + '). The object might have been deleted and then recreated')
        expect(409, v1.delete_namespaced_config_map, "p", "default",
               body=client.V1DeleteOptions(preconditions=client.V1Preconditions(resource_version="1")))
        v1.delete_namespaced_config_map("p", "default", body=client.V1DeleteOptions(preconditions=client.V1Preconditions(uid=p.metadata.uid)))

        owner = v1.create_namespaced_config_map("default", {"metadata": {"name": "owner"}})
        ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner.metadata.uid}
        v1.create_namespaced_config_map("default", {"metadata": {"name": "dep", "ownerReferences": [ref]}})
        v1.delete_namespaced_config_map("owner", "default", propagation_policy="Background")
        eventually("dependent collected", lambda: gone(v1.read_namespaced_config_map, "dep", "default"))
        owner = v1.create_namespaced_config_map("default", {"metadata": {"name": "owner2"}})
        ref["uid"], ref["name"] = owner.metadata.uid, "owner2"
        v1.create_namespaced_config_map("default", {"metadata": {"name": "kept", "ownerReferences": [ref]}})
        answer = json.loads(v1.delete_namespaced_config_map("owner2", "default", propagation_policy="Orphan",
                                                            _preload_content=False).data)
        assert answer["metadata"]["finalizers"] == ["orphan"], answer  # the owner, as 1.20 answers it
        eventually("kept orphaned", lambda: v1.read_namespaced_config_map("kept", "default").metadata.owner_references is None)
        eventually("owner2 gone", lambda: gone(v1.read_namespaced_config_map, "owner2", "default"))

        apps.create_namespaced_deployment("default", {"metadata": {"name": "web"}, "spec": {"replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
        pods = lambda: v1.list_namespaced_pod("default", label_selector="app=web").items
        eventually("two pods", lambda: len(pods()) == 2)
        apps.delete_namespaced_deployment("web", "default", propagation_policy="Foreground")
        eventually("deployment and pods gone", lambda: gone(apps.read_namespaced_deployment, "web", "default") and not pods())

        v1.create_namespace({"metadata": {"name": "going"}})
        v1.delete_namespace("going")
        assert v1.read_namespace("going").status.phase == "Terminating"
        expect(403, v1.create_namespaced_config_map, "going", {"metadata": {"name": "late"}}, reason="Forbidden",
               message='configmaps "late" is forbidden: unable to create new content in namespace going because it is being terminated')
        eventually("namespace gone", lambda: gone(v1.read_namespace, "going"))
        v1.create_namespace({"metadata": {"name": "going"}})
        """#)
    }

    func testWatch() throws {
        let h = try ClusterHarness()
        try runPython(h, #"""
        v1 = client.CoreV1Api(admin)
        cm = v1.create_namespaced_config_map("default", {"metadata": {"name": "x", "labels": {"team": "a"}}})
        rv = cm.metadata.resource_version
        v1.patch_namespaced_config_map("x", "default", {"metadata": {"labels": {"team": "b"}}})
        v1.patch_namespaced_config_map("x", "default", {"metadata": {"labels": {"team": "a"}}})
        # Watch().stream sends watch=True (Python's spelling).
        events = [(e["type"], e["object"].metadata.labels["team"]) for e in
                  watch.Watch().stream(v1.list_namespaced_config_map, "default", label_selector="team=a",
                                       resource_version=rv, timeout_seconds=1)]
        assert events == [("DELETED", "a"), ("ADDED", "a")], events
        # The legacy watch path.
        r = admin.call_api("/api/v1/watch/namespaces/{namespace}/configmaps", "GET", path_params={"namespace": "default"},
                           query_params=[("timeoutSeconds", 1), ("labelSelector", "team=a")], _preload_content=False,
                           _return_http_data_only=True)
        lines = [json.loads(l) for l in r.data.decode().splitlines() if l]
        assert [(e["type"], e["object"]["metadata"]["name"]) for e in lines] == [("ADDED", "x")], lines
        """#)
    }
}
