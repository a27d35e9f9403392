#include "core/torch/detail/fold_in.h"

#include <algorithm>

#include <torch/optim/adam.h>

#include "core/common/random.h"
#include "core/models/classic_support.h"
#include "core/torch/detail/deep_trainer.h"

namespace reco::deep {
namespace {

// The negatives of one step at most: a long history gets fewer per positive, so a step
// stays a few hundred microseconds whatever the history.
constexpr std::size_t kMaxNegativesPerStep = 4096;

}  // namespace

FoldInOptions foldInOptions(const TrainerOptions& trainer, int steps, double learningRate) {
  FoldInOptions options;
  options.loss = trainer.loss;
  options.negatives = trainer.negatives;
  options.steps = steps;
  options.learningRate = learningRate;
  return options;
}

torch::Tensor linearScores(const torch::Tensor& user, const torch::Tensor& vectors,
                           const torch::Tensor& offset, const torch::Tensor& items) {
  if (4 * items.numel() >= vectors.size(0))
    return (torch::matmul(vectors, user) + offset).index_select(0, items);
  return torch::matmul(vectors.index_select(0, items), user) + offset.index_select(0, items);
}

torch::Tensor foldInUser(const torch::Tensor& start, std::span<const std::int32_t> positives,
                         std::int64_t itemCount, const FoldInOptions& options,
                         const PairScores& scoreOf) {
  if (positives.empty() || options.steps <= 0) return start.detach().clone();
  torch::AutoGradMode gradients(true);
  torch::Tensor user = start.detach().clone().requires_grad_(true);
  // A local optimizer over the local vector: nothing shared is written.
  torch::optim::Adam adam(std::vector<torch::Tensor>{user},
                          torch::optim::AdamOptions(options.learningRate));
  const auto m = positives.size();
  const std::size_t k = std::clamp<std::size_t>(kMaxNegativesPerStep / m, 1,
                                                std::size_t(std::max(1, options.negatives)));
  const torch::Device device = start.device();
  Random rng(options.seed);
  // One call per step: the positives, then each one's k negatives (redrawn every step).
  std::vector<std::int64_t> items(positives.begin(), positives.end());
  items.resize(m * (1 + k));
  const auto longOptions = torch::TensorOptions().dtype(torch::kLong);
  for (int s = 0; s < options.steps; ++s) {
    for (std::size_t p = 0; p < m; ++p)
      drawNegatives(rng, positives, std::uint64_t(itemCount), k, items.data() + m + p * k);
    const torch::Tensor scores =
        scoreOf(
            user,
            torch::from_blob(items.data(), {std::int64_t(items.size())}, longOptions).to(device))
            .to(torch::kFloat);
    const auto positiveCount = std::int64_t(m);
    const torch::Tensor loss =
        lossOf(options.loss, scores.slice(0, 0, positiveCount),
               scores.slice(0, positiveCount).view({positiveCount, std::int64_t(k)}));
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  return user.detach();
}

std::vector<std::int32_t> distinctHistory(std::span<const ItemIndex> history,
                                          std::size_t itemCount) {
  std::vector<std::int32_t> items;
  items.reserve(history.size());
  for (const ItemIndex item : history) {
    checkItem(item, itemCount);
    items.push_back(item.value);
  }
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

torch::Tensor itemTensor(std::span<const std::int32_t> items, torch::Device device) {
  std::vector<std::int64_t> values(items.begin(), items.end());
  return torch::tensor(at::ArrayRef<std::int64_t>(values),
                       torch::TensorOptions().dtype(torch::kLong))
      .to(device);
}

}  // namespace reco::deep
