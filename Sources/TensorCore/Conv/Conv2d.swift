/// 2-d convolution (cross-correlation, as in PyTorch) via im2row + sgemm.
extension Tensor {
    /// Convolves NCHW input `[N, C, H, W]` with `weight` `[Cout, C/groups, kh, kw]`,
    /// plus optional `bias` `[Cout]`, giving `[N, Cout, OH, OW]`.
    ///
    /// `y[n, o, oy, ox] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x[n, g·C/groups + c, oy·sh − ph + i·dh, ox·sw − pw + j·dw]`
    /// where `g = o / (Cout/groups)`, zero outside the image;
    /// `OH = (H + 2·ph − dh·(kh − 1) − 1)/sh + 1` (likewise OW).
    ///
    /// Implementation (see ``ConvForward``): each image goes channels-last
    /// (NHWC) and into its block of the patch matrix R `[N·OH·OW, C·kh·kw]`
    /// (see ``Im2row``), which meets the weight reordered to W' `[Cout, kh·kw·Cg]`
    /// while cache-hot: per image and group `Y = W'_g · R_gᵀ`, written straight
    /// into NCHW (images run in parallel). Without a recorded graph R is not kept.
    /// Backward, with G the channels-last output gradient `[N·OH·OW, Cout]`:
    /// `dW'_gᵀ = R_gᵀ · G_g` (one GEMM over the batch), `dR_g = G_g · W'_g` then
    /// row2im per image (see ``ConvInputGradient``), `db = Σ G`. These
    /// orientations were the fastest for BLIS on these shapes (Tools/TENSORCORE.md).
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
        let n = geo.batch, l = geo.outPlane, rowsCount = n * l
        let cg = geo.channels / groups, og = cout / groups
        let taps = geo.kernelH * geo.kernelW
        let kg = cg * taps, kt = geo.channels * taps
        let wp = ConvWeights.tapsLast(weight.scalars, cout: cout, cg: cg, taps: taps)
        let recording = GradMode.isEnabled && (requiresGrad || weight.requiresGrad || (bias?.requiresGrad ?? false))
        if !recording {
            let out = ConvForward.run(scalars, weightTapsLast: wp, bias: bias?.scalars, geo, groups: groups, cout: cout, patches: nil)
            return Tensor(shape: [n, cout, geo.outH, geo.outW], scalars: out)
        }
        // Training: keep the patch matrix R [N·OH·OW, C·kh·kw] when the weight gradient needs it.
        var out: [Float] = []
        var patches: [Float] = []
        if weight.requiresGrad {
            patches = uninitializedFloats(rowsCount * kt) { pr in
                out = ConvForward.run(scalars, weightTapsLast: wp, bias: bias?.scalars, geo, groups: groups, cout: cout,
                                      patches: pr.baseAddress!)
            }
        } else {
            out = ConvForward.run(scalars, weightTapsLast: wp, bias: bias?.scalars, geo, groups: groups, cout: cout, patches: nil)
        }
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        return Tensor.makeResult(shape: [n, cout, geo.outH, geo.outW], scalars: out, inputs: inputs) { g, needs in
            let gT = LayoutTranspose.channelsLast(g, batch: n, channels: cout, plane: l)
            var dx: [Float]? = nil, dw: [Float]? = nil, db: [Float]? = nil
            if needs[1] {
                // dW'ᵀ per group: [kg, og] = R_gᵀ · G_g.
                let dwT = patches.withUnsafeBufferPointer { pr in gT.withUnsafeBufferPointer { pg in uninitializedFloats(groups * kg * og) { pd in
                    for gi in 0..<groups {
                        BLAS.sgemm(transA: true, transB: false, m: kg, n: og, k: rowsCount,
                                   a: pr.baseAddress! + gi * kg, lda: kt, b: pg.baseAddress! + gi * og, ldb: cout,
                                   beta: 0, c: pd.baseAddress! + gi * kg * og, ldc: og)
                    }
                } } }
                dw = ConvWeights.fromTapsLastTransposed(dwT, cout: cout, cg: cg, taps: taps, groups: groups)
            }
            if needs[0] {
                dx = ConvInputGradient.run(gT, weightTapsLast: wp, geo, groups: groups, cout: cout)
            }
            if inputs.count == 3 && needs[2] {
                var d = [Float](repeating: 0, count: cout)
                g.withUnsafeBufferPointer { pg in
                    for b in 0..<n {
                        for o in 0..<cout { d[o] += VectorKernels.sum(pg.baseAddress! + (b * cout + o) * l, l) }
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
