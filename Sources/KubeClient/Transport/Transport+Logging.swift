#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl
import ObjectModel

/// `-v` logging of requests and answers, credentials masked.
extension Transport {
    // MARK: Logging

    func logRequest(_ r: HTTPRequest, url: String, headers: [(String, String)]) {
        guard logger.enabled(7) else { return }
        let all = headers + [("User-Agent", options.userAgent)]
        if logger.enabled(9) {
            var curl = "curl -v -X\(r.method)"
            for (k, v) in all { curl += " -H \"\(k): \(RequestLogger.redactHeader(name: k, value: v))\"" }
            if config.insecureSkipTLSVerify { curl += " -k" }
            curl += " '\(url)'"
            logger.log(9, curl)
        }
        logger.log(7, "Request Headers:")
        for (k, v) in all { logger.log(7, "    \(k): \(RequestLogger.redactHeader(name: k, value: v))") }
        if let body = r.body, logger.enabled(8) {
            logger.log(8, "Request Body: \(logger.loggableBody(body, secrets: r.resource == "secrets"))")
        }
    }

    func logResponse(_ r: HTTPResponse, request: HTTPRequest, url: String, millis: Int) {
        guard logger.enabled(6) else { return }
        let statusText = Self.statusText(r)
        logger.log(6, "\(request.method) \(url) \(statusText) in \(millis) milliseconds")
        guard logger.enabled(8) else { return }
        logger.log(8, "Response Headers:")
        for (k, v) in r.headers { logger.log(8, "    \(k): \(RequestLogger.redactHeader(name: k, value: v))") }
        if !r.body.isEmpty {
            logger.log(8, "Response Body: \(logger.loggableBody(r.body, secrets: request.resource == "secrets"))")
        }
    }
}
