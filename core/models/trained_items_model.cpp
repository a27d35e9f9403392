#include "core/models/trained_items_model.h"

#include <algorithm>
#include <cstring>
#include <istream>
#include <limits>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/train_observer.h"

namespace reco {
namespace {

constexpr char kMagic[4] = {'R', 'T', 'I', 'M'};
constexpr float kNever = -std::numeric_limits<float>::infinity();

// Between the inner model and the caller's observer: the validation monitor measures in the
// dataset's item indices, so it must see the wrapper, not the inner model it would get.
class OuterView final : public TrainObserver {
 public:
  OuterView(const Recommender& outer, TrainObserver& next) : outer_(outer), next_(next) {}
  void onProgress(const Progress& progress) override { next_.onProgress(progress); }
  void onMessage(const std::string& message) override { next_.onMessage(message); }
  void onEpoch(const EpochReport& report) override { next_.onEpoch(report); }
  bool wantsValidation() const override { return next_.wantsValidation(); }
  std::optional<double> validate(const Recommender&, int epoch) override {
    return next_.validate(outer_, epoch);
  }
  bool stopEarly() const override { return next_.stopEarly(); }

 private:
  const Recommender& outer_;
  TrainObserver& next_;
};

CsrMatrix remapColumns(const CsrMatrix& m, const std::vector<std::int32_t>& innerIndex,
                       std::int32_t cols, bool dropUnknown) {
  std::vector<std::int64_t> start(std::size_t(m.rows()) + 1, 0);
  std::vector<std::int32_t> index;
  std::vector<float> values;
  index.reserve(std::size_t(m.nnz()));
  values.reserve(std::size_t(m.nnz()));
  for (std::int32_t r = 0; r < m.rows(); ++r) {
    const auto rowCols = m.rowCols(r);
    const auto rowValues = m.rowValues(r);
    for (std::size_t k = 0; k < rowCols.size(); ++k) {
      const std::int32_t to = innerIndex[std::size_t(rowCols[k])];
      if (to < 0) {
        RECO_CHECK(dropUnknown, ErrorKind::Internal,
                   "item " + std::to_string(rowCols[k]) + " has a training pair but is not kept");
        continue;
      }
      index.push_back(to);
      values.push_back(rowValues[k]);
    }
    start[std::size_t(r) + 1] = std::int64_t(index.size());
  }
  return CsrMatrix::fromParts(m.rows(), cols, std::move(start), std::move(index),
                              std::move(values));
}

template <class T>
std::vector<T> pick(const std::vector<T>& all, const std::vector<std::int32_t>& items) {
  if (all.empty()) return {};
  std::vector<T> out;
  out.reserve(items.size());
  for (const auto i : items) out.push_back(all[std::size_t(i)]);
  return out;
}

}  // namespace

TrainingData compactItems(const TrainingData& data, const std::vector<std::int32_t>& items) {
  std::vector<std::int32_t> innerIndex(std::size_t(data.itemCount), -1);
  for (std::size_t k = 0; k < items.size(); ++k)
    innerIndex[std::size_t(items[k])] = std::int32_t(k);
  const auto cols = std::int32_t(items.size());
  TrainingData out;
  out.userCount = data.userCount;
  out.itemCount = cols;
  // The map is monotone, so columns stay ascending within each row.
  out.userItems = remapColumns(data.userItems, innerIndex, cols, false);
  out.itemUsers = out.userItems.transposed();
  out.hasRatings = data.hasRatings;
  out.ratings = data.ratings;
  out.userSequence = remapColumns(data.userSequence, innerIndex, cols, false);
  out.validation = remapColumns(data.validation, innerIndex, cols, true);
  out.itemCategory = pick(data.itemCategory, items);
  out.categoryNames = data.categoryNames;
  out.itemTitles = pick(data.itemTitles, items);
  out.itemPrices = pick(data.itemPrices, items);
  out.seed = data.seed;
  return out;
}

TrainedItemsModel::TrainedItemsModel(std::unique_ptr<Recommender> inner)
    : inner_(std::move(inner)) {
  RECO_CHECK(inner_ != nullptr, ErrorKind::Internal, "TrainedItemsModel needs a model");
}

std::size_t TrainedItemsModel::itemCount() const {
  return allLearned() ? inner_->itemCount() : std::size_t(itemCount_);
}

std::size_t TrainedItemsModel::learnedItemCount() const {
  return allLearned() ? inner_->itemCount() : learned_.size();
}

Outcome TrainedItemsModel::fit(const TrainingData& data, TrainObserver* observer,
                               std::stop_token stop) {
  learned_.clear();
  innerIndex_.clear();
  translating_ = false;
  itemCount_ = data.itemCount;
  coldUsers_.clear();
  bestsellers_.clear();
  for (std::int32_t u = 0; u < data.userCount; ++u)
    if (data.userItems.rowSize(u) == 0) coldUsers_.push_back(u);
  if (!coldUsers_.empty()) {
    bestsellers_.resize(std::size_t(data.itemCount));
    for (std::int32_t i = 0; i < data.itemCount; ++i) {
      const auto buyers = data.itemUsers.rowSize(i);
      bestsellers_[std::size_t(i)] = buyers > 0 ? float(buyers) : kNever;
    }
    note(observer, std::to_string(coldUsers_.size()) +
                       " users have no training interaction: they get the bestseller list");
  }
  std::vector<std::int32_t> learned;
  for (std::int32_t i = 0; i < data.itemCount; ++i)
    if (data.itemUsers.rowSize(i) > 0) learned.push_back(i);
  std::optional<OuterView> view;
  if (observer) view.emplace(*this, *observer);
  TrainObserver* through = observer ? &*view : nullptr;
  if (learned.size() == std::size_t(data.itemCount)) return inner_->fit(data, through, stop);

  innerIndex_.assign(std::size_t(data.itemCount), -1);
  for (std::size_t k = 0; k < learned.size(); ++k)
    innerIndex_[std::size_t(learned[k])] = std::int32_t(k);
  const TrainingData compact = compactItems(data, learned);
  learned_ = std::move(learned);
  translating_ = true;
  note(observer, std::string(modelName()) + " learns the " + std::to_string(learned_.size()) +
                     " of " + std::to_string(data.itemCount) +
                     " items with a training interaction; the others are never recommended");
  return inner_->fit(compact, through, stop);
}

std::vector<ItemIndex> TrainedItemsModel::toInner(std::span<const ItemIndex> items) const {
  std::vector<ItemIndex> out;
  out.reserve(items.size());
  for (const ItemIndex item : items) {
    if (item.value < 0 || item.value >= itemCount_) continue;
    const std::int32_t to = innerIndex_[std::size_t(item.value)];
    if (to >= 0) out.push_back(ItemIndex{to});
  }
  return out;
}

void TrainedItemsModel::scatterRows(std::span<float> out) const {
  const std::size_t m = learned_.size(), n = std::size_t(itemCount_);
  const std::size_t rows = out.size() / n;
  // The learned items in runs of consecutive indices (a few: most items are bought), each
  // moved with one memmove. O(m) to find, once per call.
  struct Run {
    std::size_t inner, outer, length;
  };
  std::vector<Run> runs;
  for (std::size_t k = 0; k < m; ++k) {
    const auto item = std::size_t(learned_[k]);
    if (!runs.empty() && runs.back().outer + runs.back().length == item)
      ++runs.back().length;
    else
      runs.push_back({k, item, 1});
  }
  // Backwards, rows and runs alike: row r's learned item k goes from r*m + k to
  // r*n + learned_[k], which is never below it (learned_ ascends from learned_[k] >= k),
  // so every write lands at or above the values it moves and above every value still
  // unread; memmove copes with a run that overlaps itself.
  for (std::size_t r = rows; r-- > 0;) {
    float* row = out.data() + r * n;
    const float* from = out.data() + r * m;
    std::size_t next = n;  // the first target position already written
    for (std::size_t j = runs.size(); j-- > 0;) {
      const Run& run = runs[j];
      std::fill(row + run.outer + run.length, row + next, kNever);
      std::memmove(row + run.outer, from + run.inner, run.length * sizeof(float));
      next = run.outer;
    }
    std::fill(row, row + next, kNever);
  }
}

void TrainedItemsModel::requireItem(ItemIndex item) const {
  RECO_CHECK(item.value >= 0 && std::size_t(item.value) < itemCount(), ErrorKind::Internal,
             "item index " + std::to_string(item.value) + " out of range [0, " +
                 std::to_string(itemCount()) + ")");
}

Explanation TrainedItemsModel::neverLearned(ItemIndex item) const {
  requireItem(item);
  Explanation explanation;
  explanation.score = kNever;
  explanation.reason = "nobody bought it in the training part: " + std::string(modelName()) +
                       " cannot score it and never recommends it";
  return explanation;
}

bool TrainedItemsModel::isCold(UserIndex user) const {
  return std::binary_search(coldUsers_.begin(), coldUsers_.end(), user.value);
}

void TrainedItemsModel::fillCold(std::span<const UserIndex> users, std::span<float> out) const {
  if (coldUsers_.empty()) return;
  const std::size_t n = bestsellers_.size();
  for (std::size_t r = 0; r < users.size(); ++r)
    if (isCold(users[r])) std::copy(bestsellers_.begin(), bestsellers_.end(), out.begin() + r * n);
}

void TrainedItemsModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  if (allLearned()) {
    inner_->score(users, out);
  } else {
    RECO_CHECK(out.size() == users.size() * std::size_t(itemCount_), ErrorKind::Internal,
               "score() needs users x items floats");
    // The inner model writes its compact rows into the front of `out`; they are spread out
    // in place, with no second buffer (at 256 users x 100k items one would be 100 MB, and
    // allocating and zeroing it per block cost more than scoring).
    inner_->score(users, out.first(users.size() * learned_.size()));
    scatterRows(out);
  }
  fillCold(users, out);
}

void TrainedItemsModel::scoreHistory(std::span<const ItemIndex> history,
                                     std::span<float> out) const {
  if (allLearned()) return inner_->scoreHistory(history, out);
  RECO_CHECK(out.size() == std::size_t(itemCount_), ErrorKind::Internal,
             "scoreHistory() needs one float per item");
  inner_->scoreHistory(toInner(history), out.first(learned_.size()));
  scatterRows(out);
}

Explanation TrainedItemsModel::explainHistory(std::span<const ItemIndex> history,
                                              ItemIndex item) const {
  if (allLearned()) return inner_->explainHistory(history, item);
  requireItem(item);
  const std::int32_t to = innerIndex_[std::size_t(item.value)];
  if (to < 0) return neverLearned(item);
  Explanation explanation = inner_->explainHistory(toInner(history), ItemIndex{to});
  for (auto& c : explanation.because) c.item = ItemIndex{learned_[std::size_t(c.item.value)]};
  return explanation;
}

Explanation TrainedItemsModel::explain(UserIndex user, ItemIndex item,
                                       std::span<const ItemIndex> history) const {
  if (!coldUsers_.empty() && isCold(user)) {
    requireItem(item);
    Explanation explanation;
    explanation.score = bestsellers_[std::size_t(item.value)];
    explanation.reason = "no purchase in training: a bestseller (" +
                         std::to_string(std::int64_t(std::max(0.0, explanation.score))) +
                         " buyers)";
    return explanation;
  }
  if (allLearned()) return inner_->explain(user, item, history);
  requireItem(item);
  const std::int32_t to = innerIndex_[std::size_t(item.value)];
  if (to < 0) return neverLearned(item);
  Explanation explanation = inner_->explain(user, ItemIndex{to}, toInner(history));
  for (auto& c : explanation.because) c.item = ItemIndex{learned_[std::size_t(c.item.value)]};
  return explanation;
}

std::vector<ScoredItem> TrainedItemsModel::similarItems(ItemIndex item, std::size_t n) const {
  if (allLearned()) return inner_->similarItems(item, n);
  requireItem(item);
  const std::int32_t to = innerIndex_[std::size_t(item.value)];
  if (to < 0) return {};
  auto similar = inner_->similarItems(ItemIndex{to}, n);
  for (auto& s : similar) s.item = ItemIndex{learned_[std::size_t(s.item.value)]};
  return similar;
}

std::size_t TrainedItemsModel::itemEmbeddings(std::vector<float>& out) const {
  if (allLearned()) return inner_->itemEmbeddings(out);
  std::vector<float> inner;
  const std::size_t dim = inner_->itemEmbeddings(inner);
  out.assign(std::size_t(itemCount_) * dim, 0.0f);
  for (std::size_t k = 0; k < learned_.size(); ++k)
    std::copy_n(inner.data() + k * dim, dim, out.data() + std::size_t(learned_[k]) * dim);
  return dim;
}

void TrainedItemsModel::itemSimilarities(std::span<const ItemIndex> rows,
                                         std::span<const ItemIndex> columns,
                                         std::span<float> out) const {
  if (allLearned()) return inner_->itemSimilarities(rows, columns, out);
  RECO_CHECK(out.size() == rows.size() * columns.size(), ErrorKind::Internal,
             "itemSimilarities() needs rows x columns floats");
  // Positions of the learned rows and columns, asked of the inner model in one call.
  std::vector<std::size_t> rowAt, columnAt;
  std::vector<ItemIndex> innerRows, innerColumns;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    requireItem(rows[r]);
    if (const auto to = innerIndex_[std::size_t(rows[r].value)]; to >= 0) {
      rowAt.push_back(r);
      innerRows.push_back(ItemIndex{to});
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    requireItem(columns[c]);
    if (const auto to = innerIndex_[std::size_t(columns[c].value)]; to >= 0) {
      columnAt.push_back(c);
      innerColumns.push_back(ItemIndex{to});
    }
  }
  std::fill(out.begin(), out.end(), 0.0f);
  if (innerRows.empty() || innerColumns.empty()) return;
  std::vector<float> inner(innerRows.size() * innerColumns.size());
  inner_->itemSimilarities(innerRows, innerColumns, inner);
  for (std::size_t r = 0; r < rowAt.size(); ++r)
    for (std::size_t c = 0; c < columnAt.size(); ++c)
      out[rowAt[r] * columns.size() + columnAt[c]] = inner[r * innerColumns.size() + c];
}

std::size_t TrainedItemsModel::userEmbeddings(std::vector<float>& out) const {
  return inner_->userEmbeddings(out);
}

void TrainedItemsModel::rankColdOnHost(DeviceRanking& block) const {
  if (coldUsers_.empty()) return;
  for (std::size_t u = 0; u < block.users.size(); ++u) {
    if (!isCold(block.users[u])) continue;
    std::vector<ItemIndex> exclude;
    for (auto k = block.excludeStart[u]; k < block.excludeStart[u + 1]; ++k)
      exclude.push_back(ItemIndex{block.exclude[std::size_t(k)]});
    const auto r0 = std::size_t(block.relevantStart[u]),
               r1 = std::size_t(block.relevantStart[u + 1]);
    const auto top = selectTopN(bestsellers_, exclude, block.n);
    std::copy(top.begin(), top.end(), block.top.begin() + std::ptrdiff_t(u * block.n));
    std::vector<char> skip(bestsellers_.size(), 0);
    for (const auto item : exclude) skip[std::size_t(item.value)] = 1;
    for (std::size_t k = r0; k < r1; ++k) skip[std::size_t(block.relevant[k])] = 1;
    for (std::size_t k = r0; k < r1; ++k) {
      const float mine = bestsellers_[std::size_t(block.relevant[k])];
      std::int64_t below = 0, ties = 0;
      for (std::size_t i = 0; i < bestsellers_.size(); ++i) {
        if (skip[i]) continue;
        below += bestsellers_[i] < mine;
        ties += bestsellers_[i] == mine;
      }
      block.below[k] = below;
      block.ties[k] = ties;
    }
  }
}

bool TrainedItemsModel::rankOnDevice(DeviceRanking& block) const {
  if (!rankLearnedOnDevice(block)) return false;
  rankColdOnHost(block);
  return true;
}

bool TrainedItemsModel::rankLearnedOnDevice(DeviceRanking& block) const {
  if (allLearned()) return inner_->rankOnDevice(block);
  if (!(inner_->capabilities() & kRanksOnDevice)) return false;
  const std::size_t users = block.users.size(), n = block.n;
  // The block in inner indices: each user's excluded and relevant items that were learned.
  std::vector<std::int64_t> excludeStart{0}, relevantStart{0};
  std::vector<std::int32_t> exclude, relevant;
  std::vector<char> mark(std::size_t(itemCount_), 0);  // 1 excluded, 2 relevant
  std::vector<std::int64_t> unlearnedNegatives(users, 0);
  for (std::size_t u = 0; u < users; ++u) {
    const auto e0 = std::size_t(block.excludeStart[u]), e1 = std::size_t(block.excludeStart[u + 1]);
    const auto r0 = std::size_t(block.relevantStart[u]),
               r1 = std::size_t(block.relevantStart[u + 1]);
    std::int64_t unlearnedMarked = 0;
    for (std::size_t k = e0; k < e1; ++k) {
      const auto item = std::size_t(block.exclude[k]);
      if (mark[item]) continue;
      mark[item] = 1;
      if (innerIndex_[item] >= 0)
        exclude.push_back(innerIndex_[item]);
      else
        ++unlearnedMarked;
    }
    for (std::size_t k = r0; k < r1; ++k) {
      const auto item = std::size_t(block.relevant[k]);
      if (innerIndex_[item] >= 0) relevant.push_back(innerIndex_[item]);
      if (mark[item] == 0 && innerIndex_[item] < 0) ++unlearnedMarked;
      if (mark[item] == 0) mark[item] = 2;
    }
    unlearnedNegatives[u] =
        std::int64_t(itemCount_) - std::int64_t(learned_.size()) - unlearnedMarked;
    for (std::size_t k = e0; k < e1; ++k) mark[std::size_t(block.exclude[k])] = 0;
    for (std::size_t k = r0; k < r1; ++k) mark[std::size_t(block.relevant[k])] = 0;
    excludeStart.push_back(std::int64_t(exclude.size()));
    relevantStart.push_back(std::int64_t(relevant.size()));
  }
  std::vector<ScoredItem> top(users * n);
  std::vector<std::int64_t> below(relevant.size()), ties(relevant.size());
  DeviceRanking inner;
  inner.users = block.users;
  inner.excludeStart = excludeStart;
  inner.exclude = exclude;
  inner.relevantStart = relevantStart;
  inner.relevant = relevant;
  inner.n = n;
  inner.top = top;
  inner.below = below;
  inner.ties = ties;
  if (!inner_->rankOnDevice(inner)) return false;

  for (std::size_t u = 0; u < users; ++u) {
    // Learned candidates first (the inner model's order), then the never-learned items that
    // are not excluded, by index, at -infinity.
    const auto e0 = std::size_t(block.excludeStart[u]), e1 = std::size_t(block.excludeStart[u + 1]);
    const std::int64_t learnedCandidates =
        std::int64_t(learned_.size()) - (excludeStart[u + 1] - excludeStart[u]);
    const std::size_t fromInner =
        std::min(n, std::size_t(std::max<std::int64_t>(0, learnedCandidates)));
    ScoredItem* out = block.top.data() + u * n;
    for (std::size_t k = 0; k < fromInner; ++k) {
      out[k] = top[u * n + k];
      out[k].item = ItemIndex{learned_[std::size_t(out[k].item.value)]};
    }
    std::size_t filled = fromInner;
    if (filled < n) {
      for (std::size_t k = e0; k < e1; ++k) mark[std::size_t(block.exclude[k])] = 1;
      for (std::int32_t i = 0; i < itemCount_ && filled < n; ++i)
        if (innerIndex_[std::size_t(i)] < 0 && !mark[std::size_t(i)])
          out[filled++] = ScoredItem{ItemIndex{i}, kNever};
      for (std::size_t k = e0; k < e1; ++k) mark[std::size_t(block.exclude[k])] = 0;
    }
    // AUC's counts: a learned relevant item beats every never-learned negative; a
    // never-learned one ties with them and beats nothing.
    std::size_t next = std::size_t(relevantStart[u]);
    for (std::size_t k = std::size_t(block.relevantStart[u]);
         k < std::size_t(block.relevantStart[u + 1]); ++k) {
      const auto item = std::size_t(block.relevant[k]);
      if (innerIndex_[item] >= 0) {
        block.below[k] = below[next] + unlearnedNegatives[u];
        block.ties[k] = ties[next];
        ++next;
      } else {
        block.below[k] = 0;
        block.ties[k] = unlearnedNegatives[u];
      }
    }
  }
  return true;
}

void TrainedItemsModel::save(std::ostream& out) const {
  // Nothing of its own to say: the inner model's file, as it was before this wrapper.
  if (!allLearned() || !coldUsers_.empty()) {
    out.write(kMagic, sizeof kMagic);
    binary::write<std::uint32_t>(out, 1);  // format version
    binary::write<std::int32_t>(out, std::int32_t(itemCount()));
    binary::writeVector(out, learned_);  // empty: every item learned
    binary::writeVector(out, coldUsers_);
    binary::writeVector(out, bestsellers_);
  }
  inner_->save(out);
}

void TrainedItemsModel::load(std::istream& in) {
  const auto start = in.tellg();
  char magic[sizeof kMagic] = {};
  in.read(magic, sizeof magic);
  learned_.clear();
  innerIndex_.clear();
  translating_ = false;
  itemCount_ = 0;
  coldUsers_.clear();
  bestsellers_.clear();
  if (!in || std::memcmp(magic, kMagic, sizeof kMagic) != 0) {
    in.clear();
    in.seekg(start);
    inner_->load(in);
    itemCount_ = std::int32_t(inner_->itemCount());
    return;
  }
  const auto version = binary::read<std::uint32_t>(in, "the learned items' format version");
  if (version != 1)
    throw Error(ErrorKind::Model, "model file lists its learned items in format version " +
                                      std::to_string(version) + ", this build reads version 1");
  const auto items = binary::read<std::int32_t>(in, "the item count");
  auto learned = binary::readVector<std::int32_t>(in, "the learned items");
  auto cold = binary::readVector<std::int32_t>(in, "the users without training interactions");
  auto bestsellers = binary::readVector<float>(in, "the bestseller list");
  if (learned.empty() && items >= 0) {  // every item learned
    learned.resize(std::size_t(items));
    for (std::int32_t i = 0; i < items; ++i) learned[std::size_t(i)] = i;
  }
  if (!(cold.empty() ? bestsellers.empty() : bestsellers.size() == std::size_t(items)) ||
      !std::is_sorted(cold.begin(), cold.end()) || (!cold.empty() && cold.front() < 0))
    throw Error(ErrorKind::Model, "model file is corrupt: " + std::to_string(cold.size()) +
                                      " users without history, a bestseller list of " +
                                      std::to_string(bestsellers.size()) + " items for " +
                                      std::to_string(items));
  if (items < 0 || learned.size() > std::size_t(items))
    throw Error(ErrorKind::Model, "model file is corrupt: " + std::to_string(learned.size()) +
                                      " learned items of " + std::to_string(items));
  std::vector<std::int32_t> innerIndex(std::size_t(items), -1);
  for (std::size_t k = 0; k < learned.size(); ++k) {
    const std::int32_t i = learned[k];
    if (i < 0 || i >= items || (k > 0 && i <= learned[k - 1]))
      throw Error(ErrorKind::Model, "model file is corrupt: learned item " + std::to_string(i) +
                                        " at position " + std::to_string(k) +
                                        " (expected ascending indices below " +
                                        std::to_string(items) + ")");
    innerIndex[std::size_t(i)] = std::int32_t(k);
  }
  inner_->load(in);
  if (inner_->itemCount() != learned.size())
    throw Error(ErrorKind::Model,
                "model file is corrupt: it lists " + std::to_string(learned.size()) +
                    " learned items, the model holds " + std::to_string(inner_->itemCount()));
  itemCount_ = items;
  if (!cold.empty() && std::size_t(cold.back()) >= inner_->userCount())
    throw Error(ErrorKind::Model, "model file is corrupt: user " + std::to_string(cold.back()) +
                                      " without history, of " +
                                      std::to_string(inner_->userCount()) + " users");
  coldUsers_ = std::move(cold);
  bestsellers_ = std::move(bestsellers);
  if (learned.size() == std::size_t(items)) return;  // nothing to translate
  learned_ = std::move(learned);
  innerIndex_ = std::move(innerIndex);
  translating_ = true;
}

}  // namespace reco
