#include "core/io/spooled_input.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/common/error.h"

namespace reco::io {

namespace fs = std::filesystem;

namespace {
// How often a stream's copy looks at the free space left on its disk (first after as much:
// a small stream never looks, whatever the disk).
constexpr std::uintmax_t kSpaceCheckEvery = std::uintmax_t(64) << 20;
}  // namespace

SpooledInput::SpooledInput(const std::string& path, std::uintmax_t keepFree)
    : path_(path), source_(path) {
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
  bool first = true;
  std::uintmax_t copied = 0, nextSpaceCheck = kSpaceCheckEvery;
  while (!failed) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), in);
    // An endless binary stream (/dev/zero, /dev/urandom) would be copied until the disk is
    // full: a NUL byte in the first 64 KiB of a stream that is not gzip's is refused at once,
    // as TextReader refuses it there (its binary probe) when the copy is read.
    if (first && got > 0 && !(got >= 2 && buffer[0] == '\x1f' && buffer[1] == '\x8b')) {
      const char* nul = static_cast<const char*>(
          std::memchr(buffer.data(), 0, std::min<std::size_t>(got, std::size_t(64) << 10)));
      if (nul) {
        const auto head = std::string_view(buffer.data(), std::size_t(nul - buffer.data()));
        const auto lineStart = head.rfind('\n');
        const std::size_t column =
            head.size() - (lineStart == std::string_view::npos ? 0 : lineStart + 1) + 1;
        if (out) std::fclose(out);
        if (!standardInput) std::fclose(in);
        std::error_code ec;
        fs::remove_all(folder_, ec);
        folder_.clear();
        throw Error(ErrorKind::Data,
                    source_ + ":" + std::to_string(std::count(head.begin(), head.end(), '\n') + 1) +
                        ":" + std::to_string(column) +
                        ": binary data: byte 0x00 where text was expected; is this a compressed "
                        "or binary file?");
      }
    }
    first = false;
    if (got > 0 && std::fwrite(buffer.data(), 1, got, out) != got) failed = true;
    copied += got;
    // An endless text stream (`yes | reco import -`) would fill the disk that the workspace
    // and everything else may share: stop while a reserve is left.
    if (!failed && copied >= nextSpaceCheck) {
      nextSpaceCheck = copied + kSpaceCheckEvery;
      std::error_code ec;
      const fs::space_info space = fs::space(folder_, ec);
      if (!ec && space.available < keepFree) {
        std::fclose(out);
        if (!standardInput) std::fclose(in);
        fs::remove_all(folder_, ec);
        folder_.clear();
        throw Error(ErrorKind::Io,
                    "cannot copy " + source_ + " to " + fs::path(pattern).parent_path().string() +
                        ": after " + std::to_string(copied >> 20) + " MiB the disk has only " +
                        std::to_string(space.available >> 20) +
                        " MiB left; stopped to keep it from filling (import a file, or set "
                        "TMPDIR to a bigger disk)");
      }
    }
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
