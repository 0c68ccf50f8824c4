// A libFuzzer target for the kubeconfig parser and loader (and the YAML reader under them).
// SwiftPM compiles this file away; build and run it by hand from the package root:
//
//   B=/tmp/kubeconfig-fuzz; mkdir -p $B/corpus $B/curlloader
//   printf 'module CurlLoader {\n header "%s/Sources/CurlLoader/include/curl_loader.h"\n export *\n}\n' "$PWD" \
//     > $B/curlloader/module.modulemap
//   clang -c -fPIC -I Sources/CurlLoader/include Sources/CurlLoader/curl_loader.c -o $B/curl_loader.o
//   swiftc -sanitize=fuzzer,address -parse-as-library -emit-library -static -module-name ObjectModel \
//     Sources/ObjectModel/*.swift -emit-module -emit-module-path $B/ObjectModel.swiftmodule -o $B/libObjectModel.a
//   swiftc -sanitize=fuzzer,address -parse-as-library -emit-library -static -module-name YAMLCodec -I $B \
//     -I Sources/CYAML Sources/YAMLCodec/*.swift -emit-module -emit-module-path $B/YAMLCodec.swiftmodule -o $B/libYAMLCodec.a
//   swiftc -sanitize=fuzzer,address -parse-as-library -D KUBECONFIG_FUZZER -module-name KubeClient \
//     -I $B -I $B/curlloader -I Sources/CYAML -I Sources/CCurl $(find Sources/KubeClient -name '*.swift') \
//     Tests/KubeClientTests/KubeconfigFuzzer.swift $B/curl_loader.o -L $B -lYAMLCodec -lObjectModel -lyaml -ldl -o $B/fuzz
//   $B/fuzz -max_total_time=60 -max_len=4096 $B/corpus
#if KUBECONFIG_FUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func kubeconfigFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let f = try? KubeconfigFile(parsing: text, path: "/fuzz/config") {
        let merged = KubeconfigLoader.merge([f, f])
        for name in [nil] + merged.contextOrder.prefix(3).map(Optional.some) {
            var o = ClientOptions()
            o.environment = ["HOME": "/fuzz-home"]
            o.context = name
            var loader = KubeconfigLoader(options: o)
            loader.readFile = { _ throws(FileSystem.ReadError) in Array("PEM".utf8) }
            _ = try? loader.resolve(merged, files: ["/fuzz/config"])
        }
    }
    return 0
}
#endif
