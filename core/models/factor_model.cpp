#include "core/models/factor_model.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>
#include <string>
#include <utility>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/models/classic_support.h"
#include "core/models/factor_ranking.h"

namespace reco {

void FactorModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(modelName(), fitted_, users, users_, items_, out.size());
  std::vector<float> vectors(users.size() * k_);
  for (std::size_t u = 0; u < users.size(); ++u)
    std::copy_n(userRow(users[u]), k_, vectors.data() + u * k_);
  scorer_.score(vectors.data(), users.size(), out.data());
}

bool FactorModel::rankOnDevice(DeviceRanking& block) const {
  if (!(capabilities() & kRanksOnDevice)) return false;
  checkScoreArgs(modelName(), fitted_, block.users, users_, items_, block.users.size() * items_);
  std::vector<float> vectors(block.users.size() * k_);
  for (std::size_t u = 0; u < block.users.size(); ++u)
    std::copy_n(userRow(block.users[u]), k_, vectors.data() + u * k_);
  factors::rankFused(scorer_, vectors, block);
  return true;
}

std::vector<ScoredItem> FactorModel::similarItems(ItemIndex item, std::size_t n) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(modelName()) + " must be trained or loaded first");
  return factors::cosineNeighbours(itemFactors_, items_, k_, item, n);
}

std::size_t FactorModel::itemEmbeddings(std::vector<float>& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(modelName()) + " must be trained or loaded first");
  out = itemFactors_;
  return k_;
}

void FactorModel::itemSimilarities(std::span<const ItemIndex> rows,
                                   std::span<const ItemIndex> columns, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(modelName()) + " must be trained or loaded first");
  factors::cosineSimilarities(itemFactors_, items_, k_, rows, columns, out);
}

std::size_t FactorModel::userEmbeddings(std::vector<float>& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(modelName()) + " must be trained or loaded first");
  out = userFactors_;
  return k_;
}

void FactorModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(modelName()) + " must be trained before saving");
  binary::writeHeader(out, std::string(modelName()), formatVersion_);
  factors::writeFactors(out, users_, items_, k_, userFactors_, itemFactors_);
  saveRest(out);
}

void FactorModel::load(std::istream& in) {
  const std::string name(modelName());
  binary::checkHeader(in, name, formatVersion_);
  factors::FactorMatrices file = factors::readFactors(in, name);
  loadRest(in, file);
  users_ = file.users;
  items_ = file.items;
  k_ = file.k;
  userFactors_ = std::move(file.userFactors);
  itemFactors_ = std::move(file.itemFactors);
  markFitted();
}

void FactorModel::refreshScoring() {
  scorer_.reset(itemFactors_, items_, k_);
}

void FactorModel::saveRest(std::ostream&) const {}

void FactorModel::checkScoreHistoryArgs(std::span<const float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model,
             factors::quoted(modelName()) + " must be trained or loaded before scoring");
  RECO_CHECK(out.size() == items_, ErrorKind::Internal,
             "scoreHistory: out must hold itemCount() floats");
}

Explanation FactorModel::scoredExplanation(UserIndex user, ItemIndex item) const {
  checkItem(item, items_);
  std::vector<float> row(items_);
  const UserIndex one[] = {user};
  score(one, row);  // virtual: biasedmf adds its user biases
  Explanation explanation;
  explanation.score = row[std::size_t(item.value)];
  return explanation;
}

std::string FactorModel::describeFactorProducts(UserIndex user, ItemIndex item) const {
  return factors::describeFactorProducts(userRow(user), itemRow(item), k_);
}

}  // namespace reco
