#pragma once
/// Each user's number of training pairs on a split: what the activity segments of a
/// comparison need (eval/segments.h), kept with the split so that a comparison need not
/// rebuild the whole split for it. Rebuilding took 3 of the 4.6 s of comparing five runs
/// on ten million interactions.

#include <cstdint>
#include <vector>

#include "core/storage/split_store.h"

namespace reco::storage {

class Database;

/// The row sizes of loadSplit(split).train->userItems, indexed by user index (0 for a
/// user without training pairs). Read from the split's stored counts (schema 8, written
/// when the split is drawn); a split drawn before has them computed from loadSplit and
/// stored, in one transaction, where the workspace can be written now (else they are
/// computed again next time). Throws as loadSplit does (a dataset changed since the
/// split, a damaged workspace), and Workspace for stored counts of another length than the
/// dataset's users.
std::vector<std::int32_t> splitTrainCounts(Workspace& workspace, const SplitInfo& split);

/// Stores `counts` as the split's (replacing any): createSplit calls it inside its
/// transaction.
void storeSplitTrainCounts(Database& db, SplitId split, const std::vector<std::int32_t>& counts);

}  // namespace reco::storage
