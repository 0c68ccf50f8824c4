/// Stands in for a command's action until it is wired: no fake output, exit 1.
/// Each cluster command calls this exactly once, in `run()`, where its action will go.
func notImplementedYet() throws -> Never {
    throw CLIError("not implemented yet")
}
