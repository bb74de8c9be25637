import ArgumentParser

/// The `lux` command and its subcommands. Run it through ``LuxMain/run(_:)`` so that every error is
/// printed as one `lux: error: ...` line.
public struct LuxCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lux",
        abstract: "Lux: automatic, explainable photo post-processing.",
        subcommands: [InfoCommand.self, ConvertCommand.self, EnhanceCommand.self, CorrectCommand.self, ApplyCommand.self, EvalCommand.self,
                      DatasetCommand.self, TrainCommand.self, TransferCommand.self, HistogramCommand.self,
                      ReexposeCommand.self, HDRCommand.self,
                      AdjustCommand.self]
    )
    public init() {}
}
