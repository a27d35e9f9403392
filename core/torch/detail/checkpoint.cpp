#include "core/torch/detail/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/torch/detail/deep_trainer.h"

namespace reco::deep {
namespace {

constexpr std::uint32_t kVersion = 1;

std::string tag(std::string_view model) {
  return "checkpoint:" + std::string(model);
}

// What must match for the checkpoint's draws and updates to continue this run.
std::string trainerKey(const TrainerOptions& o) {
  std::ostringstream s;
  s << "loss=" << o.loss << " negatives=" << o.negatives << " batch_size=" << o.batchSize
    << " learning_rate=" << o.learningRate << " weight_decay=" << o.weightDecay;
  return s.str();
}

// Sizes, seed and an FNV-1a hash of the training pairs.
std::string dataKey(const TrainingData& data) {
  std::uint64_t hash = 1469598103934665603ull;
  const auto mix = [&hash](std::uint64_t v) {
    for (int b = 0; b < 8; ++b) {
      hash ^= (v >> (8 * b)) & 0xff;
      hash *= 1099511628211ull;
    }
  };
  for (const auto start : data.userItems.rowStart()) mix(std::uint64_t(start));
  for (const auto col : data.userItems.colIndex()) mix(std::uint64_t(col));
  char text[160];
  std::snprintf(text, sizeof text, "%d users, %d items, %lld pairs (hash %016llx), seed %llu",
                data.userCount, data.itemCount, static_cast<long long>(data.userItems.nnz()),
                static_cast<unsigned long long>(hash), static_cast<unsigned long long>(data.seed));
  return text;
}

template <class Archivable>
std::string archiveBytes(const Archivable& what) {
  torch::serialize::OutputArchive archive;
  what.save(archive);
  std::ostringstream bytes;
  archive.save_to(bytes);
  return bytes.str();
}

// Torch's default CPU generator (dropout on the CPU draws from it), saved so that a resumed
// run draws the same masks. CUDA's generator is not saved: runs on CUDA are not bit for bit
// reproducible anyway.
std::string generatorBytes() {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  torch::Tensor stateTensor;
  {
    const std::lock_guard lock(generator.mutex());
    stateTensor = generator.get_state();
  }
  torch::serialize::OutputArchive archive;
  archive.write("cpu_generator", stateTensor);
  std::ostringstream bytes;
  archive.save_to(bytes);
  return bytes.str();
}

void restoreGenerator(const std::string& bytes) {
  torch::serialize::InputArchive archive;
  archive.load_from(bytes.data(), bytes.size());
  torch::Tensor stateTensor;
  archive.read("cpu_generator", stateTensor);
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  const std::lock_guard lock(generator.mutex());
  generator.set_state(stateTensor);
}

}  // namespace

std::string checkpointPath(const std::string& dir, std::string_view model, int epoch) {
  return (std::filesystem::path(dir) /
          (std::string(model) + "-epoch-" + std::to_string(epoch) + ".ckpt"))
      .string();
}

std::string writeCheckpoint(const TrainerOptions& options, std::string_view model,
                            const TrainingData& data, int epoch, const TrainerState& state) {
  const std::string path = checkpointPath(options.checkpointDir, model, epoch);
  const std::string temporary = path + ".part";
  std::error_code ec;
  std::filesystem::create_directories(options.checkpointDir, ec);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
      throw Error(ErrorKind::Io,
                  "cannot write the checkpoint " + temporary + ": check checkpoint_dir");
    binary::writeHeader(out, tag(model), kVersion);
    binary::writeString(out, dataKey(data));
    binary::writeString(out, trainerKey(options));
    binary::write<std::int32_t>(out, epoch);
    binary::write(out, state.rng->state());
    std::vector<std::uint64_t> order(state.order->begin(), state.order->end());
    binary::writeVector(out, order);
    try {
      binary::writeString(out, archiveBytes(*state.net));
      binary::writeString(out, archiveBytes(*state.optimizer));
      binary::writeString(out, generatorBytes());
    } catch (const c10::Error& e) {
      throw Error(ErrorKind::Internal,
                  std::string(model) + ": could not serialise the checkpoint: " +
                      std::string(e.what()).substr(0, std::string(e.what()).find('\n')));
    }
    out.flush();
    if (!out)
      throw Error(ErrorKind::Io, "cannot write the checkpoint " + temporary + " (disk full?)");
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec)
    throw Error(ErrorKind::Io,
                "cannot rename " + temporary + " to " + path + ": " + errorCodeText(ec));
  return path;
}

int readCheckpoint(const std::string& path, const TrainerOptions& options, std::string_view model,
                   const TrainingData& data, torch::Device device, const TrainerState& state) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, "cannot open the checkpoint " + path + " (resume_from)");
  const auto mismatch = [&](const std::string& what, const std::string& found,
                            const std::string& expected) {
    throw Error(ErrorKind::Config, std::string(model) + ": the checkpoint " + path +
                                       " was written for " + what + " " + found +
                                       ", this run has " + expected);
  };
  try {
    binary::checkHeader(in, tag(model), kVersion);
  } catch (const Error& e) {
    throw Error(e.kind(), "the checkpoint " + path + " is not one of this model's: " + e.what());
  }
  const std::string dataFound = binary::readString(in, "the training data's fingerprint");
  if (dataFound != dataKey(data)) mismatch("training data of", dataFound, dataKey(data));
  const std::string trainerFound = binary::readString(in, "the trainer's options");
  if (trainerFound != trainerKey(options))
    mismatch("the options", trainerFound, trainerKey(options));
  const auto epoch = binary::read<std::int32_t>(in, "the completed epoch");
  const auto rngState = binary::read<Random::State>(in, "the random generator's state");
  const auto order =
      binary::readVector<std::uint64_t>(in, "the sample order", std::uint64_t(1) << 36);
  if (epoch < 1 || order.size() != state.order->size())
    throw Error(ErrorKind::Model, "the checkpoint " + path + " is damaged: epoch " +
                                      std::to_string(epoch) + ", " + std::to_string(order.size()) +
                                      " samples where this run has " +
                                      std::to_string(state.order->size()));
  const std::string netBytes = binary::readString(in, "the network's parameters");
  const std::string optimizerBytes = binary::readString(in, "the optimizer's state");
  const std::string generator = binary::readString(in, "torch's generator state");
  try {
    torch::serialize::InputArchive netArchive;
    netArchive.load_from(netBytes.data(), netBytes.size(), device);
    state.net->load(netArchive);
    torch::serialize::InputArchive optimizerArchive;
    optimizerArchive.load_from(optimizerBytes.data(), optimizerBytes.size(), device);
    state.optimizer->load(optimizerArchive);
    restoreGenerator(generator);
  } catch (const c10::Error& e) {
    throw Error(ErrorKind::Model,
                "the checkpoint " + path + " does not fit this model's network: " +
                    std::string(e.what()).substr(0, std::string(e.what()).find('\n')));
  }
  state.rng->setState(rngState);
  state.order->assign(order.begin(), order.end());
  return epoch;
}

}  // namespace reco::deep
