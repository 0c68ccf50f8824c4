import ObjectModel

/// The defaults of the OSM v0.8.4 chart (`charts/osm/values.yaml` upstream), the base every
/// install's values are merged onto.
package enum ChartDefaults {
    package static let chartName = "osm"
    package static let chartVersion = "0.8.4"
    /// `appVersion` of the chart: the `app.kubernetes.io/version` label of every object.
    package static let appVersion = "v0.8.4"
    /// Where the control plane's images come from (`--container-registry`).
    package static let containerRegistry = "openservicemesh"
    /// The Vault role the mesh uses (`--vault-role`).
    package static let vaultRole = "openservicemesh"

    /// Built once per process (`mesh upgrade` reads it twice: the render and the chart record).
    package static let values: JSONValue = {
        [
            "OpenServiceMesh": [
                "replicaCount": 1,
                "image": ["registry": .string(containerRegistry), "pullPolicy": "IfNotPresent", "tag": .string(appVersion)],
                "imagePullSecrets": [],
                "sidecarImage": "envoyproxy/envoy-alpine:v1.17.3",
                "osmcontroller": [
                    "resource": [
                        "limits": ["cpu": "1.5", "memory": "512M"],
                        "requests": ["cpu": "0.5", "memory": "128M"],
                    ],
                    "podLabels": [:],
                ],
                "prometheus": ["port": 7070, "retention": ["time": "15d"]],
                "certificateManager": "tresor",
                "vault": ["host": nil, "protocol": "http", "token": nil, "role": .string(vaultRole)],
                "certmanager": ["issuerName": "osm-ca", "issuerKind": "Issuer", "issuerGroup": "cert-manager"],
                "serviceCertValidityDuration": "24h",
                "caBundleSecretName": "osm-ca-bundle",
                "grafana": ["port": 3000, "enableRemoteRendering": false],
                "enableDebugServer": false,
                "enablePermissiveTrafficPolicy": false,
                "enableEgress": false,
                "deployPrometheus": false,
                "enablePrometheusScraping": true,
                "deployGrafana": false,
                "enableFluentbit": false,
                "fluentBit": [
                    "name": "fluentbit-logger",
                    "registry": "fluent",
                    "tag": "1.6.4",
                    "pullPolicy": "IfNotPresent",
                    "outputPlugin": "stdout",
                    "workspaceId": "",
                    "primaryKey": "",
                    "enableProxySupport": false,
                    "httpProxy": "",
                    "httpsProxy": "",
                ],
                "meshName": .string(MeshConstants.defaultMeshName),
                "useHTTPSIngress": false,
                "envoyLogLevel": "error",
                "controllerLogLevel": "info",
                "enforceSingleMesh": false,
                "webhookConfigNamePrefix": "osm-webhook",
                "enableWASMStatsExperimental": false,
                "osmNamespace": "",
                "deployJaeger": false,
                "tracing": ["enable": false, "address": "", "port": 9411, "endpoint": "/api/v2/spans"],
                "inbound_extauthz": [
                    "enable": false, "address": "", "port": 0, "statPrefix": "", "timeout": "1s",
                    "failureModeAllow": false,
                ],
                "outboundIPRangeExclusionList": [],
                "injector": [
                    "replicaCount": 1,
                    "resource": [
                        "limits": ["cpu": "0.5", "memory": "64M"],
                        "requests": ["cpu": "0.3", "memory": "64M"],
                    ],
                    "podLabels": [:],
                ],
                "enablePrivilegedInitContainer": false,
            ]
        ]
    }()
}
