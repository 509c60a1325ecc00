//===- ReplayMain.cpp - runs a fuzz target over files, without libFuzzer --===//
//
// Links with one fuzz target's LLVMFuzzerTestOneInput so that a corpus can be
// replayed under any compiler's sanitizers (the ctest of scripts/sanitize.sh).
// Arguments are files or folders (every regular file inside, in name order).
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char **argv) {
  std::vector<fs::path> files;
  for (int k = 1; k < argc; ++k) {
    std::error_code ec;
    if (fs::is_directory(argv[k], ec)) {
      for (const fs::directory_entry &e :
           fs::recursive_directory_iterator(argv[k]))
        if (e.is_regular_file())
          files.push_back(e.path());
    } else if (fs::is_regular_file(argv[k], ec)) {
      files.push_back(argv[k]);
    } else {
      std::fprintf(stderr, "%s: not a file or folder\n", argv[k]);
      return 1;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "no input to replay\n");
    return 1;
  }
  for (const fs::path &file : files) {
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(),
                 bytes.size());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("replayed %zu inputs\n", files.size());
  return 0;
}
