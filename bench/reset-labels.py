#!/usr/bin/env python3
"""Untimed --prepare step of the bulk benchmark: removes the mesh label and the sidecar
annotation from the given namespaces with one merge patch each over one TLS connection, so that
every measured run does real writes. It reads the kube-sim kubeconfig the benchmark wrote; the
client key of that local test server goes to a private temp file for Python's ssl module and is
deleted straight after loading."""
import base64, http.client, json, os, re, ssl, sys, tempfile

kubeconfig, names_file = sys.argv[1], sys.argv[2]
text = open(kubeconfig).read()
def field(name):
    m = re.search(r"%s:\s*(\S+)" % re.escape(name), text)
    if not m:
        sys.exit(f"reset-labels: {name} not found in {kubeconfig}")
    return m.group(1).strip('"')

server = field("server")
host, port = re.match(r"https://([^:/]+):(\d+)", server).groups()
ctx = ssl.create_default_context(cadata=base64.b64decode(field("certificate-authority-data")).decode())
with tempfile.TemporaryDirectory() as d:
    cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
    with open(cert, "wb") as f: f.write(base64.b64decode(field("client-certificate-data")))
    fd = os.open(key, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "wb") as f: f.write(base64.b64decode(field("client-key-data")))
    ctx.load_cert_chain(cert, key)

body = json.dumps({"metadata": {"labels": {"openservicemesh.io/monitored-by": None},
                                "annotations": {"openservicemesh.io/sidecar-injection": None}}})
conn = http.client.HTTPSConnection(host, int(port), context=ctx)
for name in open(names_file).read().split():
    conn.request("PATCH", f"/api/v1/namespaces/{name}", body=body,
                 headers={"Content-Type": "application/merge-patch+json"})
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"reset-labels: PATCH {name}: HTTP {r.status}")
