#include "core/common/module_search.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace reco {
namespace {

namespace fs = std::filesystem;

std::string executableFolder() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::string normalised(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  return (ec ? path.lexically_normal() : canonical).string();
}

}  // namespace

std::vector<std::string> moduleCandidates(const char* overrideVariable, const std::string& fileName,
                                          const std::string& buildFolder) {
  if (const char* file = std::getenv(overrideVariable); file != nullptr && *file != '\0') {
    return {file};
  }
  std::vector<fs::path> folders;
  if (std::string exeFolder = executableFolder(); !exeFolder.empty()) {
    folders.emplace_back(exeFolder);
    folders.emplace_back(fs::path(exeFolder) / ".." / "lib");
  }
  if (!buildFolder.empty()) folders.emplace_back(buildFolder);
  std::vector<std::string> candidates;
  for (const auto& folder : folders) {
    std::string file = normalised(folder / fileName);
    bool seen = false;
    for (const auto& known : candidates) seen = seen || known == file;
    if (!seen) candidates.push_back(std::move(file));
  }
  return candidates;
}

std::string dynamicLoaderError() {
  const char* message = dlerror();
  return message ? message : "unknown dynamic loader error";
}

}  // namespace reco
