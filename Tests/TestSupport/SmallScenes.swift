import Scenes

extension SceneConfiguration {
    /// Small square scenes for fast tests: `size`×`size` pixels, objects of 14–28 px, 70/10/20 splits
    /// unless changed.
    public static func small(_ size: Int = 64, trainFraction: Double = 0.7, valFraction: Double = 0.1) -> SceneConfiguration {
        var configuration = SceneConfiguration()
        configuration.width = size
        configuration.height = size
        configuration.objectSize = 14...28
        configuration.trainFraction = trainFraction
        configuration.valFraction = valFraction
        return configuration
    }
}
