import Foundation
import Support
import Quantization
import RawIO
import SensorSimulation
import TensorCore
import TrainableQuantizers
import Bayer

/// The result of fitting quantizers to one raw file (``QuantizerFitJob``).
public struct QuantizerFitReport: Codable, Sendable {
    public struct Method: Codable, Sendable {
        public var name: String
        public var quantizer: QuantizerSpec
        /// PSNR of the whole mosaic decoded at code centres, normalised linear units (as `simulate` reports).
        public var psnrLinear: Double?
        /// RMS error in ln(x̂ + 2⁻¹²) on held-out pixels — the fitted objective.
        public var logRMSE: Double
    }

    public var file: String
    public var bits: Int
    public var samplesPerChannel: Int
    public var steps: Int
    public var seed: UInt64
    public var methods: [Method]
    /// The γ per colour that minimises the held-out log error on a grid (0.05…1.50, step 0.01): how close
    /// gradient descent came.
    public var gridOptimumGamma: [Double]
    public var outputs: [String: String]

    public var text: String {
        var lines = ["\(file): \(bits)-bit quantizers fitted to minimise log-domain reconstruction error (\(samplesPerChannel) pixels per channel, \(steps) steps, seed \(seed))"]
        for m in methods {
            let psnr = m.psnrLinear.map { String(format: "%.2f dB", $0) } ?? "lossless"
            lines.append(String(format: "  %-22@ log-RMSE %.4f   PSNR (linear) %@   %@", m.name as NSString, m.logRMSE, psnr as NSString, m.quantizer.summary as NSString))
        }
        lines.append("  grid optimum γ (R, G, B): " + gridOptimumGamma.map { String(format: "%.2f", $0) }.joined(separator: ", "))
        for (kind, path) in outputs.sorted(by: { $0.key < $1.key }) { lines.append("  wrote \(kind): \(path)") }
        return lines.joined(separator: "\n")
    }
}

/// Fits per-colour γ and Bw-SQ thresholds to a raw file by gradient descent on log-domain reconstruction
/// error (see `ReconstructionFit`), compares them with linear and fixed-γ (1/2.2) quantizers at the same
/// bit width, and writes the learned quantizers and a plot of all transfer curves.
public enum QuantizerFitJob {
    public struct Options: Sendable {
        public var bits = 4
        public var samplesPerChannel = 32768
        public var steps = 400
        public var seed: UInt64 = 1
        public var outputDirectory: String
        /// How the raw file is decoded (e.g. a raw format for a headerless or PNG mosaic).
        public var decode = RawDecodeOptions()

        public init(outputDirectory: String) { self.outputDirectory = outputDirectory }
    }

    public static func run(path: String, options: Options) throws -> QuantizerFitReport {
        let image = try RawDecoder.decode(path: path, options: options.decode)
        let layout = ChannelLayout.bayerPlanes(of: image)
        let planes = PlanePacking.pack(image)
        let train = QuantizerFit.samples(planes, count: options.samplesPerChannel, seed: options.seed)
        let heldOut = QuantizerFit.samples(planes, count: options.samplesPerChannel, seed: options.seed &+ 1)
        let (gamma, bwsq) = QuantizerFit.fitGammaAndBwSQ(train, layout: layout, bits: options.bits, steps: options.steps)

        let candidates: [(String, QuantizerSpec)] = [
            ("linear", try .linear(bits: options.bits)),
            ("fixed γ = 1/2.2", try .gamma([1 / 2.2], bits: options.bits)),
            ("learned γ", try gamma.deploySpec()),
            ("learned Bw-SQ", try bwsq.deploySpec()),
        ]
        let methods = try candidates.map { name, spec in
            QuantizerFitReport.Method(
                name: name, quantizer: spec,
                psnrLinear: try SensorSimulator.simulate(image, spec: spec).statistics.psnrLinear,
                logRMSE: ReconstructionFit.logError(spec: spec, samples: heldOut, layout: layout).squareRoot())
        }
        let grid = try QuantizerFit.gridOptimum(heldOut, layout: layout, bits: options.bits)

        try AtomicOutput.prepareDirectory(options.outputDirectory)
        let directory = URL(fileURLWithPath: options.outputDirectory)
        let outputs = [
            "gamma": directory.appendingPathComponent("gamma-\(options.bits)bit.safetensors").path,
            "bwsq": directory.appendingPathComponent("bwsq-\(options.bits)bit.safetensors").path,
            "plot": directory.appendingPathComponent("transfer-curves-\(options.bits)bit.svg").path,
        ]
        let provenance = ["source": URL(fileURLWithPath: path).lastPathComponent, "objective": "log-domain reconstruction, eps 2^-12",
                          "steps": String(options.steps), "seed": String(options.seed)]
        try gamma.saveQuantizer(to: outputs["gamma"]!, metadata: provenance)
        try bwsq.saveQuantizer(to: outputs["bwsq"]!, metadata: provenance)
        try AtomicOutput.write(Array(QuantizerFit.transferCurvePlot(methods.map { ($0.name, $0.quantizer) }, bits: options.bits, range: layout.ranges[1]).svg.utf8), to: outputs["plot"]!)
        return QuantizerFitReport(file: path, bits: options.bits, samplesPerChannel: options.samplesPerChannel, steps: options.steps,
                                  seed: options.seed, methods: methods, gridOptimumGamma: grid, outputs: outputs)
    }
}
