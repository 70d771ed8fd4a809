//===- Trainer.cpp - the generic training loop ----------------------------===//
//
// One loop for every generated model: the model's train_step computes loss,
// gradients and logits for a batch (and updates the buffers, as PyTorch's
// training mode does), the optimizer updates the flat parameter array, and
// eval_step measures the whole test set after each epoch with the buffers'
// running statistics. One TorchGenerator seeded like torch.manual_seed
// drives init, shuffles and, for models with dropout, each step's seed.
//
// Resuming is exact: the state file holds everything that decides what
// comes next (weights, optimizer, schedule, generator, the loader's epoch
// order and position), captured where an uninterrupted run would be in the
// same state: after an epoch's evaluation, or before the evaluation a
// mid-epoch stop adds (the uninterrupted run does not evaluate there).
//
// Generated code is trusted for arithmetic but not for finiteness: a
// non-finite loss stops the job, and nothing non-finite is ever saved.
//
//===----------------------------------------------------------------------===//
#include "nncc/Trainer.h"
#include "nncc/Checkpoint.h"
#include "nncc/Confusion.h"
#include "nncc/CpuCheck.h"
#include "nncc/Error.h"
#include "nncc/GradClip.h"
#include "nncc/Init.h"
#include "nncc/Profiler.h"
#include "nncc/ThreadPool.h"
#include "nncc/TrainState.h"
#include "train/TrainChecks.h"
#include "train/TrainData.h"
#include "train/TrainOutputs.h"
#include "train/TrainReport.h"
#include "train/TrainResume.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include <sys/resource.h>

namespace nncc {

namespace {

/// The process's peak resident memory so far: /proc/self/status's VmHWM,
/// which starts afresh at exec. (getrusage's ru_maxrss survives exec, so a
/// trainer started by `nncc train` would report the compiler's peak.)
int64_t peakRssBytes() {
  if (std::FILE *f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    long long kib = -1;
    while (std::fgets(line, sizeof line, f))
      if (std::sscanf(line, "VmHWM: %lld kB", &kib) == 1)
        break;
    std::fclose(f);
    if (kib >= 0)
      return kib * 1024;
  }
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Scratch {
  AlignedArray<uint8_t> workspace;
  AlignedArray<float> logits;
  const nncc_exec *exec; // where the entry points run their parallel loops
  Profiler *profiler;    // --profile: told each call's batch size; or null
};

/// Mean loss and the confusion matrix of eval_step over every sample, the
/// partial last batch included.
ConfusionMatrix evaluate(const nncc_model &m, const float *params,
                         const float *buffers, DataLoader &loader,
                         Scratch &scratch, double &loss) {
  loader.startEpoch();
  ConfusionMatrix confusion(m.num_classes);
  double lossSum = 0;
  while (int64_t batch = loader.next()) {
    float batchLoss = 0;
    if (scratch.profiler)
      scratch.profiler->setBatch(batch);
    m.eval_step(params, buffers, loader.images(), loader.labels(), batch,
                scratch.workspace.data(), scratch.exec, &batchLoss,
                scratch.logits.data());
    lossSum += double(batchLoss) * double(batch);
    confusion.add(scratch.logits.data(), loader.labels(), batch);
  }
  loss = confusion.total() ? lossSum / double(confusion.total()) : 0.0;
  return confusion;
}

std::string lossText(float loss) {
  if (std::isnan(loss))
    return "nan";
  if (std::isinf(loss))
    return loss > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", double(loss));
  return buf;
}

} // namespace

TrainResult train(const nncc_model &m, const TrainOptions &o) {
  checkModel(m);
  // Before any entry point runs: an object built for extensions this CPU
  // lacks would die of SIGILL mid-step.
  checkCpu(m);
  if (o.profile && !m.profile_regions)
    throw Error("--profile: model " + std::string(m.name) +
                " was compiled without --profile, so it has no regions to "
                "time (compile it with nncc --profile, or use nncc train "
                "MODEL.nn --profile)");
  if (!o.resumePath.empty() && !o.loadPath.empty())
    throw Error("--resume and --load exclude each other: a resumed run "
                "takes its weights from its training state");
  // Fail before hours of training, not after, if results cannot be written.
  TrainOutputs outputs(m, o);
  AlignedArray<float> params(size_t(m.param_count));
  AlignedArray<float> grads(size_t(m.param_count));
  AlignedArray<float> buffers(size_t(m.buffer_count));
  // The seed means torch.manual_seed(seed): initialisation draws first (even
  // when a checkpoint then replaces the weights, as `model = Net();
  // model.load_state_dict(...)` does in PyTorch), shuffles continue the stream.
  TorchGenerator generator(o.seed);
  initParameters(m, params.data(), buffers.data(), generator);
  if (!o.loadPath.empty())
    loadCheckpoint(o.loadPath, m, params.data(), buffers.data());

  TrainData data = openTrainData(m, o, generator);
  DataLoader *trainLoader = data.trainLoader.get();
  DataLoader *testLoader = data.testLoader.get();
  int64_t perEpoch = trainLoader ? trainLoader->batchesPerEpoch() : 0;
  int64_t epochs = trainLoader ? o.epochs : 0;
  if (trainLoader && o.steps > 0 && !o.epochsGiven)
    epochs = (o.steps + perEpoch - 1) / perEpoch;
  // --epochs and --steps are totals of the whole run, resumed or not.
  int64_t plannedSteps = epochs * perEpoch;
  if (o.steps >= 0)
    plannedSteps = std::min(plannedSteps, o.steps);

  std::unique_ptr<Optimizer> optimizer = makeOptimizer(m, o.optimizer);
  // The schedule is sized by the run's epochs and steps, and built before a
  // resumed state is loaded: its constructor sets the lr, the state then
  // replaces lr and counters with the saved ones.
  std::unique_ptr<LrScheduler> scheduler;
  if (o.scheduler.kind != SchedulerKind::None && trainLoader)
    scheduler = makeScheduler(*optimizer, o.scheduler, epochs, perEpoch);
  bool perIteration = o.scheduler.kind == SchedulerKind::OneCycle ||
                      o.scheduler.unit == ScheduleUnit::Iteration;

  std::map<std::string, std::string> config = runConfig(o, data.trainSet.get());
  TrainState resumed;
  std::string resumePath;
  if (!o.resumePath.empty()) {
    resumePath = resumeStatePath(o.resumePath);
    resumed = loadTrainState(resumePath, m, params.data(), buffers.data());
    checkResumeConfig(resumed.config, config, resumePath);
    // The state holds each group's lr and momentum, which a schedule moves.
    // Without a schedule they are this run's flags (the same as the saved
    // ones unless the user changed them, say a lower --lr to finish).
    std::vector<std::pair<double, double>> flagged;
    for (size_t g = 0; g < optimizer->numGroups(); ++g)
      flagged.push_back({optimizer->lr(g), optimizer->momentum(g)});
    optimizer->loadState(resumed.components, resumePath);
    if (scheduler)
      scheduler->loadState(resumed.components, resumePath);
    else
      for (size_t g = 0; g < flagged.size(); ++g) {
        optimizer->setLr(g, flagged[g].first);
        optimizer->setMomentum(g, flagged[g].second);
      }
    generator.setState(resumed.generator, resumePath);
    // A state saved before any epoch (--steps 0) has no loader position.
    if (trainLoader && !resumed.loader.order.empty())
      trainLoader->restore(resumed.loader);
    std::printf("resuming from '%s': %lld epochs and %lld steps done\n",
                resumePath.c_str(), (long long)resumed.epoch,
                (long long)resumed.step);
  }

  // The generated code's parallel loops run here; results are the same for
  // every thread count.
  ThreadPool pool(o.threads);
  size_t workspaceBytes = 0;
  int64_t maxBatch = 0;
  if (trainLoader) {
    workspaceBytes = m.workspace_size(o.batch, pool.threads());
    maxBatch = o.batch;
  }
  if (testLoader) {
    workspaceBytes = std::max(
        workspaceBytes, m.workspace_size(o.evaluationBatch(), pool.threads()));
    maxBatch = std::max(maxBatch, o.evaluationBatch());
  }
  // --profile: the entry points' regions are timed through the context.
  Profiler profiler(m);
  nncc_exec profiledExec = profiler.attach(*pool.exec());
  Scratch scratch{AlignedArray<uint8_t>(workspaceBytes),
                  AlignedArray<float>(size_t(maxBatch * m.num_classes)),
                  o.profile ? &profiledExec : pool.exec(),
                  o.profile ? &profiler : nullptr};

  TrainResult result;
  // The metrics and logs, with what the pool and the process have done so
  // far (the parallel-loop iterations per worker, the peak RSS).
  auto writeLogs = [&] {
    result.iterationsPerWorker = pool.iterationsPerWorker();
    result.peakRssBytes = peakRssBytes();
    outputs.writeLogs(result);
  };
  result.threads = pool.threads();
  std::vector<EpochMetrics> history = resumed.history; // completed epochs
  result.epochs = history;
  result.totalSteps = resumed.step;
  ProgressBar progress(o.logEvery);
  int64_t stepsThisRun = 0;
  float lastFiniteLoss = NAN;
  Clock::time_point runStart = Clock::now();

  std::unique_ptr<ConfusionMatrix> lastConfusion;
  auto runEvaluation = [&] {
    lastConfusion = std::make_unique<ConfusionMatrix>(
        evaluate(m, params.data(), buffers.data(), *testLoader, scratch,
                 result.testLoss));
    result.testAccuracy = double(lastConfusion->correct()) /
                          double(std::max<int64_t>(1, lastConfusion->total()));
    result.evaluated = true;
    result.confusion = lastConfusion->counts();
  };

  // The state an uninterrupted run has at this point of `em`'s epoch.
  auto snapshot = [&](const EpochMetrics &em, double lossSum, int64_t correct) {
    TrainState st;
    st.epoch = int64_t(history.size());
    st.step = result.totalSteps;
    st.history = history;
    st.config = config;
    st.generator = generator.state();
    if (trainLoader)
      st.loader = trainLoader->position();
    if (em.steps > 0 && em.steps < perEpoch) {
      st.epochStep = em.steps;
      st.epochLossSum = lossSum;
      st.epochCorrect = correct;
      st.epochSamples = em.samples;
      st.epochSeconds = em.seconds;
    }
    optimizer->saveState(st.components);
    if (scheduler)
      scheduler->saveState(st.components);
    return st;
  };
  auto nonFinite = [&](const std::string &what, const std::string &where,
                       const std::string &layer = "") {
    progress.clear();
    std::string last = std::isfinite(lastFiniteLoss)
                           ? "the last finite loss was " +
                                 lossText(lastFiniteLoss) + " (step " +
                                 std::to_string(result.totalSteps) + ")"
                           : "no step of this run had a finite loss";
    std::string culprit =
        where.empty() ? "no parameter or gradient is non-finite"
                      : "the first non-finite tensor in state_dict order is "
                        "the " +
                            where;
    if (!layer.empty())
      culprit = "the first layer whose output is non-finite is " + layer +
                "; " + culprit;
    else if (!m.probe)
      culprit += " (this model has no probe entry point, so layer outputs "
                 "are not visible)";
    writeLogs();
    throw Error(what + "; " + last + "; " + culprit +
                "; stopping: " + outputs.lastSaveDescription());
  };
  auto checkFiniteModel = [&] {
    std::string bad = firstNonFinite(m, params.data(), grads.data());
    if (!bad.empty())
      nonFinite("after step " + std::to_string(result.totalSteps) +
                    " the model is not finite",
                bad);
  };

  for (int64_t epoch = int64_t(history.size()); epoch < epochs; ++epoch) {
    if (o.steps >= 0 && result.totalSteps >= o.steps)
      break;
    EpochMetrics em;
    em.epoch = epoch + 1;
    double lossSum = 0, priorSeconds = 0;
    int64_t correct = 0;
    if (resumed.epochStep > 0 && epoch == resumed.epoch) {
      // The loader was restored inside this epoch; its sums continue.
      em.steps = resumed.epochStep;
      em.samples = resumed.epochSamples;
      lossSum = resumed.epochLossSum;
      correct = resumed.epochCorrect;
      priorSeconds = resumed.epochSeconds;
    } else {
      trainLoader->startEpoch();
    }
    int64_t epochSteps = perEpoch;
    if (o.steps >= 0)
      epochSteps = std::min(epochSteps, em.steps + o.steps - result.totalSteps);
    Clock::time_point start = Clock::now();
    while (em.steps < epochSteps) {
      int64_t batch = trainLoader->next();
      if (batch == 0)
        break;
      float loss = 0;
      // Dropout masks need a fresh seed per step; drawing it only when the
      // model has dropout keeps the shuffles of every other model PyTorch's
      // (torch's own dropout draws differently, see TorchRandom.h).
      uint64_t stepSeed = m.has_dropout ? generator.random64() : 0;
      if (scratch.profiler)
        scratch.profiler->setBatch(batch);
      m.train_step(params.data(), grads.data(), buffers.data(),
                   trainLoader->images(), trainLoader->labels(), batch,
                   stepSeed, scratch.workspace.data(), scratch.exec, &loss,
                   scratch.logits.data());
      std::string where = "(epoch " + std::to_string(em.epoch) + ", batch " +
                          std::to_string(em.steps + 1) + ")";
      if (!std::isfinite(loss))
        nonFinite("training loss is " + lossText(loss) + " at step " +
                      std::to_string(result.totalSteps + 1) + " " + where,
                  firstNonFinite(m, params.data(), grads.data()),
                  firstNonFiniteLayer(m, params.data(), buffers.data(),
                                      trainLoader->images(),
                                      trainLoader->labels(), batch, stepSeed,
                                      scratch.workspace.data(), scratch.exec));
      if (o.clipGradNorm > 0) {
        float norm = clipGradNorm(m, grads.data(), o.clipGradNorm);
        if (!std::isfinite(norm))
          nonFinite("the gradient norm is " + lossText(norm) + " at step " +
                        std::to_string(result.totalSteps + 1) + " " + where,
                    firstNonFinite(m, params.data(), grads.data()));
      }
      lastFiniteLoss = loss;
      em.lr = optimizer->lr(0); // the lr this step uses
      optimizer->step(params.data(), grads.data());
      if (scheduler && perIteration)
        scheduler->step();
      lossSum += double(loss) * double(batch);
      correct += countCorrect(scratch.logits.data(), trainLoader->labels(),
                              batch, m.num_classes);
      em.samples += batch;
      ++em.steps;
      ++result.totalSteps;
      ++stepsThisRun;
      em.seconds = priorSeconds + secondsSince(start);
      double runElapsed = secondsSince(runStart);
      progress.update(
          {em.epoch, epochs, em.steps, perEpoch, lossSum / double(em.samples),
           em.seconds > 0 ? double(em.samples) / em.seconds : 0.0,
           runElapsed > 0 ? double(plannedSteps - result.totalSteps) *
                                runElapsed / double(stepsThisRun)
                          : -1.0});
      if (o.saveEvery > 0 && result.totalSteps % o.saveEvery == 0 &&
          em.steps < perEpoch) {
        checkFiniteModel();
        outputs.save(params.data(), buffers.data(),
                     snapshot(em, lossSum, correct));
      }
    }
    bool complete = em.steps == perEpoch;
    // The epoch schedule steps at the end of each epoch, as a PyTorch loop
    // calls scheduler.step() after its epoch.
    if (scheduler && !perIteration && complete)
      scheduler->step();
    em.seconds = priorSeconds + secondsSince(start);
    em.trainLoss = lossSum / double(em.samples);
    em.trainAccuracy = double(correct) / double(em.samples);
    em.imagesPerSecond = em.seconds > 0 ? double(em.samples) / em.seconds : 0;
    progress.clear();
    checkFiniteModel();
    // A stop inside the epoch saves before evaluating: the evaluation draws
    // from the generator where an uninterrupted run would not.
    TrainState midEpochState;
    if (!complete)
      midEpochState = snapshot(em, lossSum, correct);
    if (testLoader) {
      Clock::time_point evalStart = Clock::now();
      runEvaluation();
      em.testLoss = result.testLoss;
      em.testAccuracy = result.testAccuracy;
      em.evalSeconds = secondsSince(evalStart);
    }
    std::printf("%s\n", formatEpochLine(em, epochs, bool(testLoader)).c_str());
    std::fflush(stdout);
    result.epochs.push_back(em);
    if (complete) {
      history.push_back(em);
      outputs.save(params.data(), buffers.data(),
                   snapshot(em, lossSum, correct));
    } else {
      outputs.save(params.data(), buffers.data(), midEpochState);
    }
    writeLogs();
  }
  if (stepsThisRun == 0) {
    // Nothing trained (--steps 0, or a resumed run that was already done):
    // save what there is when asked (the state as an uninterrupted run
    // would have it, so before the evaluation's draws), then evaluate.
    if (!resumePath.empty()) {
      resumed.config = config;
      outputs.save(params.data(), buffers.data(), resumed);
    } else {
      outputs.save(params.data(), buffers.data(),
                   snapshot(EpochMetrics(), 0, 0));
    }
    if (testLoader) {
      runEvaluation();
      std::printf("test loss %.4f acc %.2f%%\n", result.testLoss,
                  100.0 * result.testAccuracy);
      std::fflush(stdout);
    }
    writeLogs();
  }
  if (lastConfusion && m.num_classes <= 20) {
    std::printf("%s", lastConfusion->format(data.classNames).c_str());
    std::fflush(stdout);
  }
  if (o.profile) {
    std::printf("%s", profiler.table().c_str());
    std::fflush(stdout);
    result.profile = profiler.json();
    writeLogs();
  }
  return result;
}

} // namespace nncc
