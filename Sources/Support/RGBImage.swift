/// An 8-bit RGB image, row-major, 3 bytes per pixel.
public struct RGBImage: Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBImage: \(pixels.count) bytes do not fill \(width)×\(height)×3")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
