#pragma once
/// Gradient fold-in (Recommender::scoreHistory) for the deep models whose user side is a free
/// vector that a new history has no value for: mlp's user vector, neumf's user embeddings,
/// hybrid's user id embedding. The vector starts from the training users' mean and takes a
/// few Adam steps on the model's own training loss, the history's items as positives against
/// seeded sampled negatives, everything on the item side (and every other weight) frozen.
/// Includes torch: only for core/torch/*.cpp.
///
/// Why so: the networks were trained with a free vector per user, so the one way to give a
/// new history a vector that means what the trained ones mean is to fit it the way they were
/// fitted, against the same frozen item side (the factor models' fold-in solves the same
/// problem in closed form). A fixed number of steps from the mean and a fixed seed make it
/// deterministic for a given history (and the same number of torch threads); the steps keep
/// it at a few milliseconds on ML-100K sizes.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/data/ids.h"

namespace reco::deep {

struct TrainerOptions;

struct FoldInOptions {
  std::string loss = "bce";  ///< the trainer's loss ("bpr" | "bce" | "softmax")
  int negatives = 4;         ///< per positive and step (fewer when the history is long)
  int steps = 30;            ///< Adam steps
  double learningRate = 0.02;
  std::uint64_t seed = 42;  ///< the negatives' draws: the same for every call
};

/// The trainer's loss and negatives with the model's own steps and step size. Each model
/// chose its pair on ML-100K (random 80/20, seed 42, default options): the one whose
/// fold-in of the training users' own histories gave top-10 lists closest to their stored
/// ones (the scale of the user vectors differs from model to model, and so does the step
/// that reaches them in a few dozen steps).
FoldInOptions foldInOptions(const TrainerOptions& trainer, int steps, double learningRate);

/// `offset` + `vectors` . `user` for `items`: the scores of a model linear in its user
/// vector (vectors [itemCount, d], offset [itemCount], user [d]). Gathers the items' rows,
/// or computes the whole row first when the items are many against the catalogue.
torch::Tensor linearScores(const torch::Tensor& user, const torch::Tensor& vectors,
                           const torch::Tensor& offset, const torch::Tensor& items);

/// The scores (logits, [n]) of the user vector `user` (1-D, requires grad) with `items`
/// (1-D int64, n of them). Must not read a tensor that requires grad other than `user`:
/// take the item side from cached tensors or detach() the parameters, so that no gradient
/// ever lands in the shared network (const members run concurrently).
using PairScores =
    std::function<torch::Tensor(const torch::Tensor& user, const torch::Tensor& items)>;

/// The folded-in user vector (detached, on start's device). `positives`: distinct items
/// (ascending) in [0, itemCount); none gives `start` unchanged (an empty history has nothing
/// to fit: the mean user). Gradients are computed here whatever the caller's grad mode.
torch::Tensor foldInUser(const torch::Tensor& start, std::span<const std::int32_t> positives,
                         std::int64_t itemCount, const FoldInOptions& options,
                         const PairScores& scoreOf);

/// The distinct items of `history`, ascending; throws Internal on one outside
/// [0, itemCount).
std::vector<std::int32_t> distinctHistory(std::span<const ItemIndex> history,
                                          std::size_t itemCount);

/// `items` as a 1-D int64 tensor on `device`.
torch::Tensor itemTensor(std::span<const std::int32_t> items, torch::Device device);

}  // namespace reco::deep
