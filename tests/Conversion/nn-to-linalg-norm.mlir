// nn-to-linalg of batch norm, channel sums and dropout (NormToLinalg.cpp):
// per-channel reductions over every dimension but 1 accumulate in f64
// (reassociable adds) and are rounded to f32 once; they run in 8 fixed shards
// of the batch (channelSum64 via sumOverShards): an scf.forall over the
// shards, shard s reducing images [s * N floordiv 8, (s + 1) * N floordiv 8)
// into its own f64 partial at row s of an [8, C] tensor (first over the
// images into [C, H*W], the spatial dimensions collapsed so that the inner
// loop runs along memory without a chain of dependent adds, then over the
// positions in order, a linalg.reduce over dimension 1), then a linalg.reduce
// over dimension 0 adding the partials in shard order (a plain addf), so the
// bits do not depend on the thread count. The training-mode variance takes
// two passes (mean, then squared deviations); the running variance is
// unbiased; dropout's mask is a stateless hash of (seed, salt, element index)
// that dropout_grad recomputes.
// RUN: %nncc-opt %s --split-input-file --nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[$BEGIN:.+]] = affine_map<(d0)[s0] -> ((d0 * s0) floordiv 8)>
// CHECK-DAG: #[[$END:.+]] = affine_map<(d0)[s0] -> (((d0 + 1) * s0) floordiv 8)>
// CHECK-DAG: #[[$ALL:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CHAN:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[$ALL3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$POS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$CHAN3:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_train
// CHECK-SAME: (%[[X:.+]]: tensor<?x2x3x3xf32>, %[[W:.+]]: tensor<2xf32>, %[[B:.+]]: tensor<2xf32>, %[[RM:.+]]: tensor<2xf32>, %[[RV:.+]]: tensor<2xf32>)
// M = N * 3 * 3 elements per channel.
// CHECK: %[[HW:.+]] = arith.constant 9.000000e+00 : f32
// CHECK: %[[N:.+]] = arith.sitofp %{{.+}} : i64 to f32
// CHECK: %[[M:.+]] = arith.mulf %[[N]], %[[HW]] : f32
// CHECK: %[[M64:.+]] = arith.extf %[[M]] : f32 to f64
// The sum, shard s over images [BEGIN, END) of x.
// CHECK: %[[BATCH:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x2x3x3xf32>
// CHECK: %[[PARTS0:.+]] = tensor.empty() : tensor<8x2xf64>
// CHECK: %[[PARTS:.+]] = scf.forall (%[[S:[^)]+]]) in (8) shared_outs(%[[OUT:[^ ]+]] = %[[PARTS0]]) -> (tensor<8x2xf64>) {
// CHECK-DAG: %[[END:.+]] = affine.apply #[[$END]](%[[S]])[%[[BATCH]]]
// CHECK-DAG: %[[BEGIN:.+]] = affine.apply #[[$BEGIN]](%[[S]])[%[[BATCH]]]
// CHECK: %[[LEN:.+]] = arith.subi %[[END]], %[[BEGIN]] : index
// CHECK: %[[XS:.+]] = tensor.extract_slice %[[X]][%[[BEGIN]], 0, 0, 0] [%[[LEN]], 2, 3, 3] [1, 1, 1, 1] : tensor<?x2x3x3xf32> to tensor<?x2x3x3xf32>
// CHECK: %[[XC:.+]] = tensor.collapse_shape %[[XS]] {{\[}}[0], [1], [2, 3]] : tensor<?x2x3x3xf32> into tensor<?x2x9xf32>
// CHECK: %[[PZERO:.+]] = linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<2x9xf64>)
// CHECK: %[[POSSUM:.+]] = linalg.generic {indexing_maps = [#[[$ALL3]], #[[$POS]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%[[XC]] : tensor<?x2x9xf32>) outs(%[[PZERO]] : tensor<2x9xf64>)
// CHECK: %[[X64:.+]] = arith.extf %{{.+}} : f32 to f64
// CHECK: arith.addf %{{.+}}, %[[X64]] fastmath<reassoc> : f64
// CHECK: %[[CZERO:.+]] = linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<2xf64>)
// CHECK: %[[PART:.+]] = linalg.reduce ins(%[[POSSUM]] : tensor<2x9xf64>) outs(%[[CZERO]] : tensor<2xf64>) dimensions = [1]
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[PART]] into %[[OUT]][%[[S]], 0] [1, 2] [1, 1] : tensor<2xf64> into tensor<8x2xf64>
// CHECK: %[[SZERO:.+]] = linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<2xf64>)
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[PARTS]] : tensor<8x2xf64>) outs(%[[SZERO]] : tensor<2xf64>) dimensions = [0]
// CHECK-NEXT: (%[[P:[^:]+]]: f64, %[[ACC:[^:]+]]: f64) {
// CHECK-NEXT: arith.addf %[[P]], %[[ACC]] : f64
// CHECK: %[[MEAN:.+]] = linalg.generic {{.+}} ins(%[[SUM]] : tensor<2xf64>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[MEAN64:.+]] = arith.divf %{{.+}}, %[[M64]] : f64
// CHECK: arith.truncf %[[MEAN64]] : f64 to f32
// Second pass: squared deviations from the (rounded) mean, in f64, sharded
// the same way; the mean is passed whole to every shard.
// CHECK: %[[PARTSQ:.+]] = scf.forall (%[[S:[^)]+]]) in (8) shared_outs(%[[OUT:[^ ]+]] = %{{.+}}) -> (tensor<8x2xf64>) {
// CHECK: %[[XS:.+]] = tensor.extract_slice %[[X]][%{{.+}}, 0, 0, 0] [%{{.+}}, 2, 3, 3] [1, 1, 1, 1] : tensor<?x2x3x3xf32> to tensor<?x2x3x3xf32>
// CHECK: %[[XC:.+]] = tensor.collapse_shape %[[XS]]
// CHECK: %[[POSSUM:.+]] = linalg.generic {indexing_maps = [#[[$ALL3]], #[[$CHAN3]], #[[$POS]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%[[XC]], %[[MEAN]] : tensor<?x2x9xf32>, tensor<2xf32>) outs(%{{.+}} : tensor<2x9xf64>)
// CHECK: %[[D:.+]] = arith.subf %{{.+}}, %{{.+}} : f64
// CHECK: %[[SQ:.+]] = arith.mulf %[[D]], %[[D]] : f64
// CHECK: arith.addf %{{.+}}, %[[SQ]] fastmath<reassoc> : f64
// CHECK: %[[PART:.+]] = linalg.reduce ins(%[[POSSUM]] : tensor<2x9xf64>) outs(%{{.+}} : tensor<2xf64>) dimensions = [1]
// CHECK: tensor.parallel_insert_slice %[[PART]] into %[[OUT]][%[[S]], 0] [1, 2] [1, 1]
// CHECK: %[[SUMSQ:.+]] = linalg.reduce ins(%[[PARTSQ]] : tensor<8x2xf64>) outs(%{{.+}} : tensor<2xf64>) dimensions = [0]
// invstd = rsqrt(sumsq / M + eps): the biased variance, in f64.
// CHECK: %[[INVSTD:.+]] = linalg.generic {{.+}} ins(%[[SUMSQ]] : tensor<2xf64>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[VAR:.+]] = arith.divf %{{.+}}, %[[M64]] : f64
// CHECK: %[[EPS:.+]] = arith.constant 1.000000e-05 : f64
// CHECK: %[[VE:.+]] = arith.addf %[[VAR]], %[[EPS]] : f64
// CHECK: math.rsqrt %[[VE]] : f64
// The running variance gets the unbiased sumsq / (M - 1).
// CHECK: %[[UNBIASED:.+]] = linalg.generic {{.+}} ins(%[[SUMSQ]] : tensor<2xf64>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[MM1:.+]] = arith.subf %[[M64]], %{{.+}} : f64
// CHECK: arith.divf %{{.+}}, %[[MM1]] : f64
// y = (x - mean) * invstd * w + b, the per-channel operands broadcast.
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ALL]], #[[$CHAN]], #[[$CHAN]], #[[$CHAN]], #[[$CHAN]], #[[$ALL]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[MEAN]], %[[INVSTD]], %[[W]], %[[B]] :
// running = 0.9 * running + 0.1 * batch statistic (momentum 0.1).
// CHECK: %[[NEWRM:.+]] = linalg.generic {{.+}} ins(%[[RM]], %[[MEAN]] : tensor<2xf32>, tensor<2xf32>)
// CHECK-DAG: arith.constant 1.000000e-01 : f32
// CHECK-DAG: arith.constant 0.899999976 : f32
// CHECK: %[[NEWRV:.+]] = linalg.generic {{.+}} ins(%[[RV]], %[[UNBIASED]] : tensor<2xf32>, tensor<2xf32>)
// CHECK: return %[[Y]], %[[MEAN]], %[[INVSTD]], %[[NEWRM]], %[[NEWRV]]
func.func @batch_norm_train(%x: tensor<?x2x3x3xf32>, %w: tensor<2xf32>, %b: tensor<2xf32>, %rm: tensor<2xf32>, %rv: tensor<2xf32>)
    -> (tensor<?x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %y, %mean, %invstd, %rm2, %rv2 = nn.batch_norm_train %x, %w, %b, %rm, %rv eps 1.0e-05 momentum 1.0e-01
      : tensor<?x2x3x3xf32>, tensor<2xf32>
  return %y, %mean, %invstd, %rm2, %rv2 : tensor<?x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Eval mode: no reduction; invstd from the running variance, in f32.

// CHECK-DAG: #[[$ALL:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CHAN:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_eval
// CHECK-SAME: (%[[X:.+]]: tensor<?x2x3x3xf32>, %[[W:.+]]: tensor<2xf32>, %[[B:.+]]: tensor<2xf32>, %[[RM:.+]]: tensor<2xf32>, %[[RV:.+]]: tensor<2xf32>)
// CHECK-NOT: "reduction"
// CHECK: %[[INVSTD:.+]] = linalg.generic {{.+}} ins(%[[RV]] : tensor<2xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[EPS:.+]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[VE:.+]] = arith.addf %{{.+}}, %[[EPS]] : f32
// CHECK: math.rsqrt %[[VE]] : f32
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ALL]], #[[$CHAN]], #[[$CHAN]], #[[$CHAN]], #[[$CHAN]], #[[$ALL]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[RM]], %[[INVSTD]], %[[W]], %[[B]] :
// CHECK-NEXT: ^bb0(%[[XS:[^:]+]]: f32, %[[MS:[^:]+]]: f32, %[[IS:[^:]+]]: f32, %[[WS:[^:]+]]: f32, %[[BS:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[XC:.+]] = arith.subf %[[XS]], %[[MS]] : f32
// CHECK-NEXT: %[[XHAT:.+]] = arith.mulf %[[XC]], %[[IS]] : f32
// CHECK-NEXT: %[[SCALED:.+]] = arith.mulf %[[XHAT]], %[[WS]] : f32
// CHECK-NEXT: arith.addf %[[SCALED]], %[[BS]] : f32
// CHECK-NOT: "reduction"
// CHECK: return %[[Y]]
func.func @batch_norm_eval(%x: tensor<?x2x3x3xf32>, %w: tensor<2xf32>, %b: tensor<2xf32>, %rm: tensor<2xf32>, %rv: tensor<2xf32>)
    -> tensor<?x2x3x3xf32> {
  %0 = nn.batch_norm_eval %x, %w, %b, %rm, %rv eps 1.0e-03 : tensor<?x2x3x3xf32>, tensor<2xf32>
  return %0 : tensor<?x2x3x3xf32>
}

// -----

// Backward: db = sum dy, dw = sum dy * xhat (both sharded f64
// accumulations; a shard slices dy and x at the same rows and takes the
// per-channel mean and invstd whole), then the per-channel factors w *
// invstd, db / M and dw / M, once per channel, and
// dx = (w * invstd) * ((dy - db / M) - xhat * (dw / M)) in one parallel
// generic.

// CHECK-DAG: #[[$BEGIN:.+]] = affine_map<(d0)[s0] -> ((d0 * s0) floordiv 8)>
// CHECK-DAG: #[[$ALL:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CHAN:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[$ALL3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$POS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$CHAN3:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_grad
// CHECK-SAME: (%[[G:.+]]: tensor<?x2x3x3xf32>, %[[X:.+]]: tensor<?x2x3x3xf32>, %[[W:.+]]: tensor<2xf32>, %[[MEAN:.+]]: tensor<2xf32>, %[[INVSTD:.+]]: tensor<2xf32>)
// CHECK: %[[M:.+]] = arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK: %[[DBPARTS:.+]] = scf.forall (%[[S:[^)]+]]) in (8) shared_outs(%[[OUT:[^ ]+]] = %{{.+}}) -> (tensor<8x2xf64>) {
// CHECK: %[[GS:.+]] = tensor.extract_slice %[[G]][%{{.+}}, 0, 0, 0] [%{{.+}}, 2, 3, 3] [1, 1, 1, 1]
// CHECK: %[[GC:.+]] = tensor.collapse_shape %[[GS]]
// CHECK: %[[POSSUM:.+]] = linalg.generic {indexing_maps = [#[[$ALL3]], #[[$POS]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%[[GC]] : tensor<?x2x9xf32>) outs(%{{.+}} : tensor<2x9xf64>)
// CHECK: %[[PART:.+]] = linalg.reduce ins(%[[POSSUM]] : tensor<2x9xf64>) outs(%{{.+}} : tensor<2xf64>) dimensions = [1]
// CHECK: tensor.parallel_insert_slice %[[PART]] into %[[OUT]][%[[S]], 0] [1, 2] [1, 1]
// CHECK: %[[DB64:.+]] = linalg.reduce ins(%[[DBPARTS]] : tensor<8x2xf64>) outs(%{{.+}} : tensor<2xf64>) dimensions = [0]
// CHECK: %[[DB:.+]] = linalg.generic {{.+}} ins(%[[DB64]] : tensor<2xf64>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[DWPARTS:.+]] = scf.forall (%[[S:[^)]+]]) in (8) shared_outs(%[[OUT:[^ ]+]] = %{{.+}}) -> (tensor<8x2xf64>) {
// CHECK: %[[BEGIN:.+]] = affine.apply #[[$BEGIN]](%[[S]])
// CHECK: %[[GS:.+]] = tensor.extract_slice %[[G]][%[[BEGIN]], 0, 0, 0] [%{{.+}}, 2, 3, 3] [1, 1, 1, 1]
// CHECK: %[[GC:.+]] = tensor.collapse_shape %[[GS]]
// CHECK: %[[XS:.+]] = tensor.extract_slice %[[X]][%[[BEGIN]], 0, 0, 0] [%{{.+}}, 2, 3, 3] [1, 1, 1, 1]
// CHECK: %[[XC:.+]] = tensor.collapse_shape %[[XS]]
// CHECK: %[[POSSUM:.+]] = linalg.generic {indexing_maps = [#[[$ALL3]], #[[$ALL3]], #[[$CHAN3]], #[[$CHAN3]], #[[$POS]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%[[GC]], %[[XC]], %[[MEAN]], %[[INVSTD]] :
// CHECK-NEXT: ^bb0(%[[DY:[^:]+]]: f32, %[[XV:[^:]+]]: f32, %[[MS:[^:]+]]: f32, %[[IS:[^:]+]]: f32, %{{[^:]+}}: f64):
// CHECK-NEXT: %[[XC:.+]] = arith.subf %[[XV]], %[[MS]] : f32
// CHECK-NEXT: %[[XHAT:.+]] = arith.mulf %[[XC]], %[[IS]] : f32
// CHECK-NEXT: %[[T:.+]] = arith.mulf %[[DY]], %[[XHAT]] : f32
// CHECK-NEXT: %[[T64:.+]] = arith.extf %[[T]] : f32 to f64
// CHECK-NEXT: arith.addf %{{.+}}, %[[T64]] fastmath<reassoc> : f64
// CHECK: %[[PART:.+]] = linalg.reduce ins(%[[POSSUM]] : tensor<2x9xf64>)
// CHECK: tensor.parallel_insert_slice %[[PART]] into %[[OUT]][%[[S]], 0] [1, 2] [1, 1]
// CHECK: %[[DW64:.+]] = linalg.reduce ins(%[[DWPARTS]] : tensor<8x2xf64>) outs(%{{.+}} : tensor<2xf64>) dimensions = [0]
// CHECK: %[[DW:.+]] = linalg.generic {{.+}} ins(%[[DW64]] : tensor<2xf64>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[SCALE:.+]] = linalg.generic {{.+}} ins(%[[W]], %[[INVSTD]] : tensor<2xf32>, tensor<2xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: arith.mulf
// CHECK: %[[MDB:.+]] = linalg.generic {{.+}} ins(%[[DB]] : tensor<2xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: arith.divf %{{.+}}, %[[M]] : f32
// CHECK: %[[MDW:.+]] = linalg.generic {{.+}} ins(%[[DW]] : tensor<2xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: arith.divf %{{.+}}, %[[M]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {indexing_maps = [#[[$ALL]], #[[$ALL]], #[[$CHAN]], #[[$CHAN]], #[[$CHAN]], #[[$CHAN]], #[[$CHAN]], #[[$ALL]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[G]], %[[X]], %[[MEAN]], %[[INVSTD]], %[[SCALE]], %[[MDB]], %[[MDW]] :
// CHECK-NEXT: ^bb0(%[[DY:[^:]+]]: f32, %[[XV:[^:]+]]: f32, %[[MS:[^:]+]]: f32, %[[IS:[^:]+]]: f32, %[[K:[^:]+]]: f32, %[[A:[^:]+]]: f32, %[[B:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[XC:.+]] = arith.subf %[[XV]], %[[MS]] : f32
// CHECK-NEXT: %[[XHAT:.+]] = arith.mulf %[[XC]], %[[IS]] : f32
// CHECK-NEXT: %[[T1:.+]] = arith.subf %[[DY]], %[[A]] : f32
// CHECK-NEXT: %[[T2:.+]] = arith.mulf %[[XHAT]], %[[B]] : f32
// CHECK-NEXT: %[[INNER:.+]] = arith.subf %[[T1]], %[[T2]] : f32
// CHECK-NEXT: %[[R:.+]] = arith.mulf %[[K]], %[[INNER]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK-NOT: arith.divf
// CHECK: return %[[DX]], %[[DW]], %[[DB]]
func.func @batch_norm_grad(%g: tensor<?x2x3x3xf32>, %x: tensor<?x2x3x3xf32>, %w: tensor<2xf32>, %mean: tensor<2xf32>,
                           %invstd: tensor<2xf32>) -> (tensor<?x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) {
  %dx, %dw, %db = nn.batch_norm_grad %g, %x, %w, %mean, %invstd : tensor<?x2x3x3xf32>, tensor<2xf32>
  return %dx, %dw, %db : tensor<?x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// A conv bias's gradient: the same sharded f64 per-channel sum, rounded once.

// CHECK-DAG: #[[$BEGIN:.+]] = affine_map<(d0)[s0] -> ((d0 * s0) floordiv 8)>
// CHECK-DAG: #[[$END:.+]] = affine_map<(d0)[s0] -> (((d0 + 1) * s0) floordiv 8)>
// CHECK-DAG: #[[$ALL3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$POS:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @channel_sum
// CHECK-SAME: (%[[G:.+]]: tensor<?x2x3x3xf32>)
// CHECK: %[[BATCH:.+]] = tensor.dim %[[G]], %{{.+}} : tensor<?x2x3x3xf32>
// CHECK: %[[PARTS:.+]] = scf.forall (%[[S:[^)]+]]) in (8) shared_outs(%[[OUT:[^ ]+]] = %{{.+}}) -> (tensor<8x2xf64>) {
// CHECK-DAG: %[[END:.+]] = affine.apply #[[$END]](%[[S]])[%[[BATCH]]]
// CHECK-DAG: %[[BEGIN:.+]] = affine.apply #[[$BEGIN]](%[[S]])[%[[BATCH]]]
// CHECK: %[[LEN:.+]] = arith.subi %[[END]], %[[BEGIN]] : index
// CHECK: %[[GS:.+]] = tensor.extract_slice %[[G]][%[[BEGIN]], 0, 0, 0] [%[[LEN]], 2, 3, 3] [1, 1, 1, 1]
// CHECK: %[[GC:.+]] = tensor.collapse_shape %[[GS]] {{\[}}[0], [1], [2, 3]] : tensor<?x2x3x3xf32> into tensor<?x2x9xf32>
// CHECK: %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<2x9xf64>)
// CHECK: %[[POSSUM:.+]] = linalg.generic {indexing_maps = [#[[$ALL3]], #[[$POS]]], iterator_types = ["reduction", "parallel", "parallel"]} ins(%[[GC]] : tensor<?x2x9xf32>) outs(%[[ZERO]] : tensor<2x9xf64>)
// CHECK: arith.addf %{{.+}}, %{{.+}} fastmath<reassoc> : f64
// CHECK: %[[PART:.+]] = linalg.reduce ins(%[[POSSUM]] : tensor<2x9xf64>) outs(%{{.+}} : tensor<2xf64>) dimensions = [1]
// CHECK-NEXT: (%[[Q:[^:]+]]: f64, %[[QACC:[^:]+]]: f64) {
// CHECK-NEXT: arith.addf %[[Q]], %[[QACC]] : f64
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[PART]] into %[[OUT]][%[[S]], 0] [1, 2] [1, 1] : tensor<2xf64> into tensor<8x2xf64>
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[PARTS]] : tensor<8x2xf64>) outs(%{{.+}} : tensor<2xf64>) dimensions = [0]
// CHECK-NEXT: (%[[P:[^:]+]]: f64, %[[ACC:[^:]+]]: f64) {
// CHECK-NEXT: arith.addf %[[P]], %[[ACC]] : f64
// CHECK: %[[R:.+]] = linalg.generic {{.+}} ins(%[[SUM]] : tensor<2xf64>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: arith.truncf %{{.+}} : f64 to f32
// CHECK: return %[[R]]
func.func @channel_sum(%g: tensor<?x2x3x3xf32>) -> tensor<2xf32> {
  %0 = nn.channel_sum %g : tensor<?x2x3x3xf32>
  return %0 : tensor<2xf32>
}

// -----

// On [N, C] only the batch is reduced, in the same shards, straight into
// [C]: no positions, no collapse.

// CHECK-LABEL: func.func @channel_sum_2d
// CHECK-SAME: (%[[G:.+]]: tensor<?x10xf32>)
// CHECK: %[[PARTS:.+]] = scf.forall (%[[S:[^)]+]]) in (8) shared_outs(%[[OUT:[^ ]+]] = %{{.+}}) -> (tensor<8x10xf64>) {
// CHECK: %[[GS:.+]] = tensor.extract_slice %[[G]][%{{.+}}, 0] [%{{.+}}, 10] [1, 1] : tensor<?x10xf32> to tensor<?x10xf32>
// CHECK-NOT: tensor.collapse_shape
// CHECK: %[[PART:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%[[GS]] : tensor<?x10xf32>) outs(%{{.+}} : tensor<10xf64>)
// CHECK: tensor.parallel_insert_slice %[[PART]] into %[[OUT]][%[[S]], 0] [1, 10] [1, 1] : tensor<10xf64> into tensor<8x10xf64>
// CHECK: linalg.reduce ins(%[[PARTS]] : tensor<8x10xf64>) outs(%{{.+}} : tensor<10xf64>) dimensions = [0]
func.func @channel_sum_2d(%g: tensor<?x10xf32>) -> tensor<10xf32> {
  %0 = nn.channel_sum %g : tensor<?x10xf32>
  return %0 : tensor<10xf32>
}

// -----

// Dropout: h = seed ^ (0x9e3779b97f4a7c15 * (salt + 1)), mixed with each
// index in turn (splitmix64's finaliser); the top 24 bits give u in [0, 1);
// the element is kept, scaled by 1 / (1 - p), when u >= p. dropout_grad
// applies the same mask and scale to dy.

// CHECK-LABEL: func.func @dropout
// CHECK-SAME: (%[[X:.+]]: tensor<?x16xf32>, %[[SEED:.+]]: i64, %[[G:.+]]: tensor<?x16xf32>)
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<?x16xf32>)
// CHECK-NEXT: ^bb0(%[[V:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[SALT:.+]] = arith.constant 8709371129873690708 : i64
// CHECK-NEXT: arith.xori %[[SEED]], %[[SALT]] : i64
// CHECK: linalg.index 0 : index
// CHECK: arith.constant -4658895280553007687 : i64
// CHECK: arith.constant -7723592293110705685 : i64
// CHECK: linalg.index 1 : index
// CHECK: %[[FORTY:.+]] = arith.constant 40 : i64
// CHECK: %[[BITS:.+]] = arith.shrui %{{.+}}, %[[FORTY]] : i64
// CHECK: %[[BITSF:.+]] = arith.uitofp %[[BITS]] : i64 to f32
// CHECK: %[[U:.+]] = arith.mulf %[[BITSF]], %{{.+}} : f32
// CHECK: %[[P:.+]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[KEEP:.+]] = arith.cmpf oge, %[[U]], %[[P]] : f32
// CHECK: %[[SCALE:.+]] = arith.constant 1.33333337 : f32
// CHECK: %[[SCALED:.+]] = arith.mulf %[[V]], %[[SCALE]] : f32
// CHECK: %[[R:.+]] = arith.select %[[KEEP]], %[[SCALED]], %{{.+}} : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: %[[DX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} ins(%[[G]] : tensor<?x16xf32>)
// CHECK-NEXT: ^bb0(%[[DY:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: %[[SALT2:.+]] = arith.constant 8709371129873690708 : i64
// CHECK-NEXT: arith.xori %[[SEED]], %[[SALT2]] : i64
// CHECK: arith.cmpf oge, %{{.+}}, %{{.+}} : f32
// CHECK: arith.mulf %[[DY]], %{{.+}} : f32
// CHECK: return %[[Y]], %[[DX]]
func.func @dropout(%x: tensor<?x16xf32>, %seed: i64, %g: tensor<?x16xf32>) -> (tensor<?x16xf32>, tensor<?x16xf32>) {
  %0 = nn.dropout %x, %seed p 2.5e-01 salt 3 : tensor<?x16xf32>
  %1 = nn.dropout_grad %g, %seed p 2.5e-01 salt 3 : tensor<?x16xf32>
  return %0, %1 : tensor<?x16xf32>, tensor<?x16xf32>
}
