#include "app/cli/workspace_writing.h"

#include <cstdio>

#include "core/storage/workspace.h"

namespace reco::cli {

void prepareForWriting(storage::Workspace& workspace, const CommandContext& context) {
  const std::string path = workspace.path();
  workspace.prepareForWriting(
      [path](double waited) {
        std::fprintf(
            stderr,
            "reco: waiting for %s: another process is writing to it (%.0f s; Ctrl-C stops)\n",
            path.c_str(), waited);
      },
      context.stop);
}

}  // namespace reco::cli
