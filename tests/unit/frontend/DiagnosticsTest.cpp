//===- DiagnosticsTest.cpp - the printed form of diagnostics --------------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace nncc;
using namespace nncc::test;

namespace {

std::string printed(const DiagnosticEngine &diags) {
  std::ostringstream os;
  diags.print(os);
  return os.str();
}

TEST(Diagnostics, ErrorWithSourceLineAndCaret) {
  DiagnosticEngine diags;
  checkModelSource("m.nn",
                   "model M {\n"
                   "  layers = Sequential(Flatten(), Linaer(784, 10))\n"
                   "}\n",
                   diags);
  std::string text = printed(diags);
  EXPECT_EQ(text.substr(0, text.find("m.nn:1:7")),
            "m.nn:2:34: error: unknown layer 'Linaer'; did you mean "
            "'Linear'?\n"
            "  layers = Sequential(Flatten(), Linaer(784, 10))\n"
            "                                 ^\n");
}

TEST(Diagnostics, NotesAndWarningsPrintLikeErrors) {
  DiagnosticEngine diags;
  diags.addSource("a.nn", "first\r\n\tsecond line\n");
  diags.warning({"a.nn", 2, 3}, "something odd");
  diags.note({"a.nn", 1, 1}, "related");
  EXPECT_EQ(printed(diags), "a.nn:2:3: warning: something odd\n"
                            "\tsecond line\n"
                            "\t ^\n"
                            "a.nn:1:1: note: related\n"
                            "first\n"
                            "^\n");
  EXPECT_EQ(diags.errorCount(), 0u);
  EXPECT_EQ(diags.warningCount(), 1u);
}

TEST(Diagnostics, CaretSkipsUtf8ContinuationBytes) {
  DiagnosticEngine diags;
  diags.addSource("a.nn", "# é\nx\xc3\xa9 @\n");
  diags.error({"a.nn", 2, 5}, "here");
  EXPECT_EQ(printed(diags), "a.nn:2:5: error: here\n"
                            "x\xc3\xa9 @\n"
                            "   ^\n");
}

TEST(Diagnostics, WithoutLineOrSource) {
  DiagnosticEngine diags;
  diags.error({"missing.nn", 0, 0}, "cannot open model file");
  diags.error({"unknown.nn", 7, 2}, "no source registered");
  diags.error({}, "no location");
  EXPECT_EQ(printed(diags), "missing.nn: error: cannot open model file\n"
                            "unknown.nn:7:2: error: no source registered\n"
                            "error: no location\n");
  EXPECT_EQ(diags.errorCount(), 3u);
}

TEST(Diagnostics, LineBeyondTheEndPrintsNoSource) {
  DiagnosticEngine diags;
  diags.addSource("a.nn", "one line");
  diags.error({"a.nn", 5, 1}, "past the end");
  diags.error({"a.nn", 1, 9}, "at the end");
  EXPECT_EQ(printed(diags), "a.nn:5:1: error: past the end\n"
                            "a.nn:1:9: error: at the end\n"
                            "one line\n"
                            "        ^\n");
}

TEST(Diagnostics, NotesOfDroppedErrorsAreDropped) {
  DiagnosticEngine diags;
  for (unsigned i = 0; i < DiagnosticEngine::kErrorLimit + 5; ++i) {
    diags.error({"a.nn", 1, i + 1}, "e");
    diags.note({"a.nn", 1, 1}, "n");
  }
  EXPECT_EQ(diags.errorCount(), DiagnosticEngine::kErrorLimit);
  // Each kept error has its note; the dropped ones take theirs along.
  EXPECT_EQ(diags.diagnostics().size(), 2 * DiagnosticEngine::kErrorLimit);
  std::string text = printed(diags);
  std::string tail = "note: n\nerror: too many errors emitted, stopping now\n";
  EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
}

TEST(Diagnostics, DuplicatesAreDroppedWithTheirNotes) {
  // A block's body is checked once per instance; its mistakes once.
  DiagnosticEngine diags;
  for (int i = 0; i < 3; ++i) {
    diags.error({"a.nn", 2, 3}, "e");
    diags.note({"a.nn", 1, 1}, "n");
  }
  diags.error({"a.nn", 2, 3}, "other");
  diags.warning({"a.nn", 2, 3}, "e");
  EXPECT_EQ(diags.errorCount(), 2u);
  EXPECT_EQ(diags.errorReports(), 4u);
  EXPECT_EQ(diags.warningCount(), 1u);
  EXPECT_EQ(diags.diagnostics().size(), 4u);
}

TEST(Diagnostics, ContextNotesFollowEachDiagnostic) {
  DiagnosticEngine diags;
  diags.addSource("a.nn", "one\ntwo\nthree\n");
  diags.pushContext({"a.nn", 3, 1}, "in 'outer'");
  diags.pushContext({"a.nn", 2, 1}, "in 'inner'");
  diags.error({"a.nn", 1, 2}, "bad");
  diags.note({"a.nn", 1, 1}, "specific");
  diags.popContext();
  diags.warning({"a.nn", 1, 3}, "odd");
  diags.popContext();
  diags.error({"a.nn", 1, 1}, "plain");
  EXPECT_EQ(printed(diags), "a.nn:1:2: error: bad\n"
                            "one\n"
                            " ^\n"
                            "a.nn:2:1: note: in 'inner'\n"
                            "two\n"
                            "^\n"
                            "a.nn:3:1: note: in 'outer'\n"
                            "three\n"
                            "^\n"
                            "a.nn:1:1: note: specific\n"
                            "one\n"
                            "^\n"
                            "a.nn:1:3: warning: odd\n"
                            "one\n"
                            "  ^\n"
                            "a.nn:3:1: note: in 'outer'\n"
                            "three\n"
                            "^\n"
                            "a.nn:1:1: error: plain\n"
                            "one\n"
                            "^\n");
}

} // namespace
