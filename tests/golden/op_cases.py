"""One small model per operation, written once and built twice: as a model.nn
for nncc and as a PyTorch module with the same state_dict names.

A case lists members as (name, layer expression in model.nn syntax) and
forward statements in model.nn syntax that read `x` and leave `h`; the same
text is evaluated as Python against torch.nn / torch.nn.functional (the two
syntaxes agree on calls, keywords, `+` and strings; true/false are bound to
True/False). Every model then ends in `logits = head(flatten(h, 1))` with a
Linear head over 5 classes and a CrossEntropyLoss, as a model must (or,
with head=False, `logits = flatten(h, 1)`).

Where a case puts a parametrized layer (`pre`) before the operation under
test, the gradient of `pre`'s parameters is the operation's input gradient
(its VJP) pulled back through a layer that is tested on its own.

Inputs have odd spatial sizes (9x7 by default) and run at batch sizes 1 and 3
(BatchNorm1d on [N, C] needs more than one value per channel in training
mode, and at batch 2 its output is +-1 whatever the input, which leaves a
zero input gradient: 3 and 4 there) plus a larger batch that fills whole
vector tiles.
"""
import torch
import torch.nn.functional as F
from torch import nn

CLASSES = 5

# model.nn layer names -> torch constructors; functions -> torch functions.
LAYERS = {name: getattr(nn, name) for name in (
    "Conv2d", "BatchNorm2d", "BatchNorm1d", "ReLU", "LeakyReLU", "Sigmoid",
    "Tanh", "GELU", "SiLU", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d",
    "Flatten", "Linear", "Identity", "Dropout", "Softmax", "LogSoftmax",
    "Sequential")}
FUNCTIONS = {
    "relu": F.relu, "leaky_relu": F.leaky_relu, "sigmoid": torch.sigmoid,
    "tanh": torch.tanh, "gelu": F.gelu, "silu": F.silu, "softmax": F.softmax,
    "log_softmax": F.log_softmax, "flatten": torch.flatten,
    "max_pool2d": F.max_pool2d, "avg_pool2d": F.avg_pool2d,
    "adaptive_avg_pool2d": F.adaptive_avg_pool2d,
}
CONSTANTS = {"true": True, "false": False}


class Case:
    def __init__(self, name, input_shape, members, forward=None,
                 batches=(1, 3, 16), label_smoothing=0.0, zero_grad=None,
                 head=True, dropout=False, x_mean=0.0, x_std=1.0, fd=True,
                 fd_h_max=None):
        self.name = name
        self.input_shape = tuple(input_shape)
        self.members = members
        # Default forward: the members applied in order.
        self.forward = forward or (["h = x"] +
                                   [f"h = {m}(h)" for m, _ in members])
        self.batches = batches
        self.label_smoothing = label_smoothing
        # {parameter: module whose output it shifts}: parameters whose exact
        # gradient is zero in training mode (a bias followed by batch norm,
        # whose batch mean removes it); see golden_ops.py.
        self.zero_grad = zero_grad or {}
        # head=False: the logits are flatten(h, 1) itself (the dropout
        # tests read the dropout output there).
        self.head = head
        # Has dropout: golden_ops.py checks its semantics, not exact values.
        self.dropout = dropout
        # Inputs are x_mean + x_std * N(0, 1).
        self.x_mean, self.x_std = x_mean, x_std
        # fd_check.py skips cases that test accuracy rather than derivatives;
        # fd_h_max caps its relative step where kinks lie densely.
        self.fd = fd
        self.fd_h_max = fd_h_max
        self._features = None

    def features(self):
        """Size of flatten(h, 1), from a PyTorch run of the body."""
        if self._features is None:
            body = _Body(self)
            body.eval()
            with torch.no_grad():
                h = body(torch.zeros(2, *self.input_shape))
            self._features = h[0].numel()
        return self._features

    def source(self):
        dims = ", ".join(str(d) for d in self.input_shape)
        smoothing = (f"label_smoothing={self.label_smoothing}"
                     if self.label_smoothing else "")
        lines = [f"# golden op case {self.name} (tests/golden/op_cases.py)",
                 f"model Case_{self.name} {{",
                 f"  input x: f32[N, {dims}]", "  input y: i64[N]"]
        lines += [f"  {m} = {expr}" for m, expr in self.members]
        if self.head:
            lines += [f"  head = Linear({self.features()}, {CLASSES})"]
        lines += [f"  criterion = CrossEntropyLoss({smoothing})",
                  "  forward {"]
        lines += [f"    {s}" for s in self.forward]
        lines += ["    logits = head(flatten(h, 1))" if self.head else
                  "    logits = flatten(h, 1)",
                  "    loss = criterion(logits, y)",
                  "    return logits", "    minimize loss", "  }", "}", ""]
        return "\n".join(lines)

    def torch_module(self, seed=0):
        """The PyTorch twin, initialised by torch.manual_seed(seed), with
        batch-norm affine parameters and running statistics moved away from
        their trivial initial values so that eval mode means something."""
        torch.manual_seed(seed)
        module = _CaseModule(self)
        g = torch.Generator().manual_seed(seed + 1)
        with torch.no_grad():
            for sub in module.modules():
                if isinstance(sub, nn.modules.batchnorm._BatchNorm):
                    if sub.affine:
                        sub.weight.copy_(0.5 + torch.rand(
                            sub.weight.shape, generator=g))
                        sub.bias.copy_(0.2 * torch.randn(
                            sub.bias.shape, generator=g))
                    if sub.track_running_stats:
                        sub.running_mean.copy_(0.2 * torch.randn(
                            sub.running_mean.shape, generator=g))
                        sub.running_var.copy_(0.5 + 1.5 * torch.rand(
                            sub.running_var.shape, generator=g))
                        sub.num_batches_tracked.fill_(3)
        return module


class _Body(nn.Module):
    def __init__(self, case):
        super().__init__()
        self._statements = compile("\n".join(case.forward), case.name, "exec")
        for name, expr in case.members:
            self.add_module(name, eval(expr, dict(LAYERS, **CONSTANTS)))

    def forward(self, x):
        scope = dict(FUNCTIONS, **CONSTANTS)
        scope.update(self.named_children())
        scope["x"] = x
        exec(self._statements, scope)
        return scope["h"]


class _CaseModule(_Body):
    def __init__(self, case):
        super().__init__(case)
        self.head = (nn.Linear(case.features(), CLASSES) if case.head
                     else nn.Flatten())
        self.criterion = nn.CrossEntropyLoss(
            label_smoothing=case.label_smoothing)

    def forward(self, x):
        scope = dict(FUNCTIONS, **CONSTANTS)
        scope.update((n, m) for n, m in self.named_children()
                     if n not in ("head", "criterion"))
        scope["x"] = x
        exec(self._statements, scope)
        return self.head(torch.flatten(scope["h"], 1))


IMG = (3, 9, 7)    # odd height and width, neither a multiple of the other
PRE = ("pre", "Conv2d(3, 4, 1)")  # 1x1: gives the op an input gradient
VEC = (10,)
PRE_VEC = ("pre", "Linear(10, 6)")
BN_TRAIN_ZERO = {"pre.bias": "pre"}


def _act(name, expr):
    return Case(name, IMG, [PRE, ("op", expr)])


CASES = [
    # Convolutions.
    Case("conv_stride2_pad1", IMG, [PRE, ("op", "Conv2d(4, 6, 3, stride=2, padding=1)")]),
    Case("conv_dilation2", IMG, [PRE, ("op", "Conv2d(4, 5, 3, dilation=2, padding=1)")]),
    Case("conv_groups2", IMG, [PRE, ("op", "Conv2d(4, 6, 3, padding=1, groups=2)")]),
    Case("conv_depthwise", IMG, [PRE, ("op", "Conv2d(4, 4, 3, stride=2, padding=1, groups=4)")]),
    Case("conv_depthwise_x2", IMG, [PRE, ("op", "Conv2d(4, 8, 3, groups=4)")]),
    Case("conv_1x1", IMG, [PRE, ("op", "Conv2d(4, 6, 1)")]),
    Case("conv_1x1_stride2", IMG, [PRE, ("op", "Conv2d(4, 6, 1, stride=2)")]),
    Case("conv_nobias", IMG, [PRE, ("op", "Conv2d(4, 6, 3, bias=false)")]),
    Case("conv_same", IMG, [PRE, ("op", 'Conv2d(4, 6, 3, padding="same")')]),
    Case("conv_same_5x5_dil2", IMG, [PRE, ("op", 'Conv2d(4, 3, 5, padding="same", dilation=2)')]),
    Case("conv_valid", IMG, [PRE, ("op", 'Conv2d(4, 3, 3, padding="valid")')]),
    Case("conv_rect", IMG, [PRE, ("op", "Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0))")]),
    Case("conv_first", IMG, [("op", "Conv2d(3, 8, 5, stride=2, padding=2)")]),
    # Batch norm: training mode uses batch statistics and updates the
    # running ones; eval mode uses the (randomised) running ones.
    Case("bn2d", IMG, [PRE, ("op", "BatchNorm2d(4)")], zero_grad=BN_TRAIN_ZERO),
    Case("bn2d_eps_momentum", IMG, [PRE, ("op", "BatchNorm2d(4, eps=0.001, momentum=0.3)")], zero_grad=BN_TRAIN_ZERO),
    Case("bn2d_no_affine", IMG, [PRE, ("op", "BatchNorm2d(4, affine=false)")], zero_grad=BN_TRAIN_ZERO),
    Case("bn2d_no_running_stats", IMG, [PRE, ("op", "BatchNorm2d(4, track_running_stats=false)")], zero_grad=BN_TRAIN_ZERO),
    # Long channel sums: 50176 values per channel with a mean far from zero
    # relative to their spread, where summation order matters (BUG-1). The
    # logits are the batch norm's output, whose softmax gradient sums to
    # zero: op.bias's exact gradient is zero.
    Case("bn2d_long_sums", (1, 28, 28), [("op", "BatchNorm2d(1)")],
         head=False, batches=(1024,), x_mean=10.0, x_std=1.0, fd=False,
         zero_grad={"op.bias": "op"}),
    Case("bn1d", VEC, [PRE_VEC, ("op", "BatchNorm1d(6)")], batches=(3, 4, 16), zero_grad=BN_TRAIN_ZERO),
    Case("bn1d_no_affine", VEC, [PRE_VEC, ("op", "BatchNorm1d(6, affine=false, momentum=0.5)")], batches=(3, 4, 16), zero_grad=BN_TRAIN_ZERO),
    Case("bn1d_ncl", IMG, [PRE, ("op", "BatchNorm1d(4)")],
         forward=["h = op(flatten(pre(x), 2))"], zero_grad=BN_TRAIN_ZERO),
    # Activations.
    _act("relu", "ReLU()"),
    _act("leaky_relu", "LeakyReLU(0.2)"),
    _act("sigmoid", "Sigmoid()"),
    _act("tanh", "Tanh()"),
    _act("gelu", "GELU()"),
    _act("silu", "SiLU()"),
    Case("functional_activations", IMG, [PRE],
         forward=["h = pre(x)", "h = leaky_relu(h, 0.1) + relu(h)",
                  "h = sigmoid(h) + tanh(h) + gelu(h) + silu(h)"]),
    # Saturating inputs (|x| ~ 100): exp overflow must not turn into NaN.
    Case("functional_activations_large", IMG, [PRE],
         forward=["h = pre(x)",
                  "h = sigmoid(h) + tanh(h) + gelu(h) + silu(h)"],
         x_std=100.0),
    # Pooling.
    Case("maxpool2", IMG, [PRE, ("op", "MaxPool2d(2)")]),
    Case("maxpool3_s2_p1", IMG, [PRE, ("op", "MaxPool2d(3, stride=2, padding=1)")]),
    Case("maxpool_rect", IMG, [PRE, ("op", "MaxPool2d((3, 2), stride=(1, 2), padding=(1, 0))")]),
    Case("avgpool2", IMG, [PRE, ("op", "AvgPool2d(2)")]),
    Case("avgpool3_s2_p1", IMG, [PRE, ("op", "AvgPool2d(3, stride=2, padding=1)")]),
    Case("functional_pools", IMG, [PRE],
         forward=["h = pre(x)",
                  "h = max_pool2d(h, 3, 2, 1) + avg_pool2d(h, 3, 2, 1)"]),
    Case("adaptive_avgpool", IMG, [PRE, ("op", "AdaptiveAvgPool2d(1)")]),
    Case("adaptive_avgpool_fn", IMG, [PRE],
         forward=["h = adaptive_avg_pool2d(pre(x), 1)"]),
    # Shapes and plumbing.
    Case("flatten", IMG, [PRE, ("op", "Flatten()")]),
    Case("flatten_2", IMG, [PRE, ("op", "Flatten(2)")]),
    Case("linear", VEC, [PRE_VEC, ("op", "Linear(6, 7)")]),
    Case("linear_nobias", VEC, [PRE_VEC, ("op", "Linear(6, 7, bias=false)")]),
    Case("identity", IMG, [PRE, ("op", "Identity()")]),
    Case("residual_fanout", IMG,
         [("pre", "Conv2d(3, 4, 3, padding=1)"),
          ("op", "Conv2d(4, 4, 3, padding=1)")],
         forward=["a = pre(x)", "h = relu(op(a)) + a", "h = h + a + h"]),
    # ReLU of a batch-normalised sum: at batch 3 a relative step of 1e-3
    # already crosses enough kinks to move the difference quotient by 5%
    # (PyTorch in f64 needs 1e-4 to agree with its own gradient), so the
    # finite-difference step is capped at 1e-4 there, where f32 rounding
    # makes the check coarser (its atol grows as 1/h).
    Case("residual_block", IMG,
         [PRE, ("conv", "Conv2d(4, 4, 3, padding=1, bias=false)"),
          ("bn", "BatchNorm2d(4)")],
         forward=["a = pre(x)", "h = relu(bn(conv(a)) + a)"],
         fd_h_max=1e-4),
    # Softmax over classes and over channels / width, with a Linear after it.
    Case("softmax", VEC, [PRE_VEC, ("op", "Softmax(1)")]),
    Case("log_softmax", VEC, [PRE_VEC, ("op", "LogSoftmax(dim=1)")]),
    Case("softmax_channels", IMG, [PRE, ("op", "Softmax(dim=1)")]),
    # pre.bias shifts a whole channel, which a softmax over the width
    # ignores: its exact gradient is zero.
    Case("log_softmax_last", IMG, [PRE, ("op", "LogSoftmax(-1)")],
         zero_grad={"pre.bias": "pre"}),
    Case("softmax_large", VEC, [PRE_VEC, ("op", "Softmax(1)")], x_std=300.0),
    Case("softmax_fn", VEC, [PRE_VEC],
         forward=["h = pre(x)", "h = softmax(h, 1) + log_softmax(h, dim=-1)"]),
    # The loss.
    Case("cross_entropy", VEC, [PRE_VEC]),
    Case("cross_entropy_smoothing", VEC, [PRE_VEC], label_smoothing=0.1),
    Case("cross_entropy_smoothing_1", VEC, [PRE_VEC], label_smoothing=1.0),
    # Logits in the hundreds: the log-sum-exp must subtract the maximum.
    Case("cross_entropy_large", VEC, [PRE_VEC], x_std=300.0,
         label_smoothing=0.2),
    # p = 0 and p = 1 are deterministic (identity; zeros, where 1 / (1 - p)
    # must not produce NaN): compared exactly like any other op.
    Case("dropout_p0", IMG, [PRE, ("op", "Dropout(0.0)")]),
    Case("dropout_p1", IMG, [PRE, ("op", "Dropout(1.0)")]),
    # Dropout: golden_ops.py checks the semantics (masks are nncc's own);
    # with a fixed seed the mask is fixed, so fd_check.py treats it as any
    # other op. The logits are the dropout output itself.
    Case("dropout", IMG, [PRE, ("op", "Dropout(0.3)")], head=False,
         batches=(1, 3, 64), dropout=True),
    Case("dropout_vec", (40,), [("pre", "Linear(40, 50)"), ("op", "Dropout()")],
         head=False, batches=(1, 3, 200), dropout=True),
]

BY_NAME = {c.name: c for c in CASES}
assert len(BY_NAME) == len(CASES), "case names must be unique"
