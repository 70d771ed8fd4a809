//===- ImportTest.cpp - `import` of files and of the standard library -----===//
//
// Files come from an in-memory map, so each test states its whole file
// system; the standard library is the one compiled into the frontend.
//
//===----------------------------------------------------------------------===//
#include "FrontendTestUtil.h"

#include <gtest/gtest.h>

#include <map>

using namespace nncc;
using namespace nncc::test;

namespace {

struct Files {
  std::map<std::string, std::string> files;
  std::vector<std::string> reads;

  SourceReader reader() {
    return [this](const std::string &path,
                  std::string &error) -> std::optional<std::string> {
      reads.push_back(path);
      auto it = files.find(path);
      if (it == files.end()) {
        error = "No such file or directory";
        return std::nullopt;
      }
      return it->second;
    };
  }

  /// Checks `dir/main.nn` and renders its diagnostics "file:line:col: ...".
  std::string check(const std::string &path, std::optional<Graph> *graph) {
    DiagnosticEngine diags;
    std::optional<Graph> result =
        checkModelSource(path, files.at(path), diags, reader());
    std::string text;
    for (const Diagnostic &diag : diags.diagnostics())
      text += diag.loc.file + ":" + std::to_string(diag.loc.line) + ":" +
              std::to_string(diag.loc.col) + ": " +
              severityName(diag.severity) + ": " + diag.message + "\n";
    if (graph)
      *graph = std::move(result);
    return text;
  }
};

const char *kUseBlock = "model M {\n"
                        "  input image: f32[N, 4]\n"
                        "  input label: i64[N]\n"
                        "  fc = Dense(4, 3)\n"
                        "  criterion = CrossEntropyLoss()\n"
                        "  forward {\n"
                        "    logits = fc(image)\n"
                        "    loss = criterion(logits, label)\n"
                        "    return logits\n"
                        "    minimize loss\n"
                        "  }\n"
                        "}\n";

const char *kDense = "block Dense(i, o) {\n"
                     "  linear = Linear(i, o)\n"
                     "  forward(x) {\n"
                     "    return relu(linear(x))\n"
                     "  }\n"
                     "}\n";

TEST(Import, FileRelativeToTheImporter) {
  Files fs;
  fs.files["models/main.nn"] =
      std::string("import \"lib/dense.nn\"\n") + kUseBlock;
  fs.files["models/lib/dense.nn"] = kDense;
  std::optional<Graph> graph;
  EXPECT_EQ(fs.check("models/main.nn", &graph), "");
  ASSERT_TRUE(graph);
  ASSERT_EQ(graph->params.size(), 2u);
  EXPECT_EQ(graph->params[0].name, "fc.linear.weight");
  EXPECT_EQ(fs.reads, std::vector<std::string>{"models/lib/dense.nn"});
}

TEST(Import, DiamondIsReadOnce) {
  Files fs;
  fs.files["main.nn"] =
      std::string("import \"a.nn\"\nimport \"b.nn\"\n") + kUseBlock;
  fs.files["a.nn"] = "import \"dense.nn\"\n";
  fs.files["b.nn"] = "import \"./sub/../dense.nn\"\n";
  fs.files["dense.nn"] = kDense;
  std::optional<Graph> graph;
  EXPECT_EQ(fs.check("main.nn", &graph), "");
  EXPECT_TRUE(graph);
  EXPECT_EQ(fs.reads, (std::vector<std::string>{"a.nn", "dense.nn", "b.nn"}));
}

TEST(Import, FileThatImportsItself) {
  Files fs;
  fs.files["main.nn"] = std::string("import \"main.nn\"\n") + kUseBlock;
  std::string text = fs.check("main.nn", nullptr);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "main.nn:1:8: error: file 'main.nn' imports itself");
}

TEST(Import, CycleIsNamed) {
  Files fs;
  fs.files["main.nn"] = std::string("import \"a.nn\"\n") + kUseBlock;
  fs.files["a.nn"] = "import \"b.nn\"\n";
  fs.files["b.nn"] = "import \"a.nn\"\n";
  std::string text = fs.check("main.nn", nullptr);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "b.nn:1:8: error: import cycle: a.nn -> b.nn -> a.nn");
}

TEST(Import, MissingFileAndUnknownLibrary) {
  Files fs;
  fs.files["main.nn"] =
      std::string("import \"nope.nn\"\nimport torchvision\n") + kUseBlock;
  std::string text = fs.check("main.nn", nullptr);
  EXPECT_NE(text.find("main.nn:1:8: error: cannot import 'nope.nn': No such "
                      "file or directory"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("main.nn:2:8: error: unknown library 'torchvision'; "
                      "the standard library is 'std'"),
            std::string::npos)
      << text;
}

TEST(Import, ImportedFileCannotDefineAModel) {
  Files fs;
  fs.files["main.nn"] = std::string("import \"other.nn\"\n") + kUseBlock;
  fs.files["other.nn"] = std::string(kDense) + "model Other {\n}\n";
  std::string text = fs.check("main.nn", nullptr);
  EXPECT_NE(text.find("other.nn:7:1: error: an imported file can only define "
                      "blocks; 'Other' is a model\nmain.nn:1:1: note: "
                      "imported here\n"),
            std::string::npos)
      << text;
}

TEST(Import, ClashIsReportedAtTheUsersBlock) {
  Files fs;
  fs.files["main.nn"] =
      std::string("import \"dense.nn\"\n") + kDense + kUseBlock;
  fs.files["dense.nn"] = kDense;
  std::string text = fs.check("main.nn", nullptr);
  EXPECT_EQ(text.substr(0, text.find("\n", text.find('\n') + 1)),
            "main.nn:2:7: error: redefinition of block 'Dense'\n"
            "dense.nn:1:7: note: previous definition is here");
}

TEST(Import, ErrorsInsideAnImportedFilePointThere) {
  Files fs;
  fs.files["main.nn"] = std::string("import \"dense.nn\"\n") + kUseBlock;
  fs.files["dense.nn"] = "block Dense(i, o) {\n  linear = Linaer(i, o)\n}\n";
  std::string text = fs.check("main.nn", nullptr);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "dense.nn:2:12: error: unknown layer 'Linaer'; did you mean "
            "'Linear'?");
}

TEST(Import, StandardLibraryBlocksHaveTorchvisionNames) {
  Files fs;
  fs.files["main.nn"] = "import std\n"
                        "model M {\n"
                        "  input image: f32[N, 3, 16, 16]\n"
                        "  input label: i64[N]\n"
                        "  stem = ConvBNReLU(3, 16)\n"
                        "  layer1 = Sequential(BasicBlock(16, 32, stride=2))\n"
                        "  layer2 = Sequential(Bottleneck(32, 8))\n"
                        "  head = MLP(32, 16, 10, hidden_layers=2)\n"
                        "  criterion = CrossEntropyLoss()\n"
                        "  forward {\n"
                        "    x = layer2(layer1(stem(image)))\n"
                        "    logits = head(adaptive_avg_pool2d(x, 1))\n"
                        "    loss = criterion(logits, label)\n"
                        "    return logits\n"
                        "    minimize loss\n"
                        "  }\n"
                        "}\n";
  std::optional<Graph> graph;
  EXPECT_EQ(fs.check("main.nn", &graph), "");
  ASSERT_TRUE(graph);
  std::vector<std::string> names;
  for (const Parameter &param : graph->params)
    names.push_back(param.name);
  auto has = [&](const std::string &name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(has("stem.conv.weight"));
  EXPECT_TRUE(has("layer1.0.downsample.0.weight"));
  EXPECT_TRUE(has("layer1.0.downsample.1.bias"));
  EXPECT_TRUE(has("layer2.0.conv3.weight"));
  // 32 == 8 * 4 channels and stride 1: no projection, as in torchvision.
  EXPECT_FALSE(has("layer2.0.downsample.0.weight"));
  EXPECT_TRUE(has("head.layers.4.bias"));
  EXPECT_FALSE(has("stem.conv.bias"));
  EXPECT_TRUE(fs.reads.empty()); // the library is compiled in
}

} // namespace
