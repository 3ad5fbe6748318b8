import ArgumentParser
import RawQuant

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a raw file's mosaic facts: size, CFA, black/white levels, camera, exposure.")

    @Flag(help: "One JSON object per file (an array when several files).")
    var json = false

    @OptionGroup var rawInput: RawInputOptions

    @Argument(help: "Raw files (DNG, CR2, NEF, ARW, … anything LibRaw reads; with --raw-format, headerless or PNG/TIFF mosaics).")
    var files: [String]

    func run() throws {
        rawInput.warnAboutGuesses(files)
        var infos: [RawFileInfo] = []
        var failed = false
        for file in files {
            do {
                infos.append(RawFileInfo(file: file, image: try RawDecoder.decode(path: file, options: rawInput.decodeOptions)))
            } catch {
                Output.error("\(error)")
                failed = true
            }
        }
        Output.printReports(infos, json: json, single: files.count == 1, text: \.text)
        if failed { throw ExitCode.failure }
    }
}
