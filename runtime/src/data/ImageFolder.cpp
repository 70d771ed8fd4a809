//===- ImageFolder.cpp - torchvision's ImageFolder layout over PNG files --===//
//
// Order matters for reproducibility against torchvision: classes are the
// sorted class folder names, and within a class the files come from
// sorted(os.walk(class_dir)) with each directory's file names sorted. Python
// sorts str by code point, which for UTF-8 names is std::string's byte
// order, so std::sort gives the same order.
//
//===----------------------------------------------------------------------===//
#include "nncc/Datasets.h"
#include "nncc/Error.h"
#include "nncc/File.h"
#include "nncc/Png.h"

#include <algorithm>
#include <dirent.h>
#include <sys/stat.h>

namespace nncc {

namespace {

struct Entries {
  std::vector<std::string> dirs, files;
};

Entries listDirectory(const std::string &dir) {
  Entries e;
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    throw Error("cannot open directory '" + dir + "'");
  while (dirent *ent = ::readdir(d)) {
    std::string n = ent->d_name;
    if (n == "." || n == "..")
      continue;
    struct stat st;
    // stat, not lstat: torchvision follows symlinks (followlinks=True).
    if (::stat((dir + "/" + n).c_str(), &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode))
      e.dirs.push_back(n);
    else if (S_ISREG(st.st_mode))
      e.files.push_back(n);
  }
  ::closedir(d);
  std::sort(e.dirs.begin(), e.dirs.end());
  std::sort(e.files.begin(), e.files.end());
  return e;
}

std::string lowerExtension(const std::string &file) {
  size_t dot = file.rfind('.');
  std::string ext = dot == std::string::npos ? "" : file.substr(dot);
  for (char &c : ext)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

/// Every PNG under `dir` in sorted(os.walk(dir)) order: directories sorted by
/// their full path, each directory's files by name.
void collectImages(const std::string &dir, std::vector<std::string> &out) {
  std::vector<std::string> walk = {dir};
  for (size_t i = 0; i < walk.size(); ++i)
    for (const std::string &sub : listDirectory(walk[i]).dirs)
      walk.push_back(walk[i] + "/" + sub);
  std::sort(walk.begin(), walk.end());
  static const char *kOtherImages[] = {".jpg", ".jpeg", ".ppm",  ".bmp",
                                       ".pgm", ".tif",  ".tiff", ".webp"};
  for (const std::string &d : walk)
    for (const std::string &f : listDirectory(d).files) {
      std::string ext = lowerExtension(f), path = d + "/" + f;
      if (ext == ".png") {
        out.push_back(path);
        continue;
      }
      for (const char *other : kOtherImages)
        if (ext == other)
          throw Error("'" + path +
                      "': only PNG images are supported in an "
                      "imagefolder dataset");
    }
}

} // namespace

std::unique_ptr<InMemoryDataset> loadImageFolder(const std::string &root) {
  std::vector<std::string> classes = listDirectory(root).dirs;
  if (classes.empty())
    throw Error("imagefolder '" + root + "' has no class folders");
  std::vector<std::string> paths;
  std::vector<int64_t> labels;
  for (size_t c = 0; c < classes.size(); ++c) {
    size_t before = paths.size();
    collectImages(root + "/" + classes[c], paths);
    if (paths.size() == before)
      throw Error("imagefolder '" + root + "': class folder '" + classes[c] +
                  "' has no PNG files");
    labels.resize(paths.size(), int64_t(c));
  }
  std::vector<PngImage> images;
  images.reserve(paths.size());
  int channels = 1;
  for (size_t i = 0; i < paths.size(); ++i) {
    images.push_back(decodePng(readFile(paths[i]), paths[i]));
    const PngImage &img = images.back();
    if (img.width != images[0].width || img.height != images[0].height)
      throw Error("'" + paths[i] + "' is " + std::to_string(img.width) + "x" +
                  std::to_string(img.height) + " but '" + paths[0] + "' is " +
                  std::to_string(images[0].width) + "x" +
                  std::to_string(images[0].height) +
                  ": all images of a dataset must have one size");
    if (img.channels >= 3)
      channels = 3;
  }
  const int64_t h = images[0].height, w = images[0].width, plane = h * w;
  std::vector<uint8_t> chw(paths.size() * size_t(channels * plane));
  for (size_t i = 0; i < images.size(); ++i) {
    const PngImage &img = images[i];
    uint8_t *dst = chw.data() + i * size_t(channels * plane);
    // Gray (+alpha) fills every output channel; alpha is never copied.
    int colorChannels = img.channels >= 3 ? 3 : 1;
    for (int c = 0; c < channels; ++c) {
      int src = colorChannels == 1 ? 0 : c;
      for (int64_t p = 0; p < plane; ++p)
        dst[c * plane + p] = img.pixels[size_t(p * img.channels + src)];
    }
    std::vector<uint8_t>().swap(images[i].pixels);
  }
  return std::make_unique<InMemoryDataset>(
      std::array<int64_t, 3>{channels, h, w}, std::move(chw), std::move(labels),
      std::move(classes));
}

} // namespace nncc
