/// NCHW ↔ NHWC conversions (per image a `[C, P] ↔ [P, C]` transpose, `P = H·W`).
enum LayoutTranspose {
    /// `[N, C, P] → [N, P, C]`.
    static func channelsLast(_ x: [Float], batch n: Int, channels c: Int, plane p: Int) -> [Float] {
        x.withUnsafeBufferPointer { px in uninitializedFloats(px.count) { po in
            let src = UncheckedBox(px.baseAddress!), dst = UncheckedBox(po.baseAddress!)
            // Work items: (image, block of 64 pixels).
            let blocks = (p + 63) / 64
            Parallel.forChunks(n * blocks, minChunk: 4) { range in
                for item in range {
                    let b = item / blocks, p0 = (item % blocks) * 64, p1 = Swift.min(p, p0 + 64)
                    let s = src.value + b * c * p, d = dst.value + b * c * p
                    for ch in 0..<c {
                        let sp = s + ch * p
                        for q in p0..<p1 { d[q &* c &+ ch] = sp[q] }
                    }
                }
            }
        } }
    }

    /// `[N, P, C] → [N, C, P]`, adding `bias[c]` if given.
    static func channelsFirst(_ x: [Float], batch n: Int, channels c: Int, plane p: Int, bias: [Float]? = nil) -> [Float] {
        x.withUnsafeBufferPointer { px in uninitializedFloats(px.count) { po in
            let src = UncheckedBox(px.baseAddress!), dst = UncheckedBox(po.baseAddress!)
            let blocks = (p + 63) / 64
            Parallel.forChunks(n * blocks, minChunk: 4) { range in
                for item in range {
                    let b = item / blocks, p0 = (item % blocks) * 64, p1 = Swift.min(p, p0 + 64)
                    let s = src.value + b * c * p, d = dst.value + b * c * p
                    for ch in 0..<c {
                        let dp = d + ch * p
                        let bv = bias?[ch] ?? 0
                        for q in p0..<p1 { dp[q] = s[q &* c &+ ch] + bv }
                    }
                }
            }
        } }
    }
}
