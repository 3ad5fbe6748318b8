/// Max, average and global average pooling over NCHW input.
extension Tensor {
    /// Max pooling; padded positions count as −∞. Gradient goes to the first
    /// maximal element of each window. Output `[N, C, OH, OW]` with
    /// `OH = (H + 2·ph − dh·(kh−1) − 1)/sh + 1`.
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          dilation: (Int, Int) = (1, 1)) -> Tensor {
        let geo = ConvGeometry(input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding,
                               dilation: dilation, op: "maxPool2d")
        precondition(padding.0 * 2 <= kernel.0 && padding.1 * 2 <= kernel.1, "maxPool2d: padding \(padding) must be at most half the kernel \(kernel)")
        let planes = geo.batch * geo.channels, op = geo.outPlane, ip = geo.inPlane
        var out = [Float](repeating: 0, count: planes * op)
        var arg = [Int32](repeating: 0, count: planes * op)
        scalars.withUnsafeBufferPointer { px in out.withUnsafeMutableBufferPointer { po in arg.withUnsafeMutableBufferPointer { pa in
            let x = UncheckedBox(px.baseAddress!), o = UncheckedBox(po.baseAddress!), a = UncheckedBox(pa.baseAddress!)
            Parallel.forChunks(planes, workPerItem: op * geo.kernelH * geo.kernelW) { range in
                for plane in range {
                    let src = x.value + plane * ip
                    for oy in 0..<geo.outH {
                        for ox in 0..<geo.outW {
                            var best = -Float.infinity, bestIndex: Int32 = -1
                            for i in 0..<geo.kernelH {
                                let iy = oy * geo.strideH - geo.padH + i * geo.dilationH
                                if iy < 0 || iy >= geo.height { continue }
                                for j in 0..<geo.kernelW {
                                    let ix = ox * geo.strideW - geo.padW + j * geo.dilationW
                                    if ix < 0 || ix >= geo.width { continue }
                                    let v = src[iy * geo.width + ix]
                                    if v > best || bestIndex < 0 { best = v; bestIndex = Int32(iy * geo.width + ix) }
                                }
                            }
                            o.value[plane * op + oy * geo.outW + ox] = best
                            a.value[plane * op + oy * geo.outW + ox] = bestIndex
                        }
                    }
                }
            }
        } } }
        let argmax = arg, inCount = count
        return Tensor.makeResult(shape: [geo.batch, geo.channels, geo.outH, geo.outW], scalars: out, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: inCount)
            for plane in 0..<planes {
                for k in 0..<op { d[plane * ip + Int(argmax[plane * op + k])] += g[plane * op + k] }
            }
            return [d]
        }
    }

    /// Average pooling. With `countIncludePad` (PyTorch's default) every window
    /// divides by kh·kw; otherwise by the number of in-image elements.
    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          countIncludePad: Bool = true) -> Tensor {
        let geo = ConvGeometry(input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding,
                               dilation: (1, 1), op: "avgPool2d")
        precondition(padding.0 * 2 <= kernel.0 && padding.1 * 2 <= kernel.1, "avgPool2d: padding \(padding) must be at most half the kernel \(kernel)")
        let planes = geo.batch * geo.channels, op = geo.outPlane, ip = geo.inPlane
        // Per output position: in-image window bounds and divisor (same for every plane).
        var divisor = [Float](repeating: 1, count: op)
        for oy in 0..<geo.outH {
            for ox in 0..<geo.outW {
                let y0 = oy * geo.strideH - geo.padH, x0 = ox * geo.strideW - geo.padW
                let y1 = Swift.min(y0 + geo.kernelH, geo.height + geo.padH), x1 = Swift.min(x0 + geo.kernelW, geo.width + geo.padW)
                let padded = (y1 - y0) * (x1 - x0)
                let inside = (Swift.min(y1, geo.height) - Swift.max(y0, 0)) * (Swift.min(x1, geo.width) - Swift.max(x0, 0))
                divisor[oy * geo.outW + ox] = Float(countIncludePad ? padded : inside)
            }
        }
        let div = divisor
        func windows(_ body: (_ k: Int, _ iy: Int, _ ix: Int) -> Void) {
            for oy in 0..<geo.outH {
                for ox in 0..<geo.outW {
                    let y0 = oy * geo.strideH - geo.padH, x0 = ox * geo.strideW - geo.padW
                    for iy in Swift.max(y0, 0)..<Swift.min(y0 + geo.kernelH, geo.height) {
                        for ix in Swift.max(x0, 0)..<Swift.min(x0 + geo.kernelW, geo.width) { body(oy * geo.outW + ox, iy, ix) }
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: planes * op)
        for plane in 0..<planes {
            windows { k, iy, ix in out[plane * op + k] += scalars[plane * ip + iy * geo.width + ix] }
            for k in 0..<op { out[plane * op + k] /= div[k] }
        }
        let inCount = count
        return Tensor.makeResult(shape: [geo.batch, geo.channels, geo.outH, geo.outW], scalars: out, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: inCount)
            for plane in 0..<planes {
                windows { k, iy, ix in d[plane * ip + iy * geo.width + ix] += g[plane * op + k] / div[k] }
            }
            return [d]
        }
    }

    /// Square-window conveniences.
    public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        maxPool2d(kernel: (kernel, kernel), stride: stride.map { ($0, $0) }, padding: (padding, padding))
    }

    /// Square-window average pooling.
    public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0, countIncludePad: Bool = true) -> Tensor {
        avgPool2d(kernel: (kernel, kernel), stride: stride.map { ($0, $0) }, padding: (padding, padding), countIncludePad: countIncludePad)
    }

    /// Global average pooling `[N, C, H, W] → [N, C, 1, 1]` (mean over H and W).
    public func globalAvgPool2d() -> Tensor {
        precondition(rank == 4, "globalAvgPool2d: input must be NCHW, got \(shape)")
        return mean(axes: [2, 3], keepDims: true)
    }

    /// Nearest-neighbour upsampling by integer factors: `y[n,c,oy,ox] = x[n,c,oy/sh,ox/sw]`.
    /// Gradient: each input pixel sums its sh·sw copies.
    public func upsampleNearest2d(scale: (Int, Int)) -> Tensor {
        precondition(rank == 4, "upsampleNearest2d: input must be NCHW, got \(shape)")
        precondition(scale.0 >= 1 && scale.1 >= 1, "upsampleNearest2d: scale must be ≥ 1, got \(scale)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (sh, sw) = scale, oh = h * sh, ow = w * sw
        var out = [Float](repeating: 0, count: n * c * oh * ow)
        for plane in 0..<(n * c) {
            for oy in 0..<oh {
                for ox in 0..<ow { out[(plane * oh + oy) * ow + ox] = scalars[(plane * h + oy / sh) * w + ox / sw] }
            }
        }
        let inCount = count
        return Tensor.makeResult(shape: [n, c, oh, ow], scalars: out, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: inCount)
            for plane in 0..<(n * c) {
                for oy in 0..<oh {
                    for ox in 0..<ow { d[(plane * h + oy / sh) * w + ox / sw] += g[(plane * oh + oy) * ow + ox] }
                }
            }
            return [d]
        }
    }

    /// Upsampling by the same integer factor on both axes.
    public func upsampleNearest2d(scale: Int) -> Tensor { upsampleNearest2d(scale: (scale, scale)) }
}
