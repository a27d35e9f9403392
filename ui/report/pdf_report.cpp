#include "ui/report/pdf_report.h"

#include <unistd.h>

#include <QFile>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <filesystem>
#include <system_error>

#include "core/common/error.h"
#include "core/common/output_file.h"
#include "ui/report/pdf_report_items.h"

namespace reco::ui {
namespace {

using reco::report::PaperSize;

// 15 mm on every side: room for the footer under the text on A4 and Letter alike.
constexpr double kMarginPoints = 15.0 / 25.4 * 72.0;

// Vector output has no pixels: the resolution only sets the unit of the device's integer
// coordinates, which Qt rounds to in a few places (pen widths of cosmetic pens, clip
// rectangles). 1200 dpi makes that rounding 1/1200 inch, invisible; painting is in points
// under one scale.
constexpr int kPdfResolution = 1200;

QPageSize pageSizeOf(PaperSize paper) {
  return QPageSize(paper == PaperSize::Letter ? QPageSize::Letter : QPageSize::A4);
}

}  // namespace

struct ReportPages::Layout {
  reco::report::Document document;
  PaperSize paper = PaperSize::A4;
  QSizeF size;
  std::vector<pdf::Page> pages;
};

ReportPages::ReportPages(reco::report::Document document, PaperSize paper)
    : layout_(std::make_unique<Layout>()) {
  layout_->document = std::move(document);
  layout_->paper = paper;
  layout_->size = pageSizeOf(paper).size(QPageSize::Point);
  // The pages point into layout_->document's drawings, which stay put from here on.
  layout_->pages = pdf::layOut(layout_->document, layout_->size, kMarginPoints);
}

ReportPages::~ReportPages() = default;

int ReportPages::pageCount() const {
  return int(layout_->pages.size());
}

QSizeF ReportPages::pageSizePoints() const {
  return layout_->size;
}

void ReportPages::paintPage(QPainter& painter, int index) const {
  if (index < 0 || index >= pageCount()) return;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setRenderHint(QPainter::TextAntialiasing, true);
  for (const auto& item : layout_->pages[std::size_t(index)].items) pdf::paintItem(painter, item);
  // The footer: "title · page N of M", centred in the bottom margin.
  const pdf::TextStyle footer{7.5, false};
  pdf::TextMeasure measure;
  const QString pageText = QStringLiteral(" · page %1 of %2").arg(index + 1).arg(pageCount());
  const double available = layout_->size.width() - 2 * kMarginPoints;
  const QString title = measure.elide(QString::fromStdString(layout_->document.title), footer,
                                      available - measure.width(pageText, footer));
  const QString text = title + pageText;
  const double x = (layout_->size.width() - measure.width(text, footer)) / 2;
  const double baseline = layout_->size.height() - kMarginPoints / 2 + 2;
  pdf::paintText(painter, text, QPointF(x, baseline), footer, QColor(0x6e, 0x77, 0x81));
  painter.restore();
}

reco::report::PdfWriteResult writePdf(const reco::report::Document& document, const QString& path,
                                      PaperSize paper, std::stop_token stop) {
  const std::string target = path.toStdString();
  checkOutputTarget(target, {});
  const ReportPages pages(document, paper);
  reco::report::PdfWriteResult result;
  result.pages = pages.pageCount();
  if (stop.stop_requested()) return {reco::Outcome::Stopped, 0};
  // Written beside the target and renamed into place, as AtomicOutputFile does.
  const std::string partial = target + ".partial-" + std::to_string(::getpid());
  const auto discard = [&partial] {
    std::error_code ec;
    std::filesystem::remove(partial, ec);
  };
  {
    QPdfWriter writer(QString::fromStdString(partial));
    writer.setResolution(kPdfResolution);
    writer.setPageSize(pageSizeOf(paper));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(QString::fromStdString(document.title));
    writer.setCreator(QStringLiteral("Reco Workbench"));
    QPainter painter;
    if (!painter.begin(&writer)) {
      discard();
      throw Error(ErrorKind::Io, "cannot write the PDF " + target + ": cannot create " + partial +
                                     " beside it (is the folder writable?)");
    }
    const double scale = writer.resolution() / 72.0;
    for (int page = 0; page < pages.pageCount(); ++page) {
      if (stop.stop_requested()) {
        painter.end();
        discard();
        return {reco::Outcome::Stopped, 0};
      }
      if (page > 0) writer.newPage();
      painter.save();
      painter.scale(scale, scale);
      pages.paintPage(painter, page);
      painter.restore();
    }
    if (!painter.end()) {
      discard();
      throw Error(ErrorKind::Io, "cannot write the PDF " + partial + " (is the disk full?)");
    }
  }
  // The last moment a Cancel can still leave the target untouched.
  if (stop.stop_requested()) {
    discard();
    return {reco::Outcome::Stopped, 0};
  }
  std::error_code ec;
  if (std::filesystem::file_size(partial, ec) == 0 || ec) {
    discard();
    throw Error(ErrorKind::Io, "cannot write the PDF " + target + ": " + partial +
                                   " came out empty (is the disk full?)");
  }
  std::filesystem::rename(partial, target, ec);
  if (ec) {
    discard();
    throw Error(ErrorKind::Io,
                "cannot move the PDF into place at " + target + ": " + errorCodeText(ec));
  }
  return result;
}

}  // namespace reco::ui
