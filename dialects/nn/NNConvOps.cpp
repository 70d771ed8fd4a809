//===- NNConvOps.cpp - shapes of convolution and pooling ops
//---------------===//
//
// Output sizes as PyTorch computes them (floor mode):
//   out = (in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1.
//
//===----------------------------------------------------------------------===//
#include "dialects/nn/NNDialect.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace nncc::nn;

/// One spatial output size, or dynamic if the input size is.
static int64_t windowOutput(int64_t in, int64_t kernel, int64_t stride,
                            int64_t padding, int64_t dilation) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  return (in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

static LogicalResult checkWindow(std::optional<Location> loc, StringRef op,
                                 ArrayRef<int64_t> kernel,
                                 ArrayRef<int64_t> stride,
                                 ArrayRef<int64_t> padding,
                                 ArrayRef<int64_t> dilation) {
  if (kernel.size() != 2 || stride.size() != 2 || padding.size() != 2 ||
      dilation.size() != 2)
    return emitOptionalError(loc, "'nn.", op,
                             "' expects 2 values for kernel, stride, padding "
                             "and dilation");
  for (int i = 0; i < 2; ++i)
    if (kernel[i] < 1 || stride[i] < 1 || padding[i] < 0 || dilation[i] < 1)
      return emitOptionalError(loc, "'nn.", op,
                               "' has a non-positive kernel, stride or "
                               "dilation, or a negative padding");
  return success();
}

/// [N, C, H, W] -> [N, channels, OH, OW]; fails when a plane is too small.
static FailureOr<RankedTensorType>
windowResult(std::optional<Location> loc, StringRef op, Value input,
             int64_t channels, ArrayRef<int64_t> kernel,
             ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
             ArrayRef<int64_t> dilation) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getRank() != 4)
    return emitOptionalError(loc, "'nn.", op, "' expects an NCHW input, got ",
                             type);
  if (failed(checkWindow(loc, op, kernel, stride, padding, dilation)))
    return failure();
  SmallVector<int64_t> shape{type.getDimSize(0), channels};
  for (int i = 0; i < 2; ++i) {
    int64_t out = windowOutput(type.getDimSize(2 + i), kernel[i], stride[i],
                               padding[i], dilation[i]);
    if (!ShapedType::isDynamic(out) && out < 1)
      return emitOptionalError(loc, "'nn.", op, "' produces an empty plane");
    shape.push_back(out);
  }
  return RankedTensorType::get(shape, type.getElementType());
}

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (w.getRank() != 4)
    return emitOptionalError(loc, "'nn.conv2d' expects an OIHW weight");
  auto result = windowResult(loc, "conv2d", adaptor.getInput(), w.getDimSize(0),
                             w.getShape().drop_front(2), adaptor.getStride(),
                             adaptor.getPadding(), adaptor.getDilation());
  if (failed(result))
    return failure();
  results.push_back(*result);
  return success();
}

/// Channels of an NCHW tensor `x` and an OIHW weight `w` in `groups`.
static LogicalResult checkConvChannels(Operation *op, RankedTensorType x,
                                       RankedTensorType w, int64_t groups) {
  if (x.getRank() != 4 || w.getRank() != 4)
    return op->emitOpError("expects an NCHW input and an OIHW weight");
  if (groups < 1 || x.getDimSize(1) % groups != 0 ||
      w.getDimSize(0) % groups != 0)
    return op->emitOpError("channels must divide into ") << groups << " groups";
  if (x.getDimSize(1) / groups != w.getDimSize(1))
    return op->emitOpError("input has ")
           << x.getDimSize(1) << " channels; the weight expects "
           << w.getDimSize(1) * groups;
  return success();
}

LogicalResult Conv2dOp::verify() {
  auto x = getInput().getType(), w = getWeight().getType();
  if (failed(checkConvChannels(*this, x, w, getGroups())))
    return failure();
  if (getBias() && (getBias().getType().getRank() != 1 ||
                    getBias().getType().getDimSize(0) != w.getDimSize(0)))
    return emitOpError("bias must be [") << w.getDimSize(0) << "]";
  return success();
}

LogicalResult ChannelSumOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  if (type.getRank() < 2)
    return emitOptionalError(loc, "'nn.channel_sum' expects rank >= 2");
  results.push_back(
      RankedTensorType::get({type.getDimSize(1)}, type.getElementType()));
  return success();
}

/// Pooling windows have no dilation and keep the channels.
template <typename Adaptor>
static FailureOr<RankedTensorType> poolResult(std::optional<Location> loc,
                                              StringRef op, Adaptor adaptor) {
  static const int64_t kNoDilation[] = {1, 1};
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  return windowResult(loc, op, adaptor.getInput(),
                      type.getRank() == 4 ? type.getDimSize(1) : 0,
                      adaptor.getKernel(), adaptor.getStride(),
                      adaptor.getPadding(), kNoDilation);
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto result = poolResult(loc, "max_pool2d", adaptor);
  if (failed(result))
    return failure();
  results.push_back(*result);
  results.push_back(
      RankedTensorType::get(result->getShape(), IntegerType::get(context, 64)));
  return success();
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto result = poolResult(loc, "avg_pool2d", adaptor);
  if (failed(result))
    return failure();
  results.push_back(*result);
  return success();
}

/// The gradient ops carry the forward's window and the tensor the forward
/// read (its result type, or an operand); the gradient flowing in must have
/// the shape the forward produced from it, or the lowering would index out
/// of bounds.
static LogicalResult checkGradShape(Operation *op, StringRef name,
                                    Value forwardInput, Type grad,
                                    int64_t channels, ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> stride,
                                    ArrayRef<int64_t> padding,
                                    ArrayRef<int64_t> dilation) {
  auto expected = windowResult(op->getLoc(), name, forwardInput, channels,
                               kernel, stride, padding, dilation);
  if (failed(expected))
    return failure();
  auto gradType = cast<RankedTensorType>(grad);
  if (failed(verifyCompatibleShape(gradType.getShape(), expected->getShape())))
    return op->emitOpError("gradient is ")
           << gradType << "; the forward's output is " << *expected;
  return success();
}

/// A convolution gradient op: `x` is the forward's input type, `w` its
/// weight's, `forwardInput` the value whose shape the forward read.
template <typename Op>
static LogicalResult verifyConvGrad(Op op, StringRef name, RankedTensorType x,
                                    RankedTensorType w, Value forwardInput) {
  if (failed(checkConvChannels(op, x, w, op.getGroups())))
    return failure();
  return checkGradShape(op, name, forwardInput, op.getGrad().getType(),
                        w.getDimSize(0), w.getShape().drop_front(2),
                        op.getStride(), op.getPadding(), op.getDilation());
}

LogicalResult Conv2dGradInputOp::verify() {
  return verifyConvGrad(
      *this, "conv2d_grad_input", cast<RankedTensorType>(getType()),
      cast<RankedTensorType>(getWeight().getType()), getResult());
}

LogicalResult Conv2dGradWeightOp::verify() {
  return verifyConvGrad(*this, "conv2d_grad_weight",
                        cast<RankedTensorType>(getInput().getType()),
                        cast<RankedTensorType>(getType()), getInput());
}

template <typename Op>
static LogicalResult verifyPoolGrad(Op op, StringRef name) {
  static const int64_t kNoDilation[] = {1, 1};
  auto x = cast<RankedTensorType>(op.getType());
  if (x.getRank() != 4)
    return op.emitOpError("expects an NCHW result, got ") << x;
  return checkGradShape(op, name, op.getResult(), op.getGrad().getType(),
                        x.getDimSize(1), op.getKernel(), op.getStride(),
                        op.getPadding(), kNoDilation);
}

LogicalResult MaxPool2dGradOp::verify() {
  if (failed(verifyPoolGrad(*this, "max_pool2d_grad")))
    return failure();
  if (failed(
          verifyCompatibleShape(getIndices().getType(), getGrad().getType())))
    return emitOpError("indices must have the gradient's shape");
  return success();
}

LogicalResult AvgPool2dGradOp::verify() {
  return verifyPoolGrad(*this, "avg_pool2d_grad");
}
