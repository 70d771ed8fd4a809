//===- Optimizer.cpp - parameter groups and optimizer state files ---------===//
//
// What every optimizer shares: checking the groups against the tensor table,
// and moving the state in and out of a TensorFile. Loading validates the
// whole file before it changes anything, so a bad state file leaves the
// optimizer as it was and the error names the first thing that is wrong.
//
//===----------------------------------------------------------------------===//
#include "nncc/Optimizer.h"
#include "nncc/Error.h"
#include "state/TensorTable.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace nncc {

namespace {

std::string exactDecimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

double parseDecimal(const std::string &text, const std::string &what) {
  errno = 0;
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw Error(what + " is not a number: '" + text + "'");
  return v;
}

} // namespace

Optimizer::Optimizer(const nncc_tensor_info *params, int32_t count,
                     int64_t paramCount, std::vector<ParamGroup> groups)
    : groups_(std::move(groups)), initialLr_(groups_.size()), table_(params),
      paramCount_(paramCount) {
  checkTensorTable(params, count, paramCount, "parameter");
  std::vector<int> groupOf(size_t(count), -1);
  for (size_t g = 0; g < groups_.size(); ++g) {
    trainable_.emplace_back();
    for (int32_t i : groups_[g].tensors) {
      if (i < 0 || i >= count)
        throw Error("parameter group " + std::to_string(g) + " names tensor " +
                    std::to_string(i) + ", but the model has " +
                    std::to_string(count));
      const nncc_tensor_info &t = params[i];
      if (groupOf[size_t(i)] >= 0)
        throw Error(
            std::string("parameter '") + t.name + "' is in parameter groups " +
            std::to_string(groupOf[size_t(i)]) + " and " + std::to_string(g));
      groupOf[size_t(i)] = int(g);
      if (t.frozen || t.numel == 0)
        continue;
      // Integer tensors have no gradient in PyTorch either.
      if (t.dtype != NNCC_DTYPE_F32)
        throw Error(std::string("parameter '") + t.name +
                    "' is not F32 but not frozen; an optimizer cannot update "
                    "it");
      trainable_.back().push_back(i);
    }
  }
}

void Optimizer::setLr(size_t g, double lr) { groups_.at(g).options.lr = lr; }

void Optimizer::saveState(TensorFile &out, const std::string &prefix) const {
  out.tensors.push_back(NamedTensor::fromI64(prefix + "step", {}, &steps_));
  for (const StateBuffer &b : constStateBuffers())
    for (size_t g = 0; g < groups_.size(); ++g) {
      if (!(*b.present)[g])
        continue;
      for (int32_t i : trainable_[g]) {
        const nncc_tensor_info &t = table_[i];
        out.tensors.push_back(
            NamedTensor::fromF32(prefix + b.name + "." + t.name, tensorShape(t),
                                 b.values->data() + t.offset));
      }
    }
  out.metadata[prefix + "kind"] = kind();
  for (size_t g = 0; g < groups_.size(); ++g) {
    std::string n = std::to_string(g);
    out.metadata[prefix + "lr." + n] = exactDecimal(lr(g));
    out.metadata[prefix + "momentum." + n] = exactDecimal(momentum(g));
    if (initialLr_[g])
      out.metadata[prefix + "initial_lr." + n] = exactDecimal(*initialLr_[g]);
  }
}

void Optimizer::loadState(const TensorFile &in, const std::string &path,
                          const std::string &prefix) {
  auto fail = [&](const std::string &what) { throw Error(path + ": " + what); };
  auto meta = [&](const std::string &key) -> const std::string * {
    auto it = in.metadata.find(prefix + key);
    return it == in.metadata.end() ? nullptr : &it->second;
  };
  const std::string *savedKind = meta("kind");
  if (!savedKind)
    fail("no optimizer state ('" + prefix + "kind' is missing)");
  if (*savedKind != kind())
    fail("the optimizer state is " + *savedKind + "'s, this run uses " +
         kind());
  size_t savedGroups = 0;
  while (meta("lr." + std::to_string(savedGroups)))
    ++savedGroups;
  if (savedGroups != groups_.size())
    fail("the optimizer state has " + std::to_string(savedGroups) +
         " parameter groups, this run has " + std::to_string(groups_.size()));
  std::vector<double> lrs, momenta;
  std::vector<std::optional<double>> initial(groups_.size());
  for (size_t g = 0; g < groups_.size(); ++g) {
    std::string n = std::to_string(g);
    lrs.push_back(
        parseDecimal(*meta("lr." + n), path + ": " + prefix + "lr." + n));
    const std::string *m = meta("momentum." + n);
    if (!m)
      fail("'" + prefix + "momentum." + n + "' is missing");
    momenta.push_back(parseDecimal(*m, path + ": " + prefix + "momentum." + n));
    if (const std::string *i = meta("initial_lr." + n))
      initial[g] = parseDecimal(*i, path + ": " + prefix + "initial_lr." + n);
  }

  std::set<std::string> used;
  const NamedTensor *step = in.find(prefix + "step");
  if (!step || step->dtype != DType::I64 || !step->shape.empty())
    fail("'" + prefix + "step' is missing or not an I64 scalar");
  int64_t steps;
  std::memcpy(&steps, step->data.data(), sizeof steps);
  // Beyond 2^53 a file is corrupt, not long-trained (and would overflow).
  if (steps < 0 || steps > (int64_t(1) << 53))
    fail("'" + prefix + "step' is " + std::to_string(steps) +
         ", not a step count");
  used.insert(step->name);

  // Stage every buffer group by group: all of a group's tensors or none.
  struct Staged {
    float *dst;
    const NamedTensor *src;
  };
  std::vector<Staged> copies;
  std::vector<StateBuffer> buffers = stateBuffers();
  std::vector<std::vector<bool>> present;
  for (const StateBuffer &b : buffers) {
    present.emplace_back(groups_.size(), false);
    for (size_t g = 0; g < groups_.size(); ++g) {
      size_t found = 0;
      std::string firstMissing;
      for (int32_t i : trainable_[g]) {
        const nncc_tensor_info &t = table_[i];
        std::string name = prefix + b.name + "." + t.name;
        const NamedTensor *src = in.find(name);
        if (!src) {
          if (firstMissing.empty())
            firstMissing = name;
          continue;
        }
        if (src->dtype != DType::F32 || src->shape != tensorShape(t))
          fail("'" + name + "' is " + dtypeName(src->dtype) + " " +
               formatShape(src->shape) + ", the parameter is F32 " +
               formatShape(tensorShape(t)));
        copies.push_back({b.values->data() + t.offset, src});
        used.insert(name);
        ++found;
      }
      if (found != 0 && !firstMissing.empty())
        fail("'" + firstMissing + "' is missing");
      present.back()[g] = found != 0;
    }
  }
  for (const NamedTensor &t : in.tensors)
    if (t.name.compare(0, prefix.size(), prefix) == 0 && !used.count(t.name))
      fail("unexpected optimizer state '" + t.name +
           "' (saved for another model or optimizer?)");

  for (const Staged &c : copies)
    std::memcpy(c.dst, c.src->data.data(), c.src->data.size());
  for (size_t k = 0; k < buffers.size(); ++k)
    *buffers[k].present = present[k];
  steps_ = steps;
  for (size_t g = 0; g < groups_.size(); ++g) {
    setLr(g, lrs[g]);
    setMomentum(g, momenta[g]);
    initialLr_[g] = initial[g];
  }
}

std::vector<ParamGroup> singleGroup(const nncc_tensor_info *params,
                                    int32_t count,
                                    const GroupOptions &options) {
  ParamGroup group;
  group.options = options;
  for (int32_t i = 0; i < count; ++i)
    if (!params[i].frozen)
      group.tensors.push_back(i);
  return {group};
}

} // namespace nncc
