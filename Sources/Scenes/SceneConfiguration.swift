import RawIO
import SensorSimulation
import Bayer

/// The object classes of the synthetic scenes: distinct shapes with distinct (jittered) colours.
public enum SceneObjectClass: String, Codable, CaseIterable, Sendable {
    case disk, square, triangle

    /// Mean reflectance (linear RGB, 0…1) of the class; each object jitters around it.
    var baseColor: SIMD3<Float> {
        switch self {
        case .disk: SIMD3(0.75, 0.22, 0.12)      // red-orange
        case .square: SIMD3(0.15, 0.62, 0.25)    // green
        case .triangle: SIMD3(0.18, 0.25, 0.80)  // blue
        }
    }
}

/// Which CFA pattern each generated image gets.
public enum CFAChoice: Codable, Sendable, Equatable {
    case fixed(CFAPatternName)
    /// Each image draws one of the four patterns.
    case mixed

    /// A CFA pattern by its four-letter name (Codable).
    public struct CFAPatternName: Codable, Sendable, Equatable {
        public var name: String
        public init(_ pattern: CFAPattern) { name = pattern.name }
        public var pattern: CFAPattern { CFAPattern(name: name) ?? .rggb }
    }
}

/// Parameters of the synthetic raw scene generator (all recorded in `dataset.json`).
public struct SceneConfiguration: Codable, Sendable, Equatable {
    /// Image size in pixels (the mosaic).
    public var width: Int = 256
    public var height: Int = 256
    public var cfa: CFAChoice = .fixed(.init(.rggb))
    public var sensor = SensorModel(adcBits: 12)
    /// Exposure range, as a fraction of full scale reached by a white surface; drawn log-uniformly.
    public var exposureRange: ClosedRange<Double> = 0.0078125...1
    /// Labelled objects per image.
    public var objectsPerImage: ClosedRange<Int> = 1...5
    /// Unlabelled distractors per image.
    public var clutterPerImage: ClosedRange<Int> = 2...7
    /// Object size (longest side, pixels).
    public var objectSize: ClosedRange<Double> = 10...80
    /// Probability that an image has bright light sources that clip.
    public var lightSourceProbability = 0.5
    /// Fractions of images in train / val / test (the rest is test).
    public var trainFraction = 0.7
    public var valFraction = 0.1
    /// Objects whose visible area is below this fraction of their full area are marked difficult.
    public var difficultVisibleFraction = 0.4
    /// Objects with fewer visible pixels than this are not annotated at all.
    public var minimumVisiblePixels = 20

    public init() {}

    /// Scene radiance → camera RGB (rows: camera R, G, B): the colour response of the simulated camera,
    /// including its channel sensitivities (green strongest, as on real sensors before white balance).
    public static let cameraResponse: [Float] = [
        0.55, 0.12, 0.03,
        0.10, 0.85, 0.15,
        0.02, 0.13, 0.60,
    ]
}
