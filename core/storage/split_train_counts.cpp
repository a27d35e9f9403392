#include "core/storage/split_train_counts.h"

#include <cstring>
#include <string>
#include <string_view>

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/dataset_shape.h"

namespace reco::storage {

void storeSplitTrainCounts(Database& db, SplitId split, const std::vector<std::int32_t>& counts) {
  Statement insert(db,
                   "INSERT OR REPLACE INTO split_train_counts(split_id, counts) VALUES (?1, ?2)");
  insert.bind(1, split)
      .bindBlob(2, std::string_view(reinterpret_cast<const char*>(counts.data()),
                                    counts.size() * sizeof(std::int32_t)))
      .run();
}

std::vector<std::int32_t> splitTrainCounts(Workspace& workspace, const SplitInfo& split) {
  requireSplitDataset(workspace, split);
  const std::int64_t users = datasetShape(workspace, split.datasetId).users;
  {
    Statement st(workspace.db(), "SELECT counts FROM split_train_counts WHERE split_id = ?1");
    st.bind(1, split.id);
    if (st.step()) {
      const std::string_view bytes = st.columnBytes(0);
      if (std::int64_t(bytes.size()) != users * std::int64_t(sizeof(std::int32_t)))
        throw Error(ErrorKind::Workspace,
                    "split '" + split.name + "' is damaged: its training counts cover " +
                        std::to_string(bytes.size() / sizeof(std::int32_t)) +
                        " users, expected the dataset's " + std::to_string(users));
      std::vector<std::int32_t> counts(std::size_t(users), 0);
      if (!counts.empty()) std::memcpy(counts.data(), bytes.data(), bytes.size());
      return counts;
    }
  }
  // Drawn before schema 8: the counts from the split itself, kept for the next time.
  const LoadedSplit loaded = loadSplit(workspace, split, split.options.seed);
  std::vector<std::int32_t> counts(std::size_t(users), 0);
  for (std::int32_t u = 0; u < loaded.train->userItems.rows() && u < users; ++u)
    counts[std::size_t(u)] = std::int32_t(loaded.train->userItems.rowSize(u));
  // Kept only to spare the next comparison the rebuild: a comparison must not fail over it,
  // so a workspace that cannot be written now (read-only, or another process writing for
  // longer than the busy wait) goes without, and the next comparison tries again.
  if (workspace.db().isReadOnly()) return counts;
  try {
    Transaction tx(workspace.db());
    storeSplitTrainCounts(workspace.db(), split.id, counts);
    tx.commit();
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::Sqlite && error.kind() != ErrorKind::Workspace) throw;
  }
  return counts;
}

}  // namespace reco::storage
