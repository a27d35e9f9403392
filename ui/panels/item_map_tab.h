#pragma once
/// The Items screen's "Map" tab: a run's items in the plane (ItemMapView) from its item
/// vectors or similarity rows, by PCA or the neighbour layout, computed in the background by
/// reco::computeItemMap (the function `reco embed` calls) with progress and Cancel, a newer
/// request stopping the older one; coloured by category or popularity; a search box that
/// highlights matches; the items of a rubber band listed beside the map, with "Heatmap of
/// selection". Computed only while the tab is shown. GUI thread only.

#include <QStringList>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/item_map.h"
#include "ui/plots/item_map_raster.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace reco::ui {

class ItemMapView;
class JobTracker;
class MapPicksModel;
class ProgressTask;
class RunModelCache;

class ItemMapTab : public QWidget {
  Q_OBJECT

 public:
  ItemMapTab(JobTracker* jobs, std::shared_ptr<RunModelCache> cache, QWidget* parent = nullptr);
  ~ItemMapTab() override;

  /// The workspace, the split's finished runs and the split; keeps the chosen run where it
  /// is still there and drops the map shown.
  void setContext(const QString& path, std::vector<reco::storage::RunInfo> runs,
                  std::optional<reco::storage::SplitInfo> split);
  bool selectRun(const QString& name);
  void setMethod(reco::ItemMapMethod method);
  void setColouring(MapColouring colouring);
  /// The search box's text: the map highlights the items whose title or id contains it.
  void setHighlight(const QString& text);
  /// Lists these dataset items as picked (what a rubber band does).
  void pickItems(const std::vector<std::int32_t>& items);

  /// Starts computing the map the controls describe (stops a running one).
  void compute();
  void cancel();
  bool isComputing() const;
  ItemMapView* mapView() const { return view_; }
  MapPicksModel* picksModel() const { return picks_; }
  QString statusText() const;

 signals:
  /// A map (or the reason there is none) is shown; nothing is computing.
  void mapShown();
  void busyChanged(bool busy);
  /// A point or a picked item was double-clicked: its dataset item.
  void itemActivated(std::int32_t item);
  /// "Heatmap of selection": the picked items' external ids.
  void heatmapRequested(const QStringList& itemIds);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  struct Computed;
  void requestCompute();
  std::optional<reco::storage::RunInfo> currentRun() const;
  void showStatus(const QString& text, bool isError);
  void updatePicks();
  /// The status line while the pointer is on nothing: what the map shows, and how to pick.
  QString idleStatus() const;
  void exportPng();

  QString path_;
  std::vector<reco::storage::RunInfo> runs_;
  std::optional<reco::storage::SplitInfo> split_;
  std::shared_ptr<RunModelCache> cache_;
  std::shared_ptr<const Computed> computed_;
  bool dirty_ = true;

  ProgressTask* task_;
  QComboBox* runBox_;
  QComboBox* methodBox_;
  QComboBox* colourBox_;
  QLineEdit* search_;
  QLabel* matches_;
  QPushButton* computeButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QPushButton* pngButton_;
  ItemMapView* view_;
  QWidget* side_;
  QLabel* picksLabel_;
  MapPicksModel* picks_;
  QTableView* picksTable_;
  QPushButton* heatmapButton_;
  QPushButton* clearButton_;
  QLabel* status_;
};

}  // namespace reco::ui
