//===- LinearToLinalg.cpp - Linear and its backward ops → linalg
//-----------===//
//
// Every contraction becomes a plain row-major linalg.matmul whose right-hand
// side is contiguous along the output columns: PyTorch's [out, in] weight is
// transposed first (out·in floats per step, small next to N·in·out FMAs) so
// the CPU schedule only has one contraction shape to tile and vectorize.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/NNToLinalg.h"
#include "dialects/nn/NNDialect.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::lowering;

static Value transpose(OpBuilder &b, Location loc, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  auto transposedType = RankedTensorType::get(
      {type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
  SmallVector<Value> dynSizes;
  for (int64_t i : {1, 0})
    if (type.isDynamicDim(i))
      dynSizes.push_back(b.create<tensor::DimOp>(loc, input, i));
  Value init = b.create<tensor::EmptyOp>(loc, transposedType, dynSizes);
  return b
      .create<linalg::TransposeOp>(loc, input, init, ArrayRef<int64_t>{1, 0})
      ->getResult(0);
}

static Value matmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                    Value init) {
  return b.create<linalg::MatmulOp>(loc, ValueRange{lhs, rhs}, init)
      .getResult(0);
}

namespace {
// y = x W^T + b: the bias is broadcast into the accumulator.
struct LinearLowering : OpRewritePattern<nn::LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Value init;
    if (Value bias = op.getBias()) {
      init = rewriter
                 .create<linalg::BroadcastOp>(
                     loc, bias, emptyLike(rewriter, loc, type, op.getInput()),
                     ArrayRef<int64_t>{0})
                 ->getResult(0);
    } else {
      init = filledLike(rewriter, loc, type, op.getInput(), 0.0);
    }
    Value wT = transpose(rewriter, loc, op.getWeight());
    rewriter.replaceOp(op, matmul(rewriter, loc, op.getInput(), wT, init));
    return success();
  }
};

// dx = dy W.
struct LinearGradInputLowering : OpRewritePattern<nn::LinearGradInputOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LinearGradInputOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value init = filledLike(rewriter, loc, op.getType(), op.getGrad(), 0.0);
    rewriter.replaceOp(
        op, matmul(rewriter, loc, op.getGrad(), op.getWeight(), init));
    return success();
  }
};

// dW = dy^T x: the batch is the reduction dimension. Each element sums
// over the whole batch in order, so splitting dW's rows across threads (the
// CPU target does) changes no bit.
struct LinearGradWeightLowering : OpRewritePattern<nn::LinearGradWeightOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LinearGradWeightOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value init = filledLike(rewriter, loc, op.getType(), Value(), 0.0);
    Value dyT = transpose(rewriter, loc, op.getGrad());
    rewriter.replaceOp(op, matmul(rewriter, loc, dyT, op.getInput(), init));
    return success();
  }
};

// db = sum over the batch of dy.
struct LinearGradBiasLowering : OpRewritePattern<nn::LinearGradBiasOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(nn::LinearGradBiasOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value init = filledLike(rewriter, loc, op.getType(), Value(), 0.0);
    auto reduce = rewriter.create<linalg::ReduceOp>(
        loc, ValueRange{op.getGrad()}, ValueRange{init}, ArrayRef<int64_t>{0},
        [](OpBuilder &b, Location loc, ValueRange args) {
          b.create<linalg::YieldOp>(loc, accumulate(b, loc, args[1], args[0]));
        });
    rewriter.replaceOp(op, reduce->getResults());
    return success();
  }
};
} // namespace

void nncc::populateLinearToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LinearLowering, LinearGradInputLowering,
               LinearGradWeightLowering, LinearGradBiasLowering>(
      patterns.getContext());
}
