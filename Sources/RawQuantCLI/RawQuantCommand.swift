import ArgumentParser
import Foundation
import RawQuant

@main
struct RawQuantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rawquant",
        abstract: "Learnable low-bit quantization of raw Bayer data for machine vision.",
        subcommands: [Inspect.self, Simulate.self, Synth.self, Unprocess.self, InspectQuantizer.self, FitQuantizer.self, Train.self, Detect.self, Eval.self,
                      Experiment.self, Features.self, Bench.self, ReferenceBatch.self]
    )

    /// Parses, validates and runs; every failure ends as one line `rawquant: error: …` on stderr and its exit
    /// code (64 for invalid options, also those ArgumentParser finds; 1 for a failed input or run). Help and
    /// version requests print as ArgumentParser prints them.
    static func main() {
        TensorRuntime.configure()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            let message = oneLine(self.message(for: error))
            if !message.isEmpty { Output.error(message) }
            Foundation.exit(code.rawValue)
        }
    }

    /// ArgumentParser's message on one line: an invalid value reads `--option: invalid value "x"; choose one
    /// of a, b, c` (the choices from its list or its quoted names), anything else keeps its first line.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // A message that is not ArgumentParser's invalid-value form keeps all its text (on one line).
        guard lines.first?.hasPrefix("The value '") == true else { return lines.joined(separator: " ") }
        guard let first = lines.first else { return "" }
        let prefix = "The value '", marker = "' is invalid for '"
        guard first.hasPrefix(prefix) else { return first }
        let valueStart = first.index(first.startIndex, offsetBy: prefix.count)
        guard let middle = first.range(of: marker, options: .backwards, range: valueStart..<first.endIndex) else { return first }
        let value = first[valueStart..<middle.lowerBound]
        let option = first[middle.upperBound...].prefix { $0 != " " && $0 != "'" }
        var choices = lines.dropFirst().filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
        if choices.isEmpty, let list = first.range(of: "Please provide one of ") {
            choices = first[list.upperBound...].split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        return "\(option): invalid value \"\(value)\"" + (choices.isEmpty ? "" : "; choose one of \(choices.joined(separator: ", "))")
    }
}
