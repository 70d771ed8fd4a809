// Verifiers and shape inference of the convolution, pooling, batch-norm,
// dropout and softmax ops: every error path of NNConvOps.cpp and
// NNNormOps.cpp, and the type constraints the ODS traits add. Shape
// inference runs while the custom form is parsed, so its errors come alone;
// types that the custom form infers (results, the shared type of dropout)
// can only be made to disagree in the generic form.
// RUN: %nncc-opt %s --split-input-file --verify-diagnostics

//===----------------------------------------------------------------------===//
// nn.conv2d: shape inference (windowResult, checkWindow)
//===----------------------------------------------------------------------===//

func.func @conv2d_not_nchw(%x: tensor<?x3x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' expects an NCHW input, got 'tensor<?x3x32xf32>'}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x3x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_not_oihw(%x: tensor<?x3x32x32xf32>, %w: tensor<16x27xf32>) {
  // expected-error @+1 {{'nn.conv2d' expects an OIHW weight}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x27xf32>
  return
}

// -----

func.func @conv2d_stride_size(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' expects 2 values for kernel, stride, padding and dilation}}
  %0 = nn.conv2d %x, %w stride [1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_padding_size(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' expects 2 values for kernel, stride, padding and dilation}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0, 0] dilation [1, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_dilation_size(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' expects 2 values for kernel, stride, padding and dilation}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_zero_stride(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0 = nn.conv2d %x, %w stride [1, 0] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_negative_padding(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [-1, 0] dilation [1, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_zero_dilation(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [0, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

// The kernel size comes from the weight's last two dimensions.
func.func @conv2d_empty_kernel(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x0x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x3x32x32xf32>, tensor<16x3x0x3xf32>
  return
}

// -----

// (2 + 0 - 1 * (3 - 1) - 1) / 1 + 1 = 0 rows.
func.func @conv2d_empty_plane(%x: tensor<?x3x2x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' produces an empty plane}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<?x3x2x8xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

// Dilation widens the window: 1 * 2 + 1 = 5 > 4 columns.
func.func @conv2d_empty_plane_dilated(%x: tensor<?x3x8x4xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' produces an empty plane}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 2] groups 1 : tensor<?x3x8x4xf32>, tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_result_type(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x16x30x30xf32>' are incompatible with return type(s) of operation 'tensor<?x16x32x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.conv2d"(%x, %w) <{stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<?x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<?x16x32x32xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.conv2d: Conv2dOp::verify (groups, channels, bias)
//===----------------------------------------------------------------------===//

func.func @conv2d_zero_groups(%x: tensor<?x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op channels must divide into 0 groups}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 0 : tensor<?x4x8x8xf32>, tensor<8x4x3x3xf32>
  return
}

// -----

func.func @conv2d_negative_groups(%x: tensor<?x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op channels must divide into -2 groups}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups -2 : tensor<?x4x8x8xf32>, tensor<8x4x3x3xf32>
  return
}

// -----

func.func @conv2d_input_channels_groups(%x: tensor<?x3x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op channels must divide into 2 groups}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 2 : tensor<?x3x8x8xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @conv2d_output_channels_groups(%x: tensor<?x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op channels must divide into 4 groups}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 4 : tensor<?x4x8x8xf32>, tensor<6x1x3x3xf32>
  return
}

// -----

func.func @conv2d_input_channels(%x: tensor<?x3x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op input has 3 channels; the weight expects 4}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x3x8x8xf32>, tensor<8x4x3x3xf32>
  return
}

// -----

// With groups, the weight's dimension 1 is the channels of one group.
func.func @conv2d_grouped_input_channels(%x: tensor<?x4x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op input has 4 channels; the weight expects 2}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 2 : tensor<?x4x8x8xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @conv2d_bias_size(%x: tensor<?x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op bias must be [8]}}
  %0 = nn.conv2d %x, %w, %b stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @conv2d_bias_rank(%x: tensor<?x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8x1x1xf32>) {
  // expected-error @+1 {{'nn.conv2d' op bias must be [8]}}
  %0 = nn.conv2d %x, %w, %b stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<8x1x1xf32>
  return
}

// -----

func.func @conv2d_f64_weight(%x: tensor<?x3x8x8xf32>, %w: tensor<8x3x3x3xf64>) {
  // expected-error @+1 {{'nn.conv2d' op operand #1 must be ranked tensor of 32-bit float values, but got 'tensor<8x3x3x3xf64>'}}
  %0 = nn.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x3x8x8xf32>, tensor<8x3x3x3xf64>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.channel_sum
//===----------------------------------------------------------------------===//

func.func @channel_sum_rank(%g: tensor<?xf32>) {
  // expected-error @+1 {{'nn.channel_sum' expects rank >= 2}}
  %0 = nn.channel_sum %g : tensor<?xf32>
  return
}

// -----

func.func @channel_sum_result_type(%g: tensor<?x16x4x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<16xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.channel_sum"(%g) : (tensor<?x16x4x4xf32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.max_pool2d / nn.avg_pool2d: shape inference
//===----------------------------------------------------------------------===//

func.func @max_pool2d_not_nchw(%x: tensor<?x784xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' expects an NCHW input, got 'tensor<?x784xf32>'}}
  %0:2 = nn.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x784xf32>
  return
}

// -----

func.func @max_pool2d_kernel_size(%x: tensor<?x8x28x28xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' expects 2 values for kernel, stride, padding and dilation}}
  %0:2 = nn.max_pool2d %x kernel [2] stride [2, 2] padding [0, 0] : tensor<?x8x28x28xf32>
  return
}

// -----

func.func @max_pool2d_zero_kernel(%x: tensor<?x8x28x28xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0:2 = nn.max_pool2d %x kernel [0, 2] stride [2, 2] padding [0, 0] : tensor<?x8x28x28xf32>
  return
}

// -----

// (1 + 0 - 3) / 1 + 1 = -1 rows.
func.func @max_pool2d_empty_plane(%x: tensor<?x8x1x28xf32>) {
  // expected-error @+1 {{'nn.max_pool2d' produces an empty plane}}
  %0:2 = nn.max_pool2d %x kernel [3, 2] stride [1, 2] padding [0, 0] : tensor<?x8x1x28xf32>
  return
}

// -----

func.func @max_pool2d_indices_shape(%x: tensor<?x8x28x28xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x8x14x14xf32>', 'tensor<?x8x14x14xi64>' are incompatible with return type(s) of operation 'tensor<?x8x14x14xf32>', 'tensor<?x8x7x7xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = "nn.max_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>}> : (tensor<?x8x28x28xf32>) -> (tensor<?x8x14x14xf32>, tensor<?x8x7x7xi64>)
  return
}

// -----

func.func @avg_pool2d_not_nchw(%x: tensor<8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' expects an NCHW input, got 'tensor<8x8xf32>'}}
  %0 = nn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<8x8xf32>
  return
}

// -----

func.func @avg_pool2d_padding_size(%x: tensor<?x64x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' expects 2 values for kernel, stride, padding and dilation}}
  %0 = nn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0] : tensor<?x64x8x8xf32>
  return
}

// -----

func.func @avg_pool2d_zero_stride(%x: tensor<?x64x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0 = nn.avg_pool2d %x kernel [2, 2] stride [0, 2] padding [0, 0] : tensor<?x64x8x8xf32>
  return
}

// -----

func.func @avg_pool2d_negative_padding(%x: tensor<?x64x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0 = nn.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [0, -1] : tensor<?x64x8x8xf32>
  return
}

// -----

// A kernel larger than the padded plane: (8 + 0 - 9) / 1 + 1 = 0 columns.
func.func @avg_pool2d_empty_plane(%x: tensor<?x64x8x8xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d' produces an empty plane}}
  %0 = nn.avg_pool2d %x kernel [8, 9] stride [1, 1] padding [0, 0] : tensor<?x64x8x8xf32>
  return
}

// -----

func.func @avg_pool2d_result_type(%x: tensor<?x64x8x8xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x64x1x1xf32>' are incompatible with return type(s) of operation 'tensor<?x64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.avg_pool2d"(%x) <{kernel = array<i64: 8, 8>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>}> : (tensor<?x64x8x8xf32>) -> tensor<?x64xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.batch_norm_*
//===----------------------------------------------------------------------===//

func.func @batch_norm_train_rank(%x: tensor<?xf32>, %p: tensor<1xf32>) {
  // expected-error @+1 {{batch norm expects [N, C, ...]}}
  %0:5 = nn.batch_norm_train %x, %p, %p, %p, %p eps 1.0e-05 momentum 1.0e-01 : tensor<?xf32>, tensor<1xf32>
  return
}

// -----

func.func @batch_norm_eval_rank(%x: tensor<?xf32>, %p: tensor<1xf32>) {
  // expected-error @+1 {{batch norm expects [N, C, ...]}}
  %0 = nn.batch_norm_eval %x, %p, %p, %p, %p eps 1.0e-05 : tensor<?xf32>, tensor<1xf32>
  return
}

// -----

func.func @batch_norm_grad_rank(%g: tensor<?xf32>, %p: tensor<1xf32>) {
  // expected-error @+1 {{batch norm expects [N, C, ...]}}
  %0:3 = nn.batch_norm_grad %g, %g, %p, %p, %p : tensor<?xf32>, tensor<1xf32>
  return
}

// -----

func.func @batch_norm_train_channels(%x: tensor<?x32x8x8xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op statistics and affine parameters must be [32]}}
  %0:5 = nn.batch_norm_train %x, %p, %p, %p, %p eps 1.0e-05 momentum 1.0e-01 : tensor<?x32x8x8xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_train_param_rank(%x: tensor<?x32x8x8xf32>, %p: tensor<1x32xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op statistics and affine parameters must be [32]}}
  %0:5 = nn.batch_norm_train %x, %p, %p, %p, %p eps 1.0e-05 momentum 1.0e-01 : tensor<?x32x8x8xf32>, tensor<1x32xf32>
  return
}

// -----

func.func @batch_norm_momentum_above_one(%x: tensor<?x32x8x8xf32>, %p: tensor<32xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op momentum must be in [0, 1], got 1.500000e+00}}
  %0:5 = nn.batch_norm_train %x, %p, %p, %p, %p eps 1.0e-05 momentum 1.5 : tensor<?x32x8x8xf32>, tensor<32xf32>
  return
}

// -----

func.func @batch_norm_momentum_negative(%x: tensor<?x32x8x8xf32>, %p: tensor<32xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op momentum must be in [0, 1], got -1.000000e-01}}
  %0:5 = nn.batch_norm_train %x, %p, %p, %p, %p eps 1.0e-05 momentum -1.0e-01 : tensor<?x32x8x8xf32>, tensor<32xf32>
  return
}

// -----

// The running statistics share the affine parameters' type (an ODS trait, not
// the C++ verifier).
func.func @batch_norm_train_stat_type(%x: tensor<?x32x8x8xf32>, %p: tensor<32xf32>, %rv: tensor<16xf32>) {
  // expected-error @+1 {{'nn.batch_norm_train' op failed to verify that all of {weight, bias, running_mean, running_var} have same type}}
  %0:5 = "nn.batch_norm_train"(%x, %p, %p, %p, %rv) <{eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64}> : (tensor<?x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<16xf32>) -> (tensor<?x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>)
  return
}

// -----

func.func @batch_norm_grad_stat_type(%g: tensor<?x32x8x8xf32>, %p: tensor<32xf32>, %s: tensor<16xf32>) {
  // expected-error @+1 {{'nn.batch_norm_grad' op failed to verify that all of {weight, mean, invstd} have same type}}
  %0:3 = "nn.batch_norm_grad"(%g, %g, %p, %p, %s) : (tensor<?x32x8x8xf32>, tensor<?x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>, tensor<16xf32>) -> (tensor<?x32x8x8xf32>, tensor<32xf32>, tensor<32xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.dropout (no C++ verifier: the ODS constraints only)
//===----------------------------------------------------------------------===//

func.func @dropout_result_type(%x: tensor<?x128xf32>, %seed: i64) {
  // expected-error @+1 {{'nn.dropout' op failed to verify that all of {input, result} have same type}}
  %0 = "nn.dropout"(%x, %seed) <{p = 5.0e-01 : f64, salt = 0 : i64}> : (tensor<?x128xf32>, i64) -> tensor<?x64xf32>
  return
}

// -----

func.func @dropout_seed_type(%x: tensor<?x128xf32>, %seed: i32) {
  // expected-error @+1 {{'nn.dropout' op operand #1 must be 64-bit signless integer, but got 'i32'}}
  %0 = "nn.dropout"(%x, %seed) <{p = 5.0e-01 : f64, salt = 0 : i64}> : (tensor<?x128xf32>, i32) -> tensor<?x128xf32>
  return
}

// -----

func.func @dropout_grad_result_type(%g: tensor<?x128xf32>, %seed: i64) {
  // expected-error @+1 {{'nn.dropout_grad' op failed to verify that all of {grad, result} have same type}}
  %0 = "nn.dropout_grad"(%g, %seed) <{p = 5.0e-01 : f64, salt = 0 : i64}> : (tensor<?x128xf32>, i64) -> tensor<128xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.softmax / nn.log_softmax: verifyDim
//===----------------------------------------------------------------------===//

func.func @softmax_dim_too_large(%x: tensor<?x10xf32>) {
  // expected-error @+1 {{'nn.softmax' op dim 2 is out of range for 'tensor<?x10xf32>'}}
  %0 = nn.softmax %x dim 2 : tensor<?x10xf32>
  return
}

// -----

// Negative dims are not normalised (the frontend does that).
func.func @softmax_dim_negative(%x: tensor<?x10xf32>) {
  // expected-error @+1 {{'nn.softmax' op dim -1 is out of range for 'tensor<?x10xf32>'}}
  %0 = nn.softmax %x dim -1 : tensor<?x10xf32>
  return
}

// -----

func.func @log_softmax_dim_too_large(%x: tensor<?x10xf32>) {
  // expected-error @+1 {{'nn.log_softmax' op dim 5 is out of range for 'tensor<?x10xf32>'}}
  %0 = nn.log_softmax %x dim 5 : tensor<?x10xf32>
  return
}

// -----

func.func @log_softmax_dim_negative(%x: tensor<?x10xf32>) {
  // expected-error @+1 {{'nn.log_softmax' op dim -2 is out of range for 'tensor<?x10xf32>'}}
  %0 = nn.log_softmax %x dim -2 : tensor<?x10xf32>
  return
}

// -----

func.func @softmax_result_type(%x: tensor<?x10xf32>) {
  // expected-error @+1 {{'nn.softmax' op requires the same type for all operands and results}}
  %0 = "nn.softmax"(%x) <{dim = 1 : i64}> : (tensor<?x10xf32>) -> tensor<?x12xf32>
  return
}

// -----

func.func @softmax_grad_types(%g: tensor<?x10xf32>, %y: tensor<?x12xf32>) {
  // expected-error @+1 {{'nn.softmax_grad' op failed to verify that all of {grad, output, result} have same type}}
  %0 = "nn.softmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<?x10xf32>, tensor<?x12xf32>) -> tensor<?x10xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// The gradient ops: the incoming gradient has the forward output's shape
// (checkGradShape), and the channels fit the weight (checkConvChannels)
//===----------------------------------------------------------------------===//

func.func @conv2d_grad_input_wrong_grad(%dy: tensor<?x16x30x30xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_grad_input' op gradient is 'tensor<?x16x30x30xf32>'; the forward's output is 'tensor<?x16x32x32xf32>'}}
  %0 = nn.conv2d_grad_input %dy, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x16x30x30xf32>, tensor<16x3x3x3xf32> -> tensor<?x3x32x32xf32>
  return
}

// -----

func.func @conv2d_grad_input_channels(%dy: tensor<?x16x32x32xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_grad_input' op input has 4 channels; the weight expects 3}}
  %0 = nn.conv2d_grad_input %dy, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x16x32x32xf32>, tensor<16x3x3x3xf32> -> tensor<?x4x32x32xf32>
  return
}

// -----

func.func @conv2d_grad_weight_wrong_grad(%dy: tensor<?x8x16x16xf32>, %x: tensor<?x3x32x32xf32>) {
  // expected-error @+1 {{'nn.conv2d_grad_weight' op gradient is 'tensor<?x8x16x16xf32>'; the forward's output is 'tensor<?x16x16x16xf32>'}}
  %0 = nn.conv2d_grad_weight %dy, %x stride [2, 2] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x8x16x16xf32>, tensor<?x3x32x32xf32> -> tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_grad_weight_groups(%dy: tensor<?x16x32x32xf32>, %x: tensor<?x3x32x32xf32>) {
  // expected-error @+1 {{'nn.conv2d_grad_weight' op channels must divide into 2 groups}}
  %0 = nn.conv2d_grad_weight %dy, %x stride [1, 1] padding [1, 1] dilation [1, 1] groups 2 : tensor<?x16x32x32xf32>, tensor<?x3x32x32xf32> -> tensor<16x3x3x3xf32>
  return
}

// -----

func.func @conv2d_grad_weight_bad_window(%dy: tensor<?x16x32x32xf32>, %x: tensor<?x3x32x32xf32>) {
  // expected-error @+1 {{'nn.conv2d_grad_weight' has a non-positive kernel, stride or dilation, or a negative padding}}
  %0 = nn.conv2d_grad_weight %dy, %x stride [0, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<?x16x32x32xf32>, tensor<?x3x32x32xf32> -> tensor<16x3x3x3xf32>
  return
}

// -----

func.func @max_pool2d_grad_wrong_grad(%dy: tensor<?x3x15x15xf32>, %i: tensor<?x3x15x15xi64>) {
  // expected-error @+1 {{'nn.max_pool2d_grad' op gradient is 'tensor<?x3x15x15xf32>'; the forward's output is 'tensor<?x3x16x16xf32>'}}
  %0 = nn.max_pool2d_grad %dy, %i kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x3x15x15xf32>, tensor<?x3x15x15xi64> -> tensor<?x3x32x32xf32>
  return
}

// -----

func.func @max_pool2d_grad_indices(%dy: tensor<?x3x16x16xf32>, %i: tensor<?x3x8x8xi64>) {
  // expected-error @+1 {{'nn.max_pool2d_grad' op indices must have the gradient's shape}}
  %0 = nn.max_pool2d_grad %dy, %i kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x3x16x16xf32>, tensor<?x3x8x8xi64> -> tensor<?x3x32x32xf32>
  return
}

// -----

func.func @avg_pool2d_grad_channels(%dy: tensor<?x4x1x1xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d_grad' op gradient is 'tensor<?x4x1x1xf32>'; the forward's output is 'tensor<?x3x1x1xf32>'}}
  %0 = nn.avg_pool2d_grad %dy kernel [8, 8] stride [1, 1] padding [0, 0] : tensor<?x4x1x1xf32> -> tensor<?x3x8x8xf32>
  return
}

// -----

func.func @avg_pool2d_grad_not_nchw(%dy: tensor<?x3x1x1xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d_grad' op expects an NCHW result, got 'tensor<?x3x8xf32>'}}
  %0 = nn.avg_pool2d_grad %dy kernel [8, 8] stride [1, 1] padding [0, 0] : tensor<?x3x1x1xf32> -> tensor<?x3x8xf32>
  return
}
