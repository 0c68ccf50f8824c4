// swift-tools-version:6.0
import PackageDescription

// A package of its own that uses kube-sim as a library, as anyone's tests would: it depends on
// the osm package by path and on its KubeSim product only. Run it from the repository's root:
//     swift test --package-path Examples/KubeSimSample
let package = Package(
    name: "KubeSimSample",
    dependencies: [
        .package(name: "osm", path: "../.."),
    ],
    targets: [
        .testTarget(
            name: "KubeSimSampleTests",
            dependencies: [.product(name: "KubeSim", package: "osm")]),
    ]
)
