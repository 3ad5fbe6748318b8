import Foundation
import XCTest

/// Runs the built `rawquant` executable and captures its exit status and output.
enum CLIRunner {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `rawquant` binary next to the test bundle (same build configuration).
    static let executable: URL = {
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
            ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("rawquant")
    }()

    static func run(_ arguments: [String]) throws -> Outcome { try run(executable, arguments) }

    /// Runs `script` with `/bin/sh -c`, its positional parameters `$1`… set to `arguments` (another tool, e.g. raw-identify).
    static func shell(_ script: String, _ arguments: String...) throws -> Outcome {
        try run(URL(fileURLWithPath: "/bin/sh"), ["-c", script, "sh"] + arguments)
    }

    private static func run(_ executable: URL, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                       stderr: String(decoding: stderrData, as: UTF8.self))
    }
}
