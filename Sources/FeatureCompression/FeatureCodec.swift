import Foundation
import NN
import TensorCore
import TrainableQuantizers

/// The deploy face of per-feature quantization: what a device needs to encode a feature row into N-bit
/// codes, and what a server needs to turn codes back into the network's input.
///
/// Encoder, per feature f: u = (x − lower_f)/(upper_f − lower_f) clipped to [0, 1] and rounded to Float (as
/// the train face prepares it), then code = #{k : u ≥ t_{f,k}} over the ascending thresholds t_f (2^N − 1,
/// a binary search). The thresholds are derived from the train face itself (the smallest Float u whose
/// eval-mode code is ≥ k, by bisection on the Float bit patterns), so for every input the deploy face
/// gives exactly the train face's code, whatever the method (thresholds, γ curve or LSQ step).
/// Decoder: ``networkValues`` per code (V values: the train face's output for that code) and ``levels``
/// (a representative raw value per code, for inspection).
public struct FeatureCodec: Sendable, Codable, Equatable {
    public var method: FeatureMethod
    public var bits: Int
    /// Ascending thresholds per feature on u: `unitThresholds[f][k − 1]` is where code k starts;
    /// `Float.greatestFiniteMagnitude` for a code no u ∈ [0, 1] reaches.
    public var unitThresholds: [[Float]]
    /// The training range per feature (u = 0 and u = 1).
    public var lower: [Double]
    public var upper: [Double]
    /// What the network receives per feature and code: `networkValues[f][k]`, V values each.
    public var networkValues: [[[Float]]]
    /// A representative raw value per feature and code (the middle of the code's interval): `levels[f][k]`.
    public var levels: [[Double]]

    public var features: Int { unitThresholds.count }
    public var valuesPerFeature: Int { method.valuesPerFeature(bits: bits) }

    /// Bytes of `rows` encoded rows: ⌈rows·F·N / 8⌉.
    public func payloadBytes(rows: Int) -> Int { (rows * features * bits + 7) / 8 }

    /// u of raw value x of feature f, exactly as ``FeatureScaler/unit(_:feature:)`` rounded to Float.
    @inline(__always) public func unit(_ x: Double, feature f: Int) -> Float {
        let range = upper[f] - lower[f]
        guard range > 0 else { return 0 }
        return Float(Swift.min(Swift.max((x - lower[f]) / range, 0), 1))
    }

    /// The code of value `x` of feature `f`.
    @inline(__always) public func code(_ x: Double, feature f: Int) -> UInt8 {
        let t = unitThresholds[f], u = unit(x, feature: f)
        var lo = 0, hi = t.count  // the number of thresholds ≤ u
        while lo < hi {
            let mid = (lo + hi) >> 1
            if u >= t[mid] { lo = mid + 1 } else { hi = mid }
        }
        return UInt8(lo)
    }

    /// Codes of rows, row-major `[rows · F]`.
    public func encode(_ rows: [[Double]]) -> [UInt8] {
        var codes = [UInt8]()
        codes.reserveCapacity(rows.count * features)
        for row in rows { for f in 0..<features { codes.append(code(row[f], feature: f)) } }
        return codes
    }

    /// The network's input for row-major codes: `[rows, F·V]`.
    public func networkInput(codes: [UInt8]) -> Tensor {
        precondition(codes.count % features == 0, "FeatureCodec: \(codes.count) codes is not a whole number of rows")
        let rows = codes.count / features, v = valuesPerFeature
        var scalars = [Float]()
        scalars.reserveCapacity(rows * features * v)
        for (i, code) in codes.enumerated() { scalars += networkValues[i % features][Int(code)] }
        return Tensor(shape: [rows, features * v], scalars: scalars)
    }

    /// The deploy face of a layer's current parameters (nil for full precision).
    public init?(_ layer: FeatureQuantizerLayer) {
        guard layer.quantizer != nil else { return nil }
        let f = layer.features, count = 1 << layer.bits, m = count - 1, v = layer.method.valuesPerFeature(bits: layer.bits)
        let wasTraining = layer.isTraining
        layer.eval()
        defer { layer.train(wasTraining) }
        method = layer.method
        bits = layer.bits
        lower = layer.scaler.min
        upper = layer.scaler.max

        /// Train-face outputs for rows of u, `[rows][f]` → `[rows][f][V]`: the quantizer's own (to read codes) or
        /// what the network receives.
        func outputs(_ u: [[Float]], network: Bool = false) -> [[[Float]]] {
            let input = Tensor(shape: [u.count, f], scalars: u.flatMap { $0 })
            let out = withNoGrad { network ? layer.forward(input) : layer.quantizerOutput(input) }.scalars
            return u.indices.map { r in (0..<f).map { j in Array(out[((r * f + j) * v)..<((r * f + j + 1) * v)]) } }
        }
        /// The code a train-face output stands for.
        func code(_ value: [Float], feature j: Int) -> Int {
            switch layer.method {
            case .bwsq: return Int(value.reduce(0, +).rounded())
            case .lsq:
                let step = (layer.quantizer as! LSQQuantizer).step.value.scalars[j]
                return Int((value[0] / step).rounded())
            case .gamma, .gammaGlobal: return Int((value[0] * Float(count) - 0.5).rounded())
            default: return Int((value[0] * Float(m)).rounded())
            }
        }
        // Bisection per (feature, k) on Float bit patterns over [0, 1]: hi keeps code ≥ k, lo keeps code < k.
        let atZero = outputs([[Float](repeating: 0, count: f)])[0], atOne = outputs([[Float](repeating: 1, count: f)])[0]
        let one = Float(1).bitPattern
        var lo = [[UInt32]](repeating: [UInt32](repeating: 0, count: m), count: f)
        var hi = [[UInt32]](repeating: [UInt32](repeating: one, count: m), count: f)
        var done = [[Bool]](repeating: [Bool](repeating: false, count: m), count: f)
        for j in 0..<f {
            for k in 1...m {
                if code(atZero[j], feature: j) >= k { hi[j][k - 1] = 0; done[j][k - 1] = true }
                if code(atOne[j], feature: j) < k { hi[j][k - 1] = UInt32.max; done[j][k - 1] = true }
            }
        }
        for _ in 0..<32 {
            let mids = (0..<m).map { k in (0..<f).map { j in Float(bitPattern: lo[j][k] + (hi[j][k] - lo[j][k]) / 2) } }
            let results = outputs(mids)
            var moved = false
            for k in 0..<m {
                for j in 0..<f where !done[j][k] && hi[j][k] - lo[j][k] > 1 {
                    let mid = lo[j][k] + (hi[j][k] - lo[j][k]) / 2
                    if code(results[k][j], feature: j) >= k + 1 { hi[j][k] = mid } else { lo[j][k] = mid }
                    moved = true
                }
            }
            if !moved { break }
        }
        let thresholds: [[Float]] = hi.map { row in row.map { $0 == UInt32.max ? Float.greatestFiniteMagnitude : Float(bitPattern: $0) } }
        unitThresholds = thresholds
        // Each code's network values: the train face at the start of its interval (code 0: at u = 0).
        let starts = (0..<count).map { k in (0..<f).map { j in k == 0 ? Float(0) : Swift.min(thresholds[j][k - 1], 1) } }
        let values = outputs(starts, network: true)
        networkValues = (0..<f).map { j in (0..<count).map { k in values[k][j] } }
        levels = (0..<f).map { j in
            (0..<count).map { k in
                let a = Double(k == 0 ? 0 : Swift.min(thresholds[j][k - 1], 1)), b = Double(k == m ? 1 : Swift.min(thresholds[j][k], 1))
                return layer.scaler.raw(unit: (a + b) / 2, feature: j)
            }
        }
    }
}
