// nn-to-linalg of nn.conv2d and its two gradients (ConvToLinalg.cpp): the
// im2col + static matmul schedule described in docs/compiler.md. Per image
// and per group, the padded window is unfolded by a copy with affine maps
// and contracted with the [O, C*KH*KW] weight:
//   forward  y_n = W . col_n (the bias broadcast into the accumulator)
//   weight   dW += dy_n . col_n^T
//   input    dcol_n = W^T . dy_n, folded back (col2im) by one strided add per
//            kernel offset.
// The images are independent in the forward and input-gradient passes: an
// scf.forall over the dynamic batch whose iterations write their image's
// rows with tensor.parallel_insert_slice. The weight gradient sums over the
// batch in 8 fixed shards (sumOverShards): an scf.forall over the shards,
// shard s an scf.for over its images [s * N floordiv 8, (s + 1) * N floordiv
// 8) accumulating its own partial dW in image order, inserted at row s of an
// [8, ...] tensor; a linalg.reduce over dimension 0 then adds the partials in
// shard order, so the bits do not depend on the thread count.
// RUN: %nncc-opt %s --split-input-file --nn-to-linalg | FileCheck %s

// A stride-1 convolution with few taps (C*KH*KW = 9 <= 32) unfolds wide:
// the padded image gets one more zero row and is flattened, and column q of
// tap (c, kh, kw) reads its element q + kh * Wp + kw (Wp = 6), for q in
// [0, OH * Wp): contiguous rows. The matmul computes Wp columns per output
// row; the first OW of each are the image's.
// CHECK-DAG: #[[$WIDE:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3 + d1 * 6 + d2)>
// CHECK-DAG: #[[$ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.+]]: tensor<?x1x4x4xf32>, %[[W:.+]]: tensor<2x1x3x3xf32>, %[[B:.+]]: tensor<2xf32>)
// CHECK: %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 1]
// CHECK: } : tensor<?x1x4x4xf32> to tensor<?x1x7x6xf32>
// CHECK: %[[W2:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<2x1x3x3xf32> into tensor<2x9xf32>
// CHECK: %[[INIT:.+]] = tensor.empty(%{{.+}}) : tensor<?x2x4x4xf32>
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x1x4x4xf32>
// CHECK: %[[Y:.+]] = scf.forall (%[[I:[^)]+]]) in (%[[N]]) shared_outs(%[[ACC:[^ ]+]] = %[[INIT]]) -> (tensor<?x2x4x4xf32>) {
// CHECK: %[[IMG:.+]] = tensor.extract_slice %[[XP]][%[[I]], 0, 0, 0] [1, 1, 7, 6] [1, 1, 1, 1] : tensor<?x1x7x6xf32> to tensor<1x7x6xf32>
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[IMG]] {{\[}}[0], [1, 2]] : tensor<1x7x6xf32> into tensor<1x42xf32>
// CHECK: %[[COL4:.+]] = linalg.generic {indexing_maps = [#[[$WIDE]], #[[$ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[FLAT]] : tensor<1x42xf32>) outs(%{{.+}} : tensor<1x3x3x24xf32>)
// CHECK-NEXT: ^bb0(%[[IN:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK: %[[COL:.+]] = tensor.collapse_shape %[[COL4]] {{\[}}[0, 1, 2], [3]] : tensor<1x3x3x24xf32> into tensor<9x24xf32>
// CHECK: %[[WG:.+]] = tensor.extract_slice %[[W2]][0, 0] [2, 9] [1, 1]
// CHECK: %[[BG:.+]] = tensor.extract_slice %[[B]][0] [2] [1]
// CHECK: %[[BIAS:.+]] = linalg.broadcast ins(%[[BG]] : tensor<2xf32>) outs(%{{.+}} : tensor<2x24xf32>) dimensions = [1]
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[WG]], %[[COL]] : tensor<2x9xf32>, tensor<9x24xf32>) outs(%[[BIAS]] : tensor<2x24xf32>)
// CHECK: %[[ROWS:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0], [1, 2]] output_shape [2, 4, 6] : tensor<2x24xf32> into tensor<2x4x6xf32>
// CHECK: %[[PLANES:.+]] = tensor.extract_slice %[[ROWS]][0, 0, 0] [2, 4, 4] [1, 1, 1] : tensor<2x4x6xf32> to tensor<2x4x4xf32>
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[PLANES]] into %[[ACC]][%[[I]], 0, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<2x4x4xf32> into tensor<?x2x4x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return %[[Y]]
func.func @conv2d(%x: tensor<?x1x4x4xf32>, %w: tensor<2x1x3x3xf32>, %b: tensor<2xf32>) -> tensor<?x2x4x4xf32> {
  %0 = nn.conv2d %x, %w, %b stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>
  return %0 : tensor<?x2x4x4xf32>
}

// -----

// More taps (C*KH*KW = 36) on a plane that padding would widen by half
// (4 -> 6): the exact im2col, column (c, kh, kw, oh, ow) reading padded
// pixel (c, oh + kh, ow + kw), and a matmul whose result is already
// [O, OH*OW].
// CHECK-DAG: #[[$IM2COL:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 + d1, d4 + d2)>
// CHECK-DAG: #[[$ID5:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv2d_exact
// CHECK: %[[XP:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: scf.forall
// CHECK: %[[IMG:.+]] = tensor.extract_slice %[[XP]][%{{.+}}, 0, 0, 0] [1, 4, 6, 6] [1, 1, 1, 1] : tensor<?x4x6x6xf32> to tensor<4x6x6xf32>
// CHECK: %[[COL5:.+]] = linalg.generic {indexing_maps = [#[[$IM2COL]], #[[$ID5]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[IMG]] : tensor<4x6x6xf32>) outs(%{{.+}} : tensor<4x3x3x4x4xf32>)
// CHECK: %[[COL:.+]] = tensor.collapse_shape %[[COL5]] {{\[}}[0, 1, 2], [3, 4]] : tensor<4x3x3x4x4xf32> into tensor<36x16xf32>
// CHECK: %[[MM:.+]] = linalg.matmul ins(%{{.+}}, %[[COL]] : tensor<2x36xf32>, tensor<36x16xf32>) outs(%{{.+}} : tensor<2x16xf32>)
// CHECK: %[[PLANES:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0], [1, 2]] output_shape [2, 4, 4] : tensor<2x16xf32> into tensor<2x4x4xf32>
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[PLANES]]
func.func @conv2d_exact(%x: tensor<?x4x4x4xf32>, %w: tensor<2x4x3x3xf32>) -> tensor<?x2x4x4xf32> {
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x4x4x4xf32>, tensor<2x4x3x3xf32>
  return %0 : tensor<?x2x4x4xf32>
}

// -----

// Stride and dilation enter the im2col map; without padding there is no pad,
// without a bias the accumulator is zeros; each of the two groups unfolds its
// own channels and multiplies its own rows of the weight; the image's
// iteration inserts both groups' planes, each at its channel offset.

// CHECK-DAG: #[[$IM2COL:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 * 2 + d1 * 2, d4 * 2 + d2)>
// CHECK-LABEL: func.func @conv2d_groups
// CHECK-SAME: (%[[X:.+]]: tensor<?x4x5x5xf32>, %[[W:.+]]: tensor<6x2x2x2xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[W2:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<6x2x2x2xf32> into tensor<6x8xf32>
// CHECK: %[[INIT:.+]] = tensor.empty(%{{.+}}) : tensor<?x6x2x2xf32>
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x4x5x5xf32>
// CHECK: %[[Y:.+]] = scf.forall (%[[I:[^)]+]]) in (%[[N]]) shared_outs(%[[ACC:[^ ]+]] = %[[INIT]]) -> (tensor<?x6x2x2xf32>) {
// CHECK: %[[IMG0:.+]] = tensor.extract_slice %[[X]][%[[I]], 0, 0, 0] [1, 2, 5, 5] [1, 1, 1, 1] : tensor<?x4x5x5xf32> to tensor<2x5x5xf32>
// CHECK: %[[COL05:.+]] = linalg.generic {indexing_maps = [#[[$IM2COL]], #{{.+}}], {{.+}}} ins(%[[IMG0]] : tensor<2x5x5xf32>) outs(%{{.+}} : tensor<2x2x2x2x2xf32>)
// CHECK: %[[COL0:.+]] = tensor.collapse_shape %[[COL05]] {{.+}} into tensor<8x4xf32>
// CHECK: %[[WG0:.+]] = tensor.extract_slice %[[W2]][0, 0] [3, 8] [1, 1]
// CHECK: %[[ZERO0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<3x4xf32>)
// CHECK-NOT: linalg.broadcast
// CHECK: %[[MM0:.+]] = linalg.matmul ins(%[[WG0]], %[[COL0]] : tensor<3x8xf32>, tensor<8x4xf32>) outs(%[[ZERO0]] : tensor<3x4xf32>)
// CHECK: %[[P0:.+]] = tensor.expand_shape %[[MM0]]
// CHECK: %[[IMG1:.+]] = tensor.extract_slice %[[X]][%[[I]], 2, 0, 0] [1, 2, 5, 5] [1, 1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[$IM2COL]], #{{.+}}], {{.+}}} ins(%[[IMG1]] :
// CHECK: %[[WG1:.+]] = tensor.extract_slice %[[W2]][3, 0] [3, 8] [1, 1]
// CHECK: %[[MM1:.+]] = linalg.matmul ins(%[[WG1]], %{{.+}} : tensor<3x8xf32>, tensor<8x4xf32>)
// CHECK: %[[P1:.+]] = tensor.expand_shape %[[MM1]]
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[P0]] into %[[ACC]][%[[I]], 0, 0, 0] [1, 3, 2, 2] [1, 1, 1, 1]
// CHECK-NEXT: tensor.parallel_insert_slice %[[P1]] into %[[ACC]][%[[I]], 3, 0, 0] [1, 3, 2, 2] [1, 1, 1, 1]
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return %[[Y]]
func.func @conv2d_groups(%x: tensor<?x4x5x5xf32>, %w: tensor<6x2x2x2xf32>) -> tensor<?x6x2x2xf32> {
  %0 = nn.conv2d %x, %w stride [2, 2] padding [0, 0] dilation [2, 1] groups 2
         : tensor<?x4x5x5xf32>, tensor<6x2x2x2xf32>
  return %0 : tensor<?x6x2x2xf32>
}

// -----

// The weight gradient unfolds each image transposed ([OH*OW, C*KH*KW]) and
// accumulates dy_n . col_n^T into a [O, C*KH*KW] partial (the matmul's init)
// carried by the shard's scf.for, which starts from zeros at the shard's
// first image and stops before the next shard's. The 8 partials are added in
// shard order by the linalg.reduce and expanded to OIHW.

// CHECK-DAG: #[[$BEGIN:.+]] = affine_map<(d0)[s0] -> ((d0 * s0) floordiv 8)>
// CHECK-DAG: #[[$END:.+]] = affine_map<(d0)[s0] -> (((d0 + 1) * s0) floordiv 8)>
// CHECK-DAG: #[[$IM2COL:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 + d1, d4 + d2)>
// CHECK-DAG: #[[$TRANSPOSED:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4, d0, d1, d2)>
// CHECK-LABEL: func.func @conv2d_grad_weight
// CHECK-SAME: (%[[G:.+]]: tensor<?x2x4x4xf32>, %[[X:.+]]: tensor<?x1x4x4xf32>)
// CHECK: %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x1x4x4xf32>
// CHECK: %[[PARTS0:.+]] = tensor.empty() : tensor<8x2x9xf32>
// CHECK: %[[PARTS:.+]] = scf.forall (%[[S:[^)]+]]) in (8) shared_outs(%[[OUT:[^ ]+]] = %[[PARTS0]]) -> (tensor<8x2x9xf32>) {
// CHECK-DAG: %[[END:.+]] = affine.apply #[[$END]](%[[S]])[%[[N]]]
// CHECK-DAG: %[[BEGIN:.+]] = affine.apply #[[$BEGIN]](%[[S]])[%[[N]]]
// CHECK-DAG: %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x9xf32>)
// CHECK-DAG: %[[ONE:.+]] = arith.constant 1 : index
// CHECK: %[[PART:.+]] = scf.for %[[I:[^ ]+]] = %[[BEGIN]] to %[[END]] step %[[ONE]] iter_args(%[[ACC:[^ ]+]] = %[[ZERO]]) -> (tensor<2x9xf32>) {
// CHECK: %[[IMG:.+]] = tensor.extract_slice %[[XP]][%[[I]], 0, 0, 0] [1, 1, 6, 6] [1, 1, 1, 1]
// CHECK: %[[COLT5:.+]] = linalg.generic {indexing_maps = [#[[$IM2COL]], #[[$TRANSPOSED]]], {{.+}}} ins(%[[IMG]] : tensor<1x6x6xf32>) outs(%{{.+}} : tensor<4x4x1x3x3xf32>)
// CHECK: %[[COLT:.+]] = tensor.collapse_shape %[[COLT5]] {{\[}}[0, 1], [2, 3, 4]] : tensor<4x4x1x3x3xf32> into tensor<16x9xf32>
// CHECK: %[[G3:.+]] = tensor.collapse_shape %[[G]] {{\[}}[0], [1], [2, 3]] : tensor<?x2x4x4xf32> into tensor<?x2x16xf32>
// CHECK: %[[DY:.+]] = tensor.extract_slice %[[G3]][%[[I]], 0, 0] [1, 2, 16] [1, 1, 1] : tensor<?x2x16xf32> to tensor<2x16xf32>
// CHECK: %[[ACCG:.+]] = tensor.extract_slice %[[ACC]][0, 0] [2, 9] [1, 1]
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[DY]], %[[COLT]] : tensor<2x16xf32>, tensor<16x9xf32>) outs(%[[ACCG]] : tensor<2x9xf32>)
// CHECK: %[[NEXT:.+]] = tensor.insert_slice %[[MM]] into %[[ACC]][0, 0] [2, 9] [1, 1]
// CHECK: scf.yield %[[NEXT]] : tensor<2x9xf32>
// CHECK-NEXT: }
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[PART]] into %[[OUT]][%[[S]], 0, 0] [1, 2, 9] [1, 1, 1] : tensor<2x9xf32> into tensor<8x2x9xf32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK: %[[RZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[RINIT:.+]] = linalg.fill ins(%[[RZERO]] : f32) outs(%{{.+}} : tensor<2x9xf32>)
// CHECK: %[[DW2:.+]] = linalg.reduce ins(%[[PARTS]] : tensor<8x2x9xf32>) outs(%[[RINIT]] : tensor<2x9xf32>) dimensions = [0]
// CHECK-NEXT: (%[[P:[^:]+]]: f32, %[[SUM:[^:]+]]: f32) {
// CHECK-NEXT: %[[ADD:.+]] = arith.addf %[[P]], %[[SUM]] : f32
// CHECK-NEXT: linalg.yield %[[ADD]] : f32
// CHECK: %[[DW:.+]] = tensor.expand_shape %[[DW2]] {{\[}}[0], [1, 2, 3]] output_shape [2, 1, 3, 3] : tensor<2x9xf32> into tensor<2x1x3x3xf32>
// CHECK: return %[[DW]]
func.func @conv2d_grad_weight(%g: tensor<?x2x4x4xf32>, %x: tensor<?x1x4x4xf32>) -> tensor<2x1x3x3xf32> {
  %0 = nn.conv2d_grad_weight %g, %x stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x2x4x4xf32>, tensor<?x1x4x4xf32> -> tensor<2x1x3x3xf32>
  return %0 : tensor<2x1x3x3xf32>
}

// -----

// Stride 1 with more than 32 taps (C*KH*KW = 36) and rows that unfold wide:
// the weight gradient transposed, dW^T[36, 2] += col_n[36, OH*Wp] dy_n^T,
// with the forward's wide unfold (the input padded with one extra row) and
// dy's rows padded with zeros to Wp = 16, so the columns that wrap around a
// row add nothing. The shards' [36, 2] partials are summed in order, then
// transposed once to [2, 36] and expanded to OIHW.

// CHECK-LABEL: func.func @conv2d_grad_weight_wide
// CHECK-SAME: (%[[G:.+]]: tensor<?x2x14x14xf32>, %[[X:.+]]: tensor<?x4x14x14xf32>)
// CHECK: %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 1]
// CHECK: %[[GP:.+]] = tensor.pad %[[G]] low[0, 0, 0, 0] high[0, 0, 0, 2]
// CHECK: %[[G3:.+]] = tensor.collapse_shape %[[GP]] {{\[}}[0], [1], [2, 3]] : tensor<?x2x14x16xf32> into tensor<?x2x224xf32>
// CHECK: scf.forall (%{{[^)]+}}) in (8) shared_outs(%{{[^ ]+}} = %{{.+}}) -> (tensor<8x36x2xf32>) {
// CHECK: scf.for %[[I:[^ ]+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:[^ ]+]] = %{{.+}}) -> (tensor<36x2xf32>) {
// CHECK: %[[IMG:.+]] = tensor.extract_slice %[[XP]][%[[I]], 0, 0, 0] [1, 4, 17, 16] [1, 1, 1, 1]
// CHECK: %[[COL:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2], [3]] : tensor<4x3x3x224xf32> into tensor<36x224xf32>
// CHECK: %[[DY:.+]] = tensor.extract_slice %[[G3]][%[[I]], 0, 0] [1, 2, 224] [1, 1, 1] : tensor<?x2x224xf32> to tensor<2x224xf32>
// CHECK: %[[DYT:.+]] = linalg.transpose ins(%[[DY]] : tensor<2x224xf32>) outs(%{{.+}} : tensor<224x2xf32>) permutation = [1, 0]
// CHECK: %[[ACCG:.+]] = tensor.extract_slice %[[ACC]][0, 0] [36, 2] [1, 1]
// CHECK: linalg.matmul ins(%[[COL]], %[[DYT]] : tensor<36x224xf32>, tensor<224x2xf32>) outs(%[[ACCG]] : tensor<36x2xf32>)
// CHECK: %[[DW2T:.+]] = linalg.reduce ins(%{{.+}} : tensor<8x36x2xf32>) outs(%{{.+}} : tensor<36x2xf32>) dimensions = [0]
// CHECK: %[[DW2:.+]] = linalg.transpose ins(%[[DW2T]] : tensor<36x2xf32>) outs(%{{.+}} : tensor<2x36xf32>) permutation = [1, 0]
// CHECK: %[[DW:.+]] = tensor.expand_shape %[[DW2]] {{\[}}[0], [1, 2, 3]] output_shape [2, 4, 3, 3] : tensor<2x36xf32> into tensor<2x4x3x3xf32>
// CHECK: return %[[DW]]
func.func @conv2d_grad_weight_wide(%g: tensor<?x2x14x14xf32>, %x: tensor<?x4x14x14xf32>) -> tensor<2x4x3x3xf32> {
  %0 = nn.conv2d_grad_weight %g, %x stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x2x14x14xf32>, tensor<?x4x14x14xf32> -> tensor<2x4x3x3xf32>
  return %0 : tensor<2x4x3x3xf32>
}

// -----

// The input gradient: W^T (transposed once, before the loop) times dy_n, then
// col2im onto a zeroed padded image: for each of the 2x2 kernel offsets, the
// stride-2 window at that offset gets its column plane added (in place: the
// window is the generic's destination); the padding is sliced off and the
// image inserted at its row of the result.

// CHECK-LABEL: func.func @conv2d_grad_input
// CHECK-SAME: (%[[G:.+]]: tensor<?x2x3x3xf32>, %[[W:.+]]: tensor<2x1x2x2xf32>)
// CHECK: %[[W2:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : tensor<2x1x2x2xf32> into tensor<2x4xf32>
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[W2]] : tensor<2x4xf32>) outs(%{{.+}} : tensor<4x2xf32>) permutation = [1, 0]
// CHECK: %[[G3:.+]] = tensor.collapse_shape %[[G]] {{\[}}[0], [1], [2, 3]] : tensor<?x2x3x3xf32> into tensor<?x2x9xf32>
// CHECK: %[[INIT:.+]] = tensor.empty(%{{.+}}) : tensor<?x1x4x4xf32>
// CHECK: %[[N:.+]] = tensor.dim %[[G]], %{{.+}} : tensor<?x2x3x3xf32>
// CHECK: %[[DX:.+]] = scf.forall (%[[I:[^)]+]]) in (%[[N]]) shared_outs(%[[ACC:[^ ]+]] = %[[INIT]]) -> (tensor<?x1x4x4xf32>) {
// CHECK: %[[DY:.+]] = tensor.extract_slice %[[G3]][%[[I]], 0, 0] [1, 2, 9] [1, 1, 1] : tensor<?x2x9xf32> to tensor<2x9xf32>
// CHECK: %[[WGT:.+]] = tensor.extract_slice %[[WT]][0, 0] [4, 2] [1, 1]
// CHECK: %[[DCOL:.+]] = linalg.matmul ins(%[[WGT]], %[[DY]] : tensor<4x2xf32>, tensor<2x9xf32>) outs(%{{.+}} : tensor<4x9xf32>)
// CHECK: %[[DCOL5:.+]] = tensor.expand_shape %[[DCOL]] {{\[}}[0, 1, 2], [3, 4]] output_shape [1, 2, 2, 3, 3] : tensor<4x9xf32> into tensor<1x2x2x3x3xf32>
// CHECK: %[[IMG0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x6x6xf32>)
// CHECK: %[[WIN00:.+]] = tensor.extract_slice %[[IMG0]][0, 0, 0] [1, 3, 3] [1, 2, 2] : tensor<1x6x6xf32> to tensor<1x3x3xf32>
// CHECK: %[[COL00:.+]] = tensor.extract_slice %[[DCOL5]][0, 0, 0, 0, 0] [1, 1, 1, 3, 3] [1, 1, 1, 1, 1]
// CHECK: %[[SUM00:.+]] = linalg.generic {{.+}} ins(%[[COL00]] : tensor<1x3x3xf32>) outs(%[[WIN00]] : tensor<1x3x3xf32>)
// CHECK-NEXT: ^bb0(%[[C:[^:]+]]: f32, %[[ACC0:[^:]+]]: f32):
// CHECK-NEXT: arith.addf %[[ACC0]], %[[C]] : f32
// CHECK: %[[IMG1:.+]] = tensor.insert_slice %[[SUM00]] into %[[IMG0]][0, 0, 0] [1, 3, 3] [1, 2, 2]
// CHECK: tensor.extract_slice %[[IMG1]][0, 0, 1] [1, 3, 3] [1, 2, 2]
// CHECK: tensor.extract_slice %[[DCOL5]][0, 0, 1, 0, 0]
// CHECK: %[[IMG2:.+]] = tensor.insert_slice %{{.+}} into %[[IMG1]][0, 0, 1] [1, 3, 3] [1, 2, 2]
// CHECK: %[[IMG3:.+]] = tensor.insert_slice %{{.+}} into %[[IMG2]][0, 1, 0] [1, 3, 3] [1, 2, 2]
// CHECK: %[[IMG4:.+]] = tensor.insert_slice %{{.+}} into %[[IMG3]][0, 1, 1] [1, 3, 3] [1, 2, 2]
// CHECK-NOT: linalg.generic
// CHECK: %[[UNPADDED:.+]] = tensor.extract_slice %[[IMG4]][0, 1, 1] [1, 4, 4] [1, 1, 1] : tensor<1x6x6xf32> to tensor<1x4x4xf32>
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[UNPADDED]] into %[[ACC]][%[[I]], 0, 0, 0] [1, 1, 4, 4] [1, 1, 1, 1] : tensor<1x4x4xf32> into tensor<?x1x4x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return %[[DX]]
func.func @conv2d_grad_input(%g: tensor<?x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<?x1x4x4xf32> {
  %0 = nn.conv2d_grad_input %g, %w stride [2, 2] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x2x3x3xf32>, tensor<2x1x2x2xf32> -> tensor<?x1x4x4xf32>
  return %0 : tensor<?x1x4x4xf32>
}

// -----

// A stride-1 input gradient with few taps folds wide, as the forward
// unfolds: dy's rows are padded with zeros to the padded input's width
// (4 -> 6), dcol = W^T . dy_n has OH * Wp columns, and each tap's row adds
// onto the flattened padded image (one extra row: 7 x 6 = 42) at offset
// kh * 6 + kw, contiguously; the extra columns add zeros.
// CHECK-LABEL: func.func @conv2d_grad_input_wide
// CHECK-SAME: (%[[G:.+]]: tensor<?x2x4x4xf32>, %[[W:.+]]: tensor<2x1x3x3xf32>)
// CHECK: %[[GP:.+]] = tensor.pad %[[G]] low[0, 0, 0, 0] high[0, 0, 0, 2]
// CHECK: } : tensor<?x2x4x4xf32> to tensor<?x2x4x6xf32>
// CHECK: %[[G3:.+]] = tensor.collapse_shape %[[GP]] {{\[}}[0], [1], [2, 3]] : tensor<?x2x4x6xf32> into tensor<?x2x24xf32>
// CHECK: scf.forall
// CHECK: %[[DY:.+]] = tensor.extract_slice %[[G3]][%{{.+}}, 0, 0] [1, 2, 24] [1, 1, 1] : tensor<?x2x24xf32> to tensor<2x24xf32>
// CHECK: %[[DCOL:.+]] = linalg.matmul ins(%{{.+}}, %[[DY]] : tensor<9x2xf32>, tensor<2x24xf32>) outs(%{{.+}} : tensor<9x24xf32>)
// CHECK: %[[IMG0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x42xf32>)
// CHECK: %[[TAPS:.+]] = tensor.expand_shape %[[DCOL]] {{\[}}[0, 1], [2]] output_shape [1, 9, 24] : tensor<9x24xf32> into tensor<1x9x24xf32>
// CHECK: %[[WIN:.+]] = tensor.extract_slice %[[IMG0]][0, 0] [1, 24] [1, 1] : tensor<1x42xf32> to tensor<1x24xf32>
// CHECK: %[[ROW:.+]] = tensor.extract_slice %[[TAPS]][0, 0, 0] [1, 1, 24] [1, 1, 1] : tensor<1x9x24xf32> to tensor<1x24xf32>
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}} ins(%[[ROW]] : tensor<1x24xf32>) outs(%[[WIN]] : tensor<1x24xf32>)
// CHECK: %[[IMG1:.+]] = tensor.insert_slice %[[SUM]] into %[[IMG0]][0, 0] [1, 24] [1, 1]
// The last tap, (2, 2), at offset 2 * 6 + 2 = 14.
// CHECK: tensor.extract_slice %[[TAPS]][0, 8, 0] [1, 1, 24]
// CHECK: %[[IMG9:.+]] = tensor.insert_slice %{{.+}} into %{{.+}}[0, 14] [1, 24] [1, 1]
// CHECK: %[[PLANES:.+]] = tensor.expand_shape %[[IMG9]] {{\[}}[0], [1, 2]] output_shape [1, 7, 6] : tensor<1x42xf32> into tensor<1x7x6xf32>
// CHECK: %[[UNPADDED:.+]] = tensor.extract_slice %[[PLANES]][0, 1, 1] [1, 4, 4] [1, 1, 1] : tensor<1x7x6xf32> to tensor<1x4x4xf32>
// CHECK-NEXT: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[UNPADDED]]
func.func @conv2d_grad_input_wide(%g: tensor<?x2x4x4xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<?x1x4x4xf32> {
  %0 = nn.conv2d_grad_input %g, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
         : tensor<?x2x4x4xf32>, tensor<2x1x3x3xf32> -> tensor<?x1x4x4xf32>
  return %0 : tensor<?x1x4x4xf32>
}
