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

    /// Prints one report per input file: as text, or as JSON — one object when the command was given a
    /// `single` file, else an array.
    static func printReports<T: Encodable>(_ reports: [T], json: Bool, single: Bool, text: (T) -> String) {
        if !json {
            for report in reports { print(text(report)) }
        } else if single {
            if let report = reports.first { print(Output.json(report)) }
        } else {
            print(Output.json(reports))
        }
    }

    /// Prints a report line on stdout, or on stderr when stdout carries the command's data (`-` output).
    static func report(_ line: String, dataOnStdout: Bool) {
        if dataOnStdout { FileHandle.standardError.write(Data((line + "\n").utf8)) } else { print(line) }
    }

    /// A usage error when `output` is the same file as `input` (writing would destroy the input).
    static func refuseOverwriting(input: String, output: String) throws {
        do {
            try AtomicOutput.refuseOverwriting(inputs: [input], outputs: [output])
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// Prints `rawquant: error: message` on stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("rawquant: error: \(Untrusted.oneLine(message))\n".utf8))
    }

    /// Prints the one-line error and returns the exit to throw: 64 for invalid options.
    static func usage(_ message: String) -> ExitCode {
        error(message)
        return ExitCode(ExitCode.validationFailure.rawValue)
    }

    /// Prints the one-line error and returns the exit to throw: 1 for a failed input or run.
    static func failure(_ message: String) -> ExitCode {
        error(message)
        return ExitCode.failure
    }

    /// For a caught error: an exit already reported passes through; anything else is printed as a failure.
    static func failure(_ caught: Error) -> ExitCode {
        if let exit = caught as? ExitCode { return exit }
        return failure("\(caught)")
    }

    /// Runs `body`, turning library errors into a one-line message and exit 1.
    static func running<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw failure(error)
        }
    }
}
