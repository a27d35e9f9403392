#pragma once
/// The similarity heatmap's numbers (issue 13): a run's item-item similarity for a chosen set
/// of items, or the user-user similarity for a chosen set of users, in a chosen order, with
/// the labels a person reads. `reco similarity` and the workbench's heatmap both call
/// computeSimilarityMatrix, so their numbers agree.

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/csv_text.h"
#include "core/common/progress.h"
#include "core/similarity/cluster_order.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"

namespace reco {

/// Which entities the matrix compares. Every kind names at most kMaxSimilarityEntities.
struct SimilaritySelection {
  enum class Kind {
    TopItems,  ///< the `count` most popular items (storage::mostPopularItems)
    Category,  ///< the items of category `name`, most popular first, at most `count`
    ItemIds,   ///< `ids`: external item ids, in the given order
    UserList,  ///< the run's top-`count` list for user `name` (an external user id)
    TopUsers,  ///< user-user: the `count` users with most interactions
    UserIds,   ///< user-user: `ids`, external user ids
  };
  Kind kind = Kind::TopItems;
  std::int32_t count = 50;
  std::string name;
  std::vector<std::string> ids;

  bool comparesUsers() const { return kind == Kind::TopUsers || kind == Kind::UserIds; }
};

/// Parses the command-line form: "top:50", "category:NAME", "ids:A,B,C", "user:ID" for items;
/// for users (`users` true) "top:50", "ids:A,B". N is 1..kMaxSimilarityEntities; a category
/// and a user's list take the default count (50); ids are split at commas (empty pieces
/// dropped). Throws Config naming the expected forms, or the limit.
SimilaritySelection parseSimilaritySelection(const std::string& text, bool users);

enum class SimilarityOrder { Listed, Category, Cluster };
/// "listed", "category", "cluster"; throws Config otherwise.
SimilarityOrder parseSimilarityOrder(const std::string& text);

/// User-user similarity: of the users' training histories (every model), or of the model's
/// user vectors (models that have them).
enum class UserSimilarityBasis { Histories, Vectors };

struct SimilarityMatrixOptions {
  SimilaritySelection selection;
  SimilarityOrder order = SimilarityOrder::Listed;
  UserSimilarityBasis userBasis = UserSimilarityBasis::Histories;
  /// storage::itemInteractionCounts of the run's dataset when the caller already has them
  /// (the window keeps them per dataset); null: computed here, one pass over the dataset's
  /// interactions. Item sets only.
  std::shared_ptr<const std::vector<std::int64_t>> itemCounts;
};

/// One row (and column) of the matrix.
struct SimilarityLabel {
  std::int32_t index = 0;  ///< dataset item (or user) index
  std::string externalId;
  std::string title;     ///< items: the catalogue title ("" when none); users: ""
  std::string category;  ///< items: the category; users: their most frequent category
  std::optional<double> price;
  std::int64_t interactions =
      0;  ///< in the dataset (storage::itemInteractionCounts; users: theirs)
};

struct SimilarityMatrix {
  bool users = false;  ///< user-user (else item-item)
  /// What a value means, in words: "itemknn cosine weight (shrink 10, top 100 neighbours)",
  /// "EASE weight B[i][j]", "cosine of the item vectors", "cosine of training histories".
  std::string measure;
  /// Whether values can be negative (EASE, cosine of vectors): the heatmap then uses a
  /// diverging colour scale around 0.
  bool isSigned = false;
  /// Whether value(i, j) == value(j, i) for every pair (EASE's B is not).
  bool isSymmetric = true;
  /// The rows in display order (order applied): labels[r] is row r and column r.
  std::vector<SimilarityLabel> labels;
  /// labels.size()^2, row-major in display order: values[r * n + c] = sim(row r, column c)
  /// as the model defines it (for items: Recommender::itemSimilarities, the score that
  /// similarItems gives column c in row r's list). The diagonal is the model's self value.
  std::vector<float> values;
  /// For SimilarityOrder::Cluster (empty otherwise): similarity::averageLinkage of the
  /// symmetrised matrix (S + S^T) / 2 (in double, diagonal ignored), renumbered so that a
  /// dendrogram is drawn from it directly:
  /// - merges[k] forms cluster n + k; its `left` and `right` are either a display row
  ///   (a value < n: row r of `labels` and `values`) or an earlier merge (a value >= n:
  ///   merges[value - n]); `similarity` is the mean symmetrised value between the two sides;
  /// - every cluster covers a contiguous range of display rows, the rows of `left` before
  ///   those of `right`, and the last merge covers all n rows;
  /// - `order` is 0, 1, ..., n-1 (the display rows are the leaf order).
  similarity::Clustering clustering;
  /// For SimilarityOrder::Category (empty otherwise): [begin, end) display-row ranges of each
  /// category band, in order (by category name, "" last); together they cover every row.
  struct Band {
    std::string category;
    std::int32_t begin = 0, end = 0;
  };
  std::vector<Band> bands;
  /// Selected entities that were left out (not in the model's data, unknown ids), in words.
  std::vector<std::string> skipped;

  std::size_t size() const { return labels.size(); }
  float value(std::size_t row, std::size_t column) const { return values[row * size() + column]; }
};

/// The most entities a matrix may compare (1,000 x 1,000 stays interactive).
inline constexpr std::int32_t kMaxSimilarityEntities = 1000;

/// Computes the matrix for the stored run `run` (status done) with its loaded `model` and its
/// `split`. Item sets need the model's kCanSimilarItems (otherwise Config: "model 'pop' has no
/// notion of similar items"); user-user by Vectors needs user vectors (Config otherwise).
/// Throws Config when the selection names nothing known or more than kMaxSimilarityEntities.
/// Entities the model file does not know, unknown ids and repeated ids are left out and
/// named in `skipped`.
///
/// Items: one Recommender::itemSimilarities call per block of rows against every column
/// (O(n^2) model values), plus, without options.itemCounts, one pass over the dataset's
/// interactions. Users: summarizeUsers (one pass over the interactions), then the
/// histories (storage::loadUserSplitParts, one read per user; O(n * total history)) or the
/// user vectors (O(n^2 k)). The cluster order adds O(n^2) time and 8 n^2 bytes.
/// Progress under "similarities" (rows done); `stop` polled between blocks of rows and in
/// the passes: nullopt when stopped. Reads the workspace only; calls only const members of
/// the model.
std::optional<SimilarityMatrix> computeSimilarityMatrix(
    storage::Workspace& workspace, const storage::RunInfo& run, const LoadedModel& model,
    const storage::SplitInfo& split, const SimilarityMatrixOptions& options, JobObserver* observer,
    std::stop_token stop);

/// The matrix as CSV, the one format `reco similarity --csv` and the heatmap's export write:
/// a header "id,title,category," followed by the column ids, then one row per entity (its id,
/// title, category, then its values in display order, similarityValueText). n + 1 lines of
/// n + 3 fields; text fields go through csvField with `formulas` (escaped by default).
void writeSimilarityMatrixCsv(const SimilarityMatrix& matrix, std::ostream& out,
                              CsvFormulas formulas = CsvFormulas::Escape);

/// The shortest text that reads back as exactly `value` as a float ("0.25", "-1.5e-05"), in
/// any locale; "nan", "inf", "-inf" for non-finite values. The CSV and `--json` use it.
std::string similarityValueText(float value);

}  // namespace reco
