/// Integer box downscaling of an 8-bit RGB image that is produced row by row.
///
/// Output pixel (i, j) is the rounded mean, (sum + count/2)/count per channel, of the source block rows
/// f·i ..< f·(i+1) and columns f·j ..< f·(j+1) that exist (edge blocks are smaller). The output is
/// ⌈width/f⌉ × ⌈height/f⌉. Memory: one source row and one row of sums.
public struct BoxDownscale {
    public let factor: Int
    public let width: Int
    public let height: Int
    private var rendered: [UInt8]
    private var sums: [UInt64]

    /// The integer factor that brings the longer side of width × height to at most `maxSide` (1 when nil).
    public static func factor(width: Int, height: Int, maxSide: Int?) -> Int {
        guard let maxSide, maxSide > 0 else { return 1 }
        let longer = max(width, height, 1)
        return (longer - 1) / maxSide + 1  // ⌈longer / maxSide⌉ without overflow
    }

    /// A downscaler by `factor` ≥ 1 of a `width` × `height` source.
    public init(factor: Int, width: Int, height: Int) {
        precondition(factor >= 1, "downscale factor must be at least 1")
        self.factor = factor
        self.width = width
        self.height = height
        rendered = [UInt8](repeating: 0, count: width * 3)
        sums = [UInt64](repeating: 0, count: ((width + factor - 1) / factor) * 3)
    }

    public var outputWidth: Int { (width + factor - 1) / factor }
    public var outputHeight: Int { (height + factor - 1) / factor }

    /// Fills output row `outRow` (3 × outputWidth bytes) from source rows rendered by `render(row, buffer)`.
    public mutating func row(_ outRow: Int, into out: UnsafeMutableBufferPointer<UInt8>,
                             render: (Int, UnsafeMutableBufferPointer<UInt8>) -> Void) {
        let f = factor
        for k in sums.indices { sums[k] = 0 }
        let rows = (outRow * f)..<min(height, (outRow + 1) * f)
        for row in rows {
            rendered.withUnsafeMutableBufferPointer { render(row, $0) }
            for column in 0..<width {
                let o = column / f * 3, i = column * 3
                sums[o] += UInt64(rendered[i]); sums[o + 1] += UInt64(rendered[i + 1]); sums[o + 2] += UInt64(rendered[i + 2])
            }
        }
        for column in 0..<outputWidth {
            let count = UInt64(rows.count * (min(width, (column + 1) * f) - column * f))
            for k in 0..<3 { out[3 * column + k] = UInt8((sums[3 * column + k] + count / 2) / count) }
        }
    }
}
