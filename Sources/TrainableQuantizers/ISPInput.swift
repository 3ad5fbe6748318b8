import Foundation
import ISP
import Quantization
import TensorCore

/// The conventional camera pipeline as a network input, built from the ``ISP`` stages — the "ISP baseline" of the experiments:
/// superpixel demosaic at half resolution (R, (Gr + Gb)/2, B), camera white balance, camera → sRGB
/// matrix, clipping, the sRGB transfer curve and 8-bit rounding, as a detector fed by today's
/// pipelines sees it. Input `[B, 4, h, w]` planes R, Gr, Gb, B; output `[B, 3, h, w]` in [0, 1].
///
/// No exposure gain is applied (the image is rendered as captured), and nothing is learned; there is
/// no deploy face (the output is not a per-channel code).
public final class ISPInput: InputQuantizer {
    /// Gains for camera R, G, B (green = 1).
    public let whiteBalance: [Float]
    /// Camera RGB → linear sRGB, 3×3 row-major.
    public let cameraToSRGB: [Float]

    public init(whiteBalance: [Float], cameraToSRGB: [Float]) {
        precondition(whiteBalance.count == 3 && cameraToSRGB.count == 9, "ISPInput: need 3 gains and a 3×3 matrix")
        self.whiteBalance = whiteBalance
        self.cameraToSRGB = cameraToSRGB
        super.init(bits: 8)
    }

    public override func outputChannels(inputChannels: Int) -> Int { 3 }

    public override func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        precondition(x.shape[1] == 4, "ISPInput: needs the 4 planes R, Gr, Gb, B, got \(x.shape)")
        let (b, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        let plane = h * w, m = cameraToSRGB, gains = SIMD3(whiteBalance[0], whiteBalance[1], whiteBalance[2])
        var out = [Float](repeating: 0, count: b * 3 * plane)
        let s = x.scalars
        for n in 0..<b {
            let base = n * 4 * plane
            for p in 0..<plane {
                let rgb = Demosaic.superpixel(red: s[base + p], greenInRedRow: s[base + plane + p],
                                              greenInBlueRow: s[base + 2 * plane + p], blue: s[base + 3 * plane + p])
                let camera = pointwiseMin(WhiteBalance.apply(gains, to: rgb), SIMD3(repeating: 1))
                for k in 0..<3 {
                    let linear = min(max(ColorMatrix.apply(m, row: k, to: camera), 0), 1)
                    out[(n * 3 + k) * plane + p] = (SRGB.encode(linear) * 255).rounded() / 255
                }
            }
        }
        return Tensor(shape: [b, 3, h, w], scalars: out)
    }

    public override func deploySpec() throws -> QuantizerSpec {
        throw QuantizationError("the ISP baseline renders 8-bit sRGB after demosaicking; it has no per-channel deploy face")
    }
}
