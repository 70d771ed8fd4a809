//===- Diagnostics.cpp - collect and print user diagnostics ---------------===//
//
// Printing follows clang: the location, the severity, the message, then the
// offending source line with a caret under the column.
//
//===----------------------------------------------------------------------===//
#include "frontend/Diagnostics.h"

#include <cstdlib>
#include <cstring>
#include <fstream>

namespace nncc {

void DiagnosticEngine::addSource(const std::string &file, std::string text) {
  Source &source = sources[file];
  source.lineStarts = {0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n')
      source.lineStarts.push_back(i + 1);
  source.text = std::move(text);
}

DiagnosticEngine::~DiagnosticEngine() {
  const char *path = std::getenv("NNCC_DIAG_SITES");
  if (!path || !*path || sitesReached.empty())
    return;
  std::ofstream out(path, std::ios::app);
  for (const std::string &site : sitesReached)
    out << site << '\n';
}

/// "Parser.cpp:36" for the report at line 36 of frontend/Parser.cpp.
static std::string siteName(const char *site, unsigned siteLine) {
  const char *slash = std::strrchr(site, '/');
  return std::string(slash ? slash + 1 : site) + ':' + std::to_string(siteLine);
}

void DiagnosticEngine::report(Severity severity, const SourceLoc &loc,
                              std::string message, const char *site,
                              unsigned siteLine) {
  if (severity == Severity::Note) {
    if (!droppedLast) {
      sitesReached.insert(siteName(site, siteLine));
      diags.push_back({severity, loc, std::move(message)});
    }
    return;
  }
  if (severity == Severity::Error)
    ++numErrorReports;
  droppedLast = numErrors >= kErrorLimit || isDuplicate(severity, loc, message);
  if (droppedLast)
    return;
  if (severity == Severity::Error) {
    ++numErrors;
  } else {
    ++numWarnings;
  }
  sitesReached.insert(siteName(site, siteLine));
  diags.push_back({severity, loc, std::move(message)});
  // Innermost contexts first; like clang's template backtrace, a deep stack
  // shows its ends and elides the middle.
  size_t count = contexts.size();
  for (size_t i = 0; i < count; ++i) {
    size_t depth = count - 1 - i;
    if (count > kContextLimit && i == kContextLimit / 2) {
      diags.push_back({Severity::Note,
                       {},
                       "(skipping " + std::to_string(count - kContextLimit) +
                           " enclosing blocks)"});
      i = count - kContextLimit / 2 - 1;
      continue;
    }
    diags.push_back(contexts[depth]);
  }
}

bool DiagnosticEngine::isDuplicate(Severity severity, const SourceLoc &loc,
                                   const std::string &message) {
  return !reported
              .insert({severity == Severity::Error, loc.file, loc.line, loc.col,
                       message})
              .second;
}

/// Returns line `line` (1-based) of `source` without its line terminator,
/// or false when the text has fewer lines.
static bool findLine(const std::string &text,
                     const std::vector<size_t> &lineStarts, unsigned line,
                     std::string &result) {
  if (line == 0 || line > lineStarts.size())
    return false;
  size_t start = lineStarts[line - 1];
  size_t end = line < lineStarts.size() ? lineStarts[line] - 1 : text.size();
  result = text.substr(start, end - start);
  if (!result.empty() && result.back() == '\r')
    result.pop_back();
  return true;
}

/// The caret line keeps tabs and skips UTF-8 continuation bytes, so that the
/// caret sits under the right character on a terminal.
static std::string caretLine(const std::string &line, unsigned col) {
  std::string caret;
  for (unsigned i = 0; i + 1 < col && i < line.size(); ++i) {
    unsigned char c = line[i];
    if (c == '\t')
      caret += '\t';
    else if ((c & 0xC0) != 0x80)
      caret += ' ';
  }
  return caret + '^';
}

static const char *severityName(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

void DiagnosticEngine::print(std::ostream &os) const {
  for (const Diagnostic &diag : diags) {
    if (!diag.loc.file.empty()) {
      os << diag.loc.file << ':';
      if (diag.loc.line != 0)
        os << diag.loc.line << ':' << diag.loc.col << ':';
      os << ' ';
    }
    os << severityName(diag.severity) << ": " << diag.message << '\n';
    if (diag.loc.line == 0)
      continue;
    auto source = sources.find(diag.loc.file);
    std::string line;
    if (source == sources.end() ||
        !findLine(source->second.text, source->second.lineStarts, diag.loc.line,
                  line))
      continue;
    os << line << '\n' << caretLine(line, diag.loc.col) << '\n';
  }
  // The frontend stops checking at the limit, so later errors may be missing.
  if (reachedErrorLimit())
    os << "error: too many errors emitted, stopping now\n";
}

} // namespace nncc
