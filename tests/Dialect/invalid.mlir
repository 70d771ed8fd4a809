// Verifiers of the nn ops. Types that the custom assembly infers (flatten's
// result, the shared type of relu_grad and add) can only be made to disagree
// in the generic form.
// RUN: %nncc-opt %s --split-input-file --verify-diagnostics

func.func @linear_feature_mismatch(%x: tensor<?x784xf32>, %w: tensor<256x512xf32>) {
  // expected-error @+1 {{input has 784 features but the weight expects 512}}
  %0 = nn.linear %x, %w : tensor<?x784xf32>, tensor<256x512xf32>
  return
}

// -----

func.func @linear_not_2d(%x: tensor<?x1x784xf32>, %w: tensor<256x784xf32>) {
  // expected-error @+1 {{'nn.linear' expects 2-d operands, got 'tensor<?x1x784xf32>'}}
  %0 = nn.linear %x, %w : tensor<?x1x784xf32>, tensor<256x784xf32>
  return
}

// -----

func.func @linear_bias_size(%x: tensor<?x784xf32>, %w: tensor<256x784xf32>, %b: tensor<128xf32>) {
  // expected-error @+1 {{bias must be [256]}}
  %0 = nn.linear %x, %w, %b : tensor<?x784xf32>, tensor<256x784xf32>, tensor<128xf32>
  return
}

// -----

func.func @linear_bias_rank(%x: tensor<?x784xf32>, %w: tensor<256x784xf32>, %b: tensor<1x256xf32>) {
  // expected-error @+1 {{bias must be [256]}}
  %0 = nn.linear %x, %w, %b : tensor<?x784xf32>, tensor<256x784xf32>, tensor<1x256xf32>
  return
}

// -----

func.func @linear_result_type(%x: tensor<?x784xf32>, %w: tensor<256x784xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x256xf32>' are incompatible with return type(s) of operation 'tensor<?x128xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.linear"(%x, %w) : (tensor<?x784xf32>, tensor<256x784xf32>) -> tensor<?x128xf32>
  return
}

// -----

func.func @cross_entropy_target_rank(%x: tensor<?x10xf32>, %t: tensor<?x10xi64>) {
  // expected-error @+1 {{expects logits [N, C] and targets [N], got 'tensor<?x10xf32>' and 'tensor<?x10xi64>'}}
  %0 = nn.cross_entropy %x, %t : tensor<?x10xf32>, tensor<?x10xi64>
  return
}

// -----

func.func @cross_entropy_batch(%x: tensor<8x10xf32>, %t: tensor<4xi64>) {
  // expected-error @+1 {{expects logits [N, C] and targets [N], got 'tensor<8x10xf32>' and 'tensor<4xi64>'}}
  %0 = nn.cross_entropy %x, %t : tensor<8x10xf32>, tensor<4xi64>
  return
}

// -----

func.func @label_smoothing_above_one(%x: tensor<?x10xf32>, %t: tensor<?xi64>) {
  // expected-error @+1 {{label_smoothing must be in [0, 1], got 1.5}}
  %0 = nn.cross_entropy %x, %t {label_smoothing = 1.5 : f64} : tensor<?x10xf32>, tensor<?xi64>
  return
}

// -----

func.func @label_smoothing_negative(%x: tensor<?x10xf32>, %t: tensor<?xi64>) {
  // expected-error @+1 {{label_smoothing must be in [0, 1], got -1}}
  %0 = nn.cross_entropy %x, %t {label_smoothing = -0.1 : f64} : tensor<?x10xf32>, tensor<?xi64>
  return
}

// -----

func.func @unflatten_ranks(%x: tensor<?x784xf32>) {
  // expected-error @+1 {{dims [1, 2] do not relate the two ranks}}
  %0 = nn.unflatten %x dims 1 to 2 : tensor<?x784xf32> -> tensor<?x1x28x28xf32>
  return
}

// -----

func.func @unflatten_sizes(%x: tensor<?x780xf32>) {
  // expected-error @+1 {{dimension 1 does not split into 'tensor<?x1x28x28xf32>'}}
  %0 = nn.unflatten %x dims 1 to 3 : tensor<?x780xf32> -> tensor<?x1x28x28xf32>
  return
}

// -----

func.func @flatten_out_of_range(%x: tensor<?x1x28x28xf32>) {
  // expected-error @+2 {{flatten dims [1, 4] out of range for rank 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.flatten"(%x) <{start_dim = 1 : i64, end_dim = 4 : i64}> : (tensor<?x1x28x28xf32>) -> tensor<?x784xf32>
  return
}

// -----

func.func @flatten_result_type(%x: tensor<?x1x28x28xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x28x28xf32>' are incompatible with return type(s) of operation 'tensor<?x784xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.flatten"(%x) <{start_dim = 1 : i64, end_dim = 2 : i64}> : (tensor<?x1x28x28xf32>) -> tensor<?x784xf32>
  return
}

// -----

func.func @relu_grad_types(%g: tensor<?x256xf32>, %y: tensor<?x128xf32>) {
  // expected-error @+1 {{all of {grad, output, result} have same type}}
  %0 = "nn.relu_grad"(%g, %y) : (tensor<?x256xf32>, tensor<?x128xf32>) -> tensor<?x256xf32>
  return
}

// -----

func.func @add_types(%a: tensor<?x256xf32>, %b: tensor<?x128xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "nn.add"(%a, %b) : (tensor<?x256xf32>, tensor<?x128xf32>) -> tensor<?x256xf32>
  return
}

// -----

func.func @cross_entropy_grad_types(%x: tensor<?x10xf32>, %t: tensor<?xi64>, %g: tensor<f32>) {
  // expected-error @+1 {{all of {logits, result} have same type}}
  %0 = "nn.cross_entropy_grad"(%x, %t, %g) : (tensor<?x10xf32>, tensor<?xi64>, tensor<f32>) -> tensor<?x12xf32>
  return
}

// -----

// Shape inference rejects what it cannot work with, even while parsing.
func.func @linear_rank0(%x: tensor<f32>, %w: tensor<256x784xf32>) {
  // expected-error @+1 {{'nn.linear' expects 2-d operands, got 'tensor<f32>'}}
  %0 = nn.linear %x, %w : tensor<f32>, tensor<256x784xf32>
  return
}

// -----

func.func @grad_input_rows(%g: tensor<?x10xf32>, %w: tensor<7x128xf32>) {
  // expected-error @+1 {{gradient has 10 features but the weight has 7 rows}}
  %0 = nn.linear_grad_input %g, %w : tensor<?x10xf32>, tensor<7x128xf32>
  return
}

// -----

func.func @grad_weight_batch(%g: tensor<4x10xf32>, %x: tensor<5x128xf32>) {
  // expected-error @+1 {{gradient and input disagree on the batch size}}
  %0 = nn.linear_grad_weight %g, %x : tensor<4x10xf32>, tensor<5x128xf32>
  return
}

// -----

func.func @count_nonfinite_size(%a: tensor<?x256xf32>, %b: tensor<f32>) {
  // expected-error @+1 {{result must be a 1-d tensor with one count per input (2), got 'tensor<3xf32>'}}
  %0 = nn.count_nonfinite %a, %b : tensor<?x256xf32>, tensor<f32> -> tensor<3xf32>
  return
}
