/// A test helper failure.
struct KubeSimTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
