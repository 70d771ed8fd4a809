//===- Profile.cpp - regions of a profiled build, one per nn op -----------===//
//
// `nncc --profile` asks where a step's time goes, layer by layer and op by
// op, forward and backward, the way torch.profiler answers it for PyTorch.
// After autodiff every nn op of the entry points still stands for one
// layer's forward or one of its backward halves, so that is where the
// regions are cut: an nn.profile_mark before each op that does work, one
// mark -1 before the return. Everything the op lowers to, and whatever later
// passes fuse into it, runs between its mark and the next; the marks become
// calls of the execution context's profile hook (nn-parallel-loops), which
// the runtime's Profiler times.
//
// The module's `nn.profile_regions` describes each region for the report:
// its entry point, layer (the op's location name, "features.4"), op
// ("conv2d_grad_weight") and cost: the multiply-adds of convolutions and
// linear layers as FLOPs (2 per multiply-add), and the bytes of the tensors
// the op reads and writes, per sample (tensors with the batch dimension) and
// fixed (parameters). nn-emit-c-interface turns it into the object's table.
//
//===----------------------------------------------------------------------===//
#include "compiler/Passes.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace nncc {
#define GEN_PASS_DEF_NNPROFILE
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;
using namespace nncc;

namespace {

/// The layer an op belongs to: the name of its location ("features.4"), as
/// MLIRGen gives every op of a layer, forward and backward.
std::string layerOf(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string name = layerOf(inner);
      if (!name.empty())
        return name;
    }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return layerOf(callSite.getCallee());
  return "";
}

/// Elements of a tensor type, per sample (the dynamic batch counted as 1)
/// and whether it has the batch dimension.
std::pair<double, bool> elements(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return {0, false};
  double n = 1;
  bool batched = false;
  for (int64_t d : tensor.getShape()) {
    if (ShapedType::isDynamic(d))
      batched = true;
    else
      n *= double(d);
  }
  return {n, batched};
}

double elementBytes(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return double((tensor.getElementTypeBitWidth() + 7) / 8);
}

struct Cost {
  int64_t flops = 0;      // per sample
  int64_t bytes = 0;      // per sample
  int64_t fixedBytes = 0; // independent of the batch
};

/// Multiply-adds per sample of a convolution, forward or backward: every
/// output-plane element (of `planes`, [N, K, OH, OW]) takes C/groups x KH x
/// KW of them, the weight's trailing three dimensions.
double convMacs(Type planes, Type weight) {
  auto w = cast<RankedTensorType>(weight);
  return elements(planes).first *
         double(w.getDimSize(1) * w.getDimSize(2) * w.getDimSize(3));
}

Cost costOf(Operation *op) {
  Cost cost;
  auto count = [&](Type type) {
    auto [n, batched] = elements(type);
    if (!n || !isa<RankedTensorType>(type))
      return;
    (batched ? cost.bytes : cost.fixedBytes) +=
        static_cast<int64_t>(n * elementBytes(type));
  };
  for (Type type : op->getOperandTypes())
    count(type);
  for (Type type : op->getResultTypes())
    count(type);

  double macs = 0;
  if (auto conv = dyn_cast<nn::Conv2dOp>(op))
    macs = convMacs(conv.getType(), conv.getWeight().getType());
  else if (auto conv = dyn_cast<nn::Conv2dGradInputOp>(op))
    macs = convMacs(conv.getGrad().getType(), conv.getWeight().getType());
  else if (auto conv = dyn_cast<nn::Conv2dGradWeightOp>(op))
    macs = convMacs(conv.getGrad().getType(), conv.getType());
  else if (auto linear = dyn_cast<nn::LinearOp>(op))
    macs =
        elements(linear.getType()).first *
        double(
            cast<RankedTensorType>(linear.getWeight().getType()).getDimSize(1));
  else if (auto linear = dyn_cast<nn::LinearGradInputOp>(op))
    macs =
        elements(linear.getGrad().getType()).first *
        double(
            cast<RankedTensorType>(linear.getWeight().getType()).getDimSize(1));
  else if (auto linear = dyn_cast<nn::LinearGradWeightOp>(op))
    macs = elements(linear.getGrad().getType()).first *
           double(cast<RankedTensorType>(linear.getType()).getDimSize(1));
  cost.flops = static_cast<int64_t>(2 * macs);
  return cost;
}

/// Ops that lower to a view of their operand, not to work.
bool isView(Operation *op) { return isa<nn::FlattenOp, nn::UnflattenOp>(op); }

struct NNProfile : nncc::impl::NNProfileBase<NNProfile> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    Builder attrs(ctx);
    SmallVector<Attribute> regions;
    for (StringRef entry : {"train_step", "eval_step", "predict"}) {
      auto func = module.lookupSymbol<func::FuncOp>(entry);
      if (!func || func.isExternal())
        continue;
      Block &body = func.getBody().front();
      for (Operation &op : llvm::make_early_inc_range(body)) {
        if (isa<func::ReturnOp>(op)) {
          OpBuilder(&op).create<nn::ProfileMarkOp>(op.getLoc(), -1);
          continue;
        }
        if (!isa<nn::NNDialect>(op.getDialect()) ||
            isa<nn::ProfileMarkOp>(op) || isView(&op))
          continue;
        std::string layer = layerOf(op.getLoc());
        Cost cost = costOf(&op);
        auto id = static_cast<int32_t>(regions.size());
        regions.push_back(attrs.getDictionaryAttr({
            attrs.getNamedAttr("entry", attrs.getStringAttr(entry)),
            attrs.getNamedAttr("layer", attrs.getStringAttr(layer)),
            attrs.getNamedAttr(
                "op", attrs.getStringAttr(op.getName().stripDialect())),
            attrs.getNamedAttr("flops", attrs.getI64IntegerAttr(cost.flops)),
            attrs.getNamedAttr("bytes", attrs.getI64IntegerAttr(cost.bytes)),
            attrs.getNamedAttr("fixed_bytes",
                               attrs.getI64IntegerAttr(cost.fixedBytes)),
        }));
        OpBuilder(&op).create<nn::ProfileMarkOp>(op.getLoc(), id);
      }
    }
    module->setAttr(nn::kProfileRegionsAttr, attrs.getArrayAttr(regions));
  }
};

} // namespace
