#!/usr/bin/env python3
"""The far end of the port-forward benchmark rows: Envoy's admin interface as far as
`osm proxy get` needs it (/config_dump: a ~2 MB JSON config dump, the same bytes every time)
and a bulk source for tunnel throughput (/bytes/N: N bytes). Prints its port, then serves."""
import http.server, json, socketserver, sys

def dump(size):
    def cluster(i):
        return {"name": f"curl/curl-{i}", "type": "EDS", "connect_timeout": "1s",
                "eds_cluster_config": {"service_name": f"curl/curl-{i}", "eds_config": {"ads": {}}},
                "transport_socket": {"name": "envoy.transport_sockets.tls", "padding": "x" * 200}}
    listener = {"name": "outbound-listener", "default_filter_chain": {"name": "outbound-egress-filter-chain",
                "filters": [{"name": "envoy.filters.network.tcp_proxy", "typed_config": {"cluster": "passthrough-outbound"}}]}}
    def render(count):
        return json.dumps({"configs": [{"dynamic_listeners": [listener]},
                                       {"dynamic_active_clusters": [cluster(i) for i in range(count)]}]}, indent=1).encode()
    sample = render(100)
    return render(max(1, size * 100 // len(sample)))

DUMP = dump(2_000_000)
CHUNK = b"\0" * (1 << 20)

class Admin(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.startswith("/config_dump"):
            self.reply(len(DUMP), [DUMP])
        elif self.path.startswith("/bytes/"):
            n = int(self.path[len("/bytes/"):])
            self.reply(n, (memoryview(CHUNK)[:min(len(CHUNK), n - off)] for off in range(0, n, len(CHUNK))))
        else:
            self.send_error(404)

    def reply(self, length, parts):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        for p in parts:
            self.wfile.write(p)

    def log_message(self, *args):
        pass

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

server = Server(("127.0.0.1", 0), Admin)
print(server.server_address[1], flush=True)
server.serve_forever()
