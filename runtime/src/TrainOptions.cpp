//===- TrainOptions.cpp - command line of the generic trainer -------------===//
//
// Strict parsing: a training job that silently ignored a misspelt flag or
// read "--lr 1e-2x" as 0.01 would waste hours, so every value must parse
// completely and lie in range, and anything unknown is an error.
//
//===----------------------------------------------------------------------===//
#include "nncc/Error.h"
#include "nncc/Trainer.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace nncc {

namespace {

int64_t parseInt(const std::string &flag, const std::string &text,
                 int64_t min) {
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || errno == ERANGE || *end != '\0' || v < min)
    throw Error("invalid value '" + text + "' for " + flag +
                ": expected an integer >= " + std::to_string(min));
  return v;
}

uint64_t parseSeed(const std::string &flag, const std::string &text) {
  errno = 0;
  char *end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || errno == ERANGE || *end != '\0')
    throw Error("invalid value '" + text + "' for " + flag +
                ": expected a non-negative integer");
  return v;
}

double parseNumber(const std::string &flag, const std::string &text,
                   bool positive = false) {
  errno = 0;
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || errno == ERANGE || *end != '\0' || !std::isfinite(v) ||
      v < 0.0 || (positive && v == 0.0))
    throw Error("invalid value '" + text + "' for " + flag + ": expected a " +
                (positive ? "positive" : "non-negative") + " number");
  return v;
}

} // namespace

std::string trainUsage(const char *program) {
  return std::string("usage: ") + program + " [options]\n" +
         R"(  --data fashion-mnist=DIR  training and test data (required unless --steps 0)
  --epochs E               epochs to train (default 1)
  --steps N                stop after N optimizer steps in total, then evaluate;
                           without --epochs, runs as many epochs as needed;
                           0: no training (evaluate, load or save only)
  --batch B                training batch size (default 64)
  --eval-batch B           evaluation batch size (default 1000)
  --lr LR                  learning rate (default 0.05)
  --momentum M             SGD momentum (default 0.9)
  --dampening D            SGD dampening (default 0)
  --weight-decay W         L2 weight decay (default 0)
  --nesterov               Nesterov momentum
  --seed S                 initialisation and shuffling seed (default 0)
  --no-shuffle             visit training samples in file order
  --drop-last              skip a last training batch smaller than --batch
  --normalize MEAN,STD     input normalisation (default 0.2860,0.3530)
  --load FILE              start from a safetensors checkpoint (weights only)
  --save FILE              write a safetensors checkpoint after every epoch and
                           at the end, plus FILE's training state
                           (FILE.safetensors -> FILE.state.safetensors)
  --save-every N           also save every N steps inside an epoch
  --resume FILE            continue the run that saved FILE (its --save path):
                           weights, optimizer, random streams and the position
                           in the epoch; --epochs/--steps are totals counted
                           from that run's start, and --batch, --data,
                           --drop-last, --no-shuffle must not change
  --metrics-json FILE      write per-epoch metrics, per-class accuracy and the
                           confusion matrix as JSON
  --csv FILE               write one row per epoch as CSV, and a plot of loss
                           and accuracy per epoch as SVG next to it (.svg)
  --plot FILE              write the SVG plot here instead
  --log-every N            print a progress line every N steps (the terminal
                           progress bar is drawn only when stdout is a tty)
  --help                   print this message
)";
}

TrainOptions parseTrainOptions(int argc, char **argv) {
  TrainOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string flag = arg, value;
    bool inlineValue = false;
    // Accept both "--lr 0.1" and "--lr=0.1".
    size_t eq = arg.find('=');
    if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inlineValue = true;
    }
    auto takeValue = [&]() -> std::string {
      if (inlineValue)
        return value;
      if (i + 1 >= argc)
        throw Error("missing value for " + flag);
      return argv[++i];
    };
    auto noValue = [&] {
      if (inlineValue)
        throw Error(flag + " takes no value");
    };
    if (flag == "--data") {
      std::string v = takeValue();
      size_t sep = v.find('=');
      if (sep == std::string::npos || sep == 0 || sep + 1 == v.size())
        throw Error("invalid value '" + v +
                    "' for --data: expected KIND=DIR, e.g. fashion-mnist=DIR");
      o.dataKind = v.substr(0, sep);
      o.dataDir = v.substr(sep + 1);
      if (o.dataKind != "fashion-mnist")
        throw Error("unknown dataset '" + o.dataKind +
                    "' for --data (supported: fashion-mnist)");
    } else if (flag == "--epochs") {
      o.epochs = parseInt(flag, takeValue(), 1);
      o.epochsGiven = true;
    } else if (flag == "--steps") {
      o.steps = parseInt(flag, takeValue(), 0);
    } else if (flag == "--batch") {
      o.batch = parseInt(flag, takeValue(), 1);
    } else if (flag == "--eval-batch") {
      o.evalBatch = parseInt(flag, takeValue(), 1);
    } else if (flag == "--lr") {
      o.sgd.lr = parseNumber(flag, takeValue());
    } else if (flag == "--momentum") {
      o.sgd.momentum = parseNumber(flag, takeValue());
    } else if (flag == "--dampening") {
      o.sgd.dampening = parseNumber(flag, takeValue());
    } else if (flag == "--weight-decay") {
      o.sgd.weightDecay = parseNumber(flag, takeValue());
    } else if (flag == "--nesterov") {
      noValue();
      o.sgd.nesterov = true;
    } else if (flag == "--seed") {
      o.seed = parseSeed(flag, takeValue());
    } else if (flag == "--no-shuffle") {
      noValue();
      o.shuffle = false;
    } else if (flag == "--drop-last") {
      noValue();
      o.dropLast = true;
    } else if (flag == "--normalize") {
      std::string v = takeValue();
      size_t comma = v.find(',');
      if (comma == std::string::npos)
        throw Error("invalid value '" + v +
                    "' for --normalize: expected MEAN,STD");
      // Cast to float as torchvision's Normalize does with its tensors.
      o.mean = float(parseNumber(flag, v.substr(0, comma)));
      o.std = float(parseNumber(flag, v.substr(comma + 1), /*positive=*/true));
    } else if (flag == "--load") {
      o.loadPath = takeValue();
    } else if (flag == "--save") {
      o.savePath = takeValue();
    } else if (flag == "--metrics-json") {
      o.metricsPath = takeValue();
    } else if (flag == "--resume") {
      o.resumePath = takeValue();
    } else if (flag == "--csv") {
      o.csvPath = takeValue();
    } else if (flag == "--plot") {
      o.plotPath = takeValue();
    } else if (flag == "--log-every") {
      o.logEvery = parseInt(flag, takeValue(), 1);
    } else if (flag == "--save-every") {
      o.saveEvery = parseInt(flag, takeValue(), 1);
    } else if (flag == "--help" || flag == "-h") {
      o.help = true;
    } else {
      throw Error("unknown flag '" + arg + "' (see --help)");
    }
  }
  if (o.help)
    return o;
  if (o.dataDir.empty() && o.steps != 0)
    throw Error("--data fashion-mnist=DIR is required (unless --steps 0)");
  if (o.sgd.nesterov && (o.sgd.momentum <= 0.0 || o.sgd.dampening != 0.0))
    throw Error("--nesterov requires --momentum > 0 and --dampening 0");
  if (o.loadPath.empty() && o.savePath.empty() && o.dataDir.empty())
    throw Error("nothing to do: give --data, --load or --save");
  if (!o.resumePath.empty() && !o.loadPath.empty())
    throw Error("--resume and --load exclude each other: a resumed run takes "
                "its weights from its training state");
  if (o.saveEvery > 0 && o.savePath.empty())
    throw Error("--save-every needs --save");
  for (const std::string *path : {&o.csvPath, &o.plotPath})
    if (!path->empty() && (*path == o.savePath || *path == o.metricsPath))
      throw Error("--csv and --plot need their own files, not '" + *path + "'");
  return o;
}

} // namespace nncc
