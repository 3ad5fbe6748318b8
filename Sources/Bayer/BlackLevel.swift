/// Black-level normalisation: the one place an ADC code becomes a normalised linear value.
///
/// x̂ = clamp((x − black)/(white − black), 0, 1), evaluated in Float32 as
/// `(Float(x) − Float(black)) / (Float(white) − Float(black))`. Every face shares this exact expression:
/// the sensor's lookup tables (``Quantization``), the planes the network sees (``PlanePacking``), the
/// preview ISP and the train faces, so they agree bit for bit.
@inlinable public func normalizedADC(_ x: Int, black: Int, white: Int) -> Float {
    let b = Float(black)
    return min(max((Float(x) - b) / (Float(white) - b), 0), 1)
}
