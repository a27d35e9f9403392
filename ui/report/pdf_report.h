#pragma once
/// The report as PDF pages, painted with QPainter from the one document model
/// (core/report/document.h): text with the application font, tables that break across pages
/// with their header repeated, figures as vectors (each Drawing shape becomes a QPainter
/// call, so QPdfWriter stores lines and text, not pixels), a footer with "page N of M" and
/// the report's title. The Export report dialog's preview paints the same pages on screen,
/// so what the user sees is what the file holds.
///
/// Needs a QGuiApplication (the workbench's, or the one the pdf module starts offscreen).
/// Any thread may paint: a ReportPages owns copies of everything it paints.

#include <QPageLayout>
#include <QString>
#include <memory>
#include <stop_token>

#include "core/report/document.h"
#include "core/report/pdf_module.h"

class QPainter;
class QPagedPaintDevice;

namespace reco::ui {

/// A document laid out on pages of one size. Layout happens in the constructor (fast: text
/// measurement only); painting a page is independent of the others.
class ReportPages {
 public:
  ReportPages(reco::report::Document document, reco::report::PaperSize paper);
  ~ReportPages();
  ReportPages(const ReportPages&) = delete;
  ReportPages& operator=(const ReportPages&) = delete;

  int pageCount() const;
  /// The page's size in points (595 x 842 for A4, 612 x 792 for Letter).
  QSizeF pageSizePoints() const;
  /// Paints page `index` (0-based) with the painter's coordinate system in points from the
  /// page's top-left corner (the caller scales for a screen or a device's resolution).
  void paintPage(QPainter& painter, int index) const;

 private:
  struct Layout;
  std::unique_ptr<Layout> layout_;
};

/// Writes every page to `path` (beside it, then renamed into place). Stopped between pages or
/// after the last one, before the rename: nothing is written. Throws reco::Error (Io) when the file
/// cannot be written.
reco::report::PdfWriteResult writePdf(const reco::report::Document& document, const QString& path,
                                      reco::report::PaperSize paper, std::stop_token stop = {});

}  // namespace reco::ui
