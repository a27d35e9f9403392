// The report as PDF (ui/report/pdf_report.h and the libreco_pdf.so module), read back with
// poppler's pdftotext and pdfinfo: a long table spans pages with its header repeated, the
// page count of the file is the layout's, the card and the table's cells are in the text,
// A4 and Letter both lay out sanely, a stop leaves no file, an unwritable place is an Io
// error, and the module writes the same pages from the same document.

#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <stop_token>

#include "core/common/error.h"
#include "core/report/document.h"
#include "core/report/pdf_module.h"
#include "ui/report/pdf_report.h"

using reco::report::Document;
using reco::report::PaperSize;

namespace {

reco::report::Drawing handDrawnBars() {
  using namespace reco::report;
  Drawing drawing;
  drawing.width = 480;
  drawing.height = 240;
  drawing.shapes.push_back(LineShape{{50, 200}, {470, 200}, Stroke{{60, 60, 60}, 1, false}});
  drawing.shapes.push_back(LineShape{{50, 20}, {50, 200}, Stroke{{60, 60, 60}, 1, false}});
  for (int i = 0; i < 4; ++i) {
    const double height = 40.0 + 35.0 * i;
    drawing.shapes.push_back(
        RectShape{80.0 + 95 * i, 200 - height, 50, height, seriesColour(std::size_t(i)), {}});
    TextShape label;
    label.at = {105.0 + 95 * i, 215};
    label.text = "model " + std::to_string(i);
    label.anchor = TextAnchor::Middle;
    drawing.shapes.push_back(label);
  }
  TextShape axis;
  axis.at = {20, 110};
  axis.text = "ndcg@10";
  axis.rotation = -90;
  axis.anchor = TextAnchor::Middle;
  drawing.shapes.push_back(axis);
  return drawing;
}

Document sampleDocument(int rows) {
  using namespace reco::report;
  Document document;
  document.title = "Reco Workbench report: pdf-test";
  document.subtitle = "random-42 · 3 runs · K = 10";
  Section protocol{"protocol", "Protocol", {}};
  protocol.blocks.emplace_back(KeyValueCard{"Protocol",
                                            {{"Dataset file", "u.data (tab separated)"},
                                             {"Split protocol", "random, 80/10/10, seed 42"},
                                             {"Evaluation", "full ranking, seen items excluded"}}});
  document.sections.push_back(protocol);
  Section comparison{"comparison", "Comparison", {}};
  Table table;
  table.id = "long";
  table.caption = "Every user's score";
  table.header = {"User name", "Quality score", "Items"};
  for (int r = 0; r < rows; ++r) {
    table.rows.push_back(
        {TableCell{"user-" + std::to_string(r), "segment " + std::to_string(r % 3)},
         TableCell{"0." + std::to_string(1000 + r), "", true, r == 0},
         TableCell{std::to_string(r * 7), "", true, false, r % 10 == 0}});
  }
  table.notes = {"Bold: the best of its column."};
  comparison.blocks.emplace_back(std::move(table));
  comparison.blocks.emplace_back(Figure{"bars", "Hand-drawn bars", handDrawnBars()});
  comparison.blocks.emplace_back(FigureRow{
      {Figure{"left", "Left", handDrawnBars()}, Figure{"right", "Right", handDrawnBars()}}});
  document.sections.push_back(comparison);
  return document;
}

QString runTool(const QString& program, const QStringList& arguments) {
  QProcess process;
  process.start(program, arguments);
  if (!process.waitForFinished(60000) || process.exitCode() != 0) {
    qWarning() << program << arguments << "failed:" << process.readAllStandardError();
    return {};
  }
  return QString::fromUtf8(process.readAllStandardOutput());
}

int pdfinfoPages(const QString& file) {
  const QString info = runTool(QStringLiteral("pdfinfo"), {file});
  const auto match = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(info);
  return match.hasMatch() ? match.captured(1).toInt() : -1;
}

}  // namespace

class TestPdfReport : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty(),
             "pdftotext (poppler-utils, tools/install-deps.sh) is needed");
    QVERIFY(dir_.isValid());
  }

  void pageSizes() {
    const reco::ui::ReportPages a4(sampleDocument(3), PaperSize::A4);
    const reco::ui::ReportPages letter(sampleDocument(3), PaperSize::Letter);
    QCOMPARE(a4.pageSizePoints().toSize(), QSize(595, 842));
    QCOMPARE(letter.pageSizePoints().toSize(), QSize(612, 792));
  }

  void longTableSpansPagesWithTheHeaderRepeated() {
    const Document document = sampleDocument(200);
    const reco::ui::ReportPages pages(document, PaperSize::A4);
    QVERIFY2(pages.pageCount() >= 4, qPrintable(QString::number(pages.pageCount())));
    const QString file = dir_.filePath(QStringLiteral("long.pdf"));
    const auto result = reco::ui::writePdf(document, file, PaperSize::A4);
    QCOMPARE(result.outcome, reco::Outcome::Completed);
    QCOMPARE(result.pages, pages.pageCount());
    QCOMPARE(pdfinfoPages(file), pages.pageCount());
    const QString text = runTool(QStringLiteral("pdftotext"), {file, QStringLiteral("-")});
    // The header on every page the table spans: all but the last page or so, at least 3.
    const int headers = int(text.count(QStringLiteral("Quality score")));
    QVERIFY2(headers >= 3 && headers <= pages.pageCount(), qPrintable(QString::number(headers)));
    QVERIFY(text.contains(QStringLiteral("(continued)")));
    // Every row, once.
    for (const int r : {0, 57, 123, 199}) {
      const QString user = QStringLiteral("user-%1").arg(r);
      QCOMPARE(int(text.count(QRegularExpression(QStringLiteral("\\b%1\\b").arg(user)))), 1);
    }
    QVERIFY(text.contains(QStringLiteral("page 1 of %1").arg(pages.pageCount())));
    QVERIFY(text.contains(QStringLiteral("page %1 of %1").arg(pages.pageCount())));
  }

  void cardTableAndFiguresAreText() {
    const QString file = dir_.filePath(QStringLiteral("short.pdf"));
    const auto result = reco::ui::writePdf(sampleDocument(5), file, PaperSize::Letter);
    QCOMPARE(pdfinfoPages(file), result.pages);
    const QString text = runTool(QStringLiteral("pdftotext"), {file, QStringLiteral("-")});
    for (const char* expected :
         {"Reco Workbench report: pdf-test", "Dataset file", "u.data (tab separated)",
          "Split protocol", "random, 80/10/10, seed 42", "Every user", "user-4", "0.1003",
          "segment 1", "model 3", "Hand-drawn bars", "Bold: the best of its column."}) {
      QVERIFY2(text.contains(QString::fromUtf8(expected)), expected);
    }
    const QString info = runTool(QStringLiteral("pdfinfo"), {file});
    QVERIFY(info.contains(QStringLiteral("Reco Workbench report: pdf-test")));
    QVERIFY(info.contains(QStringLiteral("612 x 792 pts")));
  }

  void a4AndLetterPageCountsAreClose() {
    const Document document = sampleDocument(200);
    const int a4 = reco::ui::ReportPages(document, PaperSize::A4).pageCount();
    const int letter = reco::ui::ReportPages(document, PaperSize::Letter).pageCount();
    // Letter is 50 pt shorter and 17 pt wider: a few more pages of table, never twice as many.
    QVERIFY2(letter >= a4 && letter <= a4 + 2,
             qPrintable(QStringLiteral("%1 %2").arg(a4).arg(letter)));
  }

  void paintsOnScreenToo() {
    // The preview paints the same pages on an image: something dark lands on it.
    const reco::ui::ReportPages pages(sampleDocument(5), PaperSize::A4);
    QImage image(pages.pageSizePoints().toSize(), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    pages.paintPage(painter, 0);
    painter.end();
    int dark = 0;
    for (int y = 0; y < image.height(); y += 2)
      for (int x = 0; x < image.width(); x += 2) dark += qGray(image.pixel(x, y)) < 128 ? 1 : 0;
    QVERIFY2(dark > 200, qPrintable(QString::number(dark)));
  }

  void emptyPartsStillLayOut() {
    // No sections: the title page alone. An empty table, an empty drawing, a huge figure and
    // an unbreakable word: pages without a crash, and the figure scaled onto one page.
    QCOMPARE(reco::ui::ReportPages(Document{"Only a title", "", {}}, PaperSize::A4).pageCount(), 1);
    Document document{"Edge cases", "", {}};
    reco::report::Section section{"s", "Section", {}};
    reco::report::Table empty;
    empty.id = "empty";
    empty.header = {"a", "b"};
    section.blocks.emplace_back(empty);
    section.blocks.emplace_back(reco::report::Figure{"none", "", reco::report::Drawing{0, 0, {}}});
    reco::report::Drawing tall = handDrawnBars();
    tall.height = 5000;
    section.blocks.emplace_back(reco::report::Figure{"tall", "A very tall figure", tall});
    section.blocks.emplace_back(reco::report::Paragraph{std::string(3000, 'x')});
    document.sections.push_back(section);
    const reco::ui::ReportPages pages(document, PaperSize::Letter);
    QVERIFY2(pages.pageCount() >= 2 && pages.pageCount() <= 4,
             qPrintable(QString::number(pages.pageCount())));
    const QString file = dir_.filePath(QStringLiteral("edges.pdf"));
    QCOMPARE(reco::ui::writePdf(document, file, PaperSize::Letter).pages, pages.pageCount());
    QCOMPARE(pdfinfoPages(file), pages.pageCount());
  }

  void aStopLeavesNoFile() {
    std::stop_source stop;
    stop.request_stop();
    const QString file = dir_.filePath(QStringLiteral("stopped.pdf"));
    const auto result =
        reco::ui::writePdf(sampleDocument(50), file, PaperSize::A4, stop.get_token());
    QCOMPARE(result.outcome, reco::Outcome::Stopped);
    QVERIFY(!QFile::exists(file));
    QCOMPARE(QDir(dir_.path()).entryList({QStringLiteral("stopped*")}, QDir::Files).size(), 0);
  }

  void anUnwritablePlaceIsAnIoError() {
    const QString file = dir_.filePath(QStringLiteral("no-such-folder/r.pdf"));
    try {
      reco::ui::writePdf(sampleDocument(3), file, PaperSize::A4);
      QFAIL("expected an error");
    } catch (const reco::Error& e) {
      QCOMPARE(e.kind(), reco::ErrorKind::Io);
      QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("no-such-folder")), e.what());
    }
  }

  void theModuleWritesTheSamePages() {
    // libreco_pdf.so from the build's lib/ folder, as `reco report` loads it; in this process
    // it finds the test's QGuiApplication and uses it.
    const Document document = sampleDocument(120);
    const QString file = dir_.filePath(QStringLiteral("module.pdf"));
    const auto result =
        reco::report::writePdfThroughModule(document, file.toStdString(), PaperSize::A4);
    QCOMPARE(result.outcome, reco::Outcome::Completed);
    QCOMPARE(result.pages, reco::ui::ReportPages(document, PaperSize::A4).pageCount());
    QCOMPARE(pdfinfoPages(file), result.pages);
  }

 private:
  QTemporaryDir dir_;
};

QTEST_MAIN(TestPdfReport)
#include "test_pdf_report.moc"
