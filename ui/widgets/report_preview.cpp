#include "ui/widgets/report_preview.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/report/pdf_report.h"

namespace reco::ui {

namespace {
constexpr int kGap = 16;           // pixels around and between the sheets
constexpr double kMinZoom = 0.6;   // below this, 9 pt text is no longer readable
constexpr double kMaxZoom = 1.33;  // a point as large as on paper at 96 dpi: no larger
}  // namespace

/// The sheets themselves: as wide as the viewport, as tall as every page with its gaps.
class ReportPreview::Sheets : public QWidget {
 public:
  explicit Sheets(ReportPreview* owner) : owner_(owner) { setAttribute(Qt::WA_OpaquePaintEvent); }

  /// The rectangle of page `index` in this widget's pixels.
  QRect pageRect(int index) const {
    const QSizeF points = owner_->pages_->pageSizePoints();
    const int width = int(points.width() * owner_->zoom_);
    const int height = int(points.height() * owner_->zoom_);
    return {std::max(kGap, (this->width() - width) / 2), kGap + index * (height + kGap), width,
            height};
  }

 protected:
  void paintEvent(QPaintEvent* event) override {
    QPainter painter(this);
    painter.fillRect(event->rect(), palette().color(QPalette::Dark));
    const auto& pages = owner_->pages_;
    if (!pages) return;
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    for (int index = 0; index < pages->pageCount(); ++index) {
      const QRect sheet = pageRect(index);
      if (!sheet.adjusted(0, 0, 3, 3).intersects(event->rect())) continue;
      painter.fillRect(sheet.translated(3, 3), QColor(0, 0, 0, 60));  // a shadow
      painter.fillRect(sheet, Qt::white);
      painter.save();
      painter.translate(sheet.topLeft());
      painter.scale(owner_->zoom_, owner_->zoom_);
      painter.setClipRect(QRectF(QPointF(0, 0), pages->pageSizePoints()));
      pages->paintPage(painter, index);
      painter.restore();
    }
  }

 private:
  ReportPreview* owner_;
};

ReportPreview::ReportPreview(QWidget* parent) : QWidget(parent) {
  pageLabel_ = new QLabel;
  pageLabel_->setObjectName(QStringLiteral("previewPageLabel"));
  message_ = new QLabel;
  message_->setObjectName(QStringLiteral("previewMessage"));
  message_->setTextFormat(Qt::PlainText);  // messages name runs and users: never markup
  message_->setWordWrap(true);
  message_->hide();
  sheets_ = new Sheets(this);
  scroll_ = new QScrollArea;
  scroll_->setObjectName(QStringLiteral("previewScroll"));
  scroll_->setWidget(sheets_);
  scroll_->setWidgetResizable(false);
  scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  scroll_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);  // no width jumps as pages come
  scroll_->setBackgroundRole(QPalette::Dark);
  connect(scroll_->verticalScrollBar(), &QScrollBar::valueChanged, this,
          &ReportPreview::updatePageLabel);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  // The message sits beside the page number, so that showing one never moves the pages.
  auto* top = new QHBoxLayout;
  top->addWidget(pageLabel_);
  top->addSpacing(12);
  top->addWidget(message_, 1);
  layout->addLayout(top);
  layout->addWidget(scroll_, 1);
  relayout();
}

ReportPreview::~ReportPreview() = default;

void ReportPreview::setPages(std::shared_ptr<const ReportPages> pages) {
  pages_ = std::move(pages);
  relayout();
  scroll_->verticalScrollBar()->setValue(0);
  sheets_->update();
  updatePageLabel();
}

void ReportPreview::setMessage(const QString& text, bool isError) {
  message_->setText(text);
  message_->setStyleSheet(isError ? QStringLiteral("color: #b00020;") : QString());
  message_->setVisible(!text.isEmpty());
}

int ReportPreview::pageCount() const {
  return pages_ ? pages_->pageCount() : 0;
}

int ReportPreview::currentPage() const {
  if (pageCount() == 0) return 0;
  const int middle = scroll_->verticalScrollBar()->value() + scroll_->viewport()->height() / 2;
  const int step = sheets_->pageRect(1).top() - sheets_->pageRect(0).top();
  return std::clamp((middle - kGap / 2) / std::max(1, step) + 1, 1, pageCount());
}

void ReportPreview::scrollToPage(int page) {
  if (pageCount() == 0) return;
  const int index = std::clamp(page, 1, pageCount()) - 1;
  scroll_->verticalScrollBar()->setValue(sheets_->pageRect(index).top() - kGap);
}

void ReportPreview::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  relayout();
}

void ReportPreview::relayout() {
  const int width = scroll_->viewport()->width();
  if (pages_) {
    const double fit = double(width - 2 * kGap) / pages_->pageSizePoints().width();
    zoom_ = std::clamp(fit, kMinZoom, kMaxZoom);
    const QRect last = sheets_->pageRect(std::max(0, pages_->pageCount() - 1));
    sheets_->resize(std::max(width, last.width() + 2 * kGap),
                    pages_->pageCount() > 0 ? last.bottom() + kGap : kGap);
  } else {
    sheets_->resize(width, kGap);
  }
  updatePageLabel();
}

void ReportPreview::updatePageLabel() {
  const int count = pageCount();
  const int page = currentPage();
  pageLabel_->setText(count == 0 ? QStringLiteral("No pages yet")
                                 : QStringLiteral("Page %1 of %2").arg(page).arg(count));
  emit currentPageChanged(page, count);
}

}  // namespace reco::ui
