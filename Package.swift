// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "osm",
    // Linux only (see README, Install): no Apple platform is declared, since none is built or
    // tested; the transport and port-forwarder use glibc calls (MSG_NOSIGNAL, Glibc.exit) and
    // CurlLoader/ZlibLoader open libcurl.so.4 and libz.so.1.
    products: [
        .executable(name: "osm", targets: ["OSMCommandLine"]),
        .executable(name: "kube-sim", targets: ["kube-sim"]),
        // The local API server as a library for anyone's tests (Sources/KubeSim/README.md;
        // Examples/KubeSimSample uses it by path).
        .library(name: "KubeSim", targets: ["KubeSim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        // kube-sim's CA and certificates, made in process (KubeSim only, never osm).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // System libraries the product is specified on.
        // libcurl's headers only (apt libcurl4-openssl-dev, pkg-config libcurl, whose cflags are
        // empty on Debian): the library itself is opened at run time by CurlLoader, so that no
        // `-lcurl` (which pkg-config would add) makes every start-up load it.
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        // zlib's headers only (apt zlib1g-dev), for Helm's release records: the library is
        // opened at run time by ZlibLoader, as libcurl is (no `-lz`, which pkg-config would add).
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]),

        // OSMCommandLine (the osm executable) -> MeshControl -> KubeClient -> YAMLCodec -> ObjectModel
        // ObjectModel: JSON values (what Kubernetes objects are made of), their JSON text, and the
        // formats inside them (Base64, RFC 3339 times, Go's fmt, escaping).
        .target(name: "ObjectModel"),
        // YAMLCodec: YAML text to and from ObjectModel's values (libyaml reads; the writer emits as
        // kubectl and Helm do).
        .target(name: "YAMLCodec", dependencies: ["ObjectModel", "CYAML"]),
        // libcurl is dlopen'ed on first use (see CurlLoader): commands that never reach a
        // cluster start without loading it and its thirty-odd dependencies.
        .target(name: "CurlLoader", dependencies: ["CCurl"], linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "KubeClient", dependencies: ["ObjectModel", "YAMLCodec", "CCurl", "CurlLoader"]),
        .target(name: "ZlibLoader", dependencies: ["CZlib"], linkerSettings: [.linkedLibrary("dl")]),
        // MeshControl: the mesh's control plane: the chart, Helm's release records, the actions
        // commands take, and the verification of a running mesh.
        .target(name: "MeshControl", dependencies: ["KubeClient", "ObjectModel", "YAMLCodec", "CZlib", "ZlibLoader"]),
        .executableTarget(
            name: "OSMCommandLine",
            dependencies: [
                "MeshControl", "KubeClient", "ObjectModel", "YAMLCodec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["VersionStamp"]),
        // Writes osm's version, commit and date from git into the build, before each build.
        .plugin(name: "VersionStamp", capability: .buildTool()),

        // The local API server: SwiftNIO lives here only, never in the osm binary. A library
        // product of its own; it re-exports ObjectModel and YAMLCodec, whose JSONValue its object access speaks.
        .target(
            name: "KubeSim",
            dependencies: [
                "ObjectModel", "YAMLCodec",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            exclude: ["README.md"]),
        .executableTarget(
            name: "kube-sim",
            dependencies: [
                "KubeSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // What the test targets share: the in-process kube-sim harness, the process runner, the
        // osm binary under test, kubectl and python lookup (failing loudly), the PTY runner.
        .target(name: "TestSupport", dependencies: ["KubeSim", "ObjectModel", "YAMLCodec"], path: "Tests/TestSupport"),
        .testTarget(name: "ObjectModelTests", dependencies: ["ObjectModel", "YAMLCodec"]),
        .testTarget(name: "YAMLCodecTests", dependencies: ["YAMLCodec", "ObjectModel"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeSim", "TestSupport"]),
        .testTarget(
            name: "MeshControlTests", dependencies: ["MeshControl", "KubeSim"],
            exclude: ["ChartTests/Golden"]),  // golden files, read through #filePath
        .testTarget(name: "KubeSimTests", dependencies: ["KubeSim", "TestSupport"]),
        // Runs the built osm binary; also imports the osm module to check parsed values.
        .testTarget(name: "CLITests", dependencies: ["OSMCommandLine", "KubeSim", "ObjectModel", "YAMLCodec", "TestSupport"]),
    ]
)
