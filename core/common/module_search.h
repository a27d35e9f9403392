#pragma once
/// Finding and loading the optional run-time modules (shared libraries opened with dlopen:
/// the deep models' reco_torch, the report's reco_pdf). Both are searched for the same way,
/// so that an installed tree (bin/ beside lib/) and the build tree both work.

#include <string>
#include <vector>

namespace reco {

/// The files to try, in order, for a module called `fileName`: only the file named by the
/// environment variable `overrideVariable` when it is set and not empty; otherwise the folder
/// of the running executable, its ../lib, then `buildFolder` (the build's library folder;
/// may be empty). The same file reached through different spellings ("bin/../lib") is listed
/// once.
std::vector<std::string> moduleCandidates(const char* overrideVariable, const std::string& fileName,
                                          const std::string& buildFolder);

/// The dynamic loader's last error (dlerror), or a generic phrase when it has none.
std::string dynamicLoaderError();

}  // namespace reco
