#include "core/torch/detail/deep_trainer.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/optim/adam.h>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/train_observer.h"
#include "core/torch/detail/checkpoint.h"

namespace reco::deep {
namespace {

[[noreturn]] void fail(std::string_view model, const std::string& message) {
  throw Error(ErrorKind::Config, std::string(model) + ": " + message);
}

std::string mib(std::uint64_t bytes) {
  if (bytes >= (std::uint64_t(1) << 30))
    return formatFixed(double(bytes) / double(1 << 30), 2) + " GiB";
  return formatFixed(double(bytes) / double(1 << 20), 1) + " MiB";
}

// MemAvailable of /proc/meminfo in bytes, or 0 when unknown.
std::uint64_t availableMemory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return 0;
}

// The total memory of CUDA device `device` in bytes, or 0 when unknown. Read through the
// driver API (libcuda.so.1, present wherever CUDA works), as module.cpp reads the device's
// name, so that this file needs no CUDA headers and builds against a CPU LibTorch too.
// cuMemGetInfo answers for the context current on this thread: a tensor on the device
// makes LibTorch's context current first.
std::uint64_t cudaTotalMemory(torch::Device device) {
  using MemGetInfoFunction = int (*)(std::size_t*, std::size_t*);
  (void)torch::empty({1}, torch::TensorOptions().device(device));
  void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (driver == nullptr) return 0;
  const auto memGetInfo = reinterpret_cast<MemGetInfoFunction>(dlsym(driver, "cuMemGetInfo_v2"));
  std::size_t free = 0, total = 0;
  // The driver stays loaded (LibTorch holds it too); no dlclose.
  if (memGetInfo == nullptr || memGetInfo(&free, &total) != 0) return 0;
  return total;
}

}  // namespace

const OptionTable<TrainerOptions>& TrainerOptions::table() {
  using O = TrainerOptions;
  static const OptionTable<O> table{
      choiceField("loss", &O::loss, {"bpr", "bce", "softmax"},
                  "bpr (pairwise), bce (binary cross-entropy) or softmax (sampled softmax over "
                  "the negatives)"),
      optionField("negatives", &O::negatives, 1, 10000,
                  "negatives sampled per positive pair (uniform, seeded)"),
      optionField("batch_size", &O::batchSize, 1, 1048576, "positive pairs per mini-batch"),
      optionField("epochs", &O::epochs, 1, 100000, "passes over the training pairs"),
      optionField("learning_rate", &O::learningRate, 1e-9, 10.0, "Adam step size"),
      optionField("weight_decay", &O::weightDecay, 0.0, 10.0, "Adam L2 penalty on all parameters"),
      optionField("max_memory_gb", &O::maxMemoryGb, 0.0, 1e6,
                  "refuse a run whose memory estimate is above this (0: the available memory "
                  "only)"),
      optionField("amp", &O::amp, "mixed precision (bfloat16) on CUDA; ignored on the CPU"),
      optionField("checkpoint_every", &O::checkpointEvery, 0, 100000,
                  "write a checkpoint every N epochs and after the last, to checkpoint_dir (0: "
                  "none)"),
      optionField("checkpoint_dir", &O::checkpointDir,
                  "folder for checkpoints: <model>-epoch-<N>.ckpt, each written whole or not at "
                  "all"),
      optionField("resume_from", &O::resumeFrom,
                  "a checkpoint file to go on from (same data, seed and trainer options; epochs "
                  "may be raised)"),
  };
  return table;
}

void TrainerOptions::validate(std::string_view model) const {
  const std::string problem = table().problem(*this);
  if (!problem.empty()) fail(model, problem);
  if (checkpointEvery > 0 && checkpointDir.empty())
    fail(model, "checkpoint_every = " + std::to_string(checkpointEvery) +
                    " needs checkpoint_dir, a folder to write them to");
}

std::vector<std::int64_t> parseLayers(std::string_view text, std::string_view model,
                                      std::string_view option) {
  std::vector<std::int64_t> layers;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find_first_of(",-", start), text.size());
    const std::string item(text.substr(start, end - start));
    std::size_t used = 0;
    long long width = 0;
    try {
      width = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || width < 1 || width > 4096) {
      fail(model, std::string(option) +
                      " expects widths in [1, 4096] separated by '-' (\"64-32-16\"; ',' too, "
                      "except on the command line), found '" +
                      std::string(text) + "'");
    }
    layers.push_back(width);
    start = end + 1;
  }
  return layers;
}

torch::Device resolveDevice(const ComputeOptions& compute, std::string_view model) {
  const bool cuda = torch::cuda::is_available();
  switch (compute.device) {
    case ComputeOptions::Device::Cpu: return torch::kCPU;
    case ComputeOptions::Device::Cuda:
      if (!cuda) {
        fail(model,
             "CUDA was requested but LibTorch reports no usable CUDA device (a CPU-only LibTorch, "
             "no GPU "
             "or no driver); use --device cpu or auto");
      }
      return torch::Device(torch::kCUDA, 0);
    case ComputeOptions::Device::Auto: break;
  }
  return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
}

void applyThreads(const ComputeOptions& compute) {
  const int threads = resolveThreads(compute.threads);
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
}

AutocastGuard::AutocastGuard(bool on) : on_(on) {
  if (!on_) return;
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
}

AutocastGuard::~AutocastGuard() {
  if (!on_) return;
  at::autocast::set_enabled(false);
  at::autocast::clear_cache();
}

torch::Tensor lossOf(const std::string& kind, const torch::Tensor& pos, const torch::Tensor& neg) {
  if (kind == "bpr") return -torch::log_sigmoid(pos.unsqueeze(1) - neg).mean();
  if (kind == "bce") {
    return (torch::softplus(-pos).sum() + torch::softplus(neg).sum()) /
           double(pos.numel() + neg.numel());
  }
  // Sampled softmax: the positive against its own negatives.
  return -torch::log_softmax(torch::cat({pos.unsqueeze(1), neg}, 1), 1).select(1, 0).mean();
}

int resumeIfAsked(const TrainerOptions& options, std::string_view model, const TrainingData& data,
                  torch::Device device, const TrainerState& state, TrainObserver* observer) {
  if (options.resumeFrom.empty()) return 0;
  const int completed = readCheckpoint(options.resumeFrom, options, model, data, device, state);
  note(observer, std::string(model) + ": resumed after epoch " + std::to_string(completed) +
                     " from " + options.resumeFrom);
  return completed;
}

void step(torch::optim::Optimizer& optimizer, const torch::Tensor& loss, torch::Tensor& lossSum,
          double weight) {
  loss.backward();
  optimizer.step();
  lossSum += loss.detach().to(torch::kDouble) * weight;
}

bool endEpoch(PairNet& net, const EpochHooks& hooks, TrainObserver* observer,
              const TrainerOptions& options, const TrainingData& data, const TrainerState& state,
              std::string_view model, int epoch, const torch::Tensor& lossSum, double samples,
              std::chrono::steady_clock::time_point start) {
  const int epochs = options.epochs;
  // Read once per epoch, so that CUDA is not synchronised every batch.
  const double epochLoss = lossSum.item<double>() / samples;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!std::isfinite(epochLoss)) {
    throw Error(ErrorKind::Model, std::string(model) + ": the training loss is " +
                                      (std::isnan(epochLoss) ? "NaN" : "infinite") + " at epoch " +
                                      std::to_string(epoch) + "; lower learning_rate");
  }
  net.eval();
  if (observer && observer->wantsValidation()) hooks.makeScorable();
  const bool stopEarly =
      finishEpoch(observer, *hooks.model, {epoch, epochs, epochLoss, std::nullopt, "", seconds});
  if (options.checkpointEvery > 0 &&
      (epoch % options.checkpointEvery == 0 || epoch == epochs || stopEarly))
    note(observer, std::string(model) + ": checkpoint " +
                       writeCheckpoint(options, model, data, epoch, state));
  net.train();
  return stopEarly;
}

torch::Tensor PairNet::scoreUsers(const torch::Tensor& users, std::int64_t items) {
  const torch::Tensor all = torch::arange(items, users.options());
  const std::int64_t b = users.size(0);
  return forward(users.repeat_interleave(items), all.repeat({b})).view({b, items});
}

MemoryEstimate estimateMemory(const PairNet& net, const TrainerOptions& options) {
  MemoryEstimate e;
  for (const auto& p : net.parameters())
    e.parameters += std::uint64_t(p.numel()) * p.element_size();
  for (const auto& b : net.buffers()) e.parameters += std::uint64_t(b.numel()) * b.element_size();
  e.gradients = e.parameters;
  e.optimizer = 2 * e.parameters;  // Adam's two moments
  const auto samples = std::uint64_t(net.samplesPerBatch(options));
  // Activations kept for backward and their gradients, in float, plus the batch's user
  // and item ids (int64, on the host and on the device).
  e.activations = samples * (std::uint64_t(net.activationsPerSample()) * sizeof(float) * 2 +
                             4 * sizeof(std::int64_t));
  return e;
}

void checkMemory(const MemoryEstimate& estimate, const TrainerOptions& options,
                 torch::Device device, std::string_view model) {
  const std::string sizes = "parameters " + mib(estimate.parameters) + ", gradients " +
                            mib(estimate.gradients) + ", Adam state " + mib(estimate.optimizer) +
                            ", one batch's activations " + mib(estimate.activations);
  const std::string need = "training needs about " + mib(estimate.total()) + " (" + sizes + ")";
  if (options.maxMemoryGb > 0 && double(estimate.total()) > options.maxMemoryGb * double(1 << 30)) {
    fail(model, need + ", above max_memory_gb = " + formatNumber(options.maxMemoryGb) +
                    "; lower factors, the layers or batch_size, or raise max_memory_gb");
  }
  if (device.is_cpu()) {
    const std::uint64_t available = availableMemory();
    if (available > 0 && estimate.total() > available) {
      fail(model, need + ", above the " + mib(available) +
                      " of memory available; lower factors, the layers or batch_size");
    }
  } else if (device.is_cuda()) {
    // Against the card's whole memory, not its free memory: LibTorch's cache keeps what an
    // earlier run of this process freed, and a run that fits once the cache is reused must
    // not be refused. What can never fit is refused before any allocation.
    const std::uint64_t total = cudaTotalMemory(device);
    if (total > 0 && estimate.total() > total) {
      fail(model, need + ", above the " + mib(total) +
                      " of memory on the GPU; lower factors, the layers or batch_size, "
                      "or train on the CPU (--device cpu)");
    }
  }
}

int trainPairs(PairNet& net, const TrainingData& data, const TrainerOptions& options,
               torch::Device device, std::string_view model, const EpochHooks& hooks,
               TrainObserver* observer, std::stop_token stop, bool* stopped) {
  using Clock = std::chrono::steady_clock;
  *stopped = false;
  const CsrMatrix& userItems = data.userItems;
  std::vector<std::int32_t> pairUser;
  pairUser.reserve(std::size_t(userItems.nnz()));
  for (std::int32_t u = 0; u < userItems.rows(); ++u)
    pairUser.insert(pairUser.end(), std::size_t(userItems.rowSize(u)), u);
  const std::vector<std::int32_t>& pairItem = userItems.colIndex();
  const std::size_t n = pairUser.size();
  if (n == 0 || data.itemCount < 2)
    fail(model, "the training part has no pairs (or fewer than 2 items) to learn from");
  if (options.amp && !device.is_cuda())
    note(observer, std::string(model) + ": amp is ignored on the CPU");
  const bool amp = options.amp && device.is_cuda();

  Random rng(data.seed);
  torch::optim::Adam optimizer(
      net.parameters(),
      torch::optim::AdamOptions(options.learningRate).weight_decay(options.weightDecay));
  const auto batch = std::size_t(options.batchSize);
  const auto k = std::size_t(options.negatives);
  const std::size_t batches = (n + batch - 1) / batch;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // One forward over [positives, negatives]: the first m entries of a batch are the
  // positives, then K negatives per positive in the positives' order. Batches are drawn
  // and copied to the device a chunk at a time (about 1M samples), not batch by batch: on
  // a GPU the per-batch copy and its synchronisation cost more than the batch's kernels.
  // The draws are in the same order either way.
  const std::size_t perBatch = std::min(batch, n) * (1 + k);
  const std::size_t chunkBatches = std::max<std::size_t>(1, (std::size_t(1) << 20) / perBatch);
  std::vector<std::int64_t> users(chunkBatches * perBatch), items(chunkBatches * perBatch);
  const auto itemCount = std::uint64_t(data.itemCount);
  const auto longOptions = torch::TensorOptions().dtype(torch::kLong);
  // Draws batch b into users/items from `at`; returns the batch's positive count.
  const auto drawBatch = [&](std::size_t b, std::size_t at) {
    const std::size_t first = b * batch, m = std::min(batch, n - first);
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t pair = order[first + j];
      const std::int32_t u = pairUser[pair];
      users[at + j] = u;
      items[at + j] = pairItem[pair];
      std::fill_n(users.begin() + std::ptrdiff_t(at + m + j * k), k, u);
      drawNegatives(rng, userItems.rowCols(u), itemCount, k, items.data() + at + m + j * k);
    }
    return m;
  };

  const TrainerState state{&net, &optimizer, &rng, &order};
  int completed = resumeIfAsked(options, model, data, device, state, observer);
  net.train();
  for (int epoch = completed + 1; epoch <= options.epochs; ++epoch) {
    const auto start = Clock::now();
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    const std::string stage = std::string(model) + " epoch " + std::to_string(epoch) + "/" +
                              std::to_string(options.epochs);
    torch::Tensor lossSum =
        torch::zeros({}, torch::TensorOptions().dtype(torch::kDouble).device(device));
    torch::Tensor userChunk, itemChunk;
    std::vector<std::size_t> chunkStart, chunkCount;  // each batch's place in the chunk
    for (std::size_t b = 0; b < batches; ++b) {
      if (stop.stop_requested()) {
        *stopped = true;
        net.eval();
        return completed;
      }
      const std::size_t inChunk = b % chunkBatches;
      if (inChunk == 0) {
        chunkStart.clear();
        chunkCount.clear();
        std::size_t at = 0;
        for (std::size_t c = b; c < std::min(batches, b + chunkBatches); ++c) {
          const std::size_t m = drawBatch(c, at);
          chunkStart.push_back(at);
          chunkCount.push_back(m);
          at += m * (1 + k);
        }
        userChunk = torch::from_blob(users.data(), {std::int64_t(at)}, longOptions).to(device);
        itemChunk = torch::from_blob(items.data(), {std::int64_t(at)}, longOptions).to(device);
      }
      const std::size_t m = chunkCount[inChunk];
      const auto from = std::int64_t(chunkStart[inChunk]), to = from + std::int64_t(m * (1 + k));
      const torch::Tensor userTensor = userChunk.slice(0, from, to);
      const torch::Tensor itemTensor = itemChunk.slice(0, from, to);
      optimizer.zero_grad();
      torch::Tensor scores;
      {
        AutocastGuard autocast(amp);
        scores = net.forward(userTensor, itemTensor);
      }
      scores = scores.to(torch::kFloat);
      const torch::Tensor loss =
          lossOf(options.loss, scores.slice(0, 0, std::int64_t(m)),
                 scores.slice(0, std::int64_t(m)).view({std::int64_t(m), std::int64_t(k)}));
      step(optimizer, loss, lossSum, double(m));
      report(observer, {stage, b + 1, batches});
    }
    ++completed;
    const bool stopEarly = endEpoch(net, hooks, observer, options, data, state, model, epoch,
                                    lossSum, double(n), start);
    if (stopEarly) break;
  }
  net.eval();
  return completed;
}

}  // namespace reco::deep
