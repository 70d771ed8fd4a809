func.func @step(%x: tensor<?x2x4x4xf32>, %dp: tensor<?x2x2x2xf32>) -> (tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>) {
  %r = nn.relu %x : tensor<?x2x4x4xf32>
  %p, %i = nn.max_pool2d %r kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x4x4xf32>
  %g = nn.max_pool2d_grad %dp, %i kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<?x2x2x2xf32>, tensor<?x2x2x2xi64> -> tensor<?x2x4x4xf32>
  %dx = nn.relu_grad %g, %r : tensor<?x2x4x4xf32>
  return %p, %dx : tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>
}
