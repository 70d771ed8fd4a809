// nn-to-linalg of max/avg pooling and their gradients (PoolToLinalg.cpp),
// pinned before the back end is rewritten: the two max_pool2d paths (windows
// that tile the plane as one elementwise generic over the kh*kw window
// elements, other windows as a reduction over a -inf-padded input), both
// recording PyTorch's first-max/NaN-wins argmax as h * W + w; backward passes
// that gather per input pixel (elementwise when the windows tile the plane);
// count_include_pad averaging.
// RUN: %nncc-opt %s --split-input-file --nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[$TL:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2)>
// CHECK-DAG: #[[$TR:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2 + 1)>
// CHECK-DAG: #[[$BL:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2)>
// CHECK-DAG: #[[$BR:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2 + 1)>
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d_tiled
// CHECK-SAME: (%[[X:.+]]: tensor<?x3x4x4xf32>)
// CHECK-NOT: tensor.pad
// Every output is written from its window alone: no fill before the pooling.
// CHECK-DAG: %[[IDX0:.+]] = tensor.empty(%{{.+}}) : tensor<?x3x2x2xi64>
// CHECK-DAG: %[[MAX0:.+]] = tensor.empty(%{{.+}}) : tensor<?x3x2x2xf32>
// CHECK-NOT: linalg.fill
// CHECK: %[[P:.+]]:2 = linalg.generic {indexing_maps = [#[[$TL]], #[[$TR]], #[[$BL]], #[[$BR]], #[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[X]], %[[X]], %[[X]] : {{.+}}) outs(%[[MAX0]], %[[IDX0]] : tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64>)
// CHECK-NEXT: ^bb0(%[[V0:[^:]+]]: f32, %[[V1:[^:]+]]: f32, %[[V2:[^:]+]]: f32, %[[V3:[^:]+]]: f32, %{{[^:]+}}: f32, %{{[^:]+}}: i64):
// The window's first pixel (2 oh) * 4 + 2 ow is the initial argmax.
// CHECK: %[[BASE:.+]] = arith.index_cast %{{.+}} : index to i64
// Each later element wins if greater or NaN; its offset is added to the base.
// CHECK: %[[NAN1:.+]] = arith.cmpf uno, %[[V1]], %[[V1]] : f32
// CHECK: %[[GT1:.+]] = arith.cmpf ogt, %[[V1]], %[[V0]] : f32
// CHECK: %[[TAKE1:.+]] = arith.ori %[[GT1]], %[[NAN1]] : i1
// CHECK: %[[BEST1:.+]] = arith.select %[[TAKE1]], %[[V1]], %[[V0]] : f32
// CHECK: %[[ONE:.+]] = arith.constant 1 : i64
// CHECK: %[[AT1:.+]] = arith.addi %[[BASE]], %[[ONE]] : i64
// CHECK: %[[IDX1:.+]] = arith.select %[[TAKE1]], %[[AT1]], %[[BASE]] : i64
// CHECK: arith.cmpf ogt, %[[V2]], %[[BEST1]] : f32
// CHECK: arith.constant 4 : i64
// CHECK: arith.cmpf ogt, %[[V3]], %{{.+}} : f32
// CHECK: arith.constant 5 : i64
// CHECK: linalg.yield %{{.+}}, %{{.+}} : f32, i64
// CHECK: return %[[P]]#0, %[[P]]#1
func.func @max_pool2d_tiled(%x: tensor<?x3x4x4xf32>) -> (tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64>) {
  %y, %i = nn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x3x4x4xf32>
  return %y, %i : tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64>
}

// -----

// Overlapping, padded windows: a reduction over (kh, kw) of the -inf-padded
// input; the argmax is the flat index in the unpadded plane.

// CHECK-DAG: #[[$WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$KERNEL:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d_window
// CHECK-SAME: (%[[X:.+]]: tensor<?x3x4x4xf32>)
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]] : f32
// CHECK: } : tensor<?x3x4x4xf32> to tensor<?x3x6x6xf32>
// CHECK: %[[MAX0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?x3x2x2xf32>)
// CHECK: %[[IDX0:.+]] = linalg.fill ins(%{{.+}} : i64) outs(%{{.+}} : tensor<?x3x2x2xi64>)
// CHECK: %[[K:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[P:.+]]:2 = linalg.generic {indexing_maps = [#[[$WIN]], #[[$KERNEL]], #[[$OUT]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[XP]], %[[K]] : tensor<?x3x6x6xf32>, tensor<3x3xf32>) outs(%[[MAX0]], %[[IDX0]] : tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64>)
// CHECK-NEXT: ^bb0(%[[V:[^:]+]]: f32, %{{[^:]+}}: f32, %[[BEST:[^:]+]]: f32, %[[BESTIDX:[^:]+]]: i64):
// CHECK: %[[GT:.+]] = arith.cmpf ogt, %[[V]], %[[BEST]] : f32
// CHECK: %[[NAN:.+]] = arith.cmpf uno, %[[V]], %[[V]] : f32
// CHECK: %[[TAKE:.+]] = arith.ori %[[GT]], %[[NAN]] : i1
// h = 2 oh + kh - 1 and w = 2 ow + kw - 1 (unpadded), flat = h * 4 + w.
// CHECK: linalg.index 4 : index
// CHECK: %[[H:.+]] = arith.subi %{{.+}}, %{{.+}} : index
// CHECK: linalg.index 5 : index
// CHECK: %[[W:.+]] = arith.subi %{{.+}}, %{{.+}} : index
// CHECK: %[[ROW:.+]] = arith.muli %[[H]], %{{.+}} : index
// CHECK: %[[FLATI:.+]] = arith.addi %[[ROW]], %[[W]] : index
// CHECK: %[[FLAT:.+]] = arith.index_cast %[[FLATI]] : index to i64
// CHECK: %[[NEWBEST:.+]] = arith.select %[[TAKE]], %[[V]], %[[BEST]] : f32
// CHECK: %[[NEWIDX:.+]] = arith.select %[[TAKE]], %[[FLAT]], %[[BESTIDX]] : i64
// CHECK: linalg.yield %[[NEWBEST]], %[[NEWIDX]] : f32, i64
// CHECK: return %[[P]]#0, %[[P]]#1
func.func @max_pool2d_window(%x: tensor<?x3x4x4xf32>) -> (tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64>) {
  %y, %i = nn.max_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x3x4x4xf32>
  return %y, %i : tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64>
}

// -----

// Tiling windows: each input pixel reads its own window (h / 2, w / 2) and
// keeps dy where the argmax is its flat index.

// CHECK-DAG: #[[$PIXEL:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 2, d3 floordiv 2)>
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d_grad_tiled
// CHECK-SAME: (%[[G:.+]]: tensor<?x3x2x2xf32>, %[[I:.+]]: tensor<?x3x2x2xi64>)
// CHECK: %[[DX:.+]] = linalg.generic {indexing_maps = [#[[$PIXEL]], #[[$PIXEL]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[G]], %[[I]] : tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64>) outs(%{{.+}} : tensor<?x3x4x4xf32>)
// CHECK-NEXT: ^bb0(%[[DY:[^:]+]]: f32, %[[ARGMAX:[^:]+]]: i64, %{{[^:]+}}: f32):
// CHECK: %[[FLAT:.+]] = arith.index_cast %{{.+}} : index to i64
// CHECK: %[[MINE:.+]] = arith.cmpi eq, %[[ARGMAX]], %[[FLAT]] : i64
// CHECK: %[[R:.+]] = arith.select %[[MINE]], %[[DY]], %{{.+}} : f32
// CHECK: linalg.yield %[[R]] : f32
// CHECK: return %[[DX]]
func.func @max_pool2d_grad_tiled(%g: tensor<?x3x2x2xf32>, %i: tensor<?x3x2x2xi64>) -> tensor<?x3x4x4xf32> {
  %0 = nn.max_pool2d_grad %g, %i kernel [2, 2] stride [2, 2] padding [0, 0]
         : tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64> -> tensor<?x3x4x4xf32>
  return %0 : tensor<?x3x4x4xf32>
}

// -----

// Other windows: a gather over (kh, kw) per input pixel. The window that puts
// offset kh on row h is oh = (h + 1 - kh) / 2 when that divides exactly and
// lies in [0, 2) (likewise for columns); dy of that window is read with
// tensor.extract and counts where the argmax is this pixel.

// CHECK-DAG: #[[$KERNEL:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d_grad_window
// CHECK-SAME: (%[[G:.+]]: tensor<?x3x2x2xf32>, %[[I:.+]]: tensor<?x3x2x2xi64>)
// CHECK: %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?x3x4x4xf32>)
// CHECK: %[[K:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[DX:.+]] = linalg.generic {indexing_maps = [#[[$KERNEL]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[K]] : tensor<3x3xf32>) outs(%[[ZERO]] : tensor<?x3x4x4xf32>)
// CHECK-NEXT: ^bb0(%{{[^:]+}}: f32, %[[ACC:[^:]+]]: f32):
// CHECK: %[[NUMH:.+]] = arith.subi %{{.+}}, %{{.+}} : index
// CHECK: %[[OH:.+]] = arith.divsi %[[NUMH]], %{{.+}} : index
// CHECK: arith.remsi %[[NUMH]], %{{.+}} : index
// CHECK: %[[SAFEH:.+]] = arith.select %[[OKH:[^,]+]], %[[OH]], %{{.+}} : index
// CHECK: %[[NUMW:.+]] = arith.subi %{{.+}}, %{{.+}} : index
// CHECK: %[[OW:.+]] = arith.divsi %[[NUMW]], %{{.+}} : index
// CHECK: %[[SAFEW:.+]] = arith.select %[[OKW:[^,]+]], %[[OW]], %{{.+}} : index
// CHECK: %[[OK:.+]] = arith.andi %[[OKH]], %[[OKW]] : i1
// CHECK: %[[DY:.+]] = tensor.extract %[[G]][%{{.+}}, %{{.+}}, %[[SAFEH]], %[[SAFEW]]] : tensor<?x3x2x2xf32>
// CHECK: %[[ARGMAX:.+]] = tensor.extract %[[I]][%{{.+}}, %{{.+}}, %[[SAFEH]], %[[SAFEW]]] : tensor<?x3x2x2xi64>
// CHECK: %[[MINE:.+]] = arith.cmpi eq, %[[ARGMAX]], %{{.+}} : i64
// CHECK: %[[TERM:.+]] = arith.select %[[MINE]], %[[DY]], %{{.+}} : f32
// CHECK: %[[MASKED:.+]] = arith.select %[[OK]], %[[TERM]], %{{.+}} : f32
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %[[MASKED]] : f32
// CHECK: linalg.yield %[[SUM]] : f32
// CHECK: return %[[DX]]
func.func @max_pool2d_grad_window(%g: tensor<?x3x2x2xf32>, %i: tensor<?x3x2x2xi64>) -> tensor<?x3x4x4xf32> {
  %0 = nn.max_pool2d_grad %g, %i kernel [3, 3] stride [2, 2] padding [1, 1]
         : tensor<?x3x2x2xf32>, tensor<?x3x2x2xi64> -> tensor<?x3x4x4xf32>
  return %0 : tensor<?x3x4x4xf32>
}

// -----

// Average pooling: a window sum over the zero-padded input, then a division
// by kh * kw = 9 (count_include_pad).

// CHECK-DAG: #[[$WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$KERNEL:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @avg_pool2d
// CHECK-SAME: (%[[X:.+]]: tensor<?x3x4x4xf32>)
// CHECK: %[[PADV:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[PADV]] : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?x3x2x2xf32>)
// CHECK: %[[K:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$WIN]], #[[$KERNEL]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[XP]], %[[K]] : tensor<?x3x6x6xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<?x3x2x2xf32>)
// CHECK-NEXT: ^bb0(%[[V:[^:]+]]: f32, %{{[^:]+}}: f32, %[[ACC:[^:]+]]: f32):
// CHECK-NEXT: %[[NEXT:.+]] = arith.addf %[[ACC]], %[[V]] : f32
// CHECK-NEXT: linalg.yield %[[NEXT]] : f32
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[SUM]] : tensor<?x3x2x2xf32>)
// CHECK: %[[AREA:.+]] = arith.constant 9.000000e+00 : f32
// CHECK: arith.divf %{{.+}}, %[[AREA]] : f32
// CHECK: return %[[Y]]
func.func @avg_pool2d(%x: tensor<?x3x4x4xf32>) -> tensor<?x3x2x2xf32> {
  %0 = nn.avg_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x3x4x4xf32>
  return %0 : tensor<?x3x2x2xf32>
}

// -----

// The average's gradient: the same gather as max pooling's, each covering
// window contributing dy / 9.

// CHECK-DAG: #[[$KERNEL:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @avg_pool2d_grad
// CHECK-SAME: (%[[G:.+]]: tensor<?x3x2x2xf32>)
// CHECK: %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?x3x4x4xf32>)
// CHECK: %[[DX:.+]] = linalg.generic {indexing_maps = [#[[$KERNEL]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.+}} : tensor<3x3xf32>) outs(%[[ZERO]] : tensor<?x3x4x4xf32>)
// CHECK-NEXT: ^bb0(%{{[^:]+}}: f32, %[[ACC:[^:]+]]: f32):
// CHECK: %[[SAFEH:.+]] = arith.select %[[OKH:[^,]+]], %{{.+}}, %{{.+}} : index
// CHECK: %[[SAFEW:.+]] = arith.select %[[OKW:[^,]+]], %{{.+}}, %{{.+}} : index
// CHECK: %[[OK:.+]] = arith.andi %[[OKH]], %[[OKW]] : i1
// CHECK: %[[DY:.+]] = tensor.extract %[[G]][%{{.+}}, %{{.+}}, %[[SAFEH]], %[[SAFEW]]] : tensor<?x3x2x2xf32>
// CHECK: %[[AREA:.+]] = arith.constant 9.000000e+00 : f32
// CHECK: %[[TERM:.+]] = arith.divf %[[DY]], %[[AREA]] : f32
// CHECK: %[[MASKED:.+]] = arith.select %[[OK]], %[[TERM]], %{{.+}} : f32
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %[[MASKED]] : f32
// CHECK: linalg.yield %[[SUM]] : f32
// CHECK: return %[[DX]]
func.func @avg_pool2d_grad(%g: tensor<?x3x2x2xf32>) -> tensor<?x3x4x4xf32> {
  %0 = nn.avg_pool2d_grad %g kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<?x3x2x2xf32> -> tensor<?x3x4x4xf32>
  return %0 : tensor<?x3x4x4xf32>
}

// -----

// A global average pool (AdaptiveAvgPool2d(1): the kernel is the plane, the
// stride 1): each pixel lies in the one window, so the gradient is the
// broadcast dy / 16, elementwise, with no gather over the window.

// CHECK-DAG: #[[$PIXEL:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 floordiv 4, d3 floordiv 4)>
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @global_avg_pool2d_grad
// CHECK-SAME: (%[[G:.+]]: tensor<?x3x1x1xf32>)
// CHECK: %[[DX:.+]] = linalg.generic {indexing_maps = [#[[$PIXEL]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[G]] : tensor<?x3x1x1xf32>) outs(%{{.+}} : tensor<?x3x4x4xf32>)
// CHECK-NEXT: ^bb0(%[[DY:[^:]+]]: f32, %{{[^:]+}}: f32):
// CHECK: %[[AREA:.+]] = arith.constant 1.600000e+01 : f32
// CHECK: %[[TERM:.+]] = arith.divf %[[DY]], %[[AREA]] : f32
// CHECK: linalg.yield %[[TERM]] : f32
// CHECK: return %[[DX]]
func.func @global_avg_pool2d_grad(%g: tensor<?x3x1x1xf32>) -> tensor<?x3x4x4xf32> {
  %0 = nn.avg_pool2d_grad %g kernel [4, 4] stride [1, 1] padding [0, 0] : tensor<?x3x1x1xf32> -> tensor<?x3x4x4xf32>
  return %0 : tensor<?x3x4x4xf32>
}
