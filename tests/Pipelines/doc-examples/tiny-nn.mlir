module attributes {nn.model = "Tiny"} {
  func.func @train_step(%arg0: tensor<3x4xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "kaiming_uniform_a5", nn.param = "fc.weight"}, %arg1: tensor<3xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "uniform_fan_in", nn.param = "fc.bias"}, %arg2: tensor<?x4xf32> {nn.input = "x"}, %arg3: tensor<?xi64> {nn.input = "y"}) -> (tensor<?x3xf32> {nn.output = "logits"}, tensor<f32> {nn.output = "loss"}) attributes {nn.differentiate} {
    %0 = nn.linear %arg2, %arg0, %arg1 : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>
    %1 = nn.cross_entropy %0, %arg3 : tensor<?x3xf32>, tensor<?xi64>
    return %0, %1 : tensor<?x3xf32>, tensor<f32>
  }
  func.func @eval_step(%arg0: tensor<3x4xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "kaiming_uniform_a5", nn.param = "fc.weight"}, %arg1: tensor<3xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "uniform_fan_in", nn.param = "fc.bias"}, %arg2: tensor<?x4xf32> {nn.input = "x"}, %arg3: tensor<?xi64> {nn.input = "y"}) -> (tensor<?x3xf32> {nn.output = "logits"}, tensor<f32> {nn.output = "loss"}) {
    %0 = nn.linear %arg2, %arg0, %arg1 : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>
    %1 = nn.cross_entropy %0, %arg3 : tensor<?x3xf32>, tensor<?xi64>
    return %0, %1 : tensor<?x3xf32>, tensor<f32>
  }
  func.func @predict(%arg0: tensor<3x4xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "kaiming_uniform_a5", nn.param = "fc.weight"}, %arg1: tensor<3xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "uniform_fan_in", nn.param = "fc.bias"}, %arg2: tensor<?x4xf32> {nn.input = "x"}) -> (tensor<?x3xf32> {nn.output = "logits"}) {
    %0 = nn.linear %arg2, %arg0, %arg1 : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>
    return %0 : tensor<?x3xf32>
  }
  func.func @probe(%arg0: tensor<3x4xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "kaiming_uniform_a5", nn.param = "fc.weight"}, %arg1: tensor<3xf32> {nn.fan_in = 4 : i64, nn.fan_out = 3 : i64, nn.init = "uniform_fan_in", nn.param = "fc.bias"}, %arg2: tensor<?x4xf32> {nn.input = "x"}, %arg3: tensor<?xi64> {nn.input = "y"}) -> (tensor<2xf32> {nn.output = "nonfinite"}) attributes {nn.probe_names = ["fc (Linear)", "criterion (CrossEntropyLoss)"]} {
    %0 = nn.linear %arg2, %arg0, %arg1 : tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>
    %1 = nn.cross_entropy %0, %arg3 : tensor<?x3xf32>, tensor<?xi64>
    %2 = nn.count_nonfinite %0, %1 : tensor<?x3xf32>, tensor<f32> -> tensor<2xf32>
    return %2 : tensor<2xf32>
  }
}
