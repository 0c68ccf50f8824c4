import ObjectModel

/// What this binary is: stamped from git at build time by the VersionStamp plugin.
enum BuildInfo {
    /// The upstream release this is a drop-in for, as upstream's line prints it.
    static let version = GeneratedBuildInfo.version
    /// This build: `v0.8.4+<build>`, which release packaging takes its versions from.
    static let buildVersion = GeneratedBuildInfo.buildVersion
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

    /// Upstream's version fields (`version`, `git_commit`, `build_date`), then this build's.
    static var value: JSONValue {
        [
            "version": .string(version),
            "git_commit": .string(gitCommit),
            "build_date": .string(buildDate),
            "build_version": .string(buildVersion),
            "platform": .string(platform),
            "build_configuration": .string(configuration),
        ]
    }
}
