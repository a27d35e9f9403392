#pragma once
/// What-if (issue 14): a stored run's list for an edited history, as the Users panel's
/// "Edit history" mode and `reco recommend --history` show it. The one home of the use case:
/// the CLI and the window both call whatIfList(), so they agree item for item.
///
/// How a run re-scores an edited history:
///  - a model with kCanFoldIn: Recommender::scoreHistory() over the edited history (exact for
///    pop, itemknn, ease, content; als and puresvd solve the user's vector; sasrec and hybrid
///    run a forward pass over it);
///  - any other model: it cannot; the list says so (`rescored` false, `note` says why) and
///    is empty, rather than silently showing the old list. Two histories need no fold-in:
///    a known user's unedited history (the stored list, method "stored") and an empty one
///    (the fallback's list, method "fallback"; without a fallback it cannot either);
///  - items the model has nothing to say about (fallback_chain.h: a score of exactly 0 or
///    NaN), and every item of an empty history that gives no signal at all, are ranked by the
///    fallback below every item with a signal, and marked (`fallback`, reason
///    "fallback: popular").
/// The list is compared with the list for the unedited history (the user's stored training
/// items, as storage::loadUserSplitParts reads them, or none for a new visitor): each item's
/// previous rank, and the items that left. For a known user that list is what the user sees
/// now (Recommender::recommend, with the fallback applied to its row); when the model's
/// foldInMethod() is "fold-in" and scoreHistory() over the stored history ranks the same top
/// n (exact models: pop, itemknn, ease, content), that row is used instead, so that an edit
/// compares fold-in with fold-in. For a deep model (a forward pass or a gradient fold-in)
/// an edit is compared with the same computation over the stored history in time order
/// (a gradient fold-in only approximates the trained user; the note says so). A request
/// whose history equals the stored one as a set gets the unedited (stored) list itself.
/// The edited history's items never appear in `items` (an item removed from it may).
/// Reasons come from Recommender::explainHistory() over the edited history.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"

namespace reco {

/// What ranks the items a model has nothing to say about.
struct WhatIfFallback {
  std::vector<float> scores;      ///< one per item of the run's model; empty: no fallback
  std::string label = "popular";  ///< the mark: "fallback: " + label
};

/// Popularity in a split's training part: distinct training users per item (what `pop`
/// fitted on the split scores), optionally counting only the last `windowDays` days of the
/// training part (0: all of it) and only items of `category` ("" : every category; other
/// items score 0).
struct PopularityFallbackOptions {
  int windowDays = 0;
  std::string category;
};
/// Reads the split's training pairs once (O(training interactions)); callers cache it per
/// split. `itemCount` is the run model's itemCount().
WhatIfFallback popularityFallback(storage::Workspace& workspace, const storage::SplitInfo& split,
                                  std::size_t itemCount,
                                  const PopularityFallbackOptions& options = {});

struct WhatIfRequest {
  /// The dataset user index whose history was edited (test marks and the comparison with
  /// the stored history); nullopt for a new visitor (compared with an empty history).
  std::optional<std::int32_t> user;
  std::vector<std::int32_t> history;  ///< dataset item indices, oldest first; may be empty
  std::size_t n = 10;
};

struct WhatIfItem {
  storage::ItemMeta meta;
  float score = 0;        ///< the model's score; 0 for a fallback item (it had nothing to say)
  bool inTest = false;    ///< in the user's held-out test part (false for a new visitor)
  bool fallback = false;  ///< ranked by the fallback: the model had nothing to say
  std::string reason;     ///< resolved (run_lists.h resolveReason), or "fallback: popular"
  int previousRank = 0;   ///< 1-based rank in the list for the unedited history; 0: new
};

struct WhatIfList {
  bool rescored = false;  ///< false: the run cannot score this history (items empty)
  /// Recommender::foldInMethod() ("fold-in", "forward pass", "gradient fold-in"); "stored"
  /// for an unedited history shown as the stored list; "fallback" for the fallback alone.
  std::string method;
  std::string note;               ///< why it cannot; or what the fallback filled ("7 of 10 ...")
  std::vector<WhatIfItem> items;  ///< best first
  std::vector<WhatIfItem> left;   ///< of the unedited list, not in `items`, by old rank
  double seconds = 0;             ///< scoring and ranking both lists (not explanations or metadata)
};

/// The run's top-`request.n` list for the edited history. Reads the workspace (the user's
/// split parts, item metadata) and calls only the model's const members. Returns an empty
/// list with rescored false when `stop` fires. Throws Config for an item or user that is
/// not in the model's data ("item index 1700 is not in the data run 'ease' was trained on").
WhatIfList whatIfList(storage::Workspace& workspace, const storage::RunInfo& run,
                      const LoadedModel& model, const storage::SplitInfo& split,
                      const WhatIfRequest& request, const WhatIfFallback& fallback,
                      std::stop_token stop = {});

}  // namespace reco
