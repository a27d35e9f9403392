#pragma once
/// A row of widgets that wraps onto further lines when the width runs out, like words in a
/// paragraph: a panel's filter controls stay on one line in a wide window and need no
/// horizontal room they do not have in a narrow one (1024 px). Items keep their size
/// hints and their order; each line is left-aligned. Its minimum width is that of the
/// widest item, and it reports the height a width needs (height for width).

#include <QLayout>
#include <QList>

namespace reco::ui {

class FlowRowLayout : public QLayout {
 public:
  explicit FlowRowLayout(QWidget* parent = nullptr, int horizontalSpacing = 10,
                         int verticalSpacing = 4);
  ~FlowRowLayout() override;

  void addItem(QLayoutItem* item) override;
  int count() const override;
  QLayoutItem* itemAt(int index) const override;
  QLayoutItem* takeAt(int index) override;
  Qt::Orientations expandingDirections() const override;
  bool hasHeightForWidth() const override;
  int heightForWidth(int width) const override;
  QSize minimumSize() const override;
  QSize sizeHint() const override;
  void setGeometry(const QRect& rect) override;

 private:
  /// Lays the items out in `rect` (only measures when `apply` is false); returns the height used.
  int arrange(const QRect& rect, bool apply) const;

  QList<QLayoutItem*> items_;
  int horizontalSpacing_;
  int verticalSpacing_;
};

}  // namespace reco::ui
