#pragma once
/// Room for a model before it is fitted: a run whose model the workspace's disk cannot hold
/// is refused before training, not after minutes of it (issue 18). The estimate is an upper
/// bound of the model file (training/model_file.h) from the registry's
/// ModelInfo::storedBytes, the training part's shape and the dataset's ids; the check asks
/// the file system holding the workspace for its free space.

#include <cstdint>
#include <optional>
#include <string>

#include "core/models/registry.h"
#include "core/storage/workspace.h"

namespace reco {
struct TrainingData;
}

namespace reco::storage {

/// The items a model of `info` learns from `train`: those with at least one training
/// interaction for ItemScope::TrainedItems, else every item.
std::int64_t learnedItems(const ModelInfo& info, const TrainingData& train);

/// The bytes the ids of dataset `dataset` take in a model file's header: a length (8 bytes)
/// per user and item index, and every external id's UTF-8 bytes.
std::uint64_t idBytes(Workspace& workspace, DatasetId dataset);

/// At most how many bytes the model file of `info` with these (effective) options takes when
/// fitted on `train`, whose dataset's ids take `ids` bytes (idBytes): storedBytes(options,
/// users, learnedItems) plus what the models leave to this estimate, the rest of the file's
/// header (options, name, fixed fields), the training pairs (an index and a value each: ease,
/// itemknn and userknn keep the training matrix) and the learned items' map over the
/// catalogue (models/trained_items_model.h). std::nullopt when the model declares no
/// storedBytes (its size is no concern).
std::optional<std::uint64_t> modelFileBound(const ModelInfo& info, const OptionValues& options,
                                            const TrainingData& train, std::uint64_t ids);

/// Free bytes the disk holding a model of `modelBytes` must have: twice the model (it is
/// written to the WAL, then copied into the main file at the checkpoint) plus 64 MiB.
std::uint64_t roomNeededFor(std::uint64_t modelBytes);

/// Throws Error(Io) when the file system holding the file at `workspacePath` has less than
/// roomNeededFor(modelBytes) free: "the model would take about X GB to store, the disk
/// holding W has Y GB free: free some space or choose smaller options". `freeBytes` replaces
/// the file system's answer (tests); when the free space cannot be read, nothing is refused.
void requireRoomForModel(const std::string& workspacePath, std::uint64_t modelBytes,
                         std::optional<std::uint64_t> freeBytes = std::nullopt);

/// modelFileBound (with idBytes of `dataset`), then requireRoomForModel with the workspace's path:
/// what runExperiment and tune call before fitting. Nothing for a model without storedBytes.
void requireRoomToStore(Workspace& workspace, DatasetId dataset, const ModelInfo& info,
                        const OptionValues& options, const TrainingData& train);

}  // namespace reco::storage
