import YAML

/// What this binary is: stamped from git at build time by the VersionStamp plugin.
enum BuildInfo {
    static let version = GeneratedBuildInfo.version
    static let gitCommit = GeneratedBuildInfo.gitCommit
    static let buildDate = GeneratedBuildInfo.buildDate

    #if DEBUG
    static let configuration = "debug"
    #else
    static let configuration = "release"
    #endif

    static var platform: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "amd64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return "\(os)/\(arch)"
    }

    /// Upstream's one line, which scripts parse.
    static var line: String {
        "Version: \(version); Commit: \(gitCommit); Date: \(buildDate)"
    }

    /// Upstream's JSON keys (`version`, `git_commit`, `build_date`), then build details.
    static var value: JSONValue {
        [
            "version": .string(version),
            "git_commit": .string(gitCommit),
            "build_date": .string(buildDate),
            "platform": .string(platform),
            "build_configuration": .string(configuration),
        ]
    }
}
