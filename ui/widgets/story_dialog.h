#pragma once
/// View › Story…: the workspace's story as a list, in order. Reorder by dragging a row or
/// with Move up / Move down (Alt+Up, Alt+Down); Rename (F2), Delete (Del) and Go to (Enter,
/// or a double-click: the window shows the bookmark's view). Every change is written by
/// StoryModel in the background; the list shows each fresh read. GUI thread only.

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;

namespace reco::ui {

class StoryModel;

class StoryDialog : public QDialog {
  Q_OBJECT

 public:
  StoryDialog(StoryModel* story, QWidget* parent = nullptr);

  QListWidget* list() const { return list_; }
  /// The row chosen, -1 for none.
  int currentRow() const;
  void setCurrentRow(int row);
  /// Moves the chosen bookmark one place up (-1) or down (+1).
  void moveChosen(int step);
  /// Renames the chosen bookmark (what Rename asks for).
  void renameChosen(const QString& title);
  /// Deletes the chosen bookmark at once (what Delete does once confirmed).
  void deleteChosen();
  /// Delete (the button, Del): asks first (a warning box named "confirmDeleteStep", Cancel
  /// by default), then deletes the bookmark that was chosen.
  void askToDeleteChosen();

 signals:
  /// Go to: the window shows the bookmark at `row`.
  void goToRequested(int row);

 private:
  void refill();
  void updateButtons();
  void onRowsDropped();

  StoryModel* story_;
  QListWidget* list_;
  QLabel* hint_;
  QPushButton* goTo_;
  QPushButton* up_;
  QPushButton* down_;
  QPushButton* rename_;
  QPushButton* delete_;
  std::int64_t wantedId_ = 0;  // the bookmark to choose after the next read
  bool ignoreMoves_ = false;   // rows moved by the dialog itself, not by a drop
};

}  // namespace reco::ui
