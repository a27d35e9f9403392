#pragma once
/// The one interface every model implements (.github/ARCHITECTURE.md, Three worlds), for the GUI,
/// the CLI, the evaluator and the deep models of the reco_torch module alike.
///
/// Life cycle: the registry's factory builds a model from its options (validated there:
/// bad options fail with ErrorKind::Config), then either fit() or load() makes it usable.
/// Thread safety: fit() and load() need exclusive access; once they returned, every const
/// member may be called from several threads at once (the evaluator scores users in
/// parallel while the GUI asks for explanations).

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/data/ids.h"
#include "core/models/model_options.h"

namespace reco {

// Defined by the training layer (a later issue): the training part of a split (interactions
// as user x item matrices by UserIndex/ItemIndex, id maps, item features, validation part).
struct TrainingData;
// Defined by the training layer: a JobObserver that also receives per-epoch losses and
// validation metrics and may ask for early stopping. May be null.
class TrainObserver;

/// Why a model scores an item for a user. `reason` is one line for the GUI and the CLI
/// ("similar to {item} you bought", "popular in Kitchen", "users like you bought it");
/// models know indices, not titles, so "{item}" stands for the title of because.front(),
/// which the caller substitutes.
struct Explanation {
  struct Contribution {
    ItemIndex item;     ///< a history item (or a neighbour's item) that drove the score
    double weight = 0;  ///< its share of the score; the same units as the score
  };
  double score = 0;
  std::string reason;
  std::vector<Contribution> because;  ///< by weight, descending; may be empty
};

/// Where deep models compute. Classic models ignore it, or use `threads` only.
struct ComputeOptions {
  enum class Device { Auto, Cpu, Cuda };
  Device device = Device::Auto;  ///< Auto: CUDA when the module reports it, else the CPU
  int threads = 0;               ///< 0: the hardware concurrency
};

/// What a model can do beyond fit, score, recommend and save/load: bits of capabilities().
inline constexpr unsigned kCanFoldIn = 1u << 0;  ///< scoreHistory(): an ad-hoc history (what-if)
inline constexpr unsigned kCanSimilarItems = 1u << 1;    ///< similarItems()
inline constexpr unsigned kCanExplain = 1u << 2;         ///< explain() gives contributions
inline constexpr unsigned kHasItemEmbeddings = 1u << 3;  ///< itemEmbeddings() (the 2-D map)
/// score() predicts ratings on the dataset's scale (biasedmf): RMSE and MAE apply.
inline constexpr unsigned kPredictsRatings = 1u << 4;
/// rankOnDevice() ranks where the scores are made, and the evaluator uses it instead of
/// copying every score row out: a deep model on a GPU, or a factor model that scores and
/// ranks chunk by chunk in the CPU's cache (factor_ranking.h).
inline constexpr unsigned kRanksOnDevice = 1u << 5;

/// One block of users to rank where the model's scores are (Recommender::rankOnDevice):
/// the inputs are per-user lists in CSR form (start has users.size() + 1 entries), the
/// outputs are filled by the model.
struct DeviceRanking {
  std::span<const UserIndex> users;
  std::span<const std::int64_t> excludeStart;  ///< the users' training items: never ranked
  std::span<const std::int32_t> exclude;
  std::span<const std::int64_t> relevantStart;  ///< the users' test items (none excluded)
  std::span<const std::int32_t> relevant;
  std::size_t n = 0;  ///< top items per user
  /// users.size() * n: each user's n best items that are not excluded, by score descending,
  /// ties by item index ascending (recommend()'s order); NaN scores count as -infinity.
  /// Entries past the user's non-excluded item count are unspecified.
  std::span<ScoredItem> top;
  /// relevant.size() each: for every relevant item, how many of the user's negatives (items
  /// neither excluded nor relevant) score below it and equal to it (AUC's wins and ties).
  std::span<std::int64_t> below, ties;
};

/// Throws Internal (naming `who`) unless block's spans agree with its users and every
/// excluded and relevant item is in [0, items): the first check of every rankOnDevice().
void checkDeviceRanking(const DeviceRanking& block, std::size_t items, const char* who);

class Recommender {
 public:
  virtual ~Recommender() = default;
  Recommender() = default;
  Recommender(const Recommender&) = delete;
  Recommender& operator=(const Recommender&) = delete;

  /// The registry name ("itemknn", "sasrec").
  virtual std::string_view modelName() const = 0;
  /// A bitwise or of the k* capability bits above.
  virtual unsigned capabilities() const { return 0; }
  /// Where the model computes once fitted or loaded: "cpu", or "cuda:N" for a deep model on
  /// a GPU. Stored with every run.
  virtual std::string computeDevice() const { return "cpu"; }

  /// Trains on `data`. Progress and per-epoch numbers go to `observer` (may be null);
  /// `stop` is polled at least once per epoch (or every few hundred ms of work). Returns
  /// Stopped when stop was requested: the model is then either unfitted or holds the
  /// last completed epoch (isFitted() tells). Throws reco::Error with kind Model on a NaN
  /// loss or divergence, Config when the data cannot suit the options (EASE's item count).
  virtual Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) = 0;
  virtual bool isFitted() const = 0;
  /// The options whose `auto` setting the last fit() resolved from its training data, by
  /// key, as option text (BPR: "learning_rate" -> "0.2"); empty when none did. Runs store
  /// them (the protocol's "resolved"), so that a run says what `auto` chose.
  virtual OptionValues resolvedOptions() const { return {}; }

  /// Sizes of the fitted model's id space: score() rows are itemCount() wide.
  virtual std::size_t userCount() const = 0;
  virtual std::size_t itemCount() const = 0;

  /// Raw scores of every item for each user: `out` has users.size() * itemCount() floats,
  /// row-major (row i belongs to users[i]). Seen items are NOT excluded here. Higher is
  /// better; -infinity means "never recommend". Batch scoring must equal single scoring.
  /// Throws Internal on a user index out of range or a wrong `out` size.
  virtual void score(std::span<const UserIndex> users, std::span<float> out) const = 0;

  /// Scores for an ad-hoc history (a user that is not in training, or an edited one);
  /// `out` has itemCount() floats. Only with kCanFoldIn; the default throws Model.
  virtual void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const;

  /// Why `item` scores as it does for the ad-hoc `history` (what-if, training/what_if.h):
  /// explain() for a history that is no training user's. `score` is what scoreHistory()
  /// gives the item (up to float rounding); contributions name history items. The default:
  /// the scoreHistory() score and, with kCanSimilarItems, the history items by
  /// itemSimilarities(history, {item}) ("similar to {item} in the history"); without
  /// kCanFoldIn, score 0 and a reason that says the model cannot score a history. Models
  /// override it where a cheaper or truer account exists (one score, not a whole row).
  /// Throws Internal on an item out of range.
  virtual Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const;

  /// What scoreHistory() does, in a few words for the what-if column: "fold-in" (the
  /// default: exact for neighbourhood, linear and popularity models, a solved user vector for
  /// factor models), "forward pass" (sequence models), "gradient fold-in".
  virtual std::string_view foldInMethod() const { return "fold-in"; }

  /// The n items most similar to `item` (never `item` itself), by similarity descending.
  /// Only with kCanSimilarItems; the default throws Model.
  virtual std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const;

  /// Why `item` scores as it does for `user`, whose training history is `history`. The
  /// default gives the score and a generic reason; models with kCanExplain do better.
  virtual Explanation explain(UserIndex user, ItemIndex item,
                              std::span<const ItemIndex> history) const;

  /// itemCount() x dimension, row-major; the dimension is returned. Only with
  /// kHasItemEmbeddings; the default throws Model.
  virtual std::size_t itemEmbeddings(std::vector<float>& out) const;

  /// The similarity of each of `rows` to each of `columns` as similarItems() scores it:
  /// out[r * columns.size() + c] is the score that similarItems(rows[r], ...) gives
  /// columns[c] (the kNN weight, 0 outside the kept neighbours; EASE's B[columns[c]][rows[r]];
  /// the cosine of item vectors). Where columns[c] == rows[r] it is the model's own value
  /// for an item with itself (1 for a cosine, 0 for EASE and kNN, which never list it).
  /// `out` has rows.size() * columns.size() floats. Only with kCanSimilarItems. The
  /// default: the cosine of itemEmbeddings() rows with kHasItemEmbeddings, else Model.
  virtual void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                                std::span<float> out) const;

  /// userCount() x dimension, row-major, the dimension returned: the user vectors of a
  /// model that scores by a dot product with item vectors (factor models). The default
  /// returns 0 (no user vectors) and leaves `out` empty.
  virtual std::size_t userEmbeddings(std::vector<float>& out) const;

  /// Ranks a block of users on the model's device (see DeviceRanking): what the evaluator
  /// computes from score() rows, without copying the rows. Returns false when the model
  /// cannot (the default); a model with kRanksOnDevice must. Thread-safe like score().
  virtual bool rankOnDevice(DeviceRanking& block) const;

  /// Writes the fitted state (not the options: the run stores those) in a binary format
  /// that load() of a model built with the same options reads back. load() throws Model
  /// (or Io) on a stream that this model did not write, naming what it expected.
  virtual void save(std::ostream& out) const = 0;
  virtual void load(std::istream& in) = 0;

  /// Exactly min(n, itemCount() - |seen|) items for `user`, by score descending (ties by
  /// item index ascending), none of them in `seen` (the user's training items, any order,
  /// duplicates allowed). Costs one score() row plus O(items log n).
  std::vector<ScoredItem> recommend(UserIndex user, std::span<const ItemIndex> seen,
                                    std::size_t n) const;
};

/// The top n of one row of scores, excluding `exclude`, with recommend()'s contract (NaN
/// ranks below every number). Used by recommend() and by the evaluator on batch scores.
std::vector<ScoredItem> selectTopN(std::span<const float> scores,
                                   std::span<const ItemIndex> exclude, std::size_t n);

}  // namespace reco
