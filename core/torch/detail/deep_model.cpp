#include "core/torch/detail/deep_model.h"

#include <algorithm>
#include <cstring>
#include <istream>
#include <limits>
#include <ostream>
#include <sstream>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/utils.h>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/classic_support.h"
#include "core/models/factor_scoring.h"

namespace reco::deep {
namespace {

constexpr std::uint32_t kFormatVersion = 1;
// The activations one scoring block may hold (64 MiB of floats): bounds device memory.
constexpr std::int64_t kScoringFloats = std::int64_t(1) << 24;

// The first line of a c10::Error (the rest is a C++ stack trace).
std::string firstLine(const std::exception& e) {
  const std::string text = e.what();
  return text.substr(0, text.find('\n'));
}

std::string describeSizes(const std::vector<std::int64_t>& sizes) {
  std::string text = "[";
  for (std::size_t d = 0; d < sizes.size(); ++d) text += (d ? ", " : "") + std::to_string(sizes[d]);
  return text + "]";
}

// One scoring block: the user id of each row and the request index that row serves (-1:
// a padding row).
struct ScoringBlock {
  std::vector<std::int64_t> ids, request;
};

// Places the requested users into blocks of `block` rows so that user u always sits at row
// u % block. A BLAS's result for a row depends on the row's position in the product
// (OpenBLAS's kernels treat alternate column tiles differently), never on the other rows'
// values; so with a fixed position and fixed shapes, a user's scores are the same bit for
// bit whichever users are scored with it. Users that want the same row go to later blocks;
// padding rows repeat a user of their block. Dense runs of users fill every row.
std::vector<ScoringBlock> planBlocks(std::span<const UserIndex> users, std::int64_t block) {
  std::vector<ScoringBlock> blocks;
  std::vector<std::size_t> used(static_cast<std::size_t>(block), 0);  // blocks that hold each row
  for (std::size_t r = 0; r < users.size(); ++r) {
    const auto row = std::size_t(users[r].value % block);
    const std::size_t at = used[row]++;
    if (at == blocks.size())
      blocks.push_back({std::vector<std::int64_t>(std::size_t(block), -1),
                        std::vector<std::int64_t>(std::size_t(block), -1)});
    blocks[at].ids[row] = users[r].value;
    blocks[at].request[row] = std::int64_t(r);
  }
  for (ScoringBlock& b : blocks) {
    const std::int64_t filler =
        *std::find_if(b.ids.begin(), b.ids.end(), [](std::int64_t id) { return id >= 0; });
    for (std::int64_t& id : b.ids)
      if (id < 0) id = filler;
  }
  return blocks;
}

}  // namespace

DeepModel::DeepModel(std::string name, TrainerOptions trainer, ComputeOptions compute)
    : name_(std::move(name)),
      trainer_(std::move(trainer)),
      compute_(compute),
      device_(resolveDevice(compute, name_)) {
  trainer_.validate(name_);
}

NetShape DeepModel::shapeOf(const TrainingData& data) const {
  return {data.userCount, data.itemCount, {}};
}

int DeepModel::train(PairNet& net, const TrainingData& data, const EpochHooks& hooks,
                     TrainObserver* observer, std::stop_token stop, bool* stopped) {
  return trainPairs(net, data, trainer_, device_, name_, hooks, observer, stop, stopped);
}

Outcome DeepModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  fitted_ = false;
  checkTrainingData(data);
  if (stop.stop_requested()) return Outcome::Stopped;
  applyThreads(compute_);
  // Same seed and threads, same parameters and draws: a reproducible run on the CPU.
  torch::manual_seed(data.seed);
  shape_ = shapeOf(data);
  std::shared_ptr<PairNet> net;
  try {
    net = makeNet(shape_, &data);
  } catch (const c10::Error& e) {
    throw Error(ErrorKind::Config, name_ + ": cannot build the network for " +
                                       std::to_string(shape_.users) + " users and " +
                                       std::to_string(shape_.items) + " items: " + firstLine(e));
  }
  checkMemory(estimateMemory(*net, trainer_), trainer_, device_, name_);
  net->to(device_);
  net_ = std::move(net);
  bool stopped = false;
  const EpochHooks hooks{[this] { becomeScorable(); }, this};
  const int epochs = train(*net_, data, hooks, observer, stop, &stopped);
  if (epochs == 0) return Outcome::Stopped;
  becomeScorable();
  return stopped ? Outcome::Stopped : Outcome::Completed;
}

void DeepModel::becomeScorable() {
  torch::NoGradGuard noGrad;
  net_->eval();
  net_->prepareScoring();
  const torch::Tensor vectors = net_->itemVectors().to(torch::kCPU, torch::kFloat).contiguous();
  dim_ = std::size_t(vectors.size(1));
  // Users per scoring block: about kScoringFloats activations per block, 1 to 128 users.
  const std::int64_t perUser = std::max<std::int64_t>(1, net_->scoringFloatsPerUser(shape_.items));
  scoreBlock_ = std::clamp<std::int64_t>(kScoringFloats / perUser, 1, 128);
  itemVectors_.assign(vectors.data_ptr<float>(), vectors.data_ptr<float>() + vectors.numel());
  {
    const std::lock_guard lock(historyMutex_);
    lastHistory_.clear();
    lastRow_.clear();
  }
  fitted_ = true;
}

void DeepModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(name_, fitted_, users, userCount(), itemCount(), out.size());
  torch::NoGradGuard noGrad;
  const std::size_t items = itemCount();
  const auto longOptions = torch::TensorOptions().dtype(torch::kLong);
  for (ScoringBlock& block : planBlocks(users, scoreBlock_)) {
    const torch::Tensor idTensor =
        torch::from_blob(block.ids.data(), {scoreBlock_}, longOptions).to(device_);
    const torch::Tensor rows =
        net_->scoreUsers(idTensor, shape_.items).to(torch::kCPU, torch::kFloat).contiguous();
    RECO_CHECK(std::size_t(rows.numel()) == block.ids.size() * items, ErrorKind::Internal,
               name_ + ": a score block has the wrong size");
    for (std::size_t row = 0; row < block.request.size(); ++row) {
      if (block.request[row] < 0) continue;
      std::memcpy(out.data() + std::size_t(block.request[row]) * items,
                  rows.data_ptr<float>() + row * items, items * sizeof(float));
    }
  }
}

void DeepModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(name_) + " must be trained or loaded before scoring");
  RECO_CHECK(out.size() == itemCount(), ErrorKind::Internal,
             name_ + ": scoreHistory() expected " + std::to_string(itemCount()) +
                 " floats, found " + std::to_string(out.size()));
  for (const ItemIndex item : history) checkItem(item, itemCount());
  {
    const std::lock_guard lock(historyMutex_);
    if (lastRow_.size() == out.size() &&
        std::equal(history.begin(), history.end(), lastHistory_.begin(), lastHistory_.end())) {
      std::copy(lastRow_.begin(), lastRow_.end(), out.begin());
      return;
    }
  }
  scoreNewHistory(history, out);
  const std::lock_guard lock(historyMutex_);
  lastHistory_.assign(history.begin(), history.end());
  lastRow_.assign(out.begin(), out.end());
}

void DeepModel::copyRow(const torch::Tensor& row, std::span<float> out) const {
  const torch::Tensor values = row.to(torch::kCPU, torch::kFloat).contiguous();
  RECO_CHECK(std::size_t(values.numel()) == out.size(), ErrorKind::Internal,
             name_ + ": a history's score row has " + std::to_string(values.numel()) +
                 " values for " + std::to_string(out.size()) + " items");
  std::memcpy(out.data(), values.data_ptr<float>(), out.size() * sizeof(float));
}

bool DeepModel::rankOnDevice(DeviceRanking& request) const {
  checkScoreArgs(name_, fitted_, request.users, userCount(), itemCount(),
                 request.users.size() * itemCount());
  torch::NoGradGuard noGrad;
  const std::int64_t items = shape_.items;
  const auto n = std::int64_t(std::min<std::size_t>(request.n, std::size_t(items)));
  const auto longOptions = torch::TensorOptions().dtype(torch::kLong);
  const float lowest = -std::numeric_limits<float>::infinity();
  std::vector<std::int64_t> served, maskedCount, excluded, relevantFlat, relevantRow,
      relevantColumn, relevantOut;
  const auto upload = [&](std::vector<std::int64_t>& values) {
    return torch::from_blob(values.data(), {std::int64_t(values.size())}, longOptions).to(device_);
  };
  for (ScoringBlock& block : planBlocks(request.users, scoreBlock_)) {
    // The block's served rows, compacted: row j of the ranking below is block row served[j].
    served.clear();
    maskedCount.clear();
    excluded.clear();
    relevantFlat.clear();
    relevantRow.clear();
    relevantColumn.clear();
    relevantOut.clear();
    std::int64_t widest = 1;
    for (std::size_t row = 0; row < block.request.size(); ++row) {
      if (block.request[row] < 0) continue;
      const auto u = std::size_t(block.request[row]);
      const auto j = std::int64_t(served.size());
      served.push_back(std::int64_t(row));
      for (auto e = request.excludeStart[u]; e < request.excludeStart[u + 1]; ++e)
        excluded.push_back(j * items + request.exclude[std::size_t(e)]);
      const auto count = request.relevantStart[u + 1] - request.relevantStart[u];
      for (auto p = request.relevantStart[u]; p < request.relevantStart[u + 1]; ++p) {
        relevantFlat.push_back(j * items + request.relevant[std::size_t(p)]);
        relevantRow.push_back(j);
        relevantColumn.push_back(p - request.relevantStart[u]);
        relevantOut.push_back(p);
      }
      maskedCount.push_back((request.excludeStart[u + 1] - request.excludeStart[u]) + count);
      widest = std::max(widest, count);
    }
    const auto m = std::int64_t(served.size());
    const torch::Tensor idTensor =
        torch::from_blob(block.ids.data(), {scoreBlock_}, longOptions).to(device_);
    torch::Tensor scores =
        net_->scoreUsers(idTensor, items).to(torch::kFloat).index_select(0, upload(served));
    scores = torch::nan_to_num(scores, lowest);  // NaN ranks as -infinity (AucAccumulator's rule)
    // The top items: training items pushed to -infinity, a stable sort keeps ties by index.
    torch::Tensor candidates = scores.clone();
    if (!excluded.empty()) candidates.view({-1}).index_fill_(0, upload(excluded), lowest);
    const auto [sortedValues, sortedItems] =
        candidates.sort(/*stable=*/true, /*dim=*/1, /*descending=*/true);
    const torch::Tensor topItems = sortedItems.slice(1, 0, n).to(torch::kCPU).contiguous();
    const torch::Tensor topScores = sortedValues.slice(1, 0, n).to(torch::kCPU).contiguous();
    for (std::int64_t j = 0; j < m; ++j)
      for (std::int64_t i = 0; i < n; ++i) {
        const auto at = std::size_t(j * n + i);
        const auto u = std::size_t(block.request[std::size_t(served[std::size_t(j)])]);
        request.top[u * request.n + std::size_t(i)] = {
            ItemIndex{std::int32_t(topItems.data_ptr<std::int64_t>()[at])},
            topScores.data_ptr<float>()[at]};
      }
    if (relevantFlat.empty()) continue;
    // AUC's counts: each row's negatives sorted ascending (the masked items first, as
    // -infinity), each relevant score searched in its row.
    const torch::Tensor relevantIndex = upload(relevantFlat);
    candidates.view({-1}).index_fill_(0, relevantIndex, lowest);
    const torch::Tensor negatives = std::get<0>(candidates.sort(/*dim=*/1));
    const torch::Tensor positives =
        torch::full({m, widest}, std::numeric_limits<float>::infinity(), scores.options())
            .index_put_({upload(relevantRow), upload(relevantColumn)},
                        scores.view({-1}).index_select(0, relevantIndex));
    const torch::Tensor left =
        torch::searchsorted(negatives, positives, /*out_int32=*/false, /*right=*/false);
    const torch::Tensor right =
        torch::searchsorted(negatives, positives, /*out_int32=*/false, /*right=*/true);
    const torch::Tensor maskedTensor = upload(maskedCount).unsqueeze(1);
    // below = left - masked (0 for a -infinity score); ties = right - max(left, masked).
    const torch::Tensor below = (left - maskedTensor).clamp_min(0).to(torch::kCPU).contiguous();
    const torch::Tensor ties =
        (right - torch::maximum(left, maskedTensor)).to(torch::kCPU).contiguous();
    for (std::size_t p = 0; p < relevantRow.size(); ++p) {
      const auto at = std::size_t(relevantRow[p] * widest + relevantColumn[p]);
      const auto out = std::size_t(relevantOut[p]);
      request.below[out] = below.data_ptr<std::int64_t>()[at];
      request.ties[out] = ties.data_ptr<std::int64_t>()[at];
    }
  }
  return true;
}

std::vector<ScoredItem> DeepModel::similarItems(ItemIndex item, std::size_t n) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(name_) + " must be trained or loaded first");
  checkItem(item, itemCount());
  return factors::cosineNeighbours(itemVectors_, itemCount(), dim_, item, n);
}

Explanation DeepModel::explain(UserIndex user, ItemIndex item,
                               std::span<const ItemIndex> history) const {
  checkItem(item, itemCount());
  std::vector<float> row(itemCount());
  const UserIndex one[] = {user};
  score(one, row);
  Explanation explanation;
  explanation.score = row[std::size_t(item.value)];
  explanation.because =
      factors::shareByCosine(itemVectors_, dim_, item, history, explanation.score);
  explanation.reason = explanation.because.empty()
                           ? "the network scores it from your history as a whole"
                           : "similar to {item} you chose";
  return explanation;
}

Explanation DeepModel::explainHistory(std::span<const ItemIndex> history, ItemIndex item) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(name_) + " must be trained or loaded first");
  checkItem(item, itemCount());
  std::vector<float> row(itemCount());
  scoreHistory(history, row);
  std::vector<ItemIndex> distinct(history.begin(), history.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  Explanation explanation;
  explanation.score = row[std::size_t(item.value)];
  explanation.because =
      factors::shareByCosine(itemVectors_, dim_, item, distinct, explanation.score);
  explanation.reason = explanation.because.empty()
                           ? "the network scores it from the history as a whole"
                           : "similar to {item} in the history";
  return explanation;
}

std::size_t DeepModel::itemEmbeddings(std::vector<float>& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(name_) + " must be trained or loaded first");
  out = itemVectors_;
  return dim_;
}

void DeepModel::itemSimilarities(std::span<const ItemIndex> rows,
                                 std::span<const ItemIndex> columns, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(name_) + " must be trained or loaded first");
  factors::cosineSimilarities(itemVectors_, itemCount(), dim_, rows, columns, out);
}

void DeepModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, factors::quoted(name_) + " must be trained before saving");
  binary::writeHeader(out, name_, kFormatVersion);
  binary::write<std::int64_t>(out, shape_.users);
  binary::write<std::int64_t>(out, shape_.items);
  binary::writeVector(out, shape_.extra);
  std::ostringstream bytes;
  try {
    torch::serialize::OutputArchive archive;
    net_->save(archive);
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    throw Error(ErrorKind::Internal, name_ + ": could not serialise the network: " + firstLine(e));
  }
  binary::writeString(out, bytes.str());
  if (!out) throw Error(ErrorKind::Io, name_ + ": could not write the model");
}

void DeepModel::load(std::istream& in) {
  binary::checkHeader(in, name_, kFormatVersion);
  NetShape shape;
  shape.users = binary::read<std::int64_t>(in, "the user count");
  shape.items = binary::read<std::int64_t>(in, "the item count");
  shape.extra = binary::readVector<std::int64_t>(in, "the network's sizes", 64);
  if (shape.users < 0 || shape.items < 1 || shape.users > (std::int64_t(1) << 31) ||
      shape.items > (std::int64_t(1) << 31))
    throw Error(ErrorKind::Model, name_ + " model file is corrupt: " + std::to_string(shape.users) +
                                      " users and " + std::to_string(shape.items) + " items");
  // The parameters are LibTorch's own archive, read where they lie in the model file (the
  // archive reads its records at offsets): copying them out first cost their size again,
  // 440 MB at a million users.
  const auto archiveBytes = binary::read<std::uint64_t>(in, "the network's parameters");
  binary::requireBytes(in, archiveBytes, 1, "the network's parameters");
  const std::streamoff archiveStart = in.tellg();
  if (archiveStart < 0)
    throw Error(ErrorKind::Model, name_ + " model file cannot be read: its stream does not seek");
  const auto readArchive = [&](std::uint64_t at, void* out, std::size_t n) -> std::size_t {
    if (at >= archiveBytes) return 0;
    in.clear();
    in.seekg(archiveStart + std::streamoff(at));
    in.read(static_cast<char*>(out),
            std::streamsize(std::min<std::uint64_t>(n, archiveBytes - at)));
    return std::size_t(in.gcount());
  };
  const auto archiveSize = [&]() -> std::size_t { return std::size_t(archiveBytes); };
  std::shared_ptr<PairNet> net;
  try {
    net = makeNet(shape, nullptr);
    // Module::load replaces tensors whatever their shape: check each against the options.
    const auto expected = net->named_parameters();
    const auto expectedBuffers = net->named_buffers();
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> shapes;
    for (const auto& item : expected) shapes.emplace_back(item.key(), item.value().sizes().vec());
    for (const auto& item : expectedBuffers)
      shapes.emplace_back(item.key(), item.value().sizes().vec());
    torch::serialize::InputArchive archive;
    archive.load_from(readArchive, archiveSize, device_);
    net->load(archive);
    const auto loaded = net->named_parameters();
    const auto loadedBuffers = net->named_buffers();
    for (const auto& [key, sizes] : shapes) {
      const torch::Tensor* found = loaded.find(key);
      if (!found) found = loadedBuffers.find(key);
      if (found && found->sizes().vec() == sizes) continue;
      throw Error(ErrorKind::Model,
                  name_ + " model file does not match this model's options: its '" + key + "' is " +
                      (found ? describeSizes(found->sizes().vec()) : std::string("missing")) +
                      ", the options make " + describeSizes(sizes));
    }
  } catch (const c10::Error& e) {
    throw Error(ErrorKind::Model, name_ + " model file does not match this model's options (" +
                                      std::to_string(shape.users) + " users, " +
                                      std::to_string(shape.items) + " items): " + firstLine(e));
  }
  // Past the parameters, where a file that nests this model goes on (a re-ranked run's).
  in.clear();
  in.seekg(archiveStart + std::streamoff(archiveBytes));
  if (!in) throw Error(ErrorKind::Model, name_ + " model file ends inside its parameters");
  net->to(device_);
  fitted_ = false;
  shape_ = shape;
  net_ = std::move(net);
  becomeScorable();
}

std::string DeepModel::computeDevice() const {
  return device_.is_cuda()
             ? "cuda:" + std::to_string(device_.has_index() ? int(device_.index()) : 0)
             : std::string("cpu");
}

}  // namespace reco::deep
