//===- Profiler.cpp - the profile hook of a profiled build ----------------===//
#include "nncc/Profiler.h"
#include "nncc/Json.h"

#include <algorithm>
#include <cstdio>

namespace nncc {

namespace {
void profileHook(const nncc_exec *exec, int32_t region) {
  static_cast<Profiler *>(exec->profile_data)->mark(region);
}

std::string format(const char *fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}
} // namespace

Profiler::Profiler(const nncc_model &model) {
  if (!model.profile_regions)
    return;
  const nncc_profile_region *table = nullptr;
  int32_t count = model.profile_regions(&table);
  load(table, count);
}

Profiler::Profiler(const nncc_profile_region *regions, int32_t count) {
  load(regions, count);
}

void Profiler::load(const nncc_profile_region *regions, int32_t count) {
  if (!regions || count <= 0)
    return;
  regions_.assign(regions, regions + count);
  reset();
}

nncc_exec Profiler::attach(const nncc_exec &base) {
  nncc_exec exec = base;
  if (enabled()) {
    exec.profile = profileHook;
    exec.profile_data = this;
  }
  return exec;
}

void Profiler::reset() {
  rows_.clear();
  for (const nncc_profile_region &region : regions_)
    rows_.push_back(Row{&region});
  entryCalls_.clear();
  current_ = -1;
}

void Profiler::mark(int32_t region) {
  Clock::time_point now = Clock::now();
  if (current_ >= 0) {
    rows_[size_t(current_)].seconds +=
        std::chrono::duration<double>(now - start_).count();
    if (region < 0) { // the entry point's last region ended
      const char *entry = regions_[size_t(current_)].entry;
      auto it = std::find_if(entryCalls_.begin(), entryCalls_.end(),
                             [&](const auto &e) { return e.first == entry; });
      if (it == entryCalls_.end())
        entryCalls_.push_back({entry, 1});
      else
        ++it->second;
    }
  }
  // A region number the table does not have (a mismatched object) is
  // ignored rather than trusted as an index.
  if (region >= 0 && size_t(region) < rows_.size()) {
    Row &row = rows_[size_t(region)];
    ++row.calls;
    row.samples += batch_;
    current_ = region;
  } else {
    current_ = -1;
  }
  start_ = now;
}

int64_t Profiler::entryCalls(const std::string &entry) const {
  for (const auto &[name, calls] : entryCalls_)
    if (name == entry)
      return calls;
  return 0;
}

double Profiler::entrySeconds(const std::string &entry) const {
  double seconds = 0;
  for (const Row &row : rows_)
    if (row.region->entry == entry)
      seconds += row.seconds;
  return seconds;
}

std::string Profiler::table(double peakFlops) const {
  std::string out;
  std::vector<std::string> entries;
  for (const Row &row : rows_)
    if (row.calls > 0 && std::find(entries.begin(), entries.end(),
                                   row.region->entry) == entries.end())
      entries.push_back(row.region->entry);
  for (const std::string &entry : entries) {
    int64_t calls = std::max<int64_t>(1, entryCalls(entry));
    double total = entrySeconds(entry);
    out += "profile of " + entry + ": " + std::to_string(entryCalls(entry)) +
           " calls, " + format("%.3f", total * 1e3 / double(calls)) +
           " ms per call\n";
    char line[256];
    std::snprintf(line, sizeof(line), "  %-24s %-22s %9s %7s %9s %7s%s\n",
                  "layer", "op", "ms/call", "share", "GFLOP/s", "GB/s",
                  peakFlops > 0 ? "    % peak" : "");
    out += line;
    for (const Row &row : rows_) {
      if (row.region->entry != entry || row.calls == 0)
        continue;
      const char *layer = row.region->layer[0] ? row.region->layer : "(model)";
      if (row.region->fused) {
        // Its work runs, and is timed, in the region fusion moved it to.
        std::snprintf(line, sizeof(line), "  %-24s %-22s %9s\n", layer,
                      row.region->op, "fused");
        out += line;
        continue;
      }
      double flops = row.region->flops * double(row.samples);
      double bytes = row.region->bytes * double(row.samples) +
                     row.region->fixed_bytes * double(row.calls);
      std::string gflops = flops > 0 && row.seconds > 0
                               ? format("%.1f", flops / row.seconds / 1e9)
                               : "";
      std::string gbytes =
          row.seconds > 0 ? format("%.1f", bytes / row.seconds / 1e9) : "";
      std::string peak;
      if (peakFlops > 0)
        peak = flops > 0 && row.seconds > 0
                   ? format("  %7.0f%%", 100 * flops / row.seconds / peakFlops)
                   : "";
      std::snprintf(line, sizeof(line),
                    "  %-24s %-22s %9.3f %6.1f%% %9s %7s%s\n", layer,
                    row.region->op, row.seconds * 1e3 / double(row.calls),
                    total > 0 ? 100 * row.seconds / total : 0.0, gflops.c_str(),
                    gbytes.c_str(), peak.c_str());
      std::string text = line;
      while (text.size() > 1 && text[text.size() - 2] == ' ')
        text.erase(text.size() - 2, 1);
      out += text;
    }
  }
  return out;
}

std::string Profiler::json() const {
  std::string s = "[";
  for (size_t i = 0; i < rows_.size(); ++i) {
    const Row &row = rows_[i];
    s += std::string(i ? ",\n    " : "\n    ") +
         "{\"entry\": " + json::quote(row.region->entry) +
         ", \"layer\": " + json::quote(row.region->layer) +
         ", \"op\": " + json::quote(row.region->op) +
         ", \"fused\": " + (row.region->fused ? "true" : "false") +
         ", \"calls\": " + std::to_string(row.calls) +
         ", \"samples\": " + std::to_string(row.samples) +
         ", \"seconds\": " + format("%.9g", row.seconds) +
         ", \"flops_per_sample\": " + format("%.17g", row.region->flops) +
         ", \"bytes_per_sample\": " + format("%.17g", row.region->bytes) +
         ", \"fixed_bytes\": " + format("%.17g", row.region->fixed_bytes) + "}";
  }
  return s + (rows_.empty() ? "]" : "\n  ]");
}

} // namespace nncc
