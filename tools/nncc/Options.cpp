//===- Options.cpp - nncc's option tables, parser and --help --------------===//
//
// nncc parses its own flags instead of handing argv to llvm::cl: llvm::cl
// would list, accept and suggest the thousands of code-generation switches
// every LLVM tool registers. Those stay reachable through -mllvm.
//
//===----------------------------------------------------------------------===//
#include "tools/nncc/Options.h"

#include "compiler/pipeline/Pipeline.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <algorithm>

using namespace nncc;

std::string OptionSpec::spelling() const {
  std::string dashes = name.size() == 1 || oneDash ? "-" : "--";
  if (metavar.empty())
    return dashes + name;
  // Options with a fixed set of values read best as --name=VALUE.
  bool joined = !completes.empty() && completes != "FILE";
  return dashes + name + (joined ? "=" : " ") + metavar;
}

std::string ParsedArgs::get(const std::string &name,
                            std::string fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

static const OptionSpec *findOption(llvm::StringRef name,
                                    const std::vector<OptionSpec> &specs) {
  for (const OptionSpec &spec : specs)
    if (spec.name == name)
      return &spec;
  return nullptr;
}

const OptionSpec *nncc::nearestOption(const std::string &given,
                                      const std::vector<OptionSpec> &specs) {
  llvm::StringRef name(given);
  name = name.ltrim('-').split('=').first;
  const OptionSpec *best = nullptr;
  unsigned bestDistance = 0;
  for (const OptionSpec &spec : specs) {
    if (spec.hidden)
      continue;
    unsigned d = name.edit_distance(spec.name, /*AllowReplacements=*/true);
    if (!best || d < bestDistance)
      best = &spec, bestDistance = d;
  }
  // Close enough to be a typo: two edits, or a third of a long name.
  unsigned limit = std::max<unsigned>(2, name.size() / 3);
  return best && bestDistance <= limit && bestDistance < name.size() ? best
                                                                     : nullptr;
}

static std::string unknownFlagError(const std::string &arg,
                                    const std::vector<OptionSpec> &specs) {
  std::string message = "unknown option '" + arg + "'";
  llvm::StringRef name = llvm::StringRef(arg).ltrim('-').split('=').first;
  if (llvm::cl::getRegisteredOptions().count(name))
    return message + "; it is an LLVM option: pass it as -mllvm " + arg;
  if (const OptionSpec *near = nearestOption(arg, specs))
    return message + "; did you mean '" + near->spelling() + "'?";
  return message + " (see --help)";
}

std::optional<ParsedArgs> nncc::parseArgs(const std::vector<std::string> &args,
                                          const std::vector<OptionSpec> &specs,
                                          std::string &error) {
  ParsedArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') {
      parsed.positionals.push_back(arg);
      continue;
    }
    auto nextValue =
        [&](const std::string &flag) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        error = "missing value for " + flag;
        return std::nullopt;
      }
      return args[++i];
    };
    if (arg == "-mllvm" || arg == "--mllvm") {
      std::optional<std::string> v = nextValue(arg);
      if (!v)
        return std::nullopt;
      parsed.llvmArgs.push_back(*v);
      continue;
    }
    llvm::StringRef body = llvm::StringRef(arg).drop_front(
        llvm::StringRef(arg).starts_with("--") ? 2 : 1);
    auto [name, inlineValue] = body.split('=');
    bool hasInline = body.contains('=');
    const OptionSpec *spec = findOption(name, specs);
    // A single-letter option with its value joined: -omodel.o.
    if (!spec && !llvm::StringRef(arg).starts_with("--") && body.size() > 1 &&
        !hasInline) {
      const OptionSpec *shortSpec = findOption(body.take_front(1), specs);
      if (shortSpec && !shortSpec->metavar.empty()) {
        parsed.values[shortSpec->name] = body.drop_front(1).str();
        continue;
      }
    }
    if (!spec) {
      error = unknownFlagError(arg, specs);
      return std::nullopt;
    }
    if (spec->metavar.empty()) {
      if (hasInline) {
        error = "option '" + arg.substr(0, arg.find('=')) + "' takes no value";
        return std::nullopt;
      }
      parsed.values[spec->name] = "true";
      continue;
    }
    if (hasInline) {
      parsed.values[spec->name] = inlineValue.str();
      continue;
    }
    std::optional<std::string> v = nextValue(arg);
    if (!v)
      return std::nullopt;
    parsed.values[spec->name] = *v;
  }
  return parsed;
}

std::string nncc::formatOptions(const std::vector<OptionSpec> &specs,
                                bool showHidden) {
  std::vector<std::string> groups;
  for (const OptionSpec &spec : specs)
    if ((showHidden || !spec.hidden) &&
        std::find(groups.begin(), groups.end(), spec.group) == groups.end())
      groups.push_back(spec.group);
  std::string out;
  for (const std::string &group : groups) {
    out += "\n" + group + ":\n";
    for (const OptionSpec &spec : specs) {
      if (spec.group != group || (spec.hidden && !showHidden))
        continue;
      std::string left = "  " + spec.spelling();
      std::string help = spec.help;
      if (!spec.defaults.empty())
        help += " (default: " + spec.defaults + ")";
      // Help in a column from 29 to 80, wrapped at spaces.
      constexpr size_t kColumn = 29, kWidth = 80;
      out += left.size() + 2 > kColumn
                 ? left + "\n" + std::string(kColumn, ' ')
                 : left + std::string(kColumn - left.size(), ' ');
      size_t used = kColumn;
      llvm::StringRef rest(help);
      while (!rest.empty()) {
        auto [word, tail] = rest.split(' ');
        if (used > kColumn && used + 1 + word.size() > kWidth) {
          out += "\n" + std::string(kColumn, ' ');
          used = kColumn;
        } else if (used > kColumn) {
          out += " ";
          ++used;
        }
        out += word.str();
        used += word.size();
        rest = tail;
      }
      out += "\n";
    }
  }
  return out;
}

static std::string join(const std::vector<std::string> &names,
                        const char *separator) {
  std::string out;
  for (const std::string &n : names)
    out += (out.empty() ? "" : separator) + n;
  return out;
}

const std::vector<OptionSpec> &nncc::compileOptions() {
  static const std::vector<OptionSpec> specs = [] {
    const char *kCompile = "Compile options";
    const char *kOutput = "Output and IR dumps";
    const char *kMlir = "MLIR IR inspection";
    const char *kDebug = "Debugging";
    const char *kGeneral = "General";
    std::string phases = join(phaseNames(), " ");
    return std::vector<OptionSpec>{
        {"o", "PATH", kCompile,
         "output file: the object, or the --emit phase's text",
         "MODEL.o for objects, stdout for text phases", false, "FILE"},
        {"header", "PATH", kCompile, "where the C header goes",
         "the object's path with .h", false, "FILE"},
        {"prefix", "NAME", kCompile,
         "C symbol prefix of the entry points and the header",
         "the model's name in lower case"},
        {"depfile", "PATH", kCompile,
         "also write a Makefile-style dependency file listing the model and "
         "every file it imports",
         "", false, "FILE"},
        {"no-cache", "", kCompile, "neither read nor write the compile cache"},
        {"cpu", "NAME", "Target",
         "the CPU to generate code for: native, x86-64, x86-64-v2, x86-64-v3, "
         "x86-64-v4, or an LLVM CPU name (skylake-avx512, znver3, ...)",
         "native", false, "native x86-64 x86-64-v2 x86-64-v3 x86-64-v4"},
        {"emit", "PHASE", kOutput,
         "stop after a phase and print it: " + join(phaseNames(), ", "), "obj",
         false, phases},
        {"mlir-print-ir-after-all", "", kMlir, "print the IR after every pass"},
        {"mlir-print-ir-before-all", "", kMlir,
         "print the IR before every pass"},
        {"mlir-print-debuginfo", "", kMlir,
         "show each op's location in model.nn in IR dumps"},
        {"g", "", kDebug,
         "emit debug info that points at model.nn's lines (perf, gdb)"},
        {"time-report", "", kDebug,
         "print each compile phase's wall time to stderr"},
        {"profile", "", kDebug,
         "time each layer's ops, forward and backward, through the execution "
         "context's profile hook"},
        {"mllvm", "OPTION", kDebug,
         "pass an option to LLVM (listed by --help-hidden)", "", false, "",
         /*oneDash=*/true},
        {"nncc-internal-error-test", "fatal|crash", kDebug,
         "fail as a bug in nncc would (for nncc's tests)", "", true,
         "fatal crash"},
        {"help", "", kGeneral, "print this help"},
        {"help-hidden", "", kGeneral, "also list hidden options and LLVM's"},
        {"version", "", kGeneral,
         "print nncc's version, its LLVM and the host CPU"},
        {"print-bash-completion", "", kGeneral,
         "print the bash completion script (installed by cmake --install)", "",
         true},
    };
  }();
  return specs;
}

const std::vector<OptionSpec> &nncc::summaryOptions() {
  static const std::vector<OptionSpec> specs = {
      {"batch", "N", "Summary options",
       "batch size for the FLOP counts and the workspace", "64"},
      {"help", "", "General", "print this help"},
  };
  return specs;
}
