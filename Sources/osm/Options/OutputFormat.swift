import ArgumentParser

/// How a read command prints its result.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, yaml
}
