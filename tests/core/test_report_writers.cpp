// The report's HTML and CSV writers (core/report/html_writer.h, csv_tables.h) on a document
// with every kind of block: well-formed, self-contained HTML with the ids the dialog and the
// tests find, text escaped; CSV quoted per RFC 4180 and named by table id.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/report/csv_tables.h"
#include "core/report/document.h"
#include "core/report/html_writer.h"
#include "core/report/pdf_module.h"
#include "tests/support/gtest_support.h"
#include "tests/support/html_check.h"

namespace reco::report {
namespace {

using reco::testing::htmlProblem;
using reco::testing::TempDir;

Drawing smallDrawing(const std::string& label) {
  Drawing drawing;
  drawing.width = 200;
  drawing.height = 100;
  drawing.shapes.push_back(RectShape{10, 10, 50, 60, seriesColour(0), std::nullopt});
  drawing.shapes.push_back(LineShape{{0, 90}, {200, 90}, Stroke{}});
  drawing.shapes.push_back(CircleShape{{100, 50}, 3, seriesColour(1), std::nullopt});
  drawing.shapes.push_back(PolylineShape{{{0, 0}, {50, 20}, {100, 10}}, Stroke{{}, 1.5, true}});
  TextShape text;
  text.at = {100, 98};
  text.text = label;
  text.anchor = TextAnchor::Middle;
  drawing.shapes.push_back(text);
  return drawing;
}

Table comparisonTable() {
  Table table;
  table.id = "comparison";
  table.caption = "Runs at K = 10";
  table.header = {"run", "ndcg@10", "recall@10"};
  table.rows.push_back({TableCell{"ease", "", false, true}, TableCell{"0.450", "", true, true},
                        TableCell{"0.310", "", true}});
  table.rows.push_back({TableCell{"bpr, tuned", "factors 64"}, TableCell{"-0.012", "", true},
                        TableCell{"n/a", "", true, false, false, true}});
  table.notes = {"▲/▼: significantly better/worse than the baseline"};
  return table;
}

Document everyBlockKind() {
  Document document;
  document.title = "Report <script>alert('x')</script> & co";
  document.subtitle = "random-42 · 2 runs · K = 10";
  Section protocol{"protocol", "Protocol", {}};
  protocol.blocks.emplace_back(
      KeyValueCard{"Protocol", {{"dataset", "ml-100k (u.data)"}, {"split", "random, seed 42"}}});
  protocol.blocks.emplace_back(Paragraph{"Sampled metrics: 100 negatives per user.", true});
  document.sections.push_back(protocol);
  Section comparison{"comparison", "Comparison", {}};
  comparison.blocks.emplace_back(Heading{"At K = 10"});
  comparison.blocks.emplace_back(comparisonTable());
  comparison.blocks.emplace_back(Figure{"metric-bars", "ndcg@10 with 95% CIs", smallDrawing("a")});
  document.sections.push_back(comparison);
  Section plots{"plots", "Plots", {}};
  plots.blocks.emplace_back(FigureRow{{Figure{"loss-ease", "ease", smallDrawing("b")},
                                       Figure{"loss-bpr", "bpr", smallDrawing("c < d")}}});
  Table users;
  users.id = "user-196";
  users.header = {"rank", "item"};
  users.rows.push_back(
      {TableCell{"1", "", true}, TableCell{"Star Wars", "Sci-Fi", false, false, true}});
  plots.blocks.emplace_back(users);
  document.sections.push_back(plots);
  return document;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ReportDocument, FindsSectionsAndTablesInOrder) {
  const Document document = everyBlockKind();
  ASSERT_NE(document.section("plots"), nullptr);
  EXPECT_EQ(document.section("plots")->title, "Plots");
  EXPECT_EQ(document.section("items"), nullptr);
  const auto tables = document.tables();
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0]->id, "comparison");
  EXPECT_EQ(tables[1]->id, "user-196");
}

TEST(ReportHtml, IsWellFormedSelfContainedAndHasEveryId) {
  const std::string html = renderHtml(everyBlockKind());
  const auto problem = htmlProblem(html);
  EXPECT_FALSE(problem.has_value()) << *problem;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\"/>"), std::string::npos);
  for (const char* id : {"id=\"protocol\"", "id=\"comparison\"", "id=\"plots\"",
                         "id=\"table-comparison\"", "id=\"table-user-196\"",
                         "id=\"fig-metric-bars\"", "id=\"fig-loss-ease\"", "id=\"fig-loss-bpr\""}) {
    EXPECT_NE(html.find(id), std::string::npos) << id;
  }
  // Three figures, each an inline SVG with its caption as the title.
  std::size_t svgs = 0;
  for (std::size_t p = html.find("<svg"); p != std::string::npos; p = html.find("<svg", p + 1))
    ++svgs;
  EXPECT_EQ(svgs, 3u);
  EXPECT_NE(html.find("<title>ndcg@10 with 95% CIs</title>"), std::string::npos);
  EXPECT_NE(html.find("@page"), std::string::npos);
  EXPECT_NE(html.find("break-inside: avoid"), std::string::npos);
}

TEST(ReportHtml, EscapesTextEverywhere) {
  const std::string html = renderHtml(everyBlockKind());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("Report &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"),
            std::string::npos);
  EXPECT_NE(html.find("c &lt; d"), std::string::npos);
  EXPECT_EQ(escapeHtml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST(ReportHtml, MarksCellsAndAlignsNumericColumns) {
  const std::string html = renderHtml(everyBlockKind());
  EXPECT_NE(html.find("<td class=\"num best\">0.450</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num muted\">n/a</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"hit\">Star Wars<span class=\"detail\">Sci-Fi</span></td>"),
            std::string::npos);
  EXPECT_NE(html.find("<th class=\"num\">ndcg@10</th>"), std::string::npos);
  EXPECT_NE(html.find("<th>run</th>"), std::string::npos);
}

TEST(ReportHtml, CheckerCatchesWhatTheWriterMustNeverDo) {
  // The checker itself: a test that passes whatever it reads would prove nothing.
  EXPECT_TRUE(htmlProblem("<p><b>x</p></b>").has_value());
  EXPECT_TRUE(htmlProblem("<p class=x>a</p>").has_value());
  EXPECT_TRUE(htmlProblem("<p>a & b</p>").has_value());
  EXPECT_TRUE(htmlProblem("<img src=\"a.png\"/>").has_value());
  EXPECT_TRUE(htmlProblem("<style>a{background:url(x.png)}</style>").has_value());
  EXPECT_TRUE(htmlProblem("<p>https://example.com</p>").has_value());
  EXPECT_FALSE(htmlProblem("<svg xmlns=\"http://www.w3.org/2000/svg\"><line/></svg>").has_value());
}

TEST(ReportCsv, QuotesPerRfc4180AndAppendsDetails) {
  Table table;
  table.id = "t";
  table.header = {"name", "value, with comma"};
  table.rows.push_back({TableCell{"Crème \"brûlée\"", ""}, TableCell{"1.5", "", true}});
  table.rows.push_back({TableCell{"two\nlines", "Desserts"}, TableCell{"-0.25", "", true}});
  table.rows.push_back({TableCell{"=SUM(A1)", ""}, TableCell{"3", "▲", true}});
  EXPECT_EQ(tableCsv(table),
            "name,\"value, with comma\"\n"
            "\"Crème \"\"brûlée\"\"\",1.5\n"
            "\"two\nlines · Desserts\",-0.25\n"
            "\"'=SUM(A1)\",3 · ▲\n");
}

TEST(ReportCsv, WritesOneFilePerTableBesideTheReport) {
  const TempDir dir;
  const Document document = everyBlockKind();
  const auto files = writeTableCsvs(document, dir.path() / "report.html");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], dir.path() / "report.comparison.csv");
  EXPECT_EQ(files[1], dir.path() / "report.user-196.csv");
  EXPECT_EQ(readFile(files[0]), tableCsv(comparisonTable()));
  EXPECT_EQ(readFile(files[1]).substr(0, 10), "rank,item\n");
  // Nothing but the two files: no partial file left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++entries;
  EXPECT_EQ(entries, 2u);
}

TEST(ReportCsv, JoinsTheLaidOutPartsOfAWideTableIntoOneFile) {
  const TempDir dir;
  const auto table = [](std::string id, std::vector<std::string> header,
                        const std::vector<std::vector<std::string>>& rows) {
    Table t;
    t.id = std::move(id);
    t.header = std::move(header);
    for (const auto& row : rows) {
      t.rows.emplace_back();
      for (const auto& text : row) t.rows.back().push_back(TableCell{text, {}, {}, {}, {}, {}});
    }
    return t;
  };
  const Table first = table("wide", {"run", "a"}, {{"ease", "1"}, {"pop", "2"}});
  Table second = table("wide-2", {"run", "b", "c"}, {{"ease", "3", "4"}, {"pop", "5", "6"}});
  second.continues = "wide";
  second.keyColumns = 1;
  Document document;
  document.sections.push_back(Section{"s", "S", {first, second}});
  const auto files = writeTableCsvs(document, dir.path() / "r.html");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(readFile(files[0]), "run,a,b,c\nease,1,3,4\npop,2,5,6\n");

  // A part whose rows do not match the table it continues is a bug, never a shifted column.
  second.rows.pop_back();
  Document broken;
  broken.sections.push_back(Section{"s", "S", {first, second}});
  EXPECT_THROW(writeTableCsvs(broken, dir.path() / "b.html"), Error);
}

// A table with its own CSV form (the comparison's numbers) writes that form, numbers as is
// and text guarded, and the parts that continue it add nothing.
TEST(ReportCsv, ATablesOwnCsvFormReplacesItsCellsAndParts) {
  const TempDir dir;
  Table first;
  first.id = "wide";
  first.header = {"run", "a"};
  first.rows = {{TableCell{"ease", ""}, TableCell{"0.5 ▲", "[0.4, 0.6]", true}}};
  first.csvHeader = {"run", "a", "a_ci_low", "b"};
  first.csvRows = {{"=ease", "0.5", "-0.0125", ""}};
  Table second;
  second.id = "wide-2";
  second.header = {"run", "b"};
  second.rows = {{TableCell{"ease", ""}, TableCell{"7", "", true}}};
  second.continues = "wide";
  second.keyColumns = 1;
  EXPECT_EQ(tableCsv(first), "run,a,a_ci_low,b\n\"'=ease\",0.5,-0.0125,\n");
  Document document;
  document.sections.push_back(Section{"s", "S", {first, second}});
  const auto files = writeTableCsvs(document, dir.path() / "r.html");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(readFile(files[0]), tableCsv(first));
}

TEST(ReportCsv, RefusesTwoTablesWithOneId) {
  const TempDir dir;
  Document document;
  document.sections.push_back(Section{"s", "S", {comparisonTable(), comparisonTable()}});
  EXPECT_THROW(writeTableCsvs(document, dir.path() / "r.pdf"), Error);
}

TEST(ReportCsv, ReportsAFolderThatCannotBeWritten) {
  const TempDir dir;
  try {
    writeTableCsvs(everyBlockKind(), dir.path() / "missing-folder" / "r.html");
    FAIL() << "expected an Io error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find("missing-folder"), std::string::npos) << e.what();
  }
}

TEST(ReportPdfModule, AMissingModuleIsAConfigErrorThatSaysWhereAndWhatElse) {
  // This suite never loads the module, so the one load of the process happens here.
  const TempDir dir;
  const std::string missing = dir.file("libreco_pdf.so");
  ASSERT_EQ(setenv("RECO_PDF_MODULE", missing.c_str(), 1), 0);
  try {
    writePdfThroughModule(everyBlockKind(), dir.path() / "r.pdf", PaperSize::A4);
    FAIL() << "expected a Config error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    const std::string message = e.what();
    EXPECT_NE(message.find(missing), std::string::npos) << message;
    EXPECT_NE(message.find("write .html instead"), std::string::npos) << message;
  }
  unsetenv("RECO_PDF_MODULE");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "r.pdf"));
}

}  // namespace
}  // namespace reco::report
