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

        public init(outputDirectory: String) { self.outputDirectory = outputDirectory }
    }

    public static func run(path: String, options: Options) throws -> QuantizerFitReport {
        let image = try RawDecoder.decode(path: path)
        let layout = ChannelLayout(colors: [0, 1, 1, 2], ranges: (0..<4).map { plane in
            Float(image.whiteLevel - image.blackLevels[PlanePacking.sourcePositions(image.cfa)[plane]])
        })
        let planes = PlanePacking.pack(image)
        let train = samples(planes, count: options.samplesPerChannel, seed: options.seed)
        let heldOut = samples(planes, count: options.samplesPerChannel, seed: options.seed &+ 1)
        let fit = ReconstructionFit.Options(steps: options.steps)

        let gamma = LearnableGammaQuantizer(bits: options.bits, initialGamma: [1], perColor: true)
        ReconstructionFit.fitGamma(gamma, samples: train, layout: layout, options: fit)
        let bwsq = ThresholdQuantizer(mode: .bwsq, bits: options.bits, perColor: true, keepSorted: true)
        bwsq.initialize(.quantile, samples: colourSamples(train))
        ReconstructionFit.fitBwSQ(bwsq, samples: train, layout: layout, options: fit)

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
        let grid = try gridOptimum(heldOut, layout: layout, bits: options.bits)

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
        try AtomicOutput.write(Array(transferCurvePlot(methods, bits: options.bits, range: layout.ranges[1]).svg.utf8), to: outputs["plot"]!)
        return QuantizerFitReport(file: path, bits: options.bits, samplesPerChannel: options.samplesPerChannel, steps: options.steps,
                                  seed: options.seed, methods: methods, gridOptimumGamma: grid, outputs: outputs)
    }

    /// `count` random pixels of each of the 4 planes, as `[1, 4, 1, count]`.
    static func samples(_ planes: [Float], count: Int, seed: UInt64) -> Tensor {
        let planeSize = planes.count / 4
        var random = SeededRandom(seed: seed)
        var out = [Float](repeating: 0, count: 4 * count)
        for c in 0..<4 {
            for i in 0..<count { out[c * count + i] = planes[c * planeSize + random.nextInt(below: planeSize)] }
        }
        return Tensor(shape: [1, 4, 1, count], scalars: out)
    }

    /// Samples grouped by colour R, G (both green planes), B.
    static func colourSamples(_ x: Tensor) -> [[Float]] {
        let n = x.shape[3], s = x.scalars
        return [Array(s[0..<n]), Array(s[n..<(3 * n)]), Array(s[(3 * n)..<(4 * n)])]
    }

    /// Per colour, the γ on a 0.01 grid with the least held-out log error.
    static func gridOptimum(_ x: Tensor, layout: ChannelLayout, bits: Int) throws -> [Double] {
        let n = x.shape[3]
        return try [[0], [1, 2], [3]].map { planes -> Double in
            let subset = Tensor(shape: [1, planes.count, 1, n], scalars: planes.flatMap { Array(x.scalars[($0 * n)..<(($0 + 1) * n)]) })
            let sub = ChannelLayout(colors: planes.map { layout.colors[$0] }, ranges: planes.map { layout.ranges[$0] })
            var best = (gamma: 1.0, error: Double.infinity)
            for k in 5...150 {
                let g = Double(k) / 100
                let error = ReconstructionFit.logError(spec: try .gamma([g], bits: bits), samples: subset, layout: sub)
                if error < best.error { best = (g, error) }
            }
            return best.gamma
        }
    }

    /// Code / (L − 1) against x̂ on a log axis, for every method (per colour where parameters differ).
    static func transferCurvePlot(_ methods: [QuantizerFitReport.Method], bits: Int, range: Float) -> LinePlot {
        var plot = LinePlot(title: "\(bits)-bit transfer curves: code / (2^N − 1) against normalised input",
                            xLabel: "x̂ = (x − black) / (white − black), log scale", yLabel: "code / (2^N − 1)",
                            xRange: 1e-4...1, yRange: 0...1, logX: true)
        let xs = (0...600).map { pow(10, -4 + 4 * Double($0) / 600) }
        var colour = 0
        for method in methods {
            let perColour = (method.quantizer.gammas.count == 3) || (method.quantizer.thresholds?.count == 3)
            for (c, name) in (perColour ? [(0, "R"), (1, "G"), (2, "B")] : [(1, "")]) {
                let mapping = method.quantizer.mapping(colorIndex: c, range: Int(range))
                let points = xs.map { x in (x: x, y: Double(mapping.code(Float(x), levels: method.quantizer.levels)) / Double(method.quantizer.levels - 1)) }
                plot.series.append(.init(name: name.isEmpty ? method.name : "\(method.name) \(name)", points: points,
                                         color: LinePlot.palette[colour % LinePlot.palette.count], dashed: method.name.contains("Bw-SQ")))
                colour += 1
            }
        }
        return plot
    }
}
