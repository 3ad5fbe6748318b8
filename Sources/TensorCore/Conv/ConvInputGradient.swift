/// The input gradient of a convolution, one image at a time per worker.
///
/// For image `b`: `dR_b = G_b · W'` (per group; G_b is the image's block of the
/// channels-last output gradient `[OH·OW, Cout]`), summed back into a
/// channels-last image buffer by row2im and transposed into the NCHW result —
/// all in per-worker buffers that stay in cache.
enum ConvInputGradient {
    /// dx NCHW `[N, C, H·W]` from the channels-last output gradient `gT`
    /// `[N·OH·OW, Cout]` and taps-last weight `wp` `[Cout, kh·kw·Cg]`.
    static func run(_ gT: [Float], weightTapsLast wp: [Float], _ geo: ConvGeometry, groups: Int, cout: Int) -> [Float] {
        let n = geo.batch, c = geo.channels, l = geo.outPlane
        let cg = c / groups, og = cout / groups, kg = cg * geo.kernelH * geo.kernelW, kt = c * geo.kernelH * geo.kernelW
        return gT.withUnsafeBufferPointer { pg in wp.withUnsafeBufferPointer { pw in uninitializedFloats(n * c * geo.inPlane) { pd in
            let gb = UncheckedBox(pg.baseAddress!), wb = UncheckedBox(pw.baseAddress!), db = UncheckedBox(pd.baseAddress!)
            Parallel.forChunks(n, workPerItem: og * l * kt) { range in
                var dRows = [Float](repeating: 0, count: l * kt)
                var nhwc = [Float](repeating: 0, count: geo.isPointwise ? 0 : geo.inPlane * c)
                dRows.withUnsafeMutableBufferPointer { pr in nhwc.withUnsafeMutableBufferPointer { ph in
                    for b in range {
                        for g in 0..<groups {
                            BLAS.sgemm(transA: false, transB: false, m: l, n: kg, k: og,
                                       a: gb.value + b * l * cout + g * og, lda: cout, b: wb.value + g * og * kg, ldb: kg,
                                       beta: 0, c: pr.baseAddress! + g * kg, ldc: kt, threads: 1)
                        }
                        // For 1×1 stride-1 convolutions the patch rows are the NHWC image itself.
                        let imageNHWC: UnsafeMutablePointer<Float>
                        if geo.isPointwise {
                            imageNHWC = pr.baseAddress!
                        } else {
                            imageNHWC = ph.baseAddress!
                            VectorKernels.fill(imageNHWC, 0, geo.inPlane * c)
                            Im2row.accumulateImage(pr.baseAddress!, geo, groups: groups, into: imageNHWC)
                        }
                        LayoutTranspose.transposeBack(imageNHWC, pixelStride: c, db.value + b * c * geo.inPlane,
                                                      channelStride: geo.inPlane, channels: c, pixels: 0..<geo.inPlane, bias: nil)
                    }
                } }
            }
        } } }
    }
}
