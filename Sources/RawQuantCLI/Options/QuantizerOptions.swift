import ArgumentParser
import Foundation
import RawQuant

/// The options that choose a deploy-side quantizer, shared by `simulate` and `bench simulate`.
struct QuantizerOptions: ParsableArguments {
    @Option(help: "Output bits per pixel, 1...8 (default 4, or the quantizer file's).")
    var bits: Int?

    @Option(help: "Quantizer: linear, log (the fixed log, D = ADC range) or gamma (without --gamma: the per-colour γ learned with the detector). Default: the learned log, its D learned with the detector for N bits; see README.")
    var quantizer: InputRepresentation?

    @Option(parsing: .unconditional, help: "γ for --quantizer gamma: one value, or three for R,G,B (e.g. 0.4,0.3,0.35).")
    var gamma: NumberList<Double>?

    @Option(help: "A saved quantizer (.safetensors, e.g. a learned one) instead of --quantizer/--gamma.")
    var quantizerFile: String?

    func validate() throws {
        if let bits, !(1...8).contains(bits) { throw ValidationError("--bits must be an integer in 1...8, got \(bits)") }
        if quantizerFile != nil, quantizer != nil || gamma != nil {
            throw ValidationError("--quantizer-file cannot be combined with --quantizer or --gamma")
        }
        if let quantizer, !quantizer.isFixedCurve {
            throw ValidationError("--quantizer must be one of linear, log, gamma (learned ones come from --quantizer-file); got \"\(quantizer.rawValue)\"")
        }
        if let gamma {
            guard (quantizer ?? .gamma) == .gamma else { throw ValidationError("--gamma only applies to --quantizer gamma") }
            guard gamma.values.count == 1 || gamma.values.count == 3 else {
                throw ValidationError("--gamma must be one number or three comma-separated numbers (R,G,B), got \"\(gamma)\"")
            }
            guard gamma.values.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 100 }) else {
                throw ValidationError("--gamma values must be in (0, 100], got \"\(gamma)\"")
            }
        }
    }

    /// The spec: read from `--quantizer-file` (exit 1 when unreadable or invalid, 64 when `--bits` disagrees),
    /// else the fixed curve at `--bits` (`--quantizer gamma` without `--gamma`: the learned per-colour γ of
    /// ``QuantizerSpec/learnedGammaQuantizer(bits:)``), by default the learned log of ``QuantizerSpec/defaultQuantizer(bits:)``.
    func spec() throws -> QuantizerSpec {
        if let quantizerFile {
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
        do {
            guard let representation = quantizer ?? (gamma == nil ? nil : .gamma) else { return try .defaultQuantizer(bits: bits) }
            if representation == .gamma && gamma == nil { return try .learnedGammaQuantizer(bits: bits) }
            return try representation.fixedDeploySpec(bits: bits, gammas: gamma?.values ?? [])
        } catch {
            throw Output.usage("\(error)")
        }
    }
}
