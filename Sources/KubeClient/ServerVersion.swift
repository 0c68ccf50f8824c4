import ObjectModel

/// What `/version` says about the API server.
package struct ServerVersion: Hashable, Sendable, CustomStringConvertible {
    /// `v1.21.2`.
    package let gitVersion: String
    package let major: Int
    /// The minor version with any vendor suffix dropped (`"21+"` is 21).
    package let minor: Int
    package let platform: String

    package init(gitVersion: String, major: Int, minor: Int, platform: String = "") {
        self.gitVersion = gitVersion
        self.major = major
        self.minor = minor
        self.platform = platform
    }

    package init(json: JSONValue) {
        func leadingInt(_ v: JSONValue?) -> Int {
            if let i = v?.intValue { return i }
            return Int(String((v?.stringValue ?? "").prefix { $0.isASCII && $0.isNumber })) ?? 0
        }
        var major = leadingInt(json["major"])
        var minor = leadingInt(json["minor"])
        let git = json["gitVersion"]?.stringValue ?? ""
        if major == 0 && minor == 0 {
            // Some distributions leave major/minor empty; fall back to gitVersion.
            let parts = git.drop { $0 == "v" }.split(separator: ".")
            if parts.count >= 2 {
                major = Int(parts[0]) ?? 0
                minor = Int(String(parts[1].prefix { $0.isASCII && $0.isNumber })) ?? 0
            }
        }
        self.init(gitVersion: git, major: major, minor: minor, platform: json["platform"]?.stringValue ?? "")
    }

    package var description: String { gitVersion }
}
