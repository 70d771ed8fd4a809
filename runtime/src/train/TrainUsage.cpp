//===- TrainUsage.cpp - nncc_train_main's --help --------------------------===//
//
// One place for every flag's meaning and default; docs/training.md says how
// they work together.
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Trainer.h"

namespace nncc {

std::string trainUsage(const char *program) {
  std::string kinds;
  for (const std::string &k : datasetKinds())
    kinds += (kinds.empty() ? "" : "|") + k;
  return std::string("usage: ") + program + " [options]\n" +
         "  --data KIND=PATH         training and test data (required unless "
         "--steps 0);\n"
         "                           KIND: " +
         kinds + R"(
                           (layouts: runtime/include/nncc/Datasets.h)
  --epochs E               epochs to train, in total (default 1)
  --steps N                stop after N optimizer steps in total, then evaluate;
                           without --epochs, runs as many epochs as needed;
                           0: no training (evaluate, load or save only)
  --batch B                training batch size (default 64)
  --eval-batch B           evaluation batch size (default: --batch)
  --threads N              threads the compiled step runs on (default: every
                           core this process may use); results are the same
                           for every count
  --profile                time every layer's forward and backward ops and
                           print the table at the end (nncc train compiles
                           the model with nncc --profile for it)
  --no-cache               nncc train: compile the model even if the compile
                           cache holds it, and do not store it
optimizer:
  --optimizer NAME         sgd (default), adam or adamw (torch.optim's)
  --lr LR                  learning rate (default 0.05 for sgd, 0.001 for adam
                           and adamw)
  --momentum M             SGD momentum (default 0.9)
  --dampening D            SGD dampening (default 0)
  --nesterov               SGD Nesterov momentum
  --weight-decay W         weight decay (default 0; 0.01 for adamw)
  --betas B1,B2            Adam/AdamW betas (default 0.9,0.999)
  --eps E                  Adam/AdamW epsilon (default 1e-8)
  --amsgrad                Adam/AdamW AMSGrad
  --no-decay-norm-bias     no weight decay on biases and 1-D (norm) parameters
  --clip-grad-norm MAX     clip gradients to a global 2-norm of MAX
  --scheduler SPEC         learning-rate schedule: none, step, multistep,
                           cosine, linear or onecycle, with settings, e.g.
                           cosine:warmup=2,eta_min=1e-4
                           step:step_size=10,gamma=0.5
                           multistep:milestones=30+60
                           onecycle:max_lr=0.1,pct_start=0.25
                           (unit=epoch|iteration; see nncc/OptimizerConfig.h)
data loading:
  --seed S                 initialisation and shuffling seed (default 0)
  --no-shuffle             visit training samples in file order
  --sampler NAME           sequential, random (default) or weighted (with
                           replacement, weights balancing the classes)
  --drop-last              skip a last training batch smaller than --batch
  --workers N              background threads assembling batches (default 0)
  --augment LIST           crop=P (random crop with P pixels of zero padding)
                           and/or flip (random horizontal flip), e.g. crop=4,flip
  --normalize MEAN,STD     input normalisation (default: the dataset's usual,
                           e.g. 0.2860,0.3530 for fashion-mnist)
  --mean M[,M2,M3]         per-channel mean (with --std), replacing --normalize
  --std S[,S2,S3]          per-channel std
checkpoints and logs:
  --load FILE              start from a safetensors checkpoint (weights only)
  --save FILE              write a safetensors checkpoint after every epoch and
                           at the end, plus FILE's training state
                           (FILE.safetensors -> FILE.state.safetensors)
  --save-every N           also save every N steps inside an epoch
  --resume FILE            continue the run that saved FILE (its --save path):
                           weights, optimizer, schedule, random streams and the
                           position in the epoch; --epochs/--steps are totals
                           counted from that run's start, and --batch, --data,
                           --drop-last, --sampler must not change
  --metrics-json FILE      write per-epoch metrics, per-class accuracy and the
                           confusion matrix as JSON
  --csv FILE               write one row per epoch as CSV, and a plot of loss
                           and accuracy per epoch as SVG next to it (.svg)
  --plot FILE              write the SVG plot here instead
  --log-every N            print a progress line every N steps (default: a
                           progress bar when stdout is a terminal, else a
                           line every 30 s)
  --help                   print this message
)";
}

} // namespace nncc
