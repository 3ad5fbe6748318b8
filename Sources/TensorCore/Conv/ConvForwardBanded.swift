/// The convolution forward pass for inference on fewer images than workers, or on images whose patch
/// matrix would not fit in cache (no patch matrix is kept).
///
/// Every image is cut into bands of output rows whose patch rows take about 1 MB, and the
/// (image, band) pairs are spread over the workers, so one large image uses every thread and its patch
/// rows are multiplied while still in cache. (Kept apart from ``ConvForward`` on purpose: in the same
/// function body it slowed the training path's code generation by a quarter.)
enum ConvForwardBanded {
    /// Output NCHW `[N, Cout, OH·OW]` of input NCHW `x`, taps-last weight `wp` `[Cout, kh·kw·Cg]` and optional bias.
    static func run(_ x: [Float], weightTapsLast wp: [Float], bias: [Float]?, _ geo: ConvGeometry,
                    groups: Int, cout: Int) -> [Float] {
        let n = geo.batch, c = geo.channels, l = geo.outPlane
        let cg = c / groups, og = cout / groups, kg = cg * geo.kernelH * geo.kernelW, kt = c * geo.kernelH * geo.kernelW
        let bandRows = max(1, min(geo.outH, (1 << 18) / max(kt * geo.outW, 1)))
        let bandsPerImage = (geo.outH + bandRows - 1) / bandRows
        var nhwc = [Float](repeating: 0, count: n * c * geo.inPlane)
        return x.withUnsafeBufferPointer { px in wp.withUnsafeBufferPointer { pw in nhwc.withUnsafeMutableBufferPointer { ph in
            uninitializedFloats(n * cout * l) { py in
                let xb = UncheckedBox(px.baseAddress!), wb = UncheckedBox(pw.baseAddress!), yb = UncheckedBox(py.baseAddress!)
                let hb = UncheckedBox(ph.baseAddress!)
                Parallel.forChunks(n, workPerItem: c * geo.inPlane) { range in
                    for b in range {
                        LayoutTranspose.transpose(xb.value + b * c * geo.inPlane, rowStride: geo.inPlane, hb.value + b * c * geo.inPlane,
                                                  colStride: c, rows: 0..<c, cols: 0..<geo.inPlane, bias: nil)
                    }
                }
                Parallel.forChunks(n * bandsPerImage, workPerItem: og * bandRows * geo.outW * kt) { range in
                    var scratch = [Float](repeating: 0, count: bandRows * geo.outW * kt)
                    scratch.withUnsafeMutableBufferPointer { ps in
                        for item in range {
                            let b = item / bandsPerImage, y0 = (item % bandsPerImage) * bandRows, y1 = min(geo.outH, y0 + bandRows)
                            let imageNHWC = UnsafePointer(hb.value + b * c * geo.inPlane)
                            for oy in y0..<y1 {
                                Im2row.fillRow(image: imageNHWC, geo, groups: groups, oy: oy, into: ps.baseAddress! + (oy - y0) * geo.outW * kt)
                            }
                            let start = y0 * geo.outW, columns = (y1 - y0) * geo.outW
                            let image = yb.value + b * cout * l
                            if let bias {
                                for o in 0..<cout { VectorKernels.fill(image + o * l + start, bias[o], columns) }
                            }
                            for g in 0..<groups {
                                BLAS.sgemm(transA: false, transB: true, m: og, n: columns, k: kg,
                                           a: wb.value + g * og * kg, lda: kg, b: ps.baseAddress! + g * kg, ldb: kt,
                                           beta: bias == nil ? 0 : 1, c: image + g * og * l + start, ldc: l, threads: 1)
                            }
                        }
                    }
                }
            }
        } } }
    }
}
