import Foundation

/// The global tone curve of a photo finishing pipeline: the smoothstep S-curve and its exact inverse,
/// both on [0, 1] (Brooks et al., CVPR 2019, "Unprocessing images for learned raw denoising").
///
/// forward: y = 3x² − 2x³; inverse: x = ½ − sin(asin(1 − 2y) / 3).
/// The curve is applied after the sRGB transfer curve (to encoded values), so unprocessing undoes it first.
public enum ToneCurve {
    /// The smoothstep curve, input clipped to [0, 1].
    @inlinable public static func apply(_ x: Double) -> Double {
        let t = min(max(x, 0), 1)
        return t * t * (3 - 2 * t)
    }

    /// The inverse of ``apply(_:)``, input clipped to [0, 1].
    @inlinable public static func invert(_ y: Double) -> Double {
        let t = min(max(y, 0), 1)
        return 0.5 - sin(asin(1 - 2 * t) / 3)
    }
}
