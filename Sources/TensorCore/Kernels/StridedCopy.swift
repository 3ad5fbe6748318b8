/// Copies between contiguous buffers and strided views of other buffers.
enum StridedCopy {
    /// Gathers the view `(base, strides)` of `src` with `shape` into a new contiguous array.
    static func gather(_ src: [Float], base: Int, strides: [Int], shape: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: shape.elementCount)
        let zero = [Int](repeating: 0, count: shape.count)
        src.withUnsafeBufferPointer { ps in out.withUnsafeMutableBufferPointer { po in
            Broadcast.forEachRun(shape: shape, sa: strides, sb: zero) { o, os, _, n, i, _ in
                if i == 1 {
                    for k in 0..<n { po[o + k] = ps[base + os + k] }
                } else {
                    for k in 0..<n { po[o + k] = ps[base + os + k * i] }
                }
            }
        } }
        return out
    }

    /// Adds contiguous `values` (of `shape`) into the view `(base, strides)` of `dst`.
    static func scatterAdd(_ values: [Float], into dst: inout [Float], base: Int, strides: [Int], shape: [Int]) {
        let zero = [Int](repeating: 0, count: shape.count)
        values.withUnsafeBufferPointer { pv in dst.withUnsafeMutableBufferPointer { pd in
            Broadcast.forEachRun(shape: shape, sa: strides, sb: zero) { o, od, _, n, i, _ in
                for k in 0..<n { pd[base + od + k * i] += pv[o + k] }
            }
        } }
    }

    /// Writes contiguous `values` (of `shape`) into the view `(base, strides)` of `dst`.
    static func scatter(_ values: [Float], into dst: inout [Float], base: Int, strides: [Int], shape: [Int]) {
        let zero = [Int](repeating: 0, count: shape.count)
        values.withUnsafeBufferPointer { pv in dst.withUnsafeMutableBufferPointer { pd in
            Broadcast.forEachRun(shape: shape, sa: strides, sb: zero) { o, od, _, n, i, _ in
                for k in 0..<n { pd[base + od + k * i] = pv[o + k] }
            }
        } }
    }
}
