#pragma once
/// The Items screen's "Heatmap" tab: a run's similarity matrix for a chosen set, drawn by
/// SimilarityHeatmap. The set: the N most popular items, one category's items, the item
/// list's current search result, a user's top-N list, the items picked on the map, or (user
/// against user) the N most active users by their histories or their vectors; the order: as
/// listed, by category, or clustered. The matrix is computed in the background by
/// reco::computeSimilarityMatrix (the function `reco similarity` calls) with progress and
/// Cancel; a newer request stops the older one. It is computed only while the tab is shown:
/// a change made while it is hidden waits for the next showing. GUI thread only.

#include <QStringList>
#include <QWidget>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/similarity_matrix.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace reco::ui {

class JobTracker;
class ProgressTask;
class RunModelCache;
class SimilarityHeatmap;

class SimilarityView : public QWidget {
  Q_OBJECT

 public:
  /// The sets to compare, in the order of the Set chooser.
  enum class SetKind { Popular, Category, SearchResult, UserList, MapPicks, ActiveUsers };

  /// `jobs` (may be null) hears about each computation; `cache` holds the loaded models,
  /// shared with the panel's loader.
  SimilarityView(JobTracker* jobs, std::shared_ptr<RunModelCache> cache, QWidget* parent = nullptr);
  ~SimilarityView() override;

  /// The workspace, the split's finished runs and the split (none: nothing to compute).
  /// Keeps the chosen run where it is still there; drops the matrix shown.
  void setContext(const QString& path, std::vector<reco::storage::RunInfo> runs,
                  std::optional<reco::storage::SplitInfo> split);
  /// The dataset's category names, for the category set.
  void setCategories(const std::vector<std::string>& categories);
  /// The item list's current search (its text, and the external ids it matches, in the
  /// list's order, at most kMaxSimilarityEntities).
  void setSearchResult(const QString& text, const QStringList& itemIds);
  /// The items picked on the map (external ids); chooses that set and computes.
  void showPickedItems(const QStringList& itemIds);

  /// Choose by program (tests, screenshots, the map); each recomputes when shown.
  bool selectRun(const QString& name);
  void setSetKind(SetKind kind);
  void setCount(int count);
  void setOrder(reco::SimilarityOrder order);
  bool setCategory(const QString& name);
  void setUserId(const QString& userId);

  /// The options the controls describe now.
  reco::SimilarityMatrixOptions options() const;
  /// Starts computing the matrix the controls describe (stops a running one).
  void compute();
  /// Stops the running computation; the last matrix stays.
  void cancel();
  bool isComputing() const;
  std::shared_ptr<const reco::SimilarityMatrix> matrix() const;
  SimilarityHeatmap* heatmap() const { return heatmap_; }
  /// The line under the heatmap: what it shows, or why nothing.
  QString statusText() const;

  /// Writes the heatmap as PNG or the matrix as CSV; the error in words, empty on success.
  QString exportPng(const QString& path);
  QString exportCsv(const QString& path);

 signals:
  /// A matrix (or the reason there is none) is shown; nothing is computing.
  void matrixShown();
  void busyChanged(bool busy);
  /// A cell of an item matrix was clicked or double-clicked: the column's dataset item.
  void itemActivated(std::int32_t item);
  /// A cell of a user matrix was double-clicked: the column's user, by external id.
  void userActivated(const QString& userId);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void buildControls();
  void updateControls();
  /// Computes when shown, otherwise at the next showing.
  void requestCompute();
  std::optional<reco::storage::RunInfo> currentRun() const;
  void showStatus(const QString& text, bool isError);
  void chooseExport(bool png);

  QString path_;
  std::vector<reco::storage::RunInfo> runs_;
  std::optional<reco::storage::SplitInfo> split_;
  std::shared_ptr<RunModelCache> cache_;
  QString searchText_;
  QStringList searchIds_, pickedIds_;
  bool dirty_ = true;  // the controls changed since the matrix shown was computed

  ProgressTask* task_;
  QComboBox* runBox_;
  QComboBox* setBox_;
  QSpinBox* count_;
  QLabel* countLabel_;
  QComboBox* categoryBox_;
  QLineEdit* userEdit_;
  QComboBox* orderBox_;
  QComboBox* basisBox_;
  QLabel* basisLabel_;
  QPushButton* computeButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QPushButton* pngButton_;
  QPushButton* csvButton_;
  SimilarityHeatmap* heatmap_;
  QLabel* status_;
};

}  // namespace reco::ui
