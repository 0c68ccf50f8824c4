import CCurl
import CurlLoader

/// libcurl's process-wide initialisation, done once, on first use rather than at start-up.
enum CurlRuntime {
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func ensure() { _ = initialised }

    /// What to say when this libcurl refuses an option osm sets (`option`: its name and why).
    static func refusedOption(_ option: String) -> String {
        "libcurl \(version) refused option \(option); osm needs libcurl \(OSM_CURL_MIN_VERSION_TEXT) or later built with OpenSSL"
    }

    /// `7.88.1`: for messages.
    static var version: String {
        curl_version_info(CURLVERSION_FOURTH).flatMap { $0.pointee.version.map { String(cString: $0) } } ?? "(unknown version)"
    }
}
