/// 2-d convolution (cross-correlation, as in PyTorch) via im2col + sgemm.
extension Tensor {
    /// Convolves NCHW input `[N, C, H, W]` with `weight` `[Cout, C/groups, kh, kw]`,
    /// plus optional `bias` `[Cout]`, giving `[N, Cout, OH, OW]`.
    ///
    /// `y[n, o, oy, ox] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, g·C/groups + c, oy·sh − ph + i·dh, ox·sw − pw + j·dw]`
    /// where `g = o / (Cout/groups)`, zero outside the image.
    /// Backward: dW = G·colᵀ, dcol = Wᵀ·G then col2im, db = Σ G.
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                       dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
        precondition(weight.rank == 4, "conv2d: weight must be [Cout, Cin/groups, kh, kw], got \(weight.shape)")
        let geo = ConvGeometry(input: shape, kernel: (weight.shape[2], weight.shape[3]), stride: stride,
                               padding: padding, dilation: dilation, op: "conv2d")
        let cout = weight.shape[0]
        precondition(groups >= 1 && geo.channels % groups == 0 && cout % groups == 0,
                     "conv2d: groups \(groups) must divide input channels \(geo.channels) and output channels \(cout)")
        precondition(weight.shape[1] == geo.channels / groups,
                     "conv2d: weight \(weight.shape) expects \(weight.shape[1] * groups) input channels, input has \(geo.channels) (shape \(shape))")
        if let bias {
            precondition(bias.shape == [cout], "conv2d: bias must be [\(cout)], got \(bias.shape)")
        }
        let n = geo.batch, l = geo.outPlane, cols = n * l
        let cg = geo.channels / groups, og = cout / groups
        let kg = cg * geo.kernelH * geo.kernelW
        let col = ConvKernels.im2col(scalars, geo)
        let w = weight.scalars
        // Y' [Cout, N·L] = W_g · col_g per group.
        let yT = col.withUnsafeBufferPointer { pc in w.withUnsafeBufferPointer { pw in uninitializedFloats(cout * cols) { py in
            for gi in 0..<groups {
                BLAS.sgemm(transA: false, transB: false, m: og, n: cols, k: kg,
                           a: pw.baseAddress! + gi * og * kg, lda: kg,
                           b: pc.baseAddress! + gi * kg * cols, ldb: cols,
                           beta: 0, c: py.baseAddress! + gi * og * cols, ldc: cols)
            }
        } } }
        let out = ConvKernels.channelsMajorToBatchMajor(yT, batch: n, channels: cout, plane: l, bias: bias?.scalars)
        let outShape = [n, cout, geo.outH, geo.outW]
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        let inShape = shape
        return Tensor.makeResult(shape: outShape, scalars: out, inputs: inputs) { g, needs in
            let gT = ConvKernels.batchMajorToChannelsMajor(g, batch: n, channels: cout, plane: l)
            var dx: [Float]? = nil, dw: [Float]? = nil, db: [Float]? = nil
            if needs[1] {
                dw = gT.withUnsafeBufferPointer { pg in col.withUnsafeBufferPointer { pc in uninitializedFloats(cout * kg) { pd in
                    for gi in 0..<groups {
                        BLAS.sgemm(transA: false, transB: true, m: og, n: kg, k: cols,
                                   a: pg.baseAddress! + gi * og * cols, lda: cols,
                                   b: pc.baseAddress! + gi * kg * cols, ldb: cols,
                                   beta: 0, c: pd.baseAddress! + gi * og * kg, ldc: kg)
                    }
                } } }
            }
            if needs[0] {
                let dcol = gT.withUnsafeBufferPointer { pg in w.withUnsafeBufferPointer { pw in uninitializedFloats(groups * kg * cols) { pd in
                    for gi in 0..<groups {
                        BLAS.sgemm(transA: true, transB: false, m: kg, n: cols, k: og,
                                   a: pw.baseAddress! + gi * og * kg, lda: kg,
                                   b: pg.baseAddress! + gi * og * cols, ldb: cols,
                                   beta: 0, c: pd.baseAddress! + gi * kg * cols, ldc: cols)
                    }
                } } }
                dx = ConvKernels.col2im(dcol, geo, inputCount: inShape.elementCount)
            }
            if inputs.count == 3 && needs[2] {
                var d = [Float](repeating: 0, count: cout)
                gT.withUnsafeBufferPointer { pg in
                    for o in 0..<cout {
                        var s: Float = 0
                        for k in 0..<cols { s += pg[o * cols + k] }
                        d[o] = s
                    }
                }
                db = d
            }
            return inputs.count == 3 ? [dx, dw, db] : [dx, dw]
        }
    }

    /// Convenience: square kernel settings.
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: Int, padding: Int = 0, dilation: Int = 1, groups: Int = 1) -> Tensor {
        conv2d(weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding),
               dilation: (dilation, dilation), groups: groups)
    }
}

/// Data movement kernels shared by convolution forward and backward.
enum ConvKernels {
    /// The column matrix `[C·kh·kw, N·OH·OW]` of input `x` (see ``Im2col``).
    static func im2col(_ x: [Float], _ geo: ConvGeometry) -> [Float] {
        let n = geo.batch, c = geo.channels, cols = n * geo.outPlane
        if geo.isPointwise {
            // Column matrix is x as [C, N·H·W].
            return batchMajorToChannelsMajor(x, batch: n, channels: c, plane: geo.inPlane)
        }
        return x.withUnsafeBufferPointer { px in uninitializedFloats(c * geo.kernelH * geo.kernelW * cols) { pc in
            let src = UncheckedBox(px.baseAddress!), dst = UncheckedBox(pc.baseAddress!)
            Parallel.forChunks(n * c) { range in
                for item in range {
                    let b = item / c, ch = item % c
                    Im2col.fill(geo, plane: src.value + item * geo.inPlane, channel: ch, image: b, col: dst.value, ldc: cols)
                }
            }
        } }
    }

    /// Sums a column-matrix gradient back into an NCHW input gradient.
    static func col2im(_ dcol: [Float], _ geo: ConvGeometry, inputCount: Int) -> [Float] {
        let n = geo.batch, c = geo.channels, cols = n * geo.outPlane
        if geo.isPointwise {
            return channelsMajorToBatchMajor(dcol, batch: n, channels: c, plane: geo.inPlane, bias: nil)
        }
        var dx = [Float](repeating: 0, count: inputCount)
        dcol.withUnsafeBufferPointer { pc in dx.withUnsafeMutableBufferPointer { pd in
            let src = UncheckedBox(pc.baseAddress!), dst = UncheckedBox(pd.baseAddress!)
            Parallel.forChunks(n * c) { range in
                for item in range {
                    let b = item / c, ch = item % c
                    Im2col.accumulate(geo, col: src.value, ldc: cols, channel: ch, image: b, plane: dst.value + item * geo.inPlane)
                }
            }
        } }
        return dx
    }

    /// `[C, N·P] → [N, C, P]`, adding `bias[c]` if given.
    static func channelsMajorToBatchMajor(_ y: [Float], batch n: Int, channels c: Int, plane p: Int, bias: [Float]?) -> [Float] {
        return y.withUnsafeBufferPointer { py in uninitializedFloats(py.count) { po in
            let src = UncheckedBox(py.baseAddress!), dst = UncheckedBox(po.baseAddress!)
            Parallel.forChunks(n * c, minChunk: 4) { range in
                for item in range {
                    let b = item / c, ch = item % c
                    let s = src.value + ch * n * p + b * p, d = dst.value + item * p
                    if let bias {
                        let bv = bias[ch]
                        for k in 0..<p { d[k] = s[k] + bv }
                    } else {
                        d.update(from: s, count: p)
                    }
                }
            }
        } }
    }

    /// `[N, C, P] → [C, N·P]`.
    static func batchMajorToChannelsMajor(_ x: [Float], batch n: Int, channels c: Int, plane p: Int) -> [Float] {
        return x.withUnsafeBufferPointer { px in uninitializedFloats(px.count) { po in
            let src = UncheckedBox(px.baseAddress!), dst = UncheckedBox(po.baseAddress!)
            Parallel.forChunks(n * c, minChunk: 4) { range in
                for item in range {
                    let b = item / c, ch = item % c
                    (dst.value + ch * n * p + b * p).update(from: src.value + item * p, count: p)
                }
            }
        } }
    }
}
