/// Explicitly vectorised inner loops (Swift SIMD types, so they vectorise
/// on any x86-64 target without fast-math: reductions use 16 partial sums).
///
/// Note: `pointwiseMax` compiles to a per-lane scalar loop here; masks via
/// `replacing(with:where:)` compile to vector blends, so ReLU uses those.
enum VectorKernels {
    typealias V = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// Σ x[0..<n].
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(repeating: 0)
        var i = 0
        while i &+ 16 <= n { acc += load(x + i); i &+= 16 }
        var s = acc.sum()
        while i < n { s += x[i]; i &+= 1 }
        return s
    }

    /// (Σ g, Σ g·(x − c)).
    @inline(__always)
    static func sumAndCenteredDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, center c: Float, _ n: Int) -> (Float, Float) {
        var a = V(repeating: 0), b = V(repeating: 0)
        let cv = V(repeating: c)
        var i = 0
        while i &+ 16 <= n {
            let gv = load(g + i)
            a += gv
            b += gv * (load(x + i) - cv)
            i &+= 16
        }
        var sa = a.sum(), sb = b.sum()
        while i < n { sa += g[i]; sb += g[i] * (x[i] - c); i &+= 1 }
        return (sa, sb)
    }

    /// y = x·scale + shift, optionally followed by max(·, 0).
    @inline(__always)
    static func affine(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, scale: Float, shift: Float, relu: Bool) {
        let sv = V(repeating: scale), tv = V(repeating: shift), zero = V(repeating: 0)
        var i = 0
        if relu {
            while i &+ 16 <= n { let v = load(x + i) * sv + tv; store(v.replacing(with: 0, where: v .< zero), y + i); i &+= 16 }
            while i < n { y[i] = Swift.max(x[i] * scale + shift, 0); i &+= 1 }
        } else {
            while i &+ 16 <= n { store(load(x + i) * sv + tv, y + i); i &+= 16 }
            while i < n { y[i] = x[i] * scale + shift; i &+= 1 }
        }
    }

    /// y = max(x, 0).
    @inline(__always)
    static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let zero = V(repeating: 0)
        var i = 0
        while i &+ 16 <= n { let v = load(x + i); store(v.replacing(with: 0, where: v .< zero), y + i); i &+= 16 }
        while i < n { y[i] = Swift.max(x[i], 0); i &+= 1 }
    }

    /// d = g where y > 0, else 0 (ReLU backward from its output y).
    @inline(__always)
    static func reluBackward(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
        let zero = V(repeating: 0)
        var i = 0
        while i &+ 16 <= n { store(load(g + i).replacing(with: 0, where: load(y + i) .<= zero), d + i); i &+= 16 }
        while i < n { d[i] = y[i] > 0 ? g[i] : 0; i &+= 1 }
    }

    /// d[0..<n] = s[0..<n] for short runs (16-, 4- and 1-wide steps, no call overhead).
    @inline(__always)
    static func copy(_ s: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i &+ 16 <= n { store(load(s + i), d + i); i &+= 16 }
        while i &+ 4 <= n {
            UnsafeMutableRawPointer(d + i).storeBytes(of: UnsafeRawPointer(s + i).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            i &+= 4
        }
        while i < n { d[i] = s[i]; i &+= 1 }
    }

    /// d[0..<n] += s[0..<n].
    @inline(__always)
    static func add(_ s: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i &+ 16 <= n { store(load(d + i) + load(s + i), d + i); i &+= 16 }
        while i < n { d[i] += s[i]; i &+= 1 }
    }

    /// d[0..<n] = value.
    @inline(__always)
    static func fill(_ d: UnsafeMutablePointer<Float>, _ value: Float, _ n: Int) {
        let v = V(repeating: value)
        var i = 0
        while i &+ 16 <= n { store(v, d + i); i &+= 16 }
        while i < n { d[i] = value; i &+= 1 }
    }

    /// (Σ (x − k), Σ (x − k)²) in one pass (a shift `k` near the mean keeps precision).
    @inline(__always)
    static func shiftedMoments(_ x: UnsafePointer<Float>, shift k: Float, _ n: Int) -> (Float, Float) {
        var a = V(repeating: 0), b = V(repeating: 0)
        let kv = V(repeating: k)
        var i = 0
        while i &+ 16 <= n { let d = load(x + i) - kv; a += d; b += d * d; i &+= 16 }
        var sa = a.sum(), sb = b.sum()
        while i < n { let d = x[i] - k; sa += d; sb += d * d; i &+= 1 }
        return (sa, sb)
    }

    /// (Σ g̃, Σ g̃·(x − c)) with g̃ = g where y > 0, else 0 (ReLU-masked gradient).
    @inline(__always)
    static func maskedSumAndCenteredDot(_ g: UnsafePointer<Float>, mask y: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                        center c: Float, _ n: Int) -> (Float, Float) {
        var a = V(repeating: 0), b = V(repeating: 0)
        let cv = V(repeating: c), zero = V(repeating: 0)
        var i = 0
        while i &+ 16 <= n {
            let gv = load(g + i).replacing(with: 0, where: load(y + i) .<= zero)
            a += gv
            b += gv * (load(x + i) - cv)
            i &+= 16
        }
        var sa = a.sum(), sb = b.sum()
        while i < n { let gv: Float = y[i] > 0 ? g[i] : 0; sa += gv; sb += gv * (x[i] - c); i &+= 1 }
        return (sa, sb)
    }
}
