//===- Options.h - nncc's own command-line options --------------*- C++ -*-===//
//
// Each subcommand's flags as a table: how --help lists them, how they parse,
// which flag a typo was probably meant to be, and what shell completion
// offers. LLVM's own options are not among them: they are reached through
// `-mllvm <option>`, as in clang.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_TOOLS_NNCC_OPTIONS_H
#define NNCC_TOOLS_NNCC_OPTIONS_H

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nncc {

struct OptionSpec {
  std::string name;     ///< without dashes: "emit", "o", "g"
  std::string metavar;  ///< empty: a switch; else what it takes ("PHASE")
  std::string group;    ///< the --help heading it is listed under
  std::string help;     ///< one line
  std::string defaults; ///< shown as "(default: ...)"; empty: none
  bool hidden = false;  ///< listed by --help-hidden only
  /// For completion: the values it takes ("ast nn ..."), or "FILE" for a
  /// path; empty: nothing to offer.
  std::string completes;
  bool oneDash = false; ///< spelt with one dash even though long: -mllvm

  /// How --help spells it: "-o PATH", "--emit=PHASE", "-g", "--depfile PATH".
  std::string spelling() const;
};

struct ParsedArgs {
  std::map<std::string, std::string> values; ///< switches map to "true"
  std::vector<std::string> positionals;
  std::vector<std::string> llvmArgs; ///< the arguments of every -mllvm
  bool has(const std::string &name) const { return values.count(name) != 0; }
  std::string get(const std::string &name, std::string fallback = "") const;
};

/// Parses `args` (without the program name) against `specs`. Long names take
/// one or two dashes (`-emit=x` and `--emit x` both work, as they did under
/// llvm::cl); single-letter options with a value may be joined (`-ofile`).
/// On an unknown flag the error suggests the nearest flag of `specs`, or
/// names -mllvm when LLVM knows the option; `-` alone is a positional.
std::optional<ParsedArgs> parseArgs(const std::vector<std::string> &args,
                                    const std::vector<OptionSpec> &specs,
                                    std::string &error);

/// The spec among `specs` whose name is closest to `given` (dashes and any
/// `=value` stripped), or nullptr when nothing is close enough to suggest.
const OptionSpec *nearestOption(const std::string &given,
                                const std::vector<OptionSpec> &specs);

/// The option lines of --help, grouped in the order groups first appear.
std::string formatOptions(const std::vector<OptionSpec> &specs,
                          bool showHidden);

/// The compile command's flags (`nncc MODEL.nn ...`) and `nncc summary`'s.
const std::vector<OptionSpec> &compileOptions();
const std::vector<OptionSpec> &summaryOptions();

} // namespace nncc

#endif // NNCC_TOOLS_NNCC_OPTIONS_H
