#include "core/storage/model_room.h"

#include <filesystem>
#include <system_error>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/data/training_data.h"
#include "core/storage/database.h"
#include "core/storage/dataset_shape.h"

namespace reco::storage {

namespace {

// "1.8 GB" above a gigabyte, else "340 MB" (decimal units, as disks are sold and df -H says).
std::string sizeText(std::uint64_t bytes) {
  if (bytes >= 1'000'000'000) return formatFixed(double(bytes) / 1e9, 1) + " GB";
  return formatFixed(double(bytes) / 1e6, 0) + " MB";
}

}  // namespace

std::int64_t learnedItems(const ModelInfo& info, const TrainingData& train) {
  if (info.itemScope != ModelInfo::ItemScope::TrainedItems) return train.itemCount;
  std::int64_t learned = 0;
  for (std::int32_t item = 0; item < train.itemUsers.rows(); ++item)
    if (train.itemUsers.rowSize(item) > 0) ++learned;
  return learned;
}

std::uint64_t idBytes(Workspace& workspace, DatasetId dataset) {
  const DatasetShape shape = datasetShape(workspace, dataset);
  std::uint64_t bytes = (std::uint64_t(shape.users) + std::uint64_t(shape.items)) * 8;
  for (const char* table : {"users", "items"}) {
    Statement ids(workspace.db(), std::string("SELECT coalesce(sum(length(CAST(external_id AS "
                                              "BLOB))), 0) FROM ") +
                                      table + " WHERE dataset_id = ?1");
    ids.bind(1, dataset);
    if (ids.step()) bytes += std::uint64_t(ids.columnInt(0));
  }
  return bytes;
}

std::optional<std::uint64_t> modelFileBound(const ModelInfo& info, const OptionValues& options,
                                            const TrainingData& train, std::uint64_t ids) {
  if (!info.storedBytes) return std::nullopt;
  const std::uint64_t model = info.storedBytes(options, train.userCount, learnedItems(info, train));
  // The header's fixed fields, name and options (a length and the text of each key and value).
  std::uint64_t header = 1024 + info.name.size();
  for (const auto& [key, value] : options) header += 16 + key.size() + value.size();
  // The training pairs (int32 index and float value) and a map from learned to dataset items
  // (at most an int64 per catalogue item).
  const std::uint64_t pairs = std::uint64_t(train.userItems.nnz()) * 8;
  const std::uint64_t itemMap = std::uint64_t(train.itemCount) * 8 + 64;
  return model + pairs + itemMap + header + ids;
}

std::uint64_t roomNeededFor(std::uint64_t modelBytes) {
  return 2 * modelBytes + (std::uint64_t(64) << 20);
}

void requireRoomForModel(const std::string& workspacePath, std::uint64_t modelBytes,
                         std::optional<std::uint64_t> freeBytes) {
  if (!freeBytes) {
    std::error_code ec;
    const auto space = std::filesystem::space(workspacePath, ec);
    if (ec) return;  // no answer (an odd file system): SQLite still reports a full disk
    freeBytes = space.available;
  }
  if (*freeBytes >= roomNeededFor(modelBytes)) return;
  throw Error(ErrorKind::Io,
              "the model would take about " + sizeText(modelBytes) +
                  " to store (twice that while it is written), and the disk holding " +
                  workspacePath + " has " + sizeText(*freeBytes) +
                  " free: free some space or choose smaller options (fewer items, factors or "
                  "neighbours). Nothing was trained.");
}

void requireRoomToStore(Workspace& workspace, DatasetId dataset, const ModelInfo& info,
                        const OptionValues& options, const TrainingData& train) {
  if (const auto bytes = modelFileBound(info, options, train, idBytes(workspace, dataset)))
    requireRoomForModel(workspace.path(), *bytes);
}

}  // namespace reco::storage
