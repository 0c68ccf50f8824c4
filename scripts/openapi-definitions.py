#!/usr/bin/env python3
"""Regenerates Sources/KubeSim/API/KubernetesDefinitions.swift: Kubernetes v1.20's OpenAPI v2 definitions
of the kinds kube-sim serves (Sources/KubeSim/API/ResourceCatalog.swift), their Lists, and every
definition they refer to.

Usage: scripts/openapi-definitions.py DEFINITIONS_JSON
DEFINITIONS_JSON: kubernetes v1.20's api/openapi-spec/swagger.json, or the v1.20.0-local/_definitions.json
that PyPI's kubernetes-validate 1.20.0 ships (`pip download kubernetes-validate==1.20.0 --no-deps`).
"""
import json, os, sys

d = json.load(open(sys.argv[1]))["definitions"]
roots = []
core = ["Namespace","ConfigMap","Secret","ServiceAccount","Service","Pod","Event","Node","Endpoints"]
roots += ["io.k8s.api.core.v1."+k for k in core]
roots += ["io.k8s.api.apps.v1.Deployment", "io.k8s.api.apps.v1.ReplicaSet"]
roots += ["io.k8s.api.apps.v1.StatefulSet", "io.k8s.api.apps.v1.DaemonSet", "io.k8s.api.batch.v1.Job"]
roots += ["io.k8s.api.coordination.v1.Lease", "io.k8s.api.coordination.v1beta1.Lease"]
for v in ["v1","v1beta1"]:
    roots += ["io.k8s.api.rbac.%s.%s"%(v,k) for k in ["ClusterRole","ClusterRoleBinding","Role","RoleBinding"]]
    roots += ["io.k8s.api.admissionregistration.%s.%s"%(v,k) for k in ["MutatingWebhookConfiguration","ValidatingWebhookConfiguration"]]
    roots += ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.%s.CustomResourceDefinition"%v]
    roots += ["io.k8s.api.authorization.%s.%s"%(v,k) for k in ["SelfSubjectAccessReview","SelfSubjectRulesReview"]]
roots += [r+"List" for r in roots if (r+"List") in d]
missing=[r for r in roots if r not in d]; assert not missing, missing
keep = {}
def refs(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "$ref" and isinstance(v, str): yield v.split("/")[-1]
            else: yield from refs(v)
    elif isinstance(x, list):
        for v in x: yield from refs(v)
todo = list(roots)
while todo:
    n = todo.pop()
    if n in keep: continue
    keep[n] = d[n]; todo += list(refs(d[n]))
# openapi2jsonschema rewrote these two as oneOf; restore 1.20's swagger.json form
keep["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {"description": "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.", "format": "int-or-string", "type": "string"}
if "io.k8s.apimachinery.pkg.api.resource.Quantity" in keep:
    keep["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {"description": "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.", "type": "string"}
def check(x):
    if isinstance(x, dict):
        assert not isinstance(x.get("oneOf"), list), x
        for v in x.values(): check(v)
    elif isinstance(x, list):
        for v in x: check(v)
check(keep)
d = keep
lines = []
for i, k in enumerate(sorted(d)):
    lines.append(json.dumps(k) + ":" + json.dumps(d[k], sort_keys=True, separators=(",", ":")) + ("," if i < len(d) - 1 else ""))
body = "{\n" + "\n".join(lines) + "\n}"
assert '"""###' not in body
out = '''// Derived from Kubernetes v1.20's api/openapi-spec/swagger.json (https://github.com/kubernetes/kubernetes,
// Copyright The Kubernetes Authors, Apache License 2.0; see licenses/README.md), as republished in
// kubernetes-validate 1.20.0's kubernetes-json-schema/v1.20.0-local/_definitions.json, trimmed to the
// definitions reachable from the kinds kube-sim serves (ResourceCatalog) and their Lists. Two entries
// that republication rewrote as `oneOf` (IntOrString, Quantity) are restored to swagger.json's form.
// Built-in API schemas do not change within a minor release. Regenerate with scripts/openapi-definitions.py.

/// The OpenAPI v2 definitions of the built-in kinds, as kube-apiserver v1.20 serves them in `/openapi/v2`.
enum KubernetesDefinitions {
    /// Parsed on the first `/openapi/v2` request, never at start-up.
    static let json = ###"""
''' + body + '''
"""###
}
'''
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "KubeSim", "API", "KubernetesDefinitions.swift"), "w").write(out)
