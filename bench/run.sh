#!/usr/bin/env bash
# osm side by side with kubectl against the same local TLS API server (kube-sim).
# Builds release binaries, starts kube-sim, times each pair with hyperfine (every measured run
# does a real write; state is reset in an untimed --prepare step), measures peak RSS with
# /usr/bin/time and counts instructions of `osm mesh upgrade` with callgrind.
# Prints a Markdown table on stdout; raw results go to bench-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh hyperfine time valgrind python3 curl
command -v kubectl >/dev/null || { echo "bench: kubectl is required (preinstalled on this kind of machine)" >&2; exit 1; }

RUNS=${BENCH_RUNS:-20}
NS_COUNT=${BENCH_NAMESPACES:-1000}
out=$PWD/bench-out
rm -rf "$out"; mkdir -p "$out"

echo "bench: building release binaries" >&2
swift build -c release --static-swift-stdlib --product osm >&2
swift build -c release --product kube-sim >&2
bin=$(swift build -c release --show-bin-path)
OSM=$bin/osm

export KUBECONFIG=$out/kubeconfig
# The far end of the port-forward rows (6, 7): a fake Envoy admin / bulk byte source.
python3 bench/fake-envoy.py >"$out/envoy.port" 2>"$out/envoy.err" &
envoy=$!
for _ in $(seq 1 100); do [ -s "$out/envoy.port" ] && break; sleep 0.1; done
envoy_port=$(cat "$out/envoy.port")
"$bin/kube-sim" --kubeconfig "$KUBECONFIG" --ready-after 0 --log /dev/null \
  --forward "bench-pf/curl-*:15000=127.0.0.1:$envoy_port" --forward "osm-system/osm-grafana-*:3000=127.0.0.1:$envoy_port" \
  >"$out/sim.out" 2>"$out/sim.err" &
sim=$!
trap 'kill $sim $envoy 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "ready at" "$out/sim.out" 2>/dev/null && break; sleep 0.1; done
grep -q "ready at" "$out/sim.out" || { echo "bench: kube-sim did not start" >&2; cat "$out/sim.err" >&2; exit 1; }

# kubectl runs with its discovery cache warm.
kubectl api-resources >/dev/null
kubectl version >/dev/null

"$OSM" install --enable-egress >&2
"$OSM" install --dry-run > "$out/manifest.yaml"
kubectl create namespace bench-x >/dev/null

python3 - "$NS_COUNT" > "$out/namespaces.yaml" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    print(f"---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: bulk-{i:04d}")
PY
kubectl apply -f "$out/namespaces.yaml" >/dev/null
names=$(python3 -c "print(' '.join(f'bulk-{i:04d}' for i in range($NS_COUNT)))")
echo "$names" > "$out/names"

hf() { local runs=$1; shift; hyperfine -N --warmup "$(( runs < 5 ? 0 : 2 ))" --runs "$runs" --style basic "$@" >&2; }

echo "bench: 6 proxy get config_dump (2 MB) through kube-sim's port-forward vs curl of the dump directly" >&2
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: bench-pf}
---
apiVersion: v1
kind: Pod
metadata: {name: curl-bench, namespace: bench-pf, labels: {app: curl, osm-proxy-uuid: 5d1c0f6e-0000-4000-8000-000000000001}}
spec: {containers: [{name: curl, image: curlimages/curl}]}
---
apiVersion: v1
kind: Service
metadata: {name: osm-grafana, namespace: osm-system}
spec: {selector: {app: osm-grafana}, ports: [{port: 3000}]}
---
apiVersion: v1
kind: Pod
metadata: {name: osm-grafana-bench, namespace: osm-system, labels: {app: osm-grafana}}
spec: {containers: [{name: grafana, image: grafana/grafana}]}
YAML
kubectl wait --for=jsonpath='{.status.phase}'=Running pod/curl-bench -n bench-pf --timeout=30s >/dev/null
kubectl wait --for=jsonpath='{.status.phase}'=Running pod/osm-grafana-bench -n osm-system --timeout=30s >/dev/null
"$OSM" proxy get config_dump curl-bench -n bench-pf > "$out/dump.osm"
curl -s "http://127.0.0.1:$envoy_port/config_dump" > "$out/dump.direct"
cmp "$out/dump.osm" "$out/dump.direct" || { echo "bench: osm proxy get did not return the dump byte for byte" >&2; exit 1; }
dump_bytes=$(wc -c < "$out/dump.direct")
hf "$RUNS" --export-json "$out/6.json" \
  -n osm "$OSM proxy get config_dump curl-bench -n bench-pf" \
  -n curl "curl -s -o /dev/null http://127.0.0.1:$envoy_port/config_dump"

echo "bench: 7 tunnel throughput through osm dashboard" >&2
TUNNEL_MB=${BENCH_TUNNEL_MB:-512}
dash_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$OSM" dashboard -b=false -p "$dash_port" >"$out/dashboard.out" 2>"$out/dashboard.err" &
dashboard=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$dash_port/bytes/1" && break; sleep 0.1; done
hf "${BENCH_TUNNEL_RUNS:-5}" --export-json "$out/7.json" \
  -n osm "curl -s -o /dev/null http://127.0.0.1:$dash_port/bytes/$(( TUNNEL_MB << 20 ))" \
  -n curl "curl -s -o /dev/null http://127.0.0.1:$envoy_port/bytes/$(( TUNNEL_MB << 20 ))"
kill -INT $dashboard; wait $dashboard || { echo "bench: osm dashboard did not exit 0 on SIGINT" >&2; exit 1; }
# --- A real network: a second kube-sim 10 ms away (one way) on every read and write ---
LATENCY=${BENCH_LATENCY:-10ms}
latency_bench() {
  local kc=$out/kubeconfig-latency
  "$bin/kube-sim" --kubeconfig "$kc" --ready-after 0 --latency "$LATENCY" --log "$out/latency-requests.jsonl" \
    >"$out/lsim.out" 2>"$out/lsim.err" &
  lsim=$!
  trap 'kill $sim $envoy $lsim 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do grep -q "ready at" "$out/lsim.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "ready at" "$out/lsim.out" || { echo "bench: kube-sim --latency did not start" >&2; cat "$out/lsim.err" >&2; exit 1; }
  (
    export KUBECONFIG=$kc
    kubectl api-resources >/dev/null; kubectl version >/dev/null
    "$OSM" install --enable-egress >&2
    kubectl create namespace bench-x >/dev/null
    kubectl apply -f "$out/namespaces.yaml" >/dev/null

    # Requests each command sends (one run each, from the sim's request log).
    # Round trips each command waits for, from the sim's request log: requests sent together
    # arrive together; a gap of more than one one-way delay starts a new round. Printed as
    # "rounds/requests". The TCP and TLS handshakes (one connection each) come on top of both.
    count() {
      local before; before=$(wc -l < "$out/latency-requests.jsonl"); "$@" >/dev/null 2>&1 || true
      tail -n +$(( before + 1 )) "$out/latency-requests.jsonl" | python3 -c '
import json, sys
gap = float(sys.argv[1])
starts = sorted(json.loads(l)["startMs"] for l in sys.stdin if l.strip())
rounds = sum(1 for i, t in enumerate(starts) if i == 0 or t - starts[i - 1] > gap)
print(f"{rounds}/{len(starts)}")' "$(python3 -c "import sys; v=sys.argv[1]; print(float(v[:-2]) if v.endswith('ms') else float(v[:-1])*1000)" "$LATENCY")"
    }
    kubectl patch configmap osm-config -n osm-system -p '{"data":{"egress":"true"}}' --type=merge >/dev/null
    echo "$(count "$OSM" mesh upgrade --enable-egress=false) $(count kubectl patch configmap osm-config -n osm-system -p '{"data":{"egress":"false"}}' --type=merge)" > "$out/latency-requests"

    echo "bench: L1 mesh upgrade vs kubectl patch, $LATENCY one way" >&2
    hf "$RUNS" --export-json "$out/L1.json" \
      --prepare "kubectl patch configmap osm-config -n osm-system -p '{\"data\":{\"egress\":\"true\"}}' --type=merge" \
      -n osm "$OSM mesh upgrade --enable-egress=false" \
      -n kubectl "kubectl patch configmap osm-config -n osm-system -p '{\"data\":{\"egress\":\"false\"}}' --type=merge"
    echo "bench: L2 namespace add vs kubectl label + annotate, $LATENCY one way" >&2
    hf "$RUNS" --export-json "$out/L2.json" \
      --prepare "sh -c 'kubectl label ns bench-x openservicemesh.io/monitored-by- >/dev/null && kubectl annotate ns bench-x openservicemesh.io/sidecar-injection- >/dev/null'" \
      -n osm "$OSM namespace add bench-x" \
      -n kubectl "sh -c 'kubectl label ns bench-x openservicemesh.io/monitored-by=osm --overwrite && kubectl annotate ns bench-x openservicemesh.io/sidecar-injection=enabled --overwrite'"
    echo "bench: L3 install vs kubectl apply, $LATENCY one way" >&2
    hf "$(( RUNS < 10 ? RUNS : 10 ))" --export-json "$out/L3.json" \
      --prepare "$OSM mesh uninstall -f" \
      -n osm "$OSM install --enable-egress" \
      -n kubectl "kubectl apply -f $out/manifest.yaml"
    echo "bench: L5 namespace add of $NS_COUNT namespaces, $LATENCY one way" >&2
    hf "$RUNS" --export-json "$out/L5.json" \
      --prepare "python3 bench/reset-labels.py $kc $out/names" \
      -n osm "sh -c '$OSM namespace add $names >/dev/null'"
  )
  kill $lsim 2>/dev/null || true
}

# Issue 18's targets, each with its figure and whether it is met.
targets_table() {
  python3 - "$out" "$LATENCY" "$NS_COUNT" "$r1o" "$rfg" <<'PY'
import json, os, sys
out, latency, n, rss_osm, rss_curl = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
def med(name):
    return {r["command"]: r["median"] for r in json.load(open(os.path.join(out, name + ".json")))["results"]}
floor = med("floor")["curl GET"]
reqs = open(os.path.join(out, "latency-requests")).read().split()
rows = []
def row(what, figure, goal, met):
    rows.append((what, figure, goal, "met" if met else "NOT met"))
for k, what in (("1", "mesh upgrade --enable-egress=false"), ("2", "namespace add X")):
    o = med(k)["osm"]
    row(f"loopback: {what} / one cold curl GET", f"{o*1000:.1f} / {floor*1000:.1f} ms = {o/floor:.2f}x", "<= 1.25x", o / floor <= 1.25)
for k, what, goal in (("L1", "mesh upgrade --enable-egress=false vs kubectl patch", 1.5),
                      ("L2", "namespace add X vs kubectl label + annotate", 3.5),
                      ("L3", "install vs kubectl apply -f", 5)):
    m = med(k)
    r = m["kubectl"] / m["osm"]
    row(f"{latency} one way: {what}", f"{m['osm']*1000:.1f} vs {m['kubectl']*1000:.1f} ms = {r:.2f}x", f">= {goal}x", r >= goal)
row(f"{latency} one way: round trips/requests of mesh upgrade vs kubectl patch", f"{reqs[0]} vs {reqs[1]}", "no more round trips",
    int(reqs[0].split("/")[0]) <= int(reqs[1].split("/")[0]))
bulk = med("L5")["osm"]
row(f"{latency} one way: namespace add of {n} namespaces", f"{bulk*1000:.0f} ms", "< 1500 ms", bulk < 1.5)
row("peak RSS: mesh upgrade / one cold curl GET", f"{rss_osm/1024:.1f} / {rss_curl/1024:.1f} MiB = {rss_osm/rss_curl:.2f}x", "<= 1.3x", rss_osm / rss_curl <= 1.3)
v = med("4")
row("osm version vs kubectl version --client", f"{v['osm']*1000:.2f} vs {v['kubectl']*1000:.1f} ms = {v['kubectl']/v['osm']:.1f}x", ">= 15x", v["kubectl"] / v["osm"] >= 15)
print()
print("Targets (issue 18):")
print()
print("| target | figure | goal | |")
print("|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
PY
}

echo "bench: 1 mesh upgrade vs kubectl patch" >&2
hf "$RUNS" --export-json "$out/1.json" \
  --prepare "kubectl patch configmap osm-config -n osm-system -p '{\"data\":{\"egress\":\"true\"}}' --type=merge" \
  -n osm "$OSM mesh upgrade --enable-egress=false" \
  -n kubectl "kubectl patch configmap osm-config -n osm-system -p '{\"data\":{\"egress\":\"false\"}}' --type=merge"

echo "bench: 2 namespace add vs kubectl label + annotate" >&2
hf "$RUNS" --export-json "$out/2.json" \
  --prepare "sh -c 'kubectl label ns bench-x openservicemesh.io/monitored-by- >/dev/null && kubectl annotate ns bench-x openservicemesh.io/sidecar-injection- >/dev/null'" \
  -n osm "$OSM namespace add bench-x" \
  -n kubectl "sh -c 'kubectl label ns bench-x openservicemesh.io/monitored-by=osm --overwrite && kubectl annotate ns bench-x openservicemesh.io/sidecar-injection=enabled --overwrite'"

echo "bench: 3 install vs kubectl apply of the same objects" >&2
hf "$(( RUNS < 10 ? RUNS : 10 ))" --export-json "$out/3.json" \
  --prepare "$OSM mesh uninstall -f" \
  -n osm "$OSM install --enable-egress" \
  -n kubectl "kubectl apply -f $out/manifest.yaml"
"$OSM" mesh uninstall -f >&2 || true
"$OSM" install --enable-egress >&2

echo "bench: 4 version" >&2
hf "$RUNS" --export-json "$out/4.json" -n osm "$OSM version" -n kubectl "kubectl version --client"

echo "bench: libcurl reference (the floor under every osm command that talks to a cluster)" >&2
# The same libcurl, TLS endpoint and client certificate as osm, without osm: what loading
# libcurl costs, and what one request costs from a cold process. The files are the local
# sim's throwaway credentials, next to the kubeconfig that already holds them.
server=$(python3 - "$KUBECONFIG" "$out" <<'PY'
import base64, os, re, sys
text = open(sys.argv[1]).read()
for key, name in (("certificate-authority-data", "ca.crt"), ("client-certificate-data", "client.crt"), ("client-key-data", "client.key")):
    path = os.path.join(sys.argv[2], name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, base64.b64decode(re.search(key + r": (\S+)", text).group(1)))
    os.close(fd)
print(re.search(r"server: (\S+)", text).group(1))
PY
)
curl_get=(curl -s -o /dev/null --cacert "$out/ca.crt" --cert "$out/client.crt" --key "$out/client.key" "$server/version")
hf "$RUNS" --export-json "$out/floor.json" -n "curl --version" "curl --version" -n "curl GET" "${curl_get[*]}"

echo "bench: 5 namespace add of $NS_COUNT namespaces vs one kubectl label" >&2
# kubectl labels one namespace at a time, throttled on the client side, so each of its runs takes
# minutes here; the reset between runs is a direct patch per namespace (bench/reset-labels.py).
hf "${BENCH_BULK_RUNS:-3}" --export-json "$out/5.json" \
  --prepare "python3 bench/reset-labels.py $KUBECONFIG $out/names" \
  -n osm "sh -c '$OSM namespace add $names >/dev/null'" \
  -n kubectl "sh -c 'kubectl label ns $names openservicemesh.io/monitored-by=osm --overwrite >/dev/null'"

# Peak RSS, one run each, same commands.
rss() { /usr/bin/time -f %M -o "$out/rss.tmp" "$@" >/dev/null 2>&1 || true; cat "$out/rss.tmp"; }
kubectl patch configmap osm-config -n osm-system -p '{"data":{"egress":"true"}}' --type=merge >/dev/null
r1o=$(rss "$OSM" mesh upgrade --enable-egress=false)
r1k=$(rss kubectl patch configmap osm-config -n osm-system -p '{"data":{"egress":"false"}}' --type=merge)
r2o=$(rss "$OSM" namespace add bench-x)
r2k=$(rss kubectl label ns bench-x openservicemesh.io/monitored-by=osm --overwrite)
"$OSM" mesh uninstall -f >/dev/null
r3o=$(rss "$OSM" install --enable-egress)
"$OSM" mesh uninstall -f >/dev/null
r3k=$(rss kubectl apply -f "$out/manifest.yaml")
"$OSM" mesh uninstall -f >/dev/null; "$OSM" install --enable-egress >/dev/null
r4o=$(rss "$OSM" version)
r4k=$(rss kubectl version --client)
rfv=$(rss curl --version)
rfg=$(rss "${curl_get[@]}")
# shellcheck disable=SC2086
r5o=$(rss "$OSM" namespace add $names)
# shellcheck disable=SC2086
r5k=$(rss kubectl label ns $names openservicemesh.io/monitored-by=osm --overwrite)

# A stable figure for (1): instructions, whatever the machine is doing.
kubectl patch configmap osm-config -n osm-system -p '{"data":{"egress":"true"}}' --type=merge >/dev/null
# valgrind 3.19 cannot read the DWARF 5 of Swift's release builds: count a copy without debug info.
strip --strip-debug -o "$out/osm-nodebug" "$OSM"
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" "$out/osm-nodebug" mesh upgrade --enable-egress=false 2>"$out/callgrind.txt" >/dev/null || true
irefs=$(grep -oE 'Collected : [0-9]+' "$out/callgrind.txt" | grep -oE '[0-9]+' || echo "n/a")
# Of those, the command line's parse: cobra's Find and pflag's FlagSet (Cobra.resolve) plus the
# command's init(parsed:), inclusive.
parse_irefs=$(callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null \
    | grep -E '5CobraO7resolve|MeshUpgradeCommandV6parsed' | awk '{gsub(",", "", $1); s += $1} END {print s+0}')
echo "parse of mesh upgrade --enable-egress=false: $parse_irefs instructions (of $irefs)" >&2
# And the Helm release record's keeping (issue 25), inclusive: reading the mesh's records
# (HelmUpgradeRecord.load), the next revision's values and manifest (nextValues, nextRelease,
# removedObjects) and the record writes (move, finish; repair when there is one to do).
record_irefs=$(callgrind_annotate --threshold=100 --inclusive=yes "$out/callgrind.out" 2>/dev/null \
    | grep -E '17HelmUpgradeRecordV(4load6client|10nextValues|11nextRelease|14removedObjects|4move2to|6finish_|6repair)' \
    | awk '{gsub(",", "", $1); s += $1} END {print s+0}')
echo "Helm record keeping of mesh upgrade --enable-egress=false: $record_irefs instructions (of $irefs)" >&2

latency_bench

PARSE_IREFS=$parse_irefs RECORD_IREFS=$record_irefs python3 - "$out" "$r1o" "$r1k" "$r2o" "$r2k" "$r3o" "$r3k" "$r4o" "$r4k" "$r5o" "$r5k" "$irefs" "$NS_COUNT" "$rfv" "$rfg" "$dump_bytes" "$TUNNEL_MB" <<'PY'
import json, sys, os, platform, datetime
out = sys.argv[1]
rss = sys.argv[2:12]
irefs, n = sys.argv[12], sys.argv[13]
floor_rss = sys.argv[14:16]
floor = {r["command"]: r["median"] for r in json.load(open(os.path.join(out, "floor.json")))["results"]}
curl_get = floor["curl GET"]
rows = [
 ("1", "mesh upgrade --enable-egress=false vs kubectl patch configmap", 10),
 ("2", "namespace add X vs kubectl label + annotate", 10),
 ("3", "install vs kubectl apply -f (same objects)", 5),
 ("4", "version vs kubectl version --client", 15),
 ("5", f"namespace add of {n} namespaces vs one kubectl label", 5),
]
# Issue 18 replaced the old per-pair targets: they are printed with their figures after this table.
print(f"| # | pair | osm median | kubectl median | ratio | ceiling on libcurl | osm peak RSS | kubectl peak RSS |")
print(f"|---|---|---|---|---|---|---|---|")
for i, (k, title, target) in enumerate(rows):
    data = json.load(open(os.path.join(out, f"{k}.json")))["results"]
    med = {r["command"]: r["median"] for r in data}
    o, kc = med["osm"], med["kubectl"]
    ratio = kc / o if o else float("nan")
    ro, rk = rss[2*i], rss[2*i+1]
    # A command that talks to the cluster cannot beat one cold libcurl request.
    ceiling = f"{kc / curl_get:.1f}x" if k in ("1", "2", "3") else "-"
    print(f"| {k} | {title} | {o*1000:.1f} ms | {kc*1000:.1f} ms | {ratio:.1f}x | {ceiling} | {int(ro)//1024} MiB | {int(rk)//1024} MiB |")
print()
print("The floor under every osm command that talks to a cluster, same libcurl, endpoint and client certificate:")
print()
print("| reference | median | peak RSS |")
print("|---|---|---|")
print(f"| `curl --version` (loads libcurl and its libraries, no request) | {floor['curl --version']*1000:.1f} ms | {int(floor_rss[0])//1024} MiB |")
print(f"| `curl` GET /version with the client certificate (load, TLS handshake, one request) | {curl_get*1000:.1f} ms | {int(floor_rss[1])//1024} MiB |")
print()
print("ceiling on libcurl = kubectl's median / curl's GET: the best ratio any client built on this libcurl could reach.")
print()
print("Port-forward through kube-sim (one WebSocket per connection, TLS on loopback):")
print()
print("| # | row | osm | direct, no tunnel | target |")
print("|---|---|---|---|---|")
dump_bytes, tunnel_mb = int(sys.argv[16]), int(sys.argv[17])
six = {r["command"]: r["median"] for r in json.load(open(os.path.join(out, "6.json")))["results"]}
print(f"| 6 | `osm proxy get config_dump` of a {dump_bytes / 1e6:.1f} MB dump vs `curl` of the dump from the fake admin | {six['osm']*1000:.1f} ms | {six['curl']*1000:.1f} ms | - |")
seven = {r["command"]: r["median"] for r in json.load(open(os.path.join(out, "7.json")))["results"]}
rate = lambda s: (tunnel_mb << 20) / s / 1e6
mark = "met" if rate(seven["osm"]) >= 100 else "NOT met"
print(f"| 7 | `curl` GET of {tunnel_mb} MiB through `osm dashboard` vs from the source directly | {rate(seven['osm']):.0f} MB/s | {rate(seven['curl']):.0f} MB/s | >= 100 MB/s ({mark}) |")
print()
print(f"Instructions for (1) `osm mesh upgrade --enable-egress=false` (callgrind): {irefs}")
print(f"  of which parsing the command line (Cobra.resolve + init(parsed:)): {os.environ.get('PARSE_IREFS', 'n/a')}")
print(f"  of which the Helm release record (HelmUpgradeRecord load, nextValues, nextRelease, removedObjects, move, finish, repair): {os.environ.get('RECORD_IREFS', 'n/a')}")
print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; date {datetime.date.today().isoformat()}")
PY

# --- Targets of issue 18 (a real network, the libcurl floor), printed after the table above ---
targets_table
