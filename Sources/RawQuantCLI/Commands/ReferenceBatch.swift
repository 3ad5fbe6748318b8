import ArgumentParser
import Foundation
import RawQuant

/// `rawquant reference-batch`: a learnable quantizer's training-mode output and gradients on a seeded batch, for
/// another framework's twin to match (`python/tests/test_reference_gradients.py`).
struct ReferenceBatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference-batch",
        abstract: "Write a learnable quantizer's train face on a seeded batch: input, parameters, training output and the gradient of a seeded linear loss (safetensors).")

    @Option(help: "The learnable quantizer (a row name: gamma-global, gamma-per-channel, sq, bwsq, lsq, log-learned-global, log-learned, gamma-log, monotone, float-monotone).")
    var quantizer: InputRepresentation

    @Option(help: "Output bits, 1...8.")
    var bits: Int = 4

    @Option(help: "Seed of the batch, the parameters' offsets and the loss weights.")
    var seed: UInt64 = 1

    @Option(help: "The output file (.safetensors).")
    var output: String

    func validate() throws {
        guard (1...8).contains(bits) else { throw ValidationError("--bits must be in 1...8, got \(bits)") }
        guard quantizer.isLearnable else { throw ValidationError("--quantizer must be learnable, got \"\(quantizer.rawValue)\"") }
    }

    func run() throws {
        try Output.running {
            let (tensors, metadata) = try QuantizerReferenceBatch.make(quantizer, bits: bits, seed: seed)
            try SafeTensors.save(tensors, metadata: metadata, to: output)
        }
        print("wrote \(output)")
    }
}
