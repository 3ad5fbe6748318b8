/// NumPy-style broadcasting helpers on raw row-major buffers.
///
/// Shapes are aligned at their trailing axes; an axis of extent 1 (or a
/// missing leading axis) is stretched to the other operand's extent.
enum Broadcast {
    /// The broadcast result shape, or a precondition failure naming both shapes.
    static func shape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let r = max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            precondition(da == db || da == 1 || db == 1,
                         "\(op): shapes \(a) and \(b) cannot be broadcast (axis \(i): \(da) vs \(db))")
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Strides that read `shape` as if broadcast to `target` (0 on stretched axes).
    static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        let lead = target.count - shape.count
        let cs = shape.contiguousStrides
        var s = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count where shape[i] != 1 {
            s[i + lead] = cs[i]
        }
        return s
    }

    /// Visits `shape` in row-major order as runs along the last axis.
    ///
    /// `body(outOffset, aOffset, bOffset, runLength, aStride, bStride)`; the
    /// output offset is contiguous, `a`/`b` offsets follow `sa`/`sb`.
    @inline(__always)
    static func forEachRun(shape: [Int], sa: [Int], sb: [Int],
                           _ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let r = shape.count
        if r == 0 { body(0, 0, 0, 1, 0, 0); return }
        if shape.contains(0) { return }
        let n = shape[r - 1], ia = sa[r - 1], ib = sb[r - 1]
        var idx = [Int](repeating: 0, count: r)
        var out = 0, oa = 0, ob = 0
        while true {
            body(out, oa, ob, n, ia, ib)
            out += n
            var k = r - 2
            while k >= 0 {
                idx[k] += 1
                oa += sa[k]; ob += sb[k]
                if idx[k] < shape[k] { break }
                oa -= sa[k] * shape[k]; ob -= sb[k] * shape[k]
                idx[k] = 0
                k -= 1
            }
            if k < 0 { return }
        }
    }

    /// `f(a, b)` elementwise with broadcasting.
    @inline(__always)
    static func binary(_ aShape: [Int], _ a: [Float], _ bShape: [Int], _ b: [Float], op: String,
                       _ f: (Float, Float) -> Float) -> (shape: [Int], scalars: [Float]) {
        if aShape == bShape {
            let out = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                uninitializedFloats(pa.count) { po in
                    for i in 0..<po.count { po[i] = f(pa[i], pb[i]) }
                }
            } }
            return (aShape, out)
        }
        let shape = Broadcast.shape(aShape, bShape, op: op)
        if b.count == 1 && shape == aShape {
            let s = b[0]
            let out = a.withUnsafeBufferPointer { pa in
                uninitializedFloats(pa.count) { po in for i in 0..<po.count { po[i] = f(pa[i], s) } }
            }
            return (shape, out)
        }
        if a.count == 1 && shape == bShape {
            let s = a[0]
            let out = b.withUnsafeBufferPointer { pb in
                uninitializedFloats(pb.count) { po in for i in 0..<po.count { po[i] = f(s, pb[i]) } }
            }
            return (shape, out)
        }
        var out = [Float](repeating: 0, count: shape.elementCount)
        let sa = strides(of: aShape, broadcastTo: shape)
        let sb = strides(of: bShape, broadcastTo: shape)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
            forEachRun(shape: shape, sa: sa, sb: sb) { o, oa, ob, n, ia, ib in
                for i in 0..<n { po[o + i] = f(pa[oa + i * ia], pb[ob + i * ib]) }
            }
        } } }
        return (shape, out)
    }

    /// Sums a gradient of shape `from` down to a broadcast operand's shape `to`.
    static func reduce(_ g: [Float], from: [Int], to: [Int]) -> [Float] {
        if from == to { return g }
        if to.elementCount == 1 {
            var s: Float = 0
            for v in g { s += v }
            return [s]
        }
        var out = [Float](repeating: 0, count: to.elementCount)
        let st = strides(of: to, broadcastTo: from)
        let zero = [Int](repeating: 0, count: from.count)
        g.withUnsafeBufferPointer { pg in out.withUnsafeMutableBufferPointer { po in
            forEachRun(shape: from, sa: st, sb: zero) { o, oa, _, n, ia, _ in
                if ia == 0 {
                    var s: Float = 0
                    for i in 0..<n { s += pg[o + i] }
                    po[oa] += s
                } else {
                    for i in 0..<n { po[oa + i * ia] += pg[o + i] }
                }
            }
        } }
        return out
    }

    /// Materialises `x` (shape `from`) broadcast to shape `to`.
    static func expand(_ x: [Float], from: [Int], to: [Int]) -> [Float] {
        if from == to { return x }
        var out = [Float](repeating: 0, count: to.elementCount)
        let sx = strides(of: from, broadcastTo: to)
        let zero = [Int](repeating: 0, count: to.count)
        x.withUnsafeBufferPointer { px in out.withUnsafeMutableBufferPointer { po in
            forEachRun(shape: to, sa: sx, sb: zero) { o, ox, _, n, ix, _ in
                for i in 0..<n { po[o + i] = px[ox + i * ix] }
            }
        } }
        return out
    }
}
