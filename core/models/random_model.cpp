#include "core/models/random_model.h"

#include <istream>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/classic_support.h"
#include "core/models/train_observer.h"

namespace reco {

const OptionTable<RandomOptions>& RandomOptions::table() {
  static const OptionTable<RandomOptions> table{};
  return table;
}

namespace {

constexpr std::uint32_t kFormatVersion = 1;
// The stream of ad-hoc histories: far above any user index.
constexpr std::uint64_t kFoldInStream = ~std::uint64_t{0} >> 1;

}  // namespace

Outcome RandomModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  fitted_ = false;
  if (stop.stop_requested()) return Outcome::Stopped;
  checkTrainingData(data);
  seed_ = data.seed;
  users_ = std::size_t(data.userCount);
  items_ = std::size_t(data.itemCount);
  fitted_ = true;
  report(observer, Progress{"random scores", 1, 1});
  return Outcome::Completed;
}

void RandomModel::fillRow(std::uint64_t stream, float* row) const {
  Random random = Random(seed_).split(stream);
  for (std::size_t i = 0; i < items_; ++i) row[i] = float(random.next() >> 40) * 0x1.0p-24f;
}

void RandomModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(modelName(), fitted_, users, users_, items_, out.size());
  for (std::size_t r = 0; r < users.size(); ++r)
    fillRow(std::uint64_t(users[r].value), out.data() + r * items_);
}

void RandomModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'random' must be trained or loaded before scoring");
  RECO_CHECK(out.size() == items_, ErrorKind::Internal,
             "scoreHistory(): expected " + std::to_string(items_) + " floats, found " +
                 std::to_string(out.size()));
  for (ItemIndex item : history) checkItem(item, items_);
  fillRow(kFoldInStream, out.data());
}

void RandomModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'random' must be trained before saving");
  binary::writeHeader(out, "random", kFormatVersion);
  binary::write<std::uint64_t>(out, seed_);
  binary::write<std::uint64_t>(out, users_);
  binary::write<std::uint64_t>(out, items_);
  RECO_CHECK(static_cast<bool>(out), ErrorKind::Io, "could not write the random model");
}

void RandomModel::load(std::istream& in) {
  fitted_ = false;
  binary::checkHeader(in, "random", kFormatVersion);
  const auto seed = binary::read<std::uint64_t>(in, "the seed");
  const auto users = binary::read<std::uint64_t>(in, "the user count");
  const auto items = binary::read<std::uint64_t>(in, "the item count");
  RECO_CHECK(users < (1ull << 31) && items < (1ull << 31), ErrorKind::Model,
             "model file is corrupt: " + std::to_string(users) + " users x " +
                 std::to_string(items) + " items");
  seed_ = seed;
  users_ = std::size_t(users);
  items_ = std::size_t(items);
  fitted_ = true;
}

}  // namespace reco
