/// NCHW ↔ NHWC conversions (per image a `[C, P] ↔ [P, C]` transpose, `P = H·W`).
///
/// Work is split into (image, 64-pixel block) items; inside a block, 4×4
/// tiles are transposed with SIMD4 registers, remainders element by element.
enum LayoutTranspose {
    /// `[N, C, P] → [N, P, C]`.
    static func channelsLast(_ x: [Float], batch n: Int, channels c: Int, plane p: Int) -> [Float] {
        x.withUnsafeBufferPointer { px in uninitializedFloats(px.count) { po in
            let src = UncheckedBox(px.baseAddress!), dst = UncheckedBox(po.baseAddress!)
            let blocks = (p + 63) / 64
            Parallel.forChunks(n * blocks, minChunk: 4, workPerItem: 64 * c) { range in
                for item in range {
                    let b = item / blocks, p0 = (item % blocks) * 64, p1 = Swift.min(p, p0 + 64)
                    // Source rows: channels (stride p); destination rows: pixels (stride c).
                    transpose(src.value + b * c * p, rowStride: p, dst.value + b * c * p, colStride: c,
                              rows: 0..<c, cols: p0..<p1, bias: nil)
                }
            }
        } }
    }

    /// `d[q·colStride + r] = s[r·rowStride + q]` for `r` in `rows`, `q` in `cols`.
    @inline(__always)
    static func transpose(_ s: UnsafePointer<Float>, rowStride: Int, _ d: UnsafeMutablePointer<Float>, colStride: Int,
                          rows: Range<Int>, cols: Range<Int>, bias: [Float]?) {
        typealias V4 = SIMD4<Float>
        var r = rows.lowerBound
        while r + 4 <= rows.upperBound {
            var q = cols.lowerBound
            while q + 4 <= cols.upperBound {
                let a = UnsafeRawPointer(s + r * rowStride + q).loadUnaligned(as: V4.self)
                let b = UnsafeRawPointer(s + (r + 1) * rowStride + q).loadUnaligned(as: V4.self)
                let c = UnsafeRawPointer(s + (r + 2) * rowStride + q).loadUnaligned(as: V4.self)
                let e = UnsafeRawPointer(s + (r + 3) * rowStride + q).loadUnaligned(as: V4.self)
                UnsafeMutableRawPointer(d + q * colStride + r).storeBytes(of: V4(a[0], b[0], c[0], e[0]), as: V4.self)
                UnsafeMutableRawPointer(d + (q + 1) * colStride + r).storeBytes(of: V4(a[1], b[1], c[1], e[1]), as: V4.self)
                UnsafeMutableRawPointer(d + (q + 2) * colStride + r).storeBytes(of: V4(a[2], b[2], c[2], e[2]), as: V4.self)
                UnsafeMutableRawPointer(d + (q + 3) * colStride + r).storeBytes(of: V4(a[3], b[3], c[3], e[3]), as: V4.self)
                q += 4
            }
            while q < cols.upperBound {
                for k in r..<(r + 4) { d[q * colStride + k] = s[k * rowStride + q] }
                q += 1
            }
            r += 4
        }
        while r < rows.upperBound {
            for q in cols { d[q * colStride + r] = s[r * rowStride + q] }
            r += 1
        }
    }

    /// `d[ch·channelStride + q] = s[q·pixelStride + ch] (+ bias[ch])`.
    @inline(__always)
    static func transposeBack(_ s: UnsafePointer<Float>, pixelStride: Int, _ d: UnsafeMutablePointer<Float>, channelStride: Int,
                              channels: Int, pixels: Range<Int>, bias: [Float]?) {
        typealias V4 = SIMD4<Float>
        var ch = 0
        while ch + 4 <= channels {
            let bv = bias.map { V4($0[ch], $0[ch + 1], $0[ch + 2], $0[ch + 3]) } ?? V4(repeating: 0)
            var q = pixels.lowerBound
            while q + 4 <= pixels.upperBound {
                let a = UnsafeRawPointer(s + q * pixelStride + ch).loadUnaligned(as: V4.self) + bv
                let b = UnsafeRawPointer(s + (q + 1) * pixelStride + ch).loadUnaligned(as: V4.self) + bv
                let c = UnsafeRawPointer(s + (q + 2) * pixelStride + ch).loadUnaligned(as: V4.self) + bv
                let e = UnsafeRawPointer(s + (q + 3) * pixelStride + ch).loadUnaligned(as: V4.self) + bv
                UnsafeMutableRawPointer(d + ch * channelStride + q).storeBytes(of: V4(a[0], b[0], c[0], e[0]), as: V4.self)
                UnsafeMutableRawPointer(d + (ch + 1) * channelStride + q).storeBytes(of: V4(a[1], b[1], c[1], e[1]), as: V4.self)
                UnsafeMutableRawPointer(d + (ch + 2) * channelStride + q).storeBytes(of: V4(a[2], b[2], c[2], e[2]), as: V4.self)
                UnsafeMutableRawPointer(d + (ch + 3) * channelStride + q).storeBytes(of: V4(a[3], b[3], c[3], e[3]), as: V4.self)
                q += 4
            }
            while q < pixels.upperBound {
                for k in ch..<(ch + 4) { d[k * channelStride + q] = s[q * pixelStride + k] + (bias?[k] ?? 0) }
                q += 1
            }
            ch += 4
        }
        while ch < channels {
            let bv = bias?[ch] ?? 0
            for q in pixels { d[ch * channelStride + q] = s[q * pixelStride + ch] + bv }
            ch += 1
        }
    }
}
