import Foundation
import Quantization
import TensorCore

/// The conventional camera pipeline as a network input — the "ISP baseline" of the experiments:
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
        let plane = h * w, m = cameraToSRGB, wb = whiteBalance
        var out = [Float](repeating: 0, count: b * 3 * plane)
        let s = x.scalars
        for n in 0..<b {
            let base = n * 4 * plane
            for p in 0..<plane {
                let camera = [min(s[base + p] * wb[0], 1), min((s[base + plane + p] + s[base + 2 * plane + p]) / 2 * wb[1], 1),
                              min(s[base + 3 * plane + p] * wb[2], 1)]
                for k in 0..<3 {
                    let linear = min(max(m[3 * k] * camera[0] + m[3 * k + 1] * camera[1] + m[3 * k + 2] * camera[2], 0), 1)
                    let encoded = linear <= 0.003_130_8 ? 12.92 * linear : 1.055 * Foundation.pow(linear, 1 / 2.4) - 0.055
                    out[(n * 3 + k) * plane + p] = (encoded * 255).rounded() / 255
                }
            }
        }
        return Tensor(shape: [b, 3, h, w], scalars: out)
    }

    public override func deploySpec() throws -> QuantizerSpec {
        throw QuantizationError("the ISP baseline renders 8-bit sRGB after demosaicking; it has no per-channel deploy face")
    }
}
