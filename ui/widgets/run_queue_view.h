#pragma once
/// The queue as the user sees it: how many runs may train side by side (a spin box that
/// sets RunQueue::setMaxParallel), and one row per queued or running run with its name,
/// status ("epoch 7/20", "evaluating 40%"), a progress bar, the ETA of the whole run and a
/// Cancel button. A row keeps its width whatever the status says (long names and stages are
/// elided, with the full text in the tooltip). A run's row goes away when it ends; the runs
/// table shows how it ended. GUI thread only.

#include <QWidget>
#include <map>

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace reco::ui {

class RunQueue;

class RunQueueView : public QWidget {
  Q_OBJECT

 public:
  explicit RunQueueView(RunQueue* queue, QWidget* parent = nullptr);

  QSpinBox* parallelSpin() const { return parallel_; }
  /// Rows shown (queued and running runs).
  int rowCount() const { return int(rows_.size()); }
  /// The Cancel button of run `id`, or null; for tests.
  QPushButton* cancelButton(int id) const;

  /// "0:42", "3:05", "1:02:10"; "–" for none.
  static QString formatEta(double seconds);

 private:
  struct Row {
    QWidget* widget = nullptr;
    QLabel* name = nullptr;
    QLabel* status = nullptr;
    QProgressBar* progress = nullptr;
    QLabel* eta = nullptr;
    QPushButton* cancel = nullptr;
  };

  void addRow(int id);
  void updateRow(int id);
  void removeRow(int id);
  void updateEmptyNote();

  RunQueue* queue_;
  QSpinBox* parallel_;
  QVBoxLayout* rowsLayout_;
  QLabel* emptyNote_;
  std::map<int, Row> rows_;
};

}  // namespace reco::ui
