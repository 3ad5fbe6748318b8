/// im2col / col2im for convolution as GEMM.
///
/// The column matrix has `C·kh·kw` rows and `N·OH·OW` columns (leading
/// dimension `ldc`): row `(c·kh + i)·kw + j`, column `n·OH·OW + oy·OW + ox`
/// holds `x[n, c, oy·sh − ph + i·dh, ox·sw − pw + j·dw]` (0 outside the image).
enum Im2col {
    /// Fills the columns for image `n`, channel `c` from the input plane `x`.
    @inline(__always)
    static func fill(_ g: ConvGeometry, plane x: UnsafePointer<Float>, channel c: Int, image n: Int,
                     col: UnsafeMutablePointer<Float>, ldc: Int) {
        let oh = g.outH, ow = g.outW, w = g.width
        for i in 0..<g.kernelH {
            for j in 0..<g.kernelW {
                let row = col + ((c * g.kernelH + i) * g.kernelW + j) * ldc + n * oh * ow
                let dx = j * g.dilationW - g.padW
                // Valid ox range: 0 <= ox*sw + dx < w.
                let oxLo = dx >= 0 ? 0 : min(ow, (-dx + g.strideW - 1) / g.strideW)
                let oxHi = max(oxLo, min(ow, (w - 1 - dx) >= 0 ? (w - 1 - dx) / g.strideW + 1 : 0))
                for oy in 0..<oh {
                    let iy = oy * g.strideH - g.padH + i * g.dilationH
                    let dst = row + oy * ow
                    if iy < 0 || iy >= g.height {
                        dst.update(repeating: 0, count: ow)
                        continue
                    }
                    let src = x + iy * w + dx
                    if oxLo > 0 { dst.update(repeating: 0, count: oxLo) }
                    if g.strideW == 1 {
                        (dst + oxLo).update(from: src + oxLo, count: oxHi - oxLo)
                    } else {
                        let s = g.strideW
                        for ox in oxLo..<oxHi { dst[ox] = src[ox * s] }
                    }
                    if oxHi < ow { (dst + oxHi).update(repeating: 0, count: ow - oxHi) }
                }
            }
        }
    }

    /// Adds the columns for image `n`, channel `c` back into the plane `dx` (transpose of ``fill``).
    @inline(__always)
    static func accumulate(_ g: ConvGeometry, col: UnsafePointer<Float>, ldc: Int, channel c: Int, image n: Int,
                           plane dxPlane: UnsafeMutablePointer<Float>) {
        let oh = g.outH, ow = g.outW, w = g.width
        for i in 0..<g.kernelH {
            for j in 0..<g.kernelW {
                let row = col + ((c * g.kernelH + i) * g.kernelW + j) * ldc + n * oh * ow
                let dx = j * g.dilationW - g.padW
                let oxLo = dx >= 0 ? 0 : min(ow, (-dx + g.strideW - 1) / g.strideW)
                let oxHi = max(oxLo, min(ow, (w - 1 - dx) >= 0 ? (w - 1 - dx) / g.strideW + 1 : 0))
                for oy in 0..<oh {
                    let iy = oy * g.strideH - g.padH + i * g.dilationH
                    if iy < 0 || iy >= g.height { continue }
                    let src = row + oy * ow
                    let dst = dxPlane + iy * w + dx
                    let s = g.strideW
                    for ox in oxLo..<oxHi { dst[ox * s] += src[ox] }
                }
            }
        }
    }
}
