import ArgumentParser
import Foundation
import RawQuant

/// Printing helpers shared by the commands: JSON to stdout, one-line errors to stderr.
enum Output {
    /// Encodes a value as pretty, key-sorted JSON.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "null" }
        return text
    }

    /// Prints `rawquant: error: message` on stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("rawquant: error: \(message)\n".utf8))
    }
}

/// Exit code for invalid command-line values (as ArgumentParser uses for usage errors).
let usageExitCode: Int32 = 64

extension Output {
    /// Prints the one-line error and returns the exit to throw: 64 for invalid options.
    static func usage(_ message: String) -> ExitCode {
        error(message)
        return ExitCode(usageExitCode)
    }

    /// Prints the one-line error and returns the exit to throw: 1 for a failed input or run.
    static func failure(_ message: String) -> ExitCode {
        error(message)
        return ExitCode.failure
    }

    /// A comma-separated list of numbers ("0.3,0.4,0.5"); nil when any item is not one.
    static func numbers<T: LosslessStringConvertible>(_ text: String) -> [T]? {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { T($0.trimmingCharacters(in: .whitespaces)) }
        return items.contains { $0 == nil } ? nil : items.map { $0! }
    }

    /// For a caught error: an exit already reported passes through; anything else is printed as a failure.
    static func failure(_ caught: Error) -> ExitCode {
        if let exit = caught as? ExitCode { return exit }
        return failure("\(caught)")
    }
}

/// `--gamma-start given|median` (train, experiment): ArgumentParser validates it and lists the values.
extension GammaStart: ExpressibleByArgument {}
