import ArgumentParser
import Foundation
import RawQuant

/// The options that choose a deploy-side quantizer, shared by `simulate` and `bench simulate`.
struct QuantizerOptions: ParsableArguments {
    @Option(help: "Output bits per pixel, 1...8 (default 4, or the quantizer file's).")
    var bits: Int?

    @Option(help: "Quantizer: linear, log or gamma (default: gamma with the per-colour γ learned with the detector for N bits; see README).")
    var quantizer: String?

    @Option(parsing: .unconditional, help: "γ for --quantizer gamma: one value, or three for R,G,B (e.g. 0.4,0.3,0.35).")
    var gamma: String?

    @Option(help: "A saved quantizer (.safetensors, e.g. a learned one) instead of --quantizer/--gamma.")
    var quantizerFile: String?

    /// Validates the values and builds the spec; prints a one-line error and exits 64 on bad options
    /// (1 on an unreadable or invalid quantizer file).
    func spec() throws -> QuantizerSpec {
        if let bits, !(1...8).contains(bits) { throw Output.usage("--bits must be an integer in 1...8, got \(bits)") }
        if let quantizerFile {
            guard quantizer == nil, gamma == nil else { throw Output.usage("--quantizer-file cannot be combined with --quantizer or --gamma") }
            let spec: QuantizerSpec
            do {
                spec = try QuantizerFile.read(path: quantizerFile)
            } catch {
                throw Output.failure("\(quantizerFile): \(error)")
            }
            if let bits, bits != spec.bits {
                throw Output.usage("--bits \(bits) disagrees with the \(spec.bits)-bit quantizer in \(quantizerFile)")
            }
            return spec
        }
        let bits = self.bits ?? 4
        let kind: QuantizerKind
        if let quantizer {
            guard let k = QuantizerKind(rawValue: quantizer.lowercased()), [.linear, .log, .gamma].contains(k) else {
                throw Output.usage("--quantizer must be one of linear, log, gamma (learned ones come from --quantizer-file); got \"\(quantizer)\"")
            }
            kind = k
        } else {
            kind = .gamma
        }
        var gammas: [Double] = []
        if let gamma {
            guard kind == .gamma else { throw Output.usage("--gamma only applies to --quantizer gamma") }
            guard let values: [Double] = Output.numbers(gamma), values.count == 1 || values.count == 3 else {
                throw Output.usage("--gamma must be one number or three comma-separated numbers (R,G,B), got \"\(gamma)\"")
            }
            gammas = values
            guard gammas.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 100 }) else {
                throw Output.usage("--gamma values must be in (0, 100], got \"\(gamma)\"")
            }
        } else if kind == .gamma {
            gammas = QuantizerSpec.learnedGamma(bits: bits).gammas
        }
        do {
            return try QuantizerSpec(kind: kind, bits: bits, gammas: gammas)
        } catch {
            throw Output.usage("\(error)")
        }
    }

}
