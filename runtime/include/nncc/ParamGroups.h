//===- nncc/ParamGroups.h - building parameter groups by rule ---*- C++ -*-===//
//
// The splits people write by hand in PyTorch, e.g.
//   decay    = [p for n, p in model.named_parameters()
//               if p.ndim > 1 and not n.endswith(".bias")]
//   no_decay = [the others]
//   opt = AdamW([{'params': decay}, {'params': no_decay, 'weight_decay': 0}])
// as functions of a model's tensor table. Groups keep table order, as
// named_parameters() does, so per-group state matches torch's.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_PARAMGROUPS_H
#define NNCC_PARAMGROUPS_H

#include "nncc/Optimizer.h"

#include <string>
#include <vector>

namespace nncc {

/// `name` matches `pattern`, where '*' matches any run of characters:
/// "*.bias", "features.*", "bn1.*".
bool matchesPattern(const std::string &pattern, const std::string &name);

/// Whether the usual rule exempts a tensor from weight decay: rank <= 1
/// (biases, batch-norm and layer-norm scales) or a name ending in ".bias".
bool isNormOrBias(const nncc_tensor_info &t);

/// [{decayed tensors, options}, {norm/bias tensors, options with weight
/// decay 0}]. Both groups always exist, possibly empty, so group numbers
/// (scheduler and state files) do not depend on the model. Frozen tensors
/// are left out.
std::vector<ParamGroup> noDecayOnNormAndBias(const nncc_tensor_info *params,
                                             int32_t count,
                                             const GroupOptions &options);

/// [{tensors matching none of `patterns`, options},
///  {tensors matching any, matchedOptions}]; frozen tensors are left out.
std::vector<ParamGroup> splitByName(const nncc_tensor_info *params,
                                    int32_t count,
                                    const std::vector<std::string> &patterns,
                                    const GroupOptions &options,
                                    const GroupOptions &matchedOptions);

} // namespace nncc

#endif // NNCC_PARAMGROUPS_H
