//===- RobustnessTest.cpp - hostile inputs give errors, not crashes -------===//
//
// The frontend will be fuzzed; these are the inputs a fuzzer finds first.
// Each must finish quickly with errors and no crash (run under ASan/UBSan
// to make the "no crash" part strict).
//
//===----------------------------------------------------------------------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

using namespace nncc;
using namespace nncc::test;

namespace {

void expectErrors(const std::string &source) {
  CheckResult result = check(source);
  EXPECT_FALSE(result.graph);
  EXPECT_GE(result.diags.errorCount(), 1u);
  EXPECT_LE(result.diags.errorCount(), DiagnosticEngine::kErrorLimit);
}

TEST(Robustness, EmptyFile) { expectErrors(""); }

TEST(Robustness, DeepParentheses) {
  expectErrors(std::string(10000, '('));
  expectErrors(model("  x = " + std::string(10000, '('), ""));
  expectErrors(model("  x = " + std::string(10000, ')'), ""));
}

TEST(Robustness, DeeplyNestedCalls) {
  std::string nested;
  for (int i = 0; i < 10000; ++i)
    nested += "Sequential(";
  CheckResult result = check(model("  x = " + nested + "\n", ""));
  EXPECT_FALSE(result.graph);
  EXPECT_EQ(result.text.substr(0, result.text.find('\n')),
            "4:711: error: expression is nested too deeply; the limit is 64 "
            "levels");
  std::string forward;
  for (int i = 0; i < 10000; ++i)
    forward += "f(";
  expectErrors(model("", "    y = " + forward + "\n"));
}

TEST(Robustness, HugeNumbers) {
  expectErrors(model("  fc = Linear(1e400, 10)\n", ""));
  expectErrors(model("  fc = Linear(99999999999999999999999, 10)\n", ""));
  expectErrors("model M {\n  input x: f32[N, 99999999999999999999999]\n}\n");
  expectErrors(
      model("  fc = Linear(" + std::string(100000, '9') + ", 1)\n", ""));
  expectErrors(model("  fc = Linear(9223372036854775807, "
                     "9223372036854775807)\n",
                     ""));
  expectErrors("model M {\n  input x: f32[N, 9223372036854775807, "
               "9223372036854775807]\n}\n");
}

TEST(Robustness, HugeNumberIsReportedOnce) {
  CheckResult result =
      check(model("  fc = Linear(99999999999999999999999, 10)\n", ""));
  EXPECT_EQ(result.text.substr(0, result.text.find('\n')),
            "4:15: error: integer literal is too large; the limit is "
            "9223372036854775807");
  EXPECT_EQ(result.diags.errorCount(), 3u) << result.text; // + no return/min
}

TEST(Robustness, LongIdentifier) {
  std::string name(100000, 'x');
  expectErrors(model("  " + name + " = Linear(1, 2)\n",
                     "    y = " + name + "x(image)\n"));
  expectErrors(name);
}

TEST(Robustness, InvalidUtf8) {
  expectErrors("\xff\xfe\xfd");
  expectErrors(model("  fc = Linear(\xc0\xaf, 10)\n", ""));
  expectErrors("model \xed\xa0\x80 {\n}\n"); // an encoded surrogate
  expectErrors(std::string("model M {\0}", 11));
}

TEST(Robustness, ErrorLimitStopsTheFlood) {
  std::string source;
  for (int i = 0; i < 1000; ++i)
    source += "@\n";
  CheckResult result = check(source);
  EXPECT_EQ(result.diags.errorCount(), DiagnosticEngine::kErrorLimit);
  std::ostringstream os;
  result.diags.print(os);
  EXPECT_NE(os.str().find("error: too many errors emitted, stopping now\n"),
            std::string::npos);
}

TEST(Robustness, TruncatedExample) {
  // Every prefix of a valid model is either valid or rejected cleanly.
  std::string full = model("  layers = Sequential(Flatten(), Linear(784, "
                           "10, bias=false),)\n"
                           "  ce = CrossEntropyLoss(label_smoothing=0.1)\n",
                           "    y = layers(image)\n"
                           "    l = ce(y, label)\n"
                           "    return y\n"
                           "    minimize l\n");
  for (size_t n = 0; n + 1 < full.size(); ++n) {
    CheckResult result = check(full.substr(0, n));
    EXPECT_FALSE(result.graph) << n;
  }
  EXPECT_TRUE(check(full).graph);
}

TEST(Robustness, RandomBytesAndTokenSoup) {
  std::mt19937 rng(0);
  const std::vector<std::string> soup = {
      "model",   "M",      "{",          "}",
      "(",       ")",      "[",          "]",
      ",",       ":",      "=",          "input",
      "forward", "return", "minimize",   "f32",
      "N",       "1",      "-",          "1.5",
      "Linear",  "ReLU",   "x",          "\n",
      "\"s\"",   "true",   "Sequential", "CrossEntropyLoss",
      "i64",     "block",  "if",         "else",
      "and",     "not",    "+",          "*",
      "//",      "==",     "<",          "frozen",
      "Conv2d",  "relu",   "B",          "none",
      "(3, 3)",  "%"};
  for (int round = 0; round < 300; ++round) {
    std::string source;
    for (int i = 0; i < 200; ++i)
      source += round % 2 ? soup[rng() % soup.size()] + " "
                          : std::string(1, static_cast<char>(rng() % 256));
    CheckResult result = check(source);
    EXPECT_TRUE(result.graph || result.diags.errorCount() >= 1u);
  }
}

std::string readExample(const char *name) {
  std::ifstream in(std::string(NNCC_SOURCE_DIR "/examples/") + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Robustness, TruncatedResnet) {
  // Every prefix of the block-based example is rejected cleanly.
  std::string full = readExample("resnet8.nn");
  ASSERT_FALSE(full.empty());
  for (size_t n = 0; n + 1 < full.size(); n += 3)
    EXPECT_FALSE(check(full.substr(0, n)).graph) << n;
  EXPECT_TRUE(check(full).graph);
}

TEST(Robustness, MutatedResnet) {
  // Random edits of a valid model: a dropped, doubled or swapped byte.
  std::string full = readExample("resnet8.nn");
  std::mt19937 rng(1);
  for (int round = 0; round < 400; ++round) {
    std::string text = full;
    for (int edits = 0; edits < 3; ++edits) {
      size_t at = rng() % text.size();
      switch (rng() % 3) {
      case 0:
        text.erase(at, 1);
        break;
      case 1:
        text.insert(at, 1, text[at]);
        break;
      default:
        std::swap(text[at], text[rng() % text.size()]);
      }
    }
    CheckResult result = check(text);
    EXPECT_TRUE(result.graph || result.diags.errorCount() >= 1u) << text;
  }
}

TEST(Robustness, DeeplyNestedIfs) {
  std::string members, stmts;
  for (int i = 0; i < 1000; ++i) {
    members += "if true {\n";
    stmts += "if true {\n";
  }
  CheckResult result = check(model(members, ""));
  EXPECT_FALSE(result.graph);
  EXPECT_EQ(result.text.substr(0, result.text.find('\n')),
            "68:1: error: 'if' is nested too deeply; the limit is 64 levels");
  expectErrors(model("", stmts));
}

TEST(Robustness, BlocksThatUseThemselves) {
  expectErrors("block A() {\n  a = A()\n  forward(x) { return a(x) }\n}\n" +
               model("  a = A()\n", "    y = a(image)\n"));
}

TEST(Robustness, LongChainsOfBlocks) {
  // Each block contains the previous one: nesting, not recursion.
  std::string blocks = "block B0() {\n  forward(x) { return x }\n}\n";
  for (int k = 1; k < 200; ++k)
    blocks += "block B" + std::to_string(k) + "() {\n  inner = B" +
              std::to_string(k - 1) +
              "()\n  forward(x) { return inner(x) }\n}\n";
  CheckResult result =
      check(blocks + model("  b = B199()\n", "    y = b(image)\n"));
  EXPECT_FALSE(result.graph);
  EXPECT_NE(result.text.find("error: blocks are nested too deeply; the limit "
                             "is 64 levels"),
            std::string::npos);
}

TEST(Robustness, ExponentiallyManyLayers) {
  // Two of the previous block, 40 deep: 2^40 layers. Stopped at the limit.
  std::string blocks =
      "block B0() {\n  c = Linear(4, 4)\n  forward(x) { return c(x) }\n}\n";
  for (int k = 1; k < 40; ++k) {
    std::string prev = "B" + std::to_string(k - 1);
    blocks += "block B" + std::to_string(k) + "() {\n  a = " + prev +
              "()\n  b = " + prev + "()\n  forward(x) { return b(a(x)) }\n}\n";
  }
  CheckResult result = check(blocks + model("  m = B39()\n", ""));
  EXPECT_FALSE(result.graph);
  EXPECT_NE(result.text.find("error: the model defines more than 100000 "
                             "layers"),
            std::string::npos);
}

TEST(Robustness, ExponentiallyManyApplications) {
  // One member applied three times per level: 3^30 applications.
  std::string blocks =
      "block B0() {\n  c = Linear(4, 4)\n  forward(x) { return c(x) }\n}\n";
  for (int k = 1; k < 30; ++k)
    blocks += "block B" + std::to_string(k) + "() {\n  a = B" +
              std::to_string(k - 1) +
              "()\n  forward(x) { return a(a(x)) + a(x) }\n}\n";
  CheckResult result = check(
      blocks + "model M {\n  input x: f32[N, 4]\n  m = B29()\n  forward {\n"
               "    y = m(x)\n    return y\n    minimize y\n  }\n}\n");
  EXPECT_FALSE(result.graph);
  EXPECT_NE(result.text.find("error: the model applies more than 100000 "
                             "layers"),
            std::string::npos);
}

TEST(Robustness, DeepExpressionsInDeepBlocks) {
  // Each block applies the next inside 60 nested calls: Sema's recursion
  // compounds across blocks and is bounded as a whole.
  std::string blocks = "block B0() {\n  forward(x) { return x }\n}\n";
  std::string expr = "inner(x)";
  for (int i = 0; i < 60; ++i)
    expr = "relu(" + expr + ")";
  for (int k = 1; k < 60; ++k)
    blocks += "block B" + std::to_string(k) + "() {\n  inner = B" +
              std::to_string(k - 1) + "()\n  forward(x) { return " + expr +
              " }\n}\n";
  CheckResult result =
      check(blocks + model("  m = B59()\n", "    y = m(image)\n"));
  EXPECT_FALSE(result.graph);
  EXPECT_NE(result.text.find("error: the model nests blocks and expressions "
                             "too deeply; the limit is 1000 levels"),
            std::string::npos);
}

} // namespace
