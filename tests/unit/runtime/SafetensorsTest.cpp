//===- SafetensorsTest.cpp - round trips and hostile headers --------------===//
#include "nncc/Safetensors.h"
#include "TestUtil.h"
#include "nncc/File.h"

#include <cstring>
#include <gtest/gtest.h>

using namespace nncc;
using namespace nncc::test;

namespace {

/// A file whose header is exactly `header` followed by `dataBytes` zeros.
std::vector<uint8_t> withHeader(const std::string &header, size_t dataBytes,
                                uint64_t declaredLength = UINT64_MAX) {
  uint64_t len = declaredLength == UINT64_MAX ? header.size() : declaredLength;
  std::vector<uint8_t> out;
  for (int i = 0; i < 8; ++i)
    out.push_back(uint8_t(len >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.resize(out.size() + dataBytes, 0);
  return out;
}

std::string parseError(const std::vector<uint8_t> &bytes) {
  return errorOf([&] { parseSafetensors(bytes.data(), bytes.size(), "f.st"); });
}

TEST(Safetensors, RoundTripsF32AndI64WithMetadata) {
  TempDir dir;
  float w[6] = {1.5f, -2.0f, 3.25f, 0.0f, -0.0f, 1e-30f};
  int64_t n[1] = {int64_t(1) << 40};
  TensorFile file;
  file.metadata["format"] = "pt";
  file.metadata["odd \"key\"\n"] = "value\\";
  file.tensors.push_back(NamedTensor::fromF32("layer.weight", {2, 3}, w));
  file.tensors.push_back(NamedTensor::fromI64("bn.num_batches_tracked", {}, n));
  file.tensors.push_back(NamedTensor::fromF32("empty", {0, 4}, nullptr));
  writeSafetensors(dir.file("a.safetensors"), file);

  std::vector<uint8_t> raw = readBytes(dir.file("a.safetensors"));
  uint64_t headerLen = 0;
  std::memcpy(&headerLen, raw.data(), 8);
  EXPECT_EQ(headerLen % 8, 0u); // data stays 8-byte aligned
  EXPECT_EQ(raw.size(), 8 + headerLen + 24 + 8);

  TensorFile back = readSafetensors(dir.file("a.safetensors"));
  EXPECT_EQ(back.metadata, file.metadata);
  ASSERT_EQ(back.tensors.size(), 3u);
  const NamedTensor *weight = back.find("layer.weight");
  ASSERT_TRUE(weight);
  EXPECT_EQ(weight->dtype, DType::F32);
  EXPECT_EQ(weight->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(weight->data, file.tensors[0].data);
  EXPECT_EQ(weight->floatAt(2), 3.25f);
  const NamedTensor *count = back.find("bn.num_batches_tracked");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->dtype, DType::I64);
  EXPECT_TRUE(count->shape.empty());
  int64_t v;
  std::memcpy(&v, count->data.data(), 8);
  EXPECT_EQ(v, int64_t(1) << 40);
  EXPECT_EQ(back.find("empty")->numel(), 0);
}

TEST(Safetensors, ReadsForeignHeaderLayout) {
  // Key order, spacing and escapes as another writer might produce them.
  std::string h =
      R"( { "b" : {"data_offsets":[4,12], "shape":[1],)"
      R"( "dtype":"I64"}, "__metadata__":{"k":"\u00e9\ud83d\ude00"},)"
      R"("a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}} )";
  std::vector<uint8_t> bytes = withHeader(h, 12);
  TensorFile f = parseSafetensors(bytes.data(), bytes.size(), "x");
  ASSERT_EQ(f.tensors.size(), 2u);
  EXPECT_EQ(f.tensors[0].name, "a"); // data order
  EXPECT_EQ(f.metadata["k"], "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(Safetensors, RejectsBadLengths) {
  EXPECT_NE(parseError({1, 2, 3}).find("before the 8-byte header length"),
            std::string::npos);
  std::string msg = parseError(withHeader("{}", 0, 1000));
  EXPECT_NE(msg.find("header length 1000"), std::string::npos) << msg;
  EXPECT_NE(msg.find("f.st"), std::string::npos) << msg;
  msg = parseError(withHeader("{}", 0, UINT64_MAX - 3));
  EXPECT_NE(msg.find("runs past the end"), std::string::npos) << msg;
}

TEST(Safetensors, RejectsOffsetsOutOfRangeOrInconsistent) {
  std::string msg = parseError(withHeader(
      R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8000]}})", 8));
  EXPECT_NE(msg.find("beyond the data section"), std::string::npos) << msg;
  msg = parseError(withHeader(
      R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 16));
  EXPECT_NE(msg.find("needs 12"), std::string::npos) << msg;
  msg = parseError(
      withHeader(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                 R"("v":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                 8));
  EXPECT_NE(msg.find("overlapping"), std::string::npos) << msg;
  msg = parseError(withHeader(
      R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8));
  EXPECT_NE(msg.find("a gap"), std::string::npos) << msg;
  msg = parseError(withHeader(
      R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 8));
  EXPECT_NE(msg.find("after the last tensor"), std::string::npos) << msg;
  msg = parseError(withHeader(
      R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],)"
      R"("data_offsets":[0,0]}})",
      0));
  EXPECT_NE(msg.find("needs more bytes"), std::string::npos) << msg;
  msg = parseError(withHeader(
      R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}})",
      4));
  EXPECT_NE(msg.find("data_offsets"), std::string::npos) << msg;
  msg = parseError(withHeader(
      R"({"w":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}})", 2));
  EXPECT_NE(msg.find("BF16 is not supported"), std::string::npos) << msg;
}

TEST(Safetensors, RejectsBadJson) {
  for (const char *header :
       {"", "{", "{\"w\":", "[1,2]", "{\"a\":1,}", "{\"a\":tru}",
        "{\"a\":\"\x01\"}", "{\"a\":\"\\ud800\"}", "{\"a\":01}", "{\"a\":1} x",
        "{\"w\":{\"dtype\":\"F32\"}}", "{\"w\":1,\"w\":2}",
        "{\"__metadata__\":{\"k\":1}}"}) {
    std::string msg = parseError(withHeader(header, 0));
    EXPECT_NE(msg, "") << "accepted header: " << header;
    EXPECT_NE(msg.find("f.st"), std::string::npos) << msg;
  }
  std::string deep(100000, '[');
  std::string msg = parseError(withHeader(deep, 0));
  EXPECT_NE(msg.find("nested deeper"), std::string::npos) << msg;
  msg = parseError(withHeader("{\"a\" 1}", 0));
  EXPECT_NE(msg.find("byte offset 13"), std::string::npos) << msg;
}

TEST(Safetensors, AtomicWriteLeavesNoTempFile) {
  TempDir dir;
  writeFileAtomically(dir.file("out"), std::string("first"));
  writeFileAtomically(dir.file("out"), std::string("second"));
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"out"}));
  std::vector<uint8_t> bytes = readBytes(dir.file("out"));
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), "second");
  // A write that cannot happen leaves the old file and no temp file.
  std::string msg = errorOf([&] {
    writeFileAtomically(dir.file("missing-dir/out"), std::string("x"));
  });
  EXPECT_NE(msg.find("cannot create"), std::string::npos) << msg;
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"out"}));
}

} // namespace
