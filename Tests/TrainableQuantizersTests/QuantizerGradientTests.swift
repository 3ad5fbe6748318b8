import Foundation
import NN
import TensorCore
import TensorTestSupport
@testable import TrainableQuantizers
import XCTest
