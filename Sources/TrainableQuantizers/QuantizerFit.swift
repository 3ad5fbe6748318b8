import Foundation
import Quantization
import Support
import TensorCore

/// The pieces of fitting quantizers to one image's pixels (``ReconstructionFit`` does the descent):
/// seeded pixel samples per plane, the γ grid optimum, and the plot of the fitted transfer curves.
/// Samples are x̂ values in the ``PlanePacking`` order R, Gr, Gb, B.
public enum QuantizerFit {
    /// Per-colour learnable γ (from γ = 1) and per-colour Bw-SQ thresholds (from the quantiles, kept sorted)
    /// fitted to `samples` (`[1, 4, 1, n]`) by ``ReconstructionFit`` for `steps` steps.
    public static func fitGammaAndBwSQ(_ samples: Tensor, layout: ChannelLayout, bits: Int, steps: Int)
        -> (gamma: LearnableGammaQuantizer, bwsq: ThresholdQuantizer)
    {
        let fit = ReconstructionFit.Options(steps: steps)
        let gamma = LearnableGammaQuantizer(bits: bits, initialGamma: [1], perColor: true)
        ReconstructionFit.fitGamma(gamma, samples: samples, layout: layout, options: fit)
        let bwsq = ThresholdQuantizer(mode: .bwsq, bits: bits, perColor: true, keepSorted: true)
        bwsq.initialize(.quantile, samples: colourSamples(samples))
        ReconstructionFit.fitBwSQ(bwsq, samples: samples, layout: layout, options: fit)
        return (gamma, bwsq)
    }

    /// `count` random pixels of each of the 4 planes, as `[1, 4, 1, count]`.
    public static func samples(_ planes: [Float], count: Int, seed: UInt64) -> Tensor {
        let planeSize = planes.count / 4
        var random = SeededRandom(seed: seed)
        var out = [Float](repeating: 0, count: 4 * count)
        for c in 0..<4 {
            for i in 0..<count { out[c * count + i] = planes[c * planeSize + random.nextInt(below: planeSize)] }
        }
        return Tensor(shape: [1, 4, 1, count], scalars: out)
    }

    /// Samples grouped by colour R, G (both green planes), B.
    public static func colourSamples(_ x: Tensor) -> [[Float]] {
        let n = x.shape[3], s = x.scalars
        return [Array(s[0..<n]), Array(s[n..<(3 * n)]), Array(s[(3 * n)..<(4 * n)])]
    }

    /// Per colour, the γ on a 0.01 grid with the least held-out log error.
    public static func gridOptimum(_ x: Tensor, layout: ChannelLayout, bits: Int) throws -> [Double] {
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
    public static func transferCurvePlot(_ methods: [(name: String, quantizer: QuantizerSpec)], bits: Int, range: Float) -> LinePlot {
        var plot = LinePlot(title: "\(bits)-bit transfer curves: code / (2^N − 1) against normalised input",
                            xLabel: "x̂ = (x − black) / (white − black), log scale", yLabel: "code / (2^N − 1)",
                            xRange: 1e-4...1, yRange: 0...1, logX: true)
        let xs = (0...600).map { pow(10, -4 + 4 * Double($0) / 600) }
        var colour = 0
        for method in methods {
            let q = method.quantizer
            let perColour = q.gammas.count == 3 || q.thresholds?.count == 3 || q.logScales?.count == 3 || q.increments?.count == 3
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
