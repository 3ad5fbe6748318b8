import ArgumentParser
import Foundation
import RawQuant

struct InspectQuantizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect-quantizer",
        abstract: "Print a quantizer file's parameters, its encoder thresholds in ADC units and its decoder tables.")

    @Option(help: "ADC depth the sensor tables are built for.")
    var adcBits: Int = 12

    @Option(help: "Black level, ADC units (default: 1/16 of full scale).")
    var black: Int?

    @Option(help: "White level, ADC units (default: 2^adcBits − 1).")
    var white: Int?

    @Flag(help: "Print JSON.")
    var json = false

    @Argument(help: "A quantizer file (.safetensors).")
    var file: String

    func validate() throws {
        guard (8...16).contains(adcBits) else { throw ValidationError("--adc-bits must be in 8...16, got \(adcBits)") }
        let (black, white) = levels
        guard white < 1 << adcBits, black >= 0, black < white else {
            throw ValidationError("need 0 ≤ --black < --white < 2^\(adcBits), got black \(black), white \(white)")
        }
    }

    /// Black and white levels: the options, or 1/16 of full scale and 2^adcBits − 1.
    private var levels: (black: Int, white: Int) { (black ?? 1 << (adcBits - 4), white ?? (1 << adcBits) - 1) }

    func run() throws {
        let (black, white) = levels
        let spec: QuantizerSpec
        do {
            spec = try QuantizerFile.read(path: file)
        } catch {
            throw Output.failure("\(file): \(error)")
        }
        let table = try QuantizerTable(spec: spec, adcBits: adcBits, black: black, white: white)
        print(json ? Output.json(table) : table.text)
    }

}
