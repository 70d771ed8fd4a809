//===- NNNormOps.cpp - shapes of batch-norm ops, softmax verifiers
//---------===//
#include "dialects/nn/NNDialect.h"

using namespace mlir;
using namespace nncc::nn;

/// Per-channel statistics are [C] where C is dimension 1 of the input.
static RankedTensorType channelType(Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  return RankedTensorType::get({type.getDimSize(1)}, type.getElementType());
}

static LogicalResult checkNormInput(std::optional<Location> loc, Value input) {
  if (cast<RankedTensorType>(input.getType()).getRank() < 2)
    return emitOptionalError(loc, "batch norm expects [N, C, ...]");
  return success();
}

LogicalResult
BatchNormTrainOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                   Adaptor adaptor,
                                   SmallVectorImpl<Type> &results) {
  if (failed(checkNormInput(loc, adaptor.getInput())))
    return failure();
  results.push_back(adaptor.getInput().getType());
  results.append(4, channelType(adaptor.getInput()));
  return success();
}

LogicalResult BatchNormTrainOp::verify() {
  if (getWeight().getType() != channelType(getInput()))
    return emitOpError("statistics and affine parameters must be [")
           << getInput().getType().getDimSize(1) << "]";
  double m = getMomentum().convertToDouble();
  if (m < 0.0 || m > 1.0)
    return emitOpError("momentum must be in [0, 1], got ") << m;
  return success();
}

LogicalResult
BatchNormEvalOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  if (failed(checkNormInput(loc, adaptor.getInput())))
    return failure();
  results.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult
BatchNormGradOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  if (failed(checkNormInput(loc, adaptor.getInput())))
    return failure();
  results.push_back(adaptor.getInput().getType());
  results.append(2, channelType(adaptor.getInput()));
  return success();
}

static LogicalResult verifyDim(Operation *op, int64_t dim, Type type) {
  if (dim < 0 || dim >= cast<RankedTensorType>(type).getRank())
    return op->emitOpError("dim ") << dim << " is out of range for " << type;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyDim(*this, getDim(), getType());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyDim(*this, getDim(), getType());
}
