#pragma once
/// `reco tune` as an equal-budget study over several models (--budget, --search, --study),
/// and the listing and showing of stored studies (--list, --show); command_tune.cpp calls
/// this when one of those options is given, and runs its --grid tuning of one model
/// otherwise.

#include "app/cli/args.h"
#include "app/cli/command.h"

namespace reco::cli {

/// The value options and flags the study mode reads (command_tune.cpp accepts them).
inline constexpr const char* kStudyValueOptions[] = {"budget", "search",      "study",
                                                     "show",   "grid-points", "startup-trials"};
inline constexpr const char* kStudyFlags[] = {"list"};

/// True when `args` ask for a study, a listing or a stored study rather than --grid tuning.
bool wantsStudy(const Args& args);
int runTuneStudy(CommandContext& context, const Args& args);

}  // namespace reco::cli
