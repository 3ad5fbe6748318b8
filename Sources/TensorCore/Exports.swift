// The tensor core's seeded generator lives in the dependency-free `Randomness` target, shared with the
// scene generator and the input pipeline; users of TensorCore see it as before.
@_exported import Randomness
