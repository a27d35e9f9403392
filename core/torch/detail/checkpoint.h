#pragma once
/// Training checkpoints of the deep models: everything a trainer needs to go on exactly
/// where it stopped (the net's parameters and buffers, Adam's moments, the trainer's random
/// generator and sample order, the completed epoch), in one file written atomically (a
/// temporary file renamed over the name), so a crash mid-write never leaves a torn
/// checkpoint. Resuming on the CPU with the same seed and threads gives the same model, bit
/// for bit, as a run that never stopped. Includes torch: only for core/torch/*.cpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include "core/common/random.h"

namespace reco {
struct TrainingData;
}  // namespace reco

namespace reco::deep {

struct TrainerOptions;

/// The trainer's state that a checkpoint saves and restores. The net and the optimizer are
/// the trainer's own; `order` is its sample order (pairs or users), reshuffled each epoch.
struct TrainerState {
  torch::nn::Module* net = nullptr;
  torch::optim::Optimizer* optimizer = nullptr;
  Random* rng = nullptr;
  std::vector<std::size_t>* order = nullptr;
};

/// "<dir>/<model>-epoch-<N>.ckpt".
std::string checkpointPath(const std::string& dir, std::string_view model, int epoch);

/// Writes the state after `epoch` completed epochs to checkpointPath(options' dir). Throws
/// Io naming the file when it cannot be written. Returns the path written.
std::string writeCheckpoint(const TrainerOptions& options, std::string_view model,
                            const TrainingData& data, int epoch, const TrainerState& state);

/// Restores the state from `path` (options.resumeFrom) and returns the epochs it had
/// completed. Throws Config naming the file and the difference when the checkpoint belongs
/// to another model, other training data (sizes, pairs, seed) or other trainer options
/// (loss, negatives, batch size, step size, decay: all change the draws or the updates;
/// the epoch count may differ, to train on); Model when the file is not a checkpoint or
/// is damaged; Io when it cannot be read.
int readCheckpoint(const std::string& path, const TrainerOptions& options, std::string_view model,
                   const TrainingData& data, torch::Device device, const TrainerState& state);

}  // namespace reco::deep
