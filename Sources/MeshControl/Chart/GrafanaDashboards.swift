/// The five dashboards `--deploy-grafana` provisions, under upstream's file names, uids and
/// titles (links to them keep working) and over the same metrics and PromQL as upstream's; the
/// layout, panel titles and wording are this project's. Each is built only when the chart is
/// rendered with Grafana on.
enum GrafanaDashboards {
    /// The Envoy clusters that are not a service: the control plane, the proxy's own stats and
    /// tracing clusters, and passthrough egress.
    static let notAService = #"envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound""#

    typealias Query = GrafanaDashboard.Query

    // MARK: data plane

    /// `osm-pod.json`: one pod's sidecar, towards every service it calls.
    static func pod() -> String {
        var d = GrafanaDashboard(
            uid: "OSMpodMetrics", title: "OSM Pod to Services Metrics",
            description: "What one meshed pod's Envoy sees of the services it calls: requests, latency, connections and errors.")
        d.variable("source_namespace", label: "Namespace", query: #"label_values(envoy_server_live{}, source_namespace)"#)
        d.variable("source_pod", label: "Pod", query: #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_pod_name)"#)
        outboundTraffic(&d, selector: #"source_pod_name="$source_pod",source_namespace="$source_namespace","# + notAService,
                        who: "the pod", activeIsRate: true)
        return d.json
    }

    /// `osm-workload.json`: every pod of one workload (Deployment, StatefulSet...), per called service.
    static func workload() -> String {
        var d = GrafanaDashboard(
            uid: "OSMworkloadMetrics", title: "OSM Workload to Services Metrics",
            description: "What the sidecars of one workload see of the services it calls: requests, latency, connections and errors.")
        d.variable("source_namespace", label: "Namespace", query: #"label_values(envoy_server_live{}, source_namespace)"#)
        d.variable("source_workload_kind", label: "Workload kind",
                   query: #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_workload_kind)"#)
        d.variable("source_workload_name", label: "Workload",
                   query: #"label_values(envoy_server_live{source_namespace="$source_namespace", source_workload_kind="$source_workload_kind"}, source_workload_name)"#)
        let selector = #"source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name","#
            + notAService
        outboundTraffic(&d, selector: selector, who: "the workload", activeIsRate: false)
        return d.json
    }

    /// `osm-service-to-service.json`: the traffic from one service to another.
    static func serviceToService() -> String {
        var d = GrafanaDashboard(
            uid: "OSMs2sMetrics", title: "OSM Service to Service Metrics",
            description: "Requests, latency and connections from one meshed service to another, as the source's sidecars report them.")
        d.variable("source_namespace", label: "Source namespace", query: #"label_values(envoy_server_live{}, source_namespace)"#)
        d.variable("source_service", label: "Source service",
                   query: #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_service)"#)
        d.variable("destination_service", label: "Destination service",
                   query: #"label_values(envoy_cluster_upstream_cx_active{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|.*-local|envoy-tracing-cluster|passthrough-outbound"}, envoy_cluster_name)"#)
        serviceLink(&d, selector: #"source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service""#,
                    peer: "the destination", withLatency: true)
        return d.json
    }

    // MARK: control plane

    /// `osm-control-plane.json`: one service's sidecars talking to osm-controller (xDS).
    static func controlPlane() -> String {
        var d = GrafanaDashboard(
            uid: "OSMCPMetrics", title: "OSM Control Plane Metrics",
            description: "How the sidecars of one meshed service reach osm-controller: xDS requests, connections and errors.")
        d.variable("source_namespace", label: "Namespace", query: #"label_values(envoy_server_live{}, source_namespace)"#)
        d.variable("source_service", label: "Service",
                   query: #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_service)"#)
        serviceLink(&d, selector: #"source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller""#,
                    peer: "osm-controller", withLatency: false)
        return d.json
    }

    /// `osm-mesh-envoy-details.json`: the mesh's size and the control plane's own health.
    /// `namespace` is the control plane's (upstream's file names `osm-system`).
    static func meshDetails(namespace: String) -> String {
        var d = GrafanaDashboard(
            uid: "PLyKJcHGz", title: "Mesh and Envoy Details",
            description: "The mesh's size, the control plane's CPU and memory, sidecar injection, certificates and xDS updates.")
        d.from = "now-15m"
        d.refresh = "10s"
        let controller = #"source_pod_name=~"$osm_controller_instance""#
        let injector = #"source_pod_name=~"$osm_injector_instance""#
        d.variable("osm_controller_instance", label: "osm-controller pod", query: "label_values(osm_proxy_connect_count, source_pod_name)", multi: true)
        d.variable("osm_injector_instance", label: "osm-injector pod", query: "label_values(osm_injector_injector_sidecar_count, source_pod_name)", multi: true)
        d.variable("xds_path", label: "xDS resource", query: "label_values(osm_proxy_config_update_time_bucket, resource_type)")

        /// Objects added minus objects deleted, as the controller's informers counted them.
        func live(_ kind: String) -> Query {
            Query(#"sum(osm_k8s_api_event_count{type="\#(kind)-added", \#(controller)}) by (source_pod_name) OR on() vector(0) - sum(osm_k8s_api_event_count{type="\#(kind)-deleted", \#(controller)}) by (source_pod_name) OR on() vector(0)"#,
                  legend: "{{source_pod_name}}")
        }
        d.section("The mesh")
        d.stat("Namespaces", Query("osm_k8s_monitored_namespace_count{\(controller)}", legend: "{{source_pod_name}}"),
               width: 4, help: "Namespaces osm-controller monitors.")
        d.stat("Services", live("service"), width: 4, help: "Services seen added less those seen deleted.")
        d.stat("Pods", live("pod"), width: 4, help: "Pods seen added less those seen deleted.")
        d.graph("Sidecars connected to osm-controller", [Query("osm_proxy_connect_count{\(controller)}", legend: "{{source_pod_name}}")],
                width: 12, height: 5)

        d.section("Control plane pods in \(namespace)")
        d.graph("CPU (cores)", [Query(#"irate(container_cpu_usage_seconds_total{namespace="\#(namespace)", container!~"POD", container!~""}[1m])"#, legend: "{{pod}}")],
                width: 12, unit: "none")
        d.graph("Resident memory", [Query(#"container_memory_rss{namespace="\#(namespace)", container!="", container!="POD"}"#, legend: "{{pod}}")],
                width: 12, unit: "bytes")

        d.section("Sidecar injection")
        d.graph("Injection webhook calls", [
            Query(#"idelta(osm_injector_injector_rq_time_count{success="true", \#(injector)}[1m])"#, legend: "succeeded"),
            Query(#"idelta(osm_injector_injector_rq_time_count{success="false", \#(injector)}[1m])"#, legend: "failed"),
        ], width: 12, height: 9)
        d.heatmap("Injection webhook duration", Query("idelta(osm_injector_injector_rq_time_bucket{\(injector)}[1m])", legend: "{{le}}"), width: 12)

        d.section("Certificates and xDS")
        d.heatmap("Certificate issuing duration", Query("sum(idelta(osm_cert_issued_time_bucket{\(injector)}[1m])) by (le)", legend: "{{le}}"),
                  width: 8)
        d.heatmap("xDS update duration ($xds_path)",
                  Query(#"sum(idelta(osm_proxy_config_update_time_bucket{resource_type="$xds_path", \#(controller)}[1m])) by (le)"#, legend: "{{le}}"),
                  width: 8)
        d.graph("xDS updates sent", [
            Query(#"idelta(osm_proxy_config_update_time_count{success="true", resource_type=~"$xds_path", \#(controller)}[1m])"#,
                  legend: "{{resource_type}} from {{source_pod_name}}: ok"),
            Query(#"idelta(osm_proxy_config_update_time_count{success="false", resource_type=~"$xds_path", \#(controller)}[1m])"#,
                  legend: "{{resource_type}} from {{source_pod_name}}: failed"),
        ], width: 8, height: 9)
        return d.json
    }

    // MARK: shared sections

    /// Envoy's upstream connection failures (`cx_*`) and request failures (`rq_*`), in the order
    /// the panels list them, with a legend for each.
    static let connectionErrors = [
        ("cx_destroy_remote_with_active_rq", "closed by the peer mid-request"),
        ("cx_connect_timeout", "connect timed out"),
        ("cx_destroy_local_with_active_rq", "closed by Envoy mid-request"),
    ]
    static let requestErrors = [
        ("rq_pending_failure_eject", "pending, host ejected"),
        ("rq_pending_overflow", "pending queue overflow"),
        ("rq_timeout", "timed out"),
        ("rq_rx_reset", "reset by the peer"),
        ("rq_tx_reset", "reset by Envoy"),
    ]

    /// A pod's or workload's calls to every service, one series per service (`envoy_cluster_name`).
    private static func outboundTraffic(_ d: inout GrafanaDashboard, selector: String, who: String, activeIsRate: Bool) {
        func q(_ expr: String, _ legend: String = "{{envoy_cluster_name}}") -> Query { Query(expr, legend: legend) }
        func rate(_ metric: String, _ extra: String = "") -> String { "irate(envoy_cluster_upstream_\(metric){\(extra)\(selector)}[1m])" }

        d.section("HTTP responses, per called service")
        d.graph("2xx responses", [q(rate("rq_xx", #"envoy_response_code_class="2","#))], width: 12, unit: "reqps")
        d.graph("Other responses (not 2xx)", [q(rate("rq_xx", #"envoy_response_code_class!="2","#))], width: 12, unit: "reqps")

        d.section("Latency, per called service")
        for quantile in ["0.50", "0.90", "0.99"] {
            d.graph("p\(quantile.dropFirst(2)) request latency",
                    [q("histogram_quantile(\(quantile),irate(envoy_cluster_upstream_rq_time_bucket{\(selector)}[1m]))")],
                    width: 8, unit: "ms")
        }

        d.section("Connections and bytes, per called service")
        let active = activeIsRate ? rate("cx_active") : "envoy_cluster_upstream_cx_active{\(selector)}"
        d.graph("Open connections", [q(active)], width: 8)
        d.graph("Bytes received from services", [q(rate("cx_rx_bytes_total"))], width: 8, unit: "Bps",
                help: "Response bytes \(who) receives (upstream_cx_rx_bytes_total).")
        d.graph("Bytes sent to services", [q(rate("cx_tx_bytes_total"))], width: 8, unit: "Bps",
                help: "Request bytes \(who) sends (upstream_cx_tx_bytes_total).")

        d.section("Errors, per called service")
        d.graph("Connection errors", connectionErrors.map { q(rate($0.0), "\($0.1) - {{envoy_cluster_name}}") }, width: 12, unit: "ops")
        d.graph("Request errors", requestErrors.map { q(rate($0.0), "\($0.1) - {{envoy_cluster_name}}") }, width: 12, unit: "ops")
    }

    /// The traffic over one link (source service to `peer`), summed over the source's sidecars.
    private static func serviceLink(_ d: inout GrafanaDashboard, selector: String, peer: String, withLatency: Bool) {
        func sumRate(_ metric: String) -> String { "sum(irate(envoy_cluster_upstream_\(metric){\(selector)}[1m]))" }

        d.section("HTTP responses from \(peer)")
        d.graph("2xx responses", [Query(#"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",\#(selector)}[1m])"#, legend: "{{source_pod_name}}")],
                width: 12, unit: "reqps")
        d.graph("Other responses (not 2xx)",
                [Query(#"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class!="2",\#(selector)}[1m])"#, legend: "{{source_pod_name}} {{envoy_response_code_class}}xx")],
                width: 12, unit: "reqps")

        if withLatency {
            d.section("Latency to \(peer) (slowest source pod)")
            for quantile in ["0.50", "0.90", "0.99"] {
                d.graph("p\(quantile.dropFirst(2)) request latency",
                        [Query("max(histogram_quantile(\(quantile), irate(envoy_cluster_upstream_rq_time_bucket{\(selector)}[1m])))", legend: "p\(quantile.dropFirst(2))")],
                        width: 8, unit: "ms")
            }
        }

        d.section("Connections to \(peer)")
        d.graph("Open connections", [Query("sum(envoy_cluster_upstream_cx_active{\(selector)})", legend: "connections")], width: 6)
        d.graph("Bytes", [
            Query(sumRate("cx_tx_bytes_total"), legend: "sent"),
            Query(sumRate("cx_rx_bytes_total"), legend: "received"),
        ], width: 6, unit: "Bps")
        d.graph("Connection errors", connectionErrors.map { Query(sumRate($0.0), legend: $0.1) }, width: 6, unit: "ops")
        d.graph("Request errors", requestErrors.map { Query(sumRate($0.0), legend: $0.1) }, width: 6, unit: "ops")
    }
}
