//===- NodeEmitter.cpp - one Graph node to nn ops
//--------------------------===//
//
// Each op is located at its layer (NameLoc "layers.1" around the file:line:col
// of its definition), so diagnostics, dumps and debug info point at model.nn.
//
//===----------------------------------------------------------------------===//
#include "compiler/mlirgen/NodeEmitter.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace nn = nncc::nn;

using namespace mlir;

namespace nncc::mlirgen {

Location location(OpBuilder &b, const SourceLoc &loc, StringRef name) {
  Location fileLoc =
      FileLineColLoc::get(b.getContext(), loc.file, loc.line, loc.col);
  if (name.empty())
    return fileLoc;
  return NameLoc::get(b.getStringAttr(name), fileLoc);
}

RankedTensorType tensorType(OpBuilder &b, const TensorType &type) {
  SmallVector<int64_t> shape;
  for (int64_t d : type.shape)
    shape.push_back(d == kBatchDim ? ShapedType::kDynamic : d);
  Type element =
      type.dtype == DType::F32 ? Type(b.getF32Type()) : Type(b.getI64Type());
  return RankedTensorType::get(shape, element);
}

static int64_t intAttr(const Node &node, StringRef key, int64_t dflt = 0) {
  auto it = node.intAttrs.find(key.str());
  return it == node.intAttrs.end() ? dflt : it->second;
}

static double floatAttr(const Node &node, StringRef key, double dflt = 0.0) {
  auto it = node.floatAttrs.find(key.str());
  return it == node.floatAttrs.end() ? dflt : it->second;
}

Value NodeEmitter::constant(RankedTensorType type, float value) {
  return b.create<arith::ConstantOp>(func.getLoc(),
                                     DenseElementsAttr::get(type, value));
}

void NodeEmitter::emit(const Node &node) {
  Location loc = location(b, node.loc, node.path);
  Value x = node.operands.empty() ? Value() : operand(node, 0);
  Value result;
  switch (node.kind) {
  case Node::Kind::Flatten: {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    int64_t start = intAttr(node, "start_dim", 1);
    int64_t end = intAttr(node, "end_dim", -1);
    result = b.create<nn::FlattenOp>(
        loc, x, b.getI64IntegerAttr(start < 0 ? start + rank : start),
        b.getI64IntegerAttr(end < 0 ? end + rank : end));
    break;
  }
  case Node::Kind::Linear:
    result = b.create<nn::LinearOp>(loc, x, param(node, 0),
                                    node.params.size() > 1 ? param(node, 1)
                                                           : Value());
    break;
  case Node::Kind::Conv2d:
    result = emitConv(node, loc);
    break;
  case Node::Kind::BatchNorm:
    result = emitBatchNorm(node, loc);
    break;
  case Node::Kind::MaxPool2d:
  case Node::Kind::AvgPool2d:
  case Node::Kind::AdaptiveAvgPool2d:
    result = emitPool(node, loc);
    break;
  case Node::Kind::ReLU:
    result = b.create<nn::ReluOp>(loc, x);
    break;
  case Node::Kind::LeakyReLU:
    result = b.create<nn::LeakyReluOp>(
        loc, x, b.getF64FloatAttr(floatAttr(node, "negative_slope", 0.01)));
    break;
  case Node::Kind::Sigmoid:
    result = b.create<nn::SigmoidOp>(loc, x);
    break;
  case Node::Kind::Tanh:
    result = b.create<nn::TanhOp>(loc, x);
    break;
  case Node::Kind::GELU:
    result = b.create<nn::GeluOp>(loc, x);
    break;
  case Node::Kind::SiLU:
    result = b.create<nn::SiluOp>(loc, x);
    break;
  case Node::Kind::Identity:
    result = x;
    break;
  case Node::Kind::Dropout: {
    double p = floatAttr(node, "p", 0.5);
    // Inverted dropout in training only; a salt per layer decorrelates masks.
    if (mode == Mode::Train && p > 0.0)
      result = b.create<nn::DropoutOp>(
          loc, x.getType(), x, seed, b.getF64FloatAttr(p),
          b.getI64IntegerAttr(&node - graph.nodes.data()));
    else
      result = x;
    break;
  }
  case Node::Kind::Add:
    result = b.create<nn::AddOp>(loc, x.getType(), x, operand(node, 1));
    break;
  case Node::Kind::Softmax:
    result = b.create<nn::SoftmaxOp>(loc, x.getType(), x,
                                     b.getI64IntegerAttr(intAttr(node, "dim")));
    break;
  case Node::Kind::LogSoftmax:
    result = b.create<nn::LogSoftmaxOp>(
        loc, x.getType(), x, b.getI64IntegerAttr(intAttr(node, "dim")));
    break;
  case Node::Kind::CrossEntropyLoss:
    result = b.create<nn::CrossEntropyOp>(
        loc, x, operand(node, 1),
        b.getF64FloatAttr(floatAttr(node, "label_smoothing")));
    break;
  }
  values[node.result] = result;
}

Value NodeEmitter::emitConv(const Node &node, Location loc) {
  auto pair = [&](StringRef h, StringRef w, int64_t dflt) {
    return b.getDenseI64ArrayAttr(
        {intAttr(node, h, dflt), intAttr(node, w, dflt)});
  };
  return b.create<nn::Conv2dOp>(
      loc, operand(node, 0), param(node, 0),
      node.params.size() > 1 ? param(node, 1) : Value(),
      pair("stride_h", "stride_w", 1), pair("pad_h", "pad_w", 0),
      pair("dilation_h", "dilation_w", 1),
      b.getI64IntegerAttr(intAttr(node, "groups", 1)));
}

Value NodeEmitter::emitPool(const Node &node, Location loc) {
  Value x = operand(node, 0);
  auto type = cast<RankedTensorType>(x.getType());
  auto pair = [&](StringRef h, StringRef w, int64_t dflt) {
    return b.getDenseI64ArrayAttr(
        {intAttr(node, h, dflt), intAttr(node, w, dflt)});
  };
  if (node.kind == Node::Kind::AdaptiveAvgPool2d) {
    // Output 1x1: one window covering the whole plane.
    auto plane =
        b.getDenseI64ArrayAttr({type.getDimSize(2), type.getDimSize(3)});
    return b.create<nn::AvgPool2dOp>(loc, x, plane,
                                     b.getDenseI64ArrayAttr({1, 1}),
                                     b.getDenseI64ArrayAttr({0, 0}));
  }
  auto kernel = pair("kernel_h", "kernel_w", 1);
  auto stride = pair("stride_h", "stride_w", 1);
  auto padding = pair("pad_h", "pad_w", 0);
  if (node.kind == Node::Kind::AvgPool2d)
    return b.create<nn::AvgPool2dOp>(loc, x, kernel, stride, padding);
  return b.create<nn::MaxPool2dOp>(loc, x, kernel, stride, padding).getResult();
}

Value NodeEmitter::emitBatchNorm(const Node &node, Location loc) {
  Value x = operand(node, 0);
  auto type = cast<RankedTensorType>(x.getType());
  auto channels = RankedTensorType::get({type.getDimSize(1)}, b.getF32Type());
  bool affine = intAttr(node, "affine", 1) != 0;
  bool tracked = intAttr(node, "track_running_stats", 1) != 0;
  Value weight = affine ? param(node, 0) : constant(channels, 1.0f);
  Value bias = affine ? param(node, 1) : constant(channels, 0.0f);
  Value mean = tracked ? buffer(node, 0) : constant(channels, 0.0f);
  Value var = tracked ? buffer(node, 1) : constant(channels, 1.0f);
  auto eps = b.getF64FloatAttr(floatAttr(node, "eps", 1e-5));
  // Without running statistics PyTorch normalises with batch statistics in
  // eval mode too.
  if (mode != Mode::Train && tracked)
    return b.create<nn::BatchNormEvalOp>(loc, x, weight, bias, mean, var, eps);
  auto bn = b.create<nn::BatchNormTrainOp>(
      loc, x, weight, bias, mean, var, eps,
      b.getF64FloatAttr(floatAttr(node, "momentum", 0.1)));
  if (mode == Mode::Train && tracked) {
    updates[node.buffers[0]] = bn.getNewRunningMean();
    updates[node.buffers[1]] = bn.getNewRunningVar();
    Value count = buffer(node, 2);
    auto countType = cast<RankedTensorType>(count.getType());
    Value one = b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(countType, static_cast<int64_t>(1)));
    updates[node.buffers[2]] = b.create<arith::AddIOp>(loc, count, one);
  }
  return bn.getResult();
}

} // namespace nncc::mlirgen
