#include "ui/widgets/flow_row_layout.h"

#include <QWidget>
#include <algorithm>

namespace reco::ui {

FlowRowLayout::FlowRowLayout(QWidget* parent, int horizontalSpacing, int verticalSpacing)
    : QLayout(parent), horizontalSpacing_(horizontalSpacing), verticalSpacing_(verticalSpacing) {
  setContentsMargins(0, 0, 0, 0);
}

FlowRowLayout::~FlowRowLayout() {
  while (QLayoutItem* item = takeAt(0)) delete item;
}

void FlowRowLayout::addItem(QLayoutItem* item) {
  items_.append(item);
}
int FlowRowLayout::count() const {
  return int(items_.size());
}
QLayoutItem* FlowRowLayout::itemAt(int index) const {
  return index >= 0 && index < items_.size() ? items_[index] : nullptr;
}
QLayoutItem* FlowRowLayout::takeAt(int index) {
  return index >= 0 && index < items_.size() ? items_.takeAt(index) : nullptr;
}
Qt::Orientations FlowRowLayout::expandingDirections() const {
  return {};
}
bool FlowRowLayout::hasHeightForWidth() const {
  return true;
}
int FlowRowLayout::heightForWidth(int width) const {
  return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowRowLayout::minimumSize() const {
  QSize size;
  for (const QLayoutItem* item : items_) size = size.expandedTo(item->minimumSize());
  const QMargins m = contentsMargins();
  return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowRowLayout::sizeHint() const {
  // Everything on one line.
  int width = 0, height = 0;
  for (const QLayoutItem* item : items_) {
    if (item->isEmpty()) continue;
    width += (width > 0 ? horizontalSpacing_ : 0) + item->sizeHint().width();
    height = std::max(height, item->sizeHint().height());
  }
  const QMargins m = contentsMargins();
  return {width + m.left() + m.right(), height + m.top() + m.bottom()};
}

void FlowRowLayout::setGeometry(const QRect& rect) {
  QLayout::setGeometry(rect);
  arrange(rect, true);
}

int FlowRowLayout::arrange(const QRect& rect, bool apply) const {
  const QRect area = rect.marginsRemoved(contentsMargins());
  int x = area.x(), y = area.y(), lineHeight = 0;
  for (QLayoutItem* item : items_) {
    if (item->isEmpty()) continue;
    const QSize hint = item->sizeHint();
    if (x > area.x() && x + hint.width() > area.right() + 1) {  // wrap onto the next line
      x = area.x();
      y += lineHeight + verticalSpacing_;
      lineHeight = 0;
    }
    const int width = std::min(hint.width(), std::max(area.width(), item->minimumSize().width()));
    if (apply) item->setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())));
    x += width + horizontalSpacing_;
    lineHeight = std::max(lineHeight, hint.height());
  }
  const QMargins m = contentsMargins();
  return y + lineHeight - rect.y() + m.bottom();
}

}  // namespace reco::ui
