import Support
import Foundation

/// Generated bad input files for error-path tests: each is written into a directory on demand.
public enum BadInputs {
    /// Name → bytes-producing recipe. Every one must be refused with a clear error.
    public static func write(into directory: String) throws -> [String: String] {
        let cr2 = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("IMG_5952.CR2")))
        let dng = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("generated/synthetic_rggb_12bit.dng")))
        var files: [String: Data] = [:]
        files["empty.dng"] = Data()
        var generator = SeededRandom(seed: 7)
        files["random.cr2"] = Data((0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        files["truncated-header.cr2"] = cr2.prefix(20_000)
        files["truncated-pixels.cr2"] = cr2.prefix(3_000_000)
        var corrupt = cr2
        for i in 2_000_000..<7_000_000 { corrupt[i] = UInt8(truncatingIfNeeded: generator.next()) }
        files["corrupt-pixels.cr2"] = corrupt
        files["truncated.dng"] = dng.prefix(dng.count - 1000)
        files["absurd-dimensions.dng"] = patchingDimensions(of: dng, to: 60_000)
        var paths: [String: String] = [:]
        for (name, data) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            try data.write(to: URL(fileURLWithPath: path))
            paths[name] = path
        }
        return paths
    }

    /// Rewrites the ImageWidth/ImageLength tags (256/257, LONG) of a little-endian TIFF's first IFD.
    static func patchingDimensions(of tiff: Data, to size: UInt32) -> Data {
        var bytes = [UInt8](tiff)
        let ifd = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        let count = Int(bytes[ifd]) | Int(bytes[ifd + 1]) << 8
        for k in 0..<count {
            let entry = ifd + 2 + 12 * k
            let tag = Int(bytes[entry]) | Int(bytes[entry + 1]) << 8
            if tag == 256 || tag == 257 {
                for i in 0..<4 { bytes[entry + 8 + i] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(i))) }
            }
        }
        return Data(bytes)
    }
}
