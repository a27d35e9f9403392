#pragma once
/// The first step of every `reco` command that writes to the workspace (import, split,
/// train, tune, runs --delete, gen-synthetic --name): Workspace::prepareForWriting, with a
/// line on stderr while another process holds the lock. A damaged or read-only workspace
/// fails here (exit 4), before any work is done; Ctrl-C ends the wait.

#include "app/cli/command.h"

namespace reco::storage {
class Workspace;
}

namespace reco::cli {

void prepareForWriting(storage::Workspace& workspace, const CommandContext& context);

}  // namespace reco::cli
