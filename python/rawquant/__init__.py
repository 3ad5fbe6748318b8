"""RawQuant's Python companion: read `.rqm` and `.rqf` codes and quantizer files with the Swift tool's exact numbers."""
from .errors import RawQuantFormatError
from .quantizer_file import decode_quantizer, encode_quantizer, read_quantizer, write_quantizer
from .rqf import FeatureCodec, FeatureCodes, FeatureModel, decode_feature_model, decode_rqf, read_feature_model, read_rqf
from .rqm import PackedMosaic, decode_rqm, read_rqm
from .spec import QuantizerSpec

__all__ = ["RawQuantFormatError", "QuantizerSpec", "PackedMosaic", "read_rqm", "decode_rqm", "read_quantizer", "decode_quantizer", "write_quantizer", "encode_quantizer",
           "FeatureCodes", "FeatureCodec", "FeatureModel", "read_rqf", "decode_rqf", "read_feature_model", "decode_feature_model"]
__version__ = "0.1.0"
