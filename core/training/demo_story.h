#pragma once
/// The demo workspace's ready story (issue 15): what a first-time presenter steps through
/// without bookmarking anything. One home for the GUI (after the demo runs finished) and the
/// CLI (`reco story demo`).

#include <string>
#include <vector>

#include "core/storage/story_store.h"
#include "core/storage/workspace.h"

namespace reco {

/// The bookmarks of the demo story on split `splitName` of the first dataset that has one with
/// at least two finished runs, in story order (nothing is written):
///  1. the comparison of every finished run of the split at K = 10 on ndcg@10, baseline the
///     popularity run ("pop") when there is one, else the first run;
///  2. the most active customer: of the users with test pairs in the split, the one with the
///     most interactions (ties: the first by index);
///  3. a customer with a short history: of those users, the one with the fewest interactions
///     among those with at least 3 (ties: the first by index);
///  4. the most popular product (most interactions, ties: the first by index), on its
///     "Nearest items" tab.
/// Customers and the product are shown with up to three runs, the non-popularity ones first
/// (a popularity list is the same for everyone and has no nearest items).
/// Empty when there is no such split or fewer than two finished runs on it.
std::vector<storage::Bookmark> demoStory(storage::Workspace& workspace,
                                         const std::string& splitName = "demo-holdout");

/// Appends demoStory() to the workspace's story when the story is empty; returns how many
/// bookmarks were added (0: the story was not empty, or there is nothing to show yet). The
/// caller has called Workspace::prepareForWriting.
int addDemoStoryIfEmpty(storage::Workspace& workspace,
                        const std::string& splitName = "demo-holdout");

}  // namespace reco
