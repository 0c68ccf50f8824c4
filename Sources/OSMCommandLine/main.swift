// Entry point: the Go flag syntax first (bool flags), then ArgumentParser, then the command.
CommandLineRunner.run(Array(CommandLine.arguments.dropFirst()))
