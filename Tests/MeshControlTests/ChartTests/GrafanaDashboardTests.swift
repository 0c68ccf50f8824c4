import XCTest
import ObjectModel

@testable import MeshControl

/// The dashboards `--deploy-grafana` provisions: valid Grafana JSON under upstream's file names,
/// uids and titles, showing every query upstream's dashboard of the same name shows.
final class GrafanaDashboardTests: XCTestCase {
    /// Facts about upstream's v0.8.4 dashboards (charts/osm/grafana/dashboards): each file's uid
    /// and title, and the PromQL of its variables and panels, whitespace-trimmed.
    struct Upstream {
        var file: String
        var uid: String
        var title: String
        var queries: [String]
    }

    static let upstream: [Upstream] = [
        Upstream(
            file: "osm-control-plane.json", uid: "OSMCPMetrics", title: "OSM Control Plane Metrics",
            queries: [
                #"label_values(envoy_server_live{}, source_namespace)"#,
                #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_service)"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class!="2",source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m])"#,
                #"sum(envoy_cluster_upstream_cx_active{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"})"#,
                #"sum(irate(envoy_cluster_upstream_cx_tx_bytes_total{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_rx_bytes_total{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_destroy_remote_with_active_rq{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_connect_timeout{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_destroy_local_with_active_rq{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_pending_failure_eject{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_pending_overflow{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_timeout{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_rx_reset{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_tx_reset{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="osm-controller"}[1m]))"#,
            ]),
        Upstream(
            file: "osm-mesh-envoy-details.json", uid: "PLyKJcHGz", title: "Mesh and Envoy Details",
            queries: [
                #"label_values(osm_proxy_connect_count, source_pod_name)"#,
                #"label_values(osm_injector_injector_sidecar_count, source_pod_name)"#,
                #"label_values(osm_proxy_config_update_time_bucket, resource_type)"#,
                #"osm_k8s_monitored_namespace_count{source_pod_name=~"$osm_controller_instance"}"#,
                #"sum(osm_k8s_api_event_count{type="service-added", source_pod_name=~"$osm_controller_instance"}) by (source_pod_name) OR on() vector(0) - sum(osm_k8s_api_event_count{type="service-deleted", source_pod_name=~"$osm_controller_instance"}) by (source_pod_name) OR on() vector(0)"#,
                #"sum(osm_k8s_api_event_count{type="pod-added", source_pod_name=~"$osm_controller_instance"}) by (source_pod_name) OR on() vector(0) - sum(osm_k8s_api_event_count{type="pod-deleted", source_pod_name=~"$osm_controller_instance"}) by (source_pod_name) OR on() vector(0)"#,
                #"osm_proxy_connect_count{source_pod_name=~"$osm_controller_instance"}"#,
                #"irate(container_cpu_usage_seconds_total{namespace="osm-system", container!~"POD", container!~""}[1m])"#,
                #"container_memory_rss{namespace="osm-system", container!="", container!="POD"}"#,
                #"idelta(osm_injector_injector_rq_time_bucket{source_pod_name=~"$osm_injector_instance"}[1m])"#,
                #"sum(idelta(osm_cert_issued_time_bucket{source_pod_name=~"$osm_injector_instance"}[1m])) by (le)"#,
                #"sum(idelta(osm_proxy_config_update_time_bucket{resource_type="$xds_path", source_pod_name=~"$osm_controller_instance"}[1m])) by (le)"#,
                #"idelta(osm_injector_injector_rq_time_count{success="true", source_pod_name=~"$osm_injector_instance"}[1m])"#,
                #"idelta(osm_injector_injector_rq_time_count{success="false", source_pod_name=~"$osm_injector_instance"}[1m])"#,
                #"idelta(osm_proxy_config_update_time_count{success="true", resource_type=~"$xds_path", source_pod_name=~"$osm_controller_instance"}[1m])"#,
                #"idelta(osm_proxy_config_update_time_count{success="false", resource_type=~"$xds_path", source_pod_name=~"$osm_controller_instance"}[1m])"#,
            ]),
        Upstream(
            file: "osm-pod.json", uid: "OSMpodMetrics", title: "OSM Pod to Services Metrics",
            queries: [
                #"label_values(envoy_server_live{}, source_namespace)"#,
                #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_pod_name)"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class!="2",source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"histogram_quantile(0.99,irate(envoy_cluster_upstream_rq_time_bucket{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m]))"#,
                #"histogram_quantile(0.90,irate(envoy_cluster_upstream_rq_time_bucket{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m]))"#,
                #"histogram_quantile(0.50,irate(envoy_cluster_upstream_rq_time_bucket{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m]))"#,
                #"irate(envoy_cluster_upstream_cx_active{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_destroy_remote_with_active_rq{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_connect_timeout{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_destroy_local_with_active_rq{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_pending_failure_eject{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_pending_overflow{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_timeout{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_rx_reset{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_tx_reset{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_rx_bytes_total{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_tx_bytes_total{source_pod_name="$source_pod",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
            ]),
        Upstream(
            file: "osm-service-to-service.json", uid: "OSMs2sMetrics", title: "OSM Service to Service Metrics",
            queries: [
                #"label_values(envoy_server_live{}, source_namespace)"#,
                #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_service)"#,
                #"label_values(envoy_cluster_upstream_cx_active{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|.*-local|envoy-tracing-cluster|passthrough-outbound"}, envoy_cluster_name)"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class!="2",source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m])"#,
                #"max(histogram_quantile(0.99, irate(envoy_cluster_upstream_rq_time_bucket{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m])))"#,
                #"max(histogram_quantile(0.90, irate(envoy_cluster_upstream_rq_time_bucket{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m])))"#,
                #"max(histogram_quantile(0.50, irate(envoy_cluster_upstream_rq_time_bucket{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m])))"#,
                #"sum(envoy_cluster_upstream_cx_active{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"})"#,
                #"sum(irate(envoy_cluster_upstream_cx_tx_bytes_total{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_rx_bytes_total{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_destroy_remote_with_active_rq{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_connect_timeout{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_cx_destroy_local_with_active_rq{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_pending_failure_eject{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_pending_overflow{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_timeout{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_rx_reset{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
                #"sum(irate(envoy_cluster_upstream_rq_tx_reset{source_service="$source_service",source_namespace="$source_namespace",envoy_cluster_name="$destination_service"}[1m]))"#,
            ]),
        Upstream(
            file: "osm-workload.json", uid: "OSMworkloadMetrics", title: "OSM Workload to Services Metrics",
            queries: [
                #"label_values(envoy_server_live{}, source_namespace)"#,
                #"label_values(envoy_server_live{source_namespace="$source_namespace"}, source_workload_kind)"#,
                #"label_values(envoy_server_live{source_namespace="$source_namespace", source_workload_kind="$source_workload_kind"}, source_workload_name)"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_xx{envoy_response_code_class!="2",source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"histogram_quantile(0.99,irate(envoy_cluster_upstream_rq_time_bucket{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m]))"#,
                #"histogram_quantile(0.90,irate(envoy_cluster_upstream_rq_time_bucket{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m]))"#,
                #"histogram_quantile(0.50,irate(envoy_cluster_upstream_rq_time_bucket{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m]))"#,
                #"envoy_cluster_upstream_cx_active{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}"#,
                #"irate(envoy_cluster_upstream_cx_destroy_remote_with_active_rq{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_connect_timeout{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_destroy_local_with_active_rq{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_pending_failure_eject{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_pending_overflow{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_timeout{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_rx_reset{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_rq_tx_reset{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_rx_bytes_total{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
                #"irate(envoy_cluster_upstream_cx_tx_bytes_total{source_namespace="$source_namespace",source_workload_kind="$source_workload_kind",source_workload_name="$source_workload_name",envoy_cluster_name!~"osm-controller|envoy-metrics-cluster|envoy-tracing-cluster|passthrough-outbound"}[1m])"#,
            ]),
    ]

    /// The dashboard files of a `--deploy-grafana` rendering, by ConfigMap key.
    func renderedDashboards(namespace: String = "osm-system") throws -> [String: JSONValue] {
        var install = InstallValues()
        install.deployGrafana = true
        let objects = try ControlPlaneManifest.render(values: install.chartValues(), namespace: namespace)
        var out: [String: JSONValue] = [:]
        for o in objects where o["kind"] == "ConfigMap" && (o[path: "metadata", "name"]?.stringValue ?? "").hasPrefix("osm-grafana-dashboard-definition-") {
            for (key, text) in o["data"]?.stringMap ?? [:] {
                out[key] = try JSONValue(parsing: text)
            }
        }
        return out
    }

    /// Every panel, rows included, and the PromQL of every target and variable.
    func panels(_ board: JSONValue) -> [JSONValue] { board["panels"]?.arrayValue ?? [] }

    func queries(_ board: JSONValue) -> Set<String> {
        var out = Set<String>()
        for v in board[path: "templating", "list"]?.arrayValue ?? [] { if let q = v["query"]?.stringValue { out.insert(q) } }
        for p in panels(board) {
            for t in p["targets"]?.arrayValue ?? [] { if let e = t["expr"]?.stringValue { out.insert(e) } }
        }
        return out
    }

    func testEachDashboardKeepsUpstreamsFileUIDAndTitleAndHasRealPanels() throws {
        let boards = try renderedDashboards()
        XCTAssertEqual(Set(boards.keys), Set(Self.upstream.map(\.file)))
        for up in Self.upstream {
            let board = try XCTUnwrap(boards[up.file], up.file)
            XCTAssertEqual(board["uid"]?.stringValue, up.uid, up.file)
            XCTAssertEqual(board["title"]?.stringValue, up.title, up.file)
            XCTAssertEqual(board["schemaVersion"]?.intValue, 25, up.file)
            XCTAssertGreaterThanOrEqual(panels(board).count, 7, up.file)
            XCTAssertGreaterThanOrEqual(panels(board).filter { $0["type"] != "row" }.count, 6, up.file)
        }
    }

    func testEveryUpstreamQueryIsShown() throws {
        let boards = try renderedDashboards()
        for up in Self.upstream {
            let ours = queries(try XCTUnwrap(boards[up.file], up.file))
            for q in up.queries { XCTAssertTrue(ours.contains(q), "\(up.file) lacks \(q)") }
        }
    }

    func testPanelsAreWellFormedAndDoNotOverlap() throws {
        for (file, board) in try renderedDashboards() {
            var ids = Set<Int>()
            var cells = Set<[Int]>()
            for p in panels(board) {
                let id = try XCTUnwrap(p["id"]?.intValue, file)
                XCTAssertTrue(ids.insert(id).inserted, "\(file): id \(id) twice")
                XCTAssertFalse((p["title"]?.stringValue ?? "").isEmpty, file)
                let g = try XCTUnwrap(p["gridPos"], file)
                let (x, y, w, h) = (g["x"]?.intValue ?? -1, g["y"]?.intValue ?? -1, g["w"]?.intValue ?? 0, g["h"]?.intValue ?? 0)
                XCTAssertTrue(x >= 0 && w > 0 && x + w <= 24 && y >= 0 && h > 0, "\(file): \(g)")
                for cx in x..<(x + w) { for cy in y..<(y + h) { XCTAssertTrue(cells.insert([cx, cy]).inserted, "\(file): overlap at \(cx),\(cy)") } }
                guard p["type"] != "row" else { continue }
                XCTAssertEqual(p["datasource"]?.stringValue, "Prometheus", file)
                let targets = p["targets"]?.arrayValue ?? []
                XCTAssertFalse(targets.isEmpty, "\(file): \(p["title"]?.stringValue ?? "") has no query")
                XCTAssertEqual(targets.compactMap { $0["refId"]?.stringValue }, ["A", "B", "C", "D", "E"].prefix(targets.count).map { $0 }, file)
            }
            for v in board[path: "templating", "list"]?.arrayValue ?? [] {
                XCTAssertEqual(v["datasource"]?.stringValue, "Prometheus", file)
            }
        }
    }

    /// The control plane panels follow the namespace the mesh is installed in.
    func testControlPlaneResourcePanelsFollowTheNamespace() throws {
        let board = try XCTUnwrap(try renderedDashboards(namespace: "mesh-system")["osm-mesh-envoy-details.json"])
        let q = queries(board)
        XCTAssertTrue(q.contains(#"container_memory_rss{namespace="mesh-system", container!="", container!="POD"}"#), "\(q)")
        XCTAssertFalse(q.contains { $0.contains("osm-system") }, "\(q)")
    }
}
