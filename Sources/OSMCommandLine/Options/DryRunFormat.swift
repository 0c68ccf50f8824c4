import ArgumentParser

/// How `install --dry-run` prints the objects it would create.
enum DryRunFormat: String, CaseIterable, ExpressibleByArgument {
    case yaml, json
}
