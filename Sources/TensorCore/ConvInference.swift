/// The convolution forward pass when no gradient is recorded (inference).
///
/// Same arithmetic as the training path (see `Tensor.conv2d`) but one image
/// at a time per worker: the image's NHWC copy and patch matrix live in small
/// per-worker buffers that stay in cache until its GEMM reads them, instead of
/// materialising the whole batch's patch matrix.
enum ConvInference {
    /// Output NCHW `[N, Cout, OH·OW]` of input NCHW `x`, taps-last weight `wp`
    /// `[Cout, kh·kw·Cg]` and optional bias.
    static func forward(_ x: [Float], weightTapsLast wp: [Float], bias: [Float]?, _ geo: ConvGeometry,
                        groups: Int, cout: Int) -> [Float] {
        let n = geo.batch, c = geo.channels, l = geo.outPlane
        let cg = c / groups, og = cout / groups, kg = cg * geo.kernelH * geo.kernelW, kt = c * geo.kernelH * geo.kernelW
        return x.withUnsafeBufferPointer { px in wp.withUnsafeBufferPointer { pw in uninitializedFloats(n * cout * l) { py in
            let xb = UncheckedBox(px.baseAddress!), wb = UncheckedBox(pw.baseAddress!), yb = UncheckedBox(py.baseAddress!)
            Parallel.forChunks(n, workPerItem: og * l * kt) { range in
                var nhwc = [Float](repeating: 0, count: geo.inPlane * c)
                var patches = [Float](repeating: 0, count: geo.isPointwise ? 0 : l * kt)
                nhwc.withUnsafeMutableBufferPointer { ph in patches.withUnsafeMutableBufferPointer { pp in
                    for b in range {
                        LayoutTranspose.transpose(xb.value + b * c * geo.inPlane, rowStride: geo.inPlane, ph.baseAddress!,
                                                  colStride: c, rows: 0..<c, cols: 0..<geo.inPlane, bias: nil)
                        let rows: UnsafePointer<Float>
                        if geo.isPointwise {
                            rows = UnsafePointer(ph.baseAddress!)
                        } else {
                            for oy in 0..<geo.outH {
                                Im2row.fillRow(image: ph.baseAddress!, geo, groups: groups, oy: oy,
                                               into: pp.baseAddress! + oy * geo.outW * kt)
                            }
                            rows = UnsafePointer(pp.baseAddress!)
                        }
                        let image = yb.value + b * cout * l
                        if let bias {
                            for o in 0..<cout { VectorKernels.fill(image + o * l, bias[o], l) }
                        }
                        for g in 0..<groups {
                            BLAS.sgemm(transA: false, transB: true, m: og, n: l, k: kg,
                                       a: wb.value + g * og * kg, lda: kg, b: rows + g * kg, ldb: kt,
                                       beta: bias == nil ? 0 : 1, c: image + g * og * l, ldc: l, threads: 1)
                        }
                    }
                } }
            }
        } } }
    }
}
