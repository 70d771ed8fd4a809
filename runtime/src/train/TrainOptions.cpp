//===- TrainOptions.cpp - command line of the generic trainer -------------===//
//
// Strict parsing: a training job that silently ignored a misspelt flag or
// read "--lr 1e-2x" as 0.01 would waste hours, so every value must parse
// completely and lie in range, and anything unknown is an error.
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Error.h"
#include "nncc/Trainer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <vector>

namespace nncc {

const std::vector<TrainFlag> &trainFlags() {
  static const std::vector<TrainFlag> flags = {{"--data", "KIND=PATH"},
                                               {"--epochs", "E"},
                                               {"--steps", "N"},
                                               {"--batch", "B"},
                                               {"--eval-batch", "B"},
                                               {"--optimizer", "NAME"},
                                               {"--lr", "LR"},
                                               {"--momentum", "M"},
                                               {"--dampening", "D"},
                                               {"--weight-decay", "W"},
                                               {"--nesterov", ""},
                                               {"--betas", "B1,B2"},
                                               {"--eps", "E"},
                                               {"--amsgrad", ""},
                                               {"--no-decay-norm-bias", ""},
                                               {"--clip-grad-norm", "MAX"},
                                               {"--scheduler", "SPEC"},
                                               {"--seed", "S"},
                                               {"--no-shuffle", ""},
                                               {"--sampler", "NAME"},
                                               {"--drop-last", ""},
                                               {"--workers", "N"},
                                               {"--threads", "N"},
                                               {"--profile", ""},
                                               {"--no-cache", ""},
                                               {"--augment", "LIST"},
                                               {"--normalize", "MEAN,STD"},
                                               {"--mean", "M[,M2,M3]"},
                                               {"--std", "S[,S2,S3]"},
                                               {"--load", "FILE"},
                                               {"--save", "FILE"},
                                               {"--metrics-json", "FILE"},
                                               {"--resume", "FILE"},
                                               {"--csv", "FILE"},
                                               {"--plot", "FILE"},
                                               {"--log-every", "N"},
                                               {"--save-every", "N"},
                                               {"--help", ""}};
  return flags;
}

namespace {

/// Levenshtein distance, for suggesting the flag a typo meant.
size_t editDistance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// "unknown flag '--epcohs'; did you mean '--epochs'?", or without a
/// suggestion when no flag is within a typo's reach.
std::string unknownFlag(const std::string &arg) {
  std::string flag = arg.substr(0, arg.find('='));
  const std::string *best = nullptr;
  size_t bestDistance = 0;
  for (const TrainFlag &f : trainFlags()) {
    size_t d = editDistance(flag, f.name);
    if (!best || d < bestDistance)
      best = &f.name, bestDistance = d;
  }
  // The dashes are shared by every flag, so they do not count as a match.
  size_t name =
      flag.size() - std::min<size_t>(flag.find_first_not_of('-'), flag.size());
  if (best && bestDistance <= std::max<size_t>(2, name / 3) &&
      bestDistance < name)
    return "unknown flag '" + arg + "'; did you mean '" + *best + "'?";
  return "unknown flag '" + arg + "' (see --help)";
}

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

/// "a,b,c" -> numbers, each checked as parseNumber does.
std::vector<double> parseList(const std::string &flag, const std::string &text,
                              bool positive = false) {
  std::vector<double> out;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    out.push_back(
        parseNumber(flag, text.substr(start, comma - start), positive));
    if (comma == std::string::npos)
      return out;
    start = comma + 1;
  }
}

std::vector<float> toFloats(const std::vector<double> &v) {
  // Cast to float as torchvision's Normalize does with its tensors.
  return std::vector<float>(v.begin(), v.end());
}

/// "crop=4,flip": torchvision's RandomCrop(padding=4) + RandomHorizontalFlip.
AugmentOptions parseAugment(const std::string &text) {
  AugmentOptions a;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma - start);
    if (item == "flip")
      a.horizontalFlip = true;
    else if (item.rfind("crop=", 0) == 0)
      a.cropPadding = parseInt("--augment crop", item.substr(5), 1);
    else
      throw Error("invalid value '" + text +
                  "' for --augment: expected crop=PADDING and/or flip, "
                  "comma-separated (e.g. crop=4,flip)");
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return a;
}

} // namespace

OptimizerConfig defaultOptimizer() {
  OptimizerConfig c;
  c.momentum = 0.9;
  return c;
}

void defaultNormalization(const std::string &kind, std::vector<float> &mean,
                          std::vector<float> &std) {
  if (kind == "fashion-mnist")
    mean = {0.2860f}, std = {0.3530f};
  else if (kind == "mnist")
    mean = {0.1307f}, std = {0.3081f};
  else if (kind == "cifar10")
    mean = {0.4914f, 0.4822f, 0.4465f}, std = {0.2470f, 0.2435f, 0.2616f};
  else if (kind == "cifar100")
    mean = {0.5071f, 0.4865f, 0.4409f}, std = {0.2673f, 0.2564f, 0.2762f};
  else
    mean = {0.0f}, std = {1.0f};
}

TrainOptions parseTrainOptions(int argc, char **argv) {
  TrainOptions o;
  std::set<std::string> given;
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
    given.insert(flag);
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
    OptimizerConfig &opt = o.optimizer;
    if (flag == "--data") {
      std::string v = takeValue();
      size_t sep = v.find('=');
      if (sep == std::string::npos || sep == 0 || sep + 1 == v.size())
        throw Error("invalid value '" + v +
                    "' for --data: expected KIND=PATH, e.g. fashion-mnist=DIR");
      o.dataKind = v.substr(0, sep);
      o.dataDir = v.substr(sep + 1);
      const std::vector<std::string> &kinds = datasetKinds();
      if (std::find(kinds.begin(), kinds.end(), o.dataKind) == kinds.end()) {
        std::string list;
        for (const std::string &k : kinds)
          list += (list.empty() ? "" : ", ") + k;
        throw Error("unknown dataset '" + o.dataKind +
                    "' for --data (supported: " + list + ")");
      }
    } else if (flag == "--epochs") {
      o.epochs = parseInt(flag, takeValue(), 1);
      o.epochsGiven = true;
    } else if (flag == "--steps") {
      o.steps = parseInt(flag, takeValue(), 0);
    } else if (flag == "--batch") {
      o.batch = parseInt(flag, takeValue(), 1);
    } else if (flag == "--eval-batch") {
      o.evalBatch = parseInt(flag, takeValue(), 1);
    } else if (flag == "--optimizer") {
      std::string v = takeValue();
      if (v != "sgd" && v != "adam" && v != "adamw")
        throw Error("invalid value '" + v +
                    "' for --optimizer: expected sgd, adam or adamw");
      opt.kind = parseOptimizerKind(v);
    } else if (flag == "--lr") {
      opt.lr = parseNumber(flag, takeValue());
    } else if (flag == "--momentum") {
      opt.momentum = parseNumber(flag, takeValue());
    } else if (flag == "--dampening") {
      opt.dampening = parseNumber(flag, takeValue());
    } else if (flag == "--weight-decay") {
      opt.weightDecay = parseNumber(flag, takeValue());
    } else if (flag == "--nesterov") {
      noValue();
      opt.nesterov = true;
    } else if (flag == "--betas") {
      std::string v = takeValue();
      std::vector<double> b = parseList(flag, v);
      if (b.size() != 2 || b[0] >= 1.0 || b[1] >= 1.0)
        throw Error("invalid value '" + v +
                    "' for --betas: expected B1,B2, each in [0, 1)");
      opt.beta1 = b[0];
      opt.beta2 = b[1];
    } else if (flag == "--eps") {
      opt.eps = parseNumber(flag, takeValue(), /*positive=*/true);
    } else if (flag == "--amsgrad") {
      noValue();
      opt.amsgrad = true;
    } else if (flag == "--no-decay-norm-bias") {
      noValue();
      opt.noDecayNormBias = true;
    } else if (flag == "--clip-grad-norm") {
      o.clipGradNorm = parseNumber(flag, takeValue(), /*positive=*/true);
    } else if (flag == "--scheduler") {
      o.schedulerSpec = takeValue();
      try {
        o.scheduler = parseSchedulerSpec(o.schedulerSpec);
      } catch (const Error &e) {
        throw Error(std::string("--scheduler: ") + e.what());
      }
    } else if (flag == "--seed") {
      o.seed = parseSeed(flag, takeValue());
    } else if (flag == "--no-shuffle") {
      noValue();
      o.shuffle = false;
    } else if (flag == "--sampler") {
      std::string v = takeValue();
      try {
        o.sampler = parseSamplerKind(v);
      } catch (const Error &) {
        throw Error("invalid value '" + v +
                    "' for --sampler: expected sequential, random or weighted");
      }
    } else if (flag == "--drop-last") {
      noValue();
      o.dropLast = true;
    } else if (flag == "--threads") {
      o.threads = int(parseInt(flag, takeValue(), 1));
      if (o.threads > 1024)
        throw Error("invalid value for --threads: at most 1024");
    } else if (flag == "--profile") {
      noValue();
      o.profile = true;
    } else if (flag == "--no-cache") {
      noValue();
      o.noCache = true;
    } else if (flag == "--workers") {
      o.workers = int(parseInt(flag, takeValue(), 0));
      if (o.workers > 64)
        throw Error("invalid value for --workers: at most 64");
    } else if (flag == "--augment") {
      o.augment = parseAugment(takeValue());
    } else if (flag == "--normalize") {
      std::string v = takeValue();
      std::vector<double> ms = parseList(flag, v);
      if (ms.size() != 2)
        throw Error("invalid value '" + v +
                    "' for --normalize: expected MEAN,STD");
      if (!(ms[1] > 0))
        throw Error("invalid value '" + v +
                    "' for --normalize: expected a positive STD");
      o.mean = {float(ms[0])};
      o.std = {float(ms[1])};
    } else if (flag == "--mean") {
      o.mean = toFloats(parseList(flag, takeValue()));
    } else if (flag == "--std") {
      o.std = toFloats(parseList(flag, takeValue(), /*positive=*/true));
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
      throw Error(unknownFlag(arg));
    }
  }
  if (o.help)
    return o;
  OptimizerConfig &opt = o.optimizer;
  bool sgd = opt.kind == OptimizerKind::Sgd;
  for (const char *f : {"--momentum", "--dampening", "--nesterov"})
    if (!sgd && given.count(f))
      throw Error(std::string(f) + " applies to --optimizer sgd only");
  for (const char *f : {"--betas", "--eps", "--amsgrad"})
    if (sgd && given.count(f))
      throw Error(std::string(f) + " applies to --optimizer adam or adamw");
  if (!sgd)
    opt.momentum = 0.0;
  if (o.dataDir.empty() && o.steps != 0)
    throw Error("--data KIND=PATH is required (unless --steps 0)");
  if (opt.nesterov && (opt.momentum <= 0.0 || opt.dampening != 0.0))
    throw Error("--nesterov requires --momentum > 0 and --dampening 0");
  if (o.loadPath.empty() && o.savePath.empty() && o.dataDir.empty())
    throw Error("nothing to do: give --data, --load or --save");
  if (!o.resumePath.empty() && !o.loadPath.empty())
    throw Error("--resume and --load exclude each other: a resumed run takes "
                "its weights from its training state");
  if (o.saveEvery > 0 && o.savePath.empty())
    throw Error("--save-every needs --save");
  if (given.count("--mean") != given.count("--std"))
    throw Error("--mean and --std go together");
  if (given.count("--normalize") && given.count("--mean"))
    throw Error("--normalize and --mean/--std exclude each other");
  if (o.mean.size() != o.std.size())
    throw Error("--mean has " + std::to_string(o.mean.size()) +
                " values but --std has " + std::to_string(o.std.size()));
  if (!o.shuffle && given.count("--sampler"))
    throw Error("--no-shuffle and --sampler exclude each other (--no-shuffle "
                "is --sampler sequential)");
  for (const std::string *path : {&o.csvPath, &o.plotPath})
    if (!path->empty() && (*path == o.savePath || *path == o.metricsPath))
      throw Error("--csv and --plot need their own files, not '" + *path + "'");
  return o;
}

} // namespace nncc
