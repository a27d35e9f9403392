#include "core/io/spooled_input.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "core/common/error.h"

namespace reco::io {

namespace fs = std::filesystem;

SpooledInput::SpooledInput(const std::string& path) : path_(path), source_(path) {
  const bool standardInput = path == "-";
  if (!standardInput) {
    std::error_code ec;
    const auto status = fs::status(path, ec);  // follows links: a loop is an error here
    if (ec) throw Error(ErrorKind::Io, "cannot open " + path + ": " + errorCodeText(ec));
    if (fs::is_regular_file(status) || fs::is_directory(status)) return;  // read in place
  } else {
    source_ = "standard input";
  }
  std::FILE* in = standardInput ? stdin : std::fopen(path.c_str(), "rb");
  if (!in) throw Error(ErrorKind::Io, "cannot open " + path + ": " + errnoText(errno));
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = (fs::path(tmp && *tmp ? tmp : "/tmp") / "reco-input-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (!::mkdtemp(name.data())) {
    const int err = errno;
    if (!standardInput) std::fclose(in);
    throw Error(ErrorKind::Io,
                "cannot copy " + source_ + " to a temporary folder: " + errnoText(err));
  }
  folder_ = name.data();
  path_ = (fs::path(folder_) /
           (standardInput ? std::string("stdin") : fs::path(path).filename().string()))
              .string();
  std::FILE* out = std::fopen(path_.c_str(), "wb");
  bool failed = !out;
  std::vector<char> buffer(1 << 20);
  while (!failed) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), in);
    if (got > 0 && std::fwrite(buffer.data(), 1, got, out) != got) failed = true;
    if (got < buffer.size()) {
      failed = failed || std::ferror(in);
      break;
    }
  }
  const int err = errno;
  if (out && std::fclose(out) != 0) failed = true;
  if (!standardInput) std::fclose(in);
  if (failed) {
    std::error_code ec;
    fs::remove_all(folder_, ec);
    throw Error(ErrorKind::Io, "cannot copy " + source_ + " to " + path_ +
                                   " (is the disk full?): " + errnoText(err));
  }
}

SpooledInput::~SpooledInput() {
  if (folder_.empty()) return;
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

}  // namespace reco::io
