#pragma once
/// The Export report dialog's live preview: the report's pages (ReportPages, the same
/// painting as the PDF) one below the other in a scroll area, on white sheets with a shadow,
/// scaled to the viewport's width within a readable range. The pages are painted on the
/// GUI thread as they scroll into view; laying them out happened in the background. A label
/// above says "Page N of M" for the page in the middle of the view, a message beside it what
/// is going on ("Updating the preview…", an error). GUI thread only.

#include <QWidget>
#include <memory>

class QLabel;
class QScrollArea;

namespace reco::ui {

class ReportPages;

class ReportPreview : public QWidget {
  Q_OBJECT

 public:
  explicit ReportPreview(QWidget* parent = nullptr);
  ~ReportPreview() override;

  /// Shows `pages` (null: none) from the top, or, when `message` is not empty, that text
  /// (an error, "Building the preview…") over the pages shown so far.
  void setPages(std::shared_ptr<const ReportPages> pages);
  void setMessage(const QString& text, bool isError);
  const std::shared_ptr<const ReportPages>& pages() const { return pages_; }
  int pageCount() const;
  /// The 1-based page in the middle of the view (0: none), as the label shows it.
  int currentPage() const;
  /// Scrolls page `page` (1-based) to the top of the view.
  void scrollToPage(int page);
  /// Pixels per point of the pages on screen.
  double zoom() const { return zoom_; }
  QScrollArea* scrollArea() const { return scroll_; }

 signals:
  void currentPageChanged(int page, int pageCount);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  class Sheets;
  void relayout();
  void updatePageLabel();

  std::shared_ptr<const ReportPages> pages_;
  double zoom_ = 1.0;
  QScrollArea* scroll_;
  Sheets* sheets_;
  QLabel* pageLabel_;
  QLabel* message_;
};

}  // namespace reco::ui
