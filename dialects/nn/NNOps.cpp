//===- NNOps.cpp - nn op shape inference and verifiers
//---------------------===//
//
// Result shapes follow PyTorch's rules; verifiers reject what the frontend
// should never produce (so a bug there fails loudly here, not in lowering).
//
//===----------------------------------------------------------------------===//
#include "dialects/nn/NNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace nncc::nn;

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.cpp.inc"

static RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type elementType) {
  return RankedTensorType::get(shape, elementType);
}

/// Product of dims [begin, end]; dynamic if any of them is.
static int64_t collapsedSize(ArrayRef<int64_t> shape, int64_t begin,
                             int64_t end) {
  int64_t size = 1;
  for (int64_t i = begin; i <= end; ++i) {
    if (ShapedType::isDynamic(shape[i]))
      return ShapedType::kDynamic;
    size *= shape[i];
  }
  return size;
}

static bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

//===----------------------------------------------------------------------===//
// FlattenOp / UnflattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t start = adaptor.getStartDim(), end = adaptor.getEndDim();
  if (start < 0 || end < start || end >= type.getRank())
    return emitOptionalError(loc, "flatten dims [", start, ", ", end,
                             "] out of range for rank ", type.getRank());
  SmallVector<int64_t> shape(type.getShape().take_front(start));
  shape.push_back(collapsedSize(type.getShape(), start, end));
  llvm::append_range(shape, type.getShape().drop_front(end + 1));
  results.push_back(tensorOf(shape, type.getElementType()));
  return success();
}

LogicalResult UnflattenOp::verify() {
  auto in = getInput().getType(), out = getResult().getType();
  int64_t start = getStartDim(), end = getEndDim();
  if (start < 0 || end < start || end >= out.getRank() ||
      in.getRank() != out.getRank() - (end - start))
    return emitOpError("dims [")
           << start << ", " << end << "] do not relate the two ranks";
  if (!dimsCompatible(in.getDimSize(start),
                      collapsedSize(out.getShape(), start, end)))
    return emitOpError("dimension ") << start << " does not split into " << out;
  return success();
}

//===----------------------------------------------------------------------===//
// LinearOp and its backward ops
//===----------------------------------------------------------------------===//

/// Shape inference runs before verifiers (also while parsing): reject the
/// ranks it cannot work with instead of reading past a shape.
static LogicalResult expectMatrices(std::optional<Location> loc,
                                    StringRef opName, ArrayRef<Value> values) {
  for (Value v : values)
    if (cast<RankedTensorType>(v.getType()).getRank() != 2)
      return emitOptionalError(loc, "'nn.", opName,
                               "' expects 2-d operands, got ", v.getType());
  return success();
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  if (failed(expectMatrices(loc, "linear",
                            {adaptor.getInput(), adaptor.getWeight()})))
    return failure();
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  results.push_back(
      tensorOf({x.getDimSize(0), w.getDimSize(0)}, x.getElementType()));
  return success();
}

LogicalResult LinearOp::verify() {
  // Ranks were checked by shape inference.
  auto x = getInput().getType(), w = getWeight().getType();
  if (!dimsCompatible(x.getDimSize(1), w.getDimSize(1)))
    return emitOpError("input has ")
           << x.getDimSize(1) << " features but the weight expects "
           << w.getDimSize(1);
  if (getBias() && (getBias().getType().getRank() != 1 ||
                    getBias().getType().getDimSize(0) != w.getDimSize(0)))
    return emitOpError("bias must be [") << w.getDimSize(0) << "]";
  return success();
}

LogicalResult
LinearGradInputOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &results) {
  if (failed(expectMatrices(loc, "linear_grad_input",
                            {adaptor.getGrad(), adaptor.getWeight()})))
    return failure();
  auto dy = cast<RankedTensorType>(adaptor.getGrad().getType());
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  results.push_back(
      tensorOf({dy.getDimSize(0), w.getDimSize(1)}, dy.getElementType()));
  return success();
}

LogicalResult
LinearGradWeightOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                     Adaptor adaptor,
                                     SmallVectorImpl<Type> &results) {
  if (failed(expectMatrices(loc, "linear_grad_weight",
                            {adaptor.getGrad(), adaptor.getInput()})))
    return failure();
  auto dy = cast<RankedTensorType>(adaptor.getGrad().getType());
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  results.push_back(
      tensorOf({dy.getDimSize(1), x.getDimSize(1)}, dy.getElementType()));
  return success();
}

LogicalResult
LinearGradBiasOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                   Adaptor adaptor,
                                   SmallVectorImpl<Type> &results) {
  if (failed(expectMatrices(loc, "linear_grad_bias", {adaptor.getGrad()})))
    return failure();
  auto dy = cast<RankedTensorType>(adaptor.getGrad().getType());
  results.push_back(tensorOf({dy.getDimSize(1)}, dy.getElementType()));
  return success();
}

// dx = dy W: dy's features are W's rows.
LogicalResult LinearGradInputOp::verify() {
  if (!dimsCompatible(getGrad().getType().getDimSize(1),
                      getWeight().getType().getDimSize(0)))
    return emitOpError("gradient has ")
           << getGrad().getType().getDimSize(1)
           << " features but the weight has "
           << getWeight().getType().getDimSize(0) << " rows";
  return success();
}

// dW = dy^T x: both share the batch dimension.
LogicalResult LinearGradWeightOp::verify() {
  if (!dimsCompatible(getGrad().getType().getDimSize(0),
                      getInput().getType().getDimSize(0)))
    return emitOpError("gradient and input disagree on the batch size");
  return success();
}

//===----------------------------------------------------------------------===//
// CrossEntropyOp
//===----------------------------------------------------------------------===//

LogicalResult CrossEntropyOp::inferReturnTypes(MLIRContext *context,
                                               std::optional<Location>, Adaptor,
                                               SmallVectorImpl<Type> &results) {
  results.push_back(tensorOf({}, Float32Type::get(context)));
  return success();
}

LogicalResult CrossEntropyOp::verify() {
  auto x = getLogits().getType(), t = getTarget().getType();
  if (x.getRank() != 2 || t.getRank() != 1 ||
      !dimsCompatible(x.getDimSize(0), t.getDimSize(0)))
    return emitOpError("expects logits [N, C] and targets [N], got ")
           << x << " and " << t;
  double e = getLabelSmoothing().convertToDouble();
  if (e < 0.0 || e > 1.0)
    return emitOpError("label_smoothing must be in [0, 1], got ") << e;
  return success();
}

//===----------------------------------------------------------------------===//
// CountNonFiniteOp
//===----------------------------------------------------------------------===//

LogicalResult CountNonFiniteOp::verify() {
  auto type = cast<RankedTensorType>(getResult().getType());
  if (type.getRank() != 1 ||
      type.getDimSize(0) != static_cast<int64_t>(getInputs().size()))
    return emitOpError("result must be a 1-d tensor with one count per "
                       "input (")
           << getInputs().size() << "), got " << type;
  return success();
}
