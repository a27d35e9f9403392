#include "core/training/similarity_matrix.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <ostream>
#include <span>
#include <utility>

#include "core/common/csv_text.h"
#include "core/common/error.h"
#include "core/storage/item_counts.h"
#include "core/training/similarity_selection.h"

namespace reco {
namespace {

// Rows per itemSimilarities call: few enough calls that a model's per-call set-up (the
// default copies every item vector) stays small, and stop is still polled often.
constexpr std::size_t kRowsPerBlock = 64;
constexpr const char* kStage = "similarities";
// Values this close (relative) count as equal when deciding whether the matrix is symmetric.
constexpr double kSymmetryTolerance = 1e-6;

std::string optionText(const LoadedModel& model, const char* key) {
  const auto it = model.header.options.find(key);
  return it == model.header.options.end() ? "?" : it->second;
}

// What an item value means, in words, for the model that computes it.
std::string itemMeasure(const LoadedModel& model) {
  const Recommender& recommender = *model.model;
  const std::string name(recommender.modelName());
  if (name == "itemknn")
    return "itemknn " + optionText(model, "similarity") + " similarity (shrink " +
           optionText(model, "shrink") +
           (optionText(model, "short_history_shrink") == "auto"
                ? " plus 100 / the median pairs per user"
                : "") +
           "; each item keeps its top " + optionText(model, "k") + " neighbours, 0 outside them)";
  if (name == "ease")
    return "EASE weight B[column][row]: what choosing the row item adds to the column item's "
           "score (lambda " +
           optionText(model, "lambda") + ")";
  if (name == "content") return "cosine of the items' TF-IDF profiles (title words and category)";
  // Without the vectors' dimension: asking for it copies every vector (256 MB for a million
  // items x 64), which made a 1,000-item heatmap of such a model take most of a second.
  if (recommender.capabilities() & kHasItemEmbeddings) return "cosine of the item vectors";
  return name + " similarity, as its similar-items list scores it";
}

// Models whose item values may be negative by their definition, even where none is.
bool signedItemMeasure(const Recommender& model) {
  return model.modelName() == "ease" || (model.capabilities() & kHasItemEmbeddings);
}

std::optional<std::vector<float>> itemValues(const Recommender& model,
                                             const std::vector<SimilarityLabel>& labels,
                                             JobObserver* observer, std::stop_token stop) {
  const std::size_t n = labels.size();
  std::vector<ItemIndex> items;
  items.reserve(n);
  for (const SimilarityLabel& label : labels) items.push_back(ItemIndex{label.index});
  std::vector<float> values(n * n);
  report(observer, Progress{kStage, 0, n});
  // One call per block of rows against every column: no per-pair virtual calls.
  for (std::size_t begin = 0; begin < n; begin += kRowsPerBlock) {
    if (stop.stop_requested()) return std::nullopt;
    const std::size_t rows = std::min(kRowsPerBlock, n - begin);
    model.itemSimilarities(std::span<const ItemIndex>(items).subspan(begin, rows), items,
                           std::span<float>(values).subspan(begin * n, rows * n));
    report(observer, Progress{kStage, begin + rows, n});
  }
  return values;
}

// Cosine of the users' binary training histories: shared items / sqrt(|a| |b|), 0 when
// either is empty; 1 on the diagonal of a non-empty history.
std::optional<std::vector<float>> historyValues(storage::Workspace& workspace,
                                                const storage::SplitInfo& split,
                                                const std::vector<SimilarityLabel>& labels,
                                                JobObserver* observer, std::stop_token stop) {
  const std::size_t n = labels.size();
  std::vector<std::vector<std::int32_t>> histories(n);
  std::int32_t items = 0;
  report(observer, Progress{"training histories", 0, n});
  for (std::size_t r = 0; r < n; ++r) {
    if (stop.stop_requested()) return std::nullopt;
    const auto parts = storage::loadUserSplitParts(workspace, split, labels[r].index);
    auto& history = histories[r];
    history.reserve(parts.train.size());
    for (const ItemIndex item : parts.train) history.push_back(item.value);
    std::sort(history.begin(), history.end());
    history.erase(std::unique(history.begin(), history.end()), history.end());
    if (!history.empty()) items = std::max(items, history.back() + 1);
    if ((r + 1) % kRowsPerBlock == 0 || r + 1 == n)
      report(observer, Progress{"training histories", r + 1, n});
  }
  std::vector<float> values(n * n, 0.0f);
  // mark[i] == r: item i is in row r's history (rows only grow, so no reset is needed).
  std::vector<std::ptrdiff_t> mark(std::size_t(items), -1);
  report(observer, Progress{kStage, 0, n});
  for (std::size_t r = 0; r < n; ++r) {
    if (r % kRowsPerBlock == 0 && stop.stop_requested()) return std::nullopt;
    for (const std::int32_t item : histories[r]) mark[std::size_t(item)] = std::ptrdiff_t(r);
    const auto rowSize = double(histories[r].size());
    values[r * n + r] = histories[r].empty() ? 0.0f : 1.0f;
    for (std::size_t c = r + 1; c < n; ++c) {
      std::size_t shared = 0;
      for (const std::int32_t item : histories[c])
        shared += mark[std::size_t(item)] == std::ptrdiff_t(r) ? 1 : 0;
      const float value =
          shared == 0 ? 0.0f
                      : float(double(shared) / std::sqrt(rowSize * double(histories[c].size())));
      values[r * n + c] = value;
      values[c * n + r] = value;
    }
    if ((r + 1) % kRowsPerBlock == 0 || r + 1 == n) report(observer, Progress{kStage, r + 1, n});
  }
  return values;
}

// Cosine of the model's user vectors (double sums), 0 where either vector is zero.
std::optional<std::vector<float>> vectorValues(const std::vector<float>& vectors,
                                               std::size_t dimension,
                                               const std::vector<SimilarityLabel>& labels,
                                               JobObserver* observer, std::stop_token stop) {
  const std::size_t n = labels.size();
  auto row = [&](std::size_t r) {
    return std::span<const float>(vectors).subspan(std::size_t(labels[r].index) * dimension,
                                                   dimension);
  };
  auto dot = [dimension](std::span<const float> a, std::span<const float> b) {
    double sum = 0;
    for (std::size_t d = 0; d < dimension; ++d) sum += double(a[d]) * double(b[d]);
    return sum;
  };
  std::vector<double> norms;
  norms.reserve(n);
  for (std::size_t r = 0; r < n; ++r) norms.push_back(std::sqrt(dot(row(r), row(r))));
  std::vector<float> values(n * n, 0.0f);
  report(observer, Progress{kStage, 0, n});
  for (std::size_t r = 0; r < n; ++r) {
    if (r % kRowsPerBlock == 0 && stop.stop_requested()) return std::nullopt;
    for (std::size_t c = r; c < n; ++c) {
      const double denominator = norms[r] * norms[c];
      const float value = denominator > 0 ? float(dot(row(r), row(c)) / denominator) : 0.0f;
      values[r * n + c] = value;
      values[c * n + r] = value;
    }
    if ((r + 1) % kRowsPerBlock == 0 || r + 1 == n) report(observer, Progress{kStage, r + 1, n});
  }
  return values;
}

bool isSymmetric(const std::vector<float>& values, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = r + 1; c < n; ++c) {
      const double a = values[r * n + c], b = values[c * n + r];
      if (!(std::abs(a - b) <= kSymmetryTolerance * std::max({1.0, std::abs(a), std::abs(b)})))
        return false;
    }
  return true;
}

// Puts display row r where row order[r] was (labels, and the values' rows and columns).
void permute(SimilarityMatrix& matrix, const std::vector<std::int32_t>& order) {
  const std::size_t n = matrix.size();
  std::vector<SimilarityLabel> labels;
  labels.reserve(n);
  for (const std::int32_t from : order)
    labels.push_back(std::move(matrix.labels[std::size_t(from)]));
  std::vector<float> values(n * n);
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t from = std::size_t(order[r]) * n;
    for (std::size_t c = 0; c < n; ++c)
      values[r * n + c] = matrix.values[from + std::size_t(order[c])];
  }
  matrix.labels = std::move(labels);
  matrix.values = std::move(values);
}

void orderByCategory(SimilarityMatrix& matrix) {
  std::vector<std::int32_t> order(matrix.size());
  std::iota(order.begin(), order.end(), 0);
  const auto& labels = matrix.labels;
  std::stable_sort(order.begin(), order.end(), [&labels](std::int32_t a, std::int32_t b) {
    const std::string& ca = labels[std::size_t(a)].category;
    const std::string& cb = labels[std::size_t(b)].category;
    if (ca.empty() != cb.empty()) return cb.empty();  // "" last
    return ca < cb;
  });
  permute(matrix, order);
  for (std::size_t r = 0; r < matrix.size(); ++r) {
    const std::string& category = matrix.labels[r].category;
    if (matrix.bands.empty() || matrix.bands.back().category != category)
      matrix.bands.push_back({category, std::int32_t(r), std::int32_t(r)});
    matrix.bands.back().end = std::int32_t(r + 1);
  }
}

void orderByClusters(SimilarityMatrix& matrix) {
  const std::size_t n = matrix.size();
  std::vector<double> symmetric(n * n, 0.0);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c)
      if (r != c)
        symmetric[r * n + c] =
            (double(matrix.values[r * n + c]) + double(matrix.values[c * n + r])) / 2;
  similarity::Clustering clustering = similarity::averageLinkage(symmetric, std::int32_t(n));
  permute(matrix, clustering.order);
  // Leaves become display rows; merges (ids >= n) keep their numbers.
  std::vector<std::int32_t> rowOf(n);
  for (std::size_t r = 0; r < n; ++r) rowOf[std::size_t(clustering.order[r])] = std::int32_t(r);
  const auto display = [&rowOf, n](std::int32_t id) {
    return std::size_t(id) < n ? rowOf[std::size_t(id)] : id;
  };
  for (similarity::Merge& merge : clustering.merges) {
    merge.left = display(merge.left);
    merge.right = display(merge.right);
  }
  std::iota(clustering.order.begin(), clustering.order.end(), 0);
  matrix.clustering = std::move(clustering);
}

}  // namespace

std::optional<SimilarityMatrix> computeSimilarityMatrix(
    storage::Workspace& workspace, const storage::RunInfo& run, const LoadedModel& model,
    const storage::SplitInfo& split, const SimilarityMatrixOptions& options, JobObserver* observer,
    std::stop_token stop) {
  RECO_CHECK(model.model != nullptr, ErrorKind::Internal, "computeSimilarityMatrix: no model");
  const Recommender& recommender = *model.model;
  detail::checkSelectionSize(options.selection);
  SimilarityMatrix matrix;
  matrix.users = options.selection.comparesUsers();
  std::optional<detail::SimilarityEntities> entities;
  std::optional<std::vector<float>> values;
  bool signedMeasure = false;
  if (!matrix.users) {
    if (!(recommender.capabilities() & kCanSimilarItems))
      throw Error(ErrorKind::Config, "model '" + run.model + "' has no notion of similar items");
    std::shared_ptr<const std::vector<std::int64_t>> counts = options.itemCounts;
    if (!counts) {
      counts = std::make_shared<const std::vector<std::int64_t>>(
          storage::itemInteractionCounts(workspace, run.datasetId, stop));
      if (stop.stop_requested()) return std::nullopt;
    }
    entities =
        detail::selectSimilarityItems(workspace, run, model, split, options.selection, *counts);
    values = itemValues(recommender, entities->labels, observer, stop);
    matrix.measure = itemMeasure(model);
    signedMeasure = signedItemMeasure(recommender);
  } else if (options.userBasis == UserSimilarityBasis::Vectors) {
    std::vector<float> vectors;
    const std::size_t dimension = recommender.userEmbeddings(vectors);
    if (dimension == 0)
      throw Error(ErrorKind::Config, "model '" + run.model +
                                         "' has no user vectors; compare users by their "
                                         "training histories instead");
    entities =
        detail::selectSimilarityUsers(workspace, run, model, options.selection, observer, stop);
    if (!entities) return std::nullopt;
    values = vectorValues(vectors, dimension, entities->labels, observer, stop);
    matrix.measure = "cosine of the user vectors (dimension " + std::to_string(dimension) + ")";
    signedMeasure = true;
  } else {
    entities =
        detail::selectSimilarityUsers(workspace, run, model, options.selection, observer, stop);
    if (!entities) return std::nullopt;
    values = historyValues(workspace, split, entities->labels, observer, stop);
    matrix.measure =
        "cosine of the users' training histories (shared items / sqrt of the product of their "
        "item counts)";
  }
  if (!values) return std::nullopt;
  matrix.labels = std::move(entities->labels);
  matrix.skipped = std::move(entities->skipped);
  matrix.values = std::move(*values);
  matrix.isSigned = signedMeasure || std::any_of(matrix.values.begin(), matrix.values.end(),
                                                 [](float v) { return v < 0; });
  matrix.isSymmetric = isSymmetric(matrix.values, matrix.size());
  switch (options.order) {
    case SimilarityOrder::Listed: break;
    case SimilarityOrder::Category: orderByCategory(matrix); break;
    case SimilarityOrder::Cluster: orderByClusters(matrix); break;
  }
  return matrix;
}

std::string similarityValueText(float value) {
  if (std::isnan(value)) return "nan";
  // std::to_chars never consults the locale (like core/common/number_text.h, which has no
  // float form): the shortest text that reads back as this float, not as its double.
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void writeSimilarityMatrixCsv(const SimilarityMatrix& matrix, std::ostream& out,
                              CsvFormulas formulas) {
  const std::size_t n = matrix.size();
  out << "id,title,category";
  for (const SimilarityLabel& label : matrix.labels)
    out << ',' << csvField(label.externalId, formulas);
  out << '\n';
  for (std::size_t r = 0; r < n; ++r) {
    const SimilarityLabel& label = matrix.labels[r];
    out << csvField(label.externalId, formulas) << ',' << csvField(label.title, formulas) << ','
        << csvField(label.category, formulas);
    for (std::size_t c = 0; c < n; ++c) out << ',' << similarityValueText(matrix.values[r * n + c]);
    out << '\n';
  }
}

}  // namespace reco
