import ObjectModel

/// `fluentbit-configmap.yaml`, `proxy-config.yaml` and the Fluent Bit parts of the controller's
/// pod: a log-forwarding sidecar that tails the controller's container logs.
enum FluentBitObjects {
    static func configMap(_ c: ChartContext) -> JSONValue {
        let plugin = c.text("fluentBit", "outputPlugin")
        var output = """
            [OUTPUT]
              Name    \(plugin)
              Match   *
            """
        if plugin.lowercased() == "azure" {
            output += "\n  Customer_ID \(c.text("fluentBit", "workspaceId"))"
            output += "\n  Shared_Key \(c.text("fluentBit", "primaryKey"))"
        }
        let conf = """
            [SERVICE]
              Flush             5
              Daemon            off
              Log_Level         info
              Parsers_File      parser.conf
            [INPUT]
              Name    tail
              Tag     kube.*
              Path    /var/log/containers/osm-controller-*_\(c.namespace)_osm-controller-*.log
              Parser  cri
              Read_from_Head  on
            # Adds controller pod name value to help users query logs in output
            [FILTER]
              Name           modify
              Match          kube.*
              Add            controller_pod_name ${CONTROLLER_POD_NAME}
            \(output)
            """
        let parser = #"""
            [PARSER]
              # http://rubular.com/r/tjUt3Awgg4
              Name    cri
              Format  regex
              Regex   ^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>[^ ]*) (?<message>.*)$
              Time_Key    time
              Time_Format %Y-%m-%dT%H:%M:%S.%L%z
            """#
        return [
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": c.namespaced("fluentbit-configmap", labels: c.labels()),
            "data": ["fluent-bit.conf": .string(conf), "parser.conf": .string(parser)],
        ]
    }

    /// Secret `proxy-config`: rendered whenever proxy support is on, even without Fluent Bit.
    static func proxySecret(_ c: ChartContext) -> JSONValue {
        [
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": c.namespaced("proxy-config", labels: c.labels()),
            "stringData": [
                "HTTP_PROXY": .string(c.text("fluentBit", "httpProxy")),
                "HTTPS_PROXY": .string(c.text("fluentBit", "httpsProxy")),
            ],
        ]
    }

    static func sidecar(_ c: ChartContext) -> JSONValue {
        var env: [JSONValue] = []
        if c.isOn("fluentBit", "enableProxySupport") {
            for key in ["HTTP_PROXY", "HTTPS_PROXY"] {
                env.append(["name": .string(key), "valueFrom": ["secretKeyRef": ["name": "proxy-config", "key": .string(key)]]])
            }
        }
        env.append(["name": "CONTROLLER_POD_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.name"]]])
        return [
            "name": .string(c.text("fluentBit", "name")),
            "image": .string("\(c.text("fluentBit", "registry"))/fluent-bit:\(c.text("fluentBit", "tag"))"),
            "imagePullPolicy": .string(c.text("fluentBit", "pullPolicy")),
            "env": .array(env),
            "volumeMounts": [
                ["name": "config", "mountPath": "/fluent-bit/etc", "readOnly": true],
                ["name": "var-log-containers", "mountPath": "/var/log/containers", "readOnly": true],
                ["name": "var-log-pods", "mountPath": "/var/log/pods", "readOnly": true],
                ["name": "var-lib-containers", "mountPath": "/var/lib/docker/containers", "readOnly": true],
            ],
        ]
    }

    static let volumes: JSONValue = [
        ["name": "config", "configMap": ["name": "fluentbit-configmap"]],
        ["name": "var-log-containers", "hostPath": ["path": "/var/log/containers"]],
        ["name": "var-log-pods", "hostPath": ["path": "/var/log/pods"]],
        ["name": "var-lib-containers", "hostPath": ["path": "/var/lib/docker/containers"]],
    ]
}
