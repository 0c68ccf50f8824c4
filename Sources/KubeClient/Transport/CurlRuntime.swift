import CCurl

/// libcurl's process-wide initialisation, done once, on first use rather than at start-up.
enum CurlRuntime {
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func ensure() { _ = initialised }

    /// Whether this libcurl can speak HTTP/2 (nghttp2 built in).
    static let supportsHTTP2: Bool = {
        ensure()
        guard let info = curl_version_info(CURLVERSION_FOURTH) else { return false }
        return (info.pointee.features & Int32(CURL_VERSION_HTTP2)) != 0
    }()
}
