#pragma once
/// The report as a document model: the one thing the HTML writer (html_writer.h), the PDF
/// writer (ui/report/pdf_report.h) and the CSV export (csv_tables.h) read, so the formats
/// never disagree. report_builder.h fills it from a workspace; nothing here knows about
/// workspaces.
///
/// A document is a title and sections; each section a list of blocks. Sections have a
/// stable id ("protocol", "summary", "comparison", "plots", "users", "items") that the
/// dialog's check boxes and the tests use.

#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/report/drawing.h"

namespace reco::report {

/// A paragraph of plain text (UTF-8; writers escape it).
struct Paragraph {
  std::string text;
  bool small = false;  ///< a note under a table or figure
};

/// Label/value rows under a title, drawn as a card (the protocol card).
struct KeyValueCard {
  std::string title;
  std::vector<std::pair<std::string, std::string>> rows;
};

struct TableCell {
  std::string text;
  std::string detail;      ///< a second, smaller line ("Electronics · 19.99"); may be empty
  bool numeric = false;    ///< right-aligned
  bool bold = false;       ///< the best of its column
  bool highlight = false;  ///< a test hit in a user story
  bool muted = false;      ///< a value that does not apply ("n/a")
};

struct Table {
  /// Stable, file-name safe ("comparison", "segments", "user-196"): the CSV export's file
  /// name stem.
  std::string id;
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<TableCell>> rows;  ///< each as long as `header`
  /// A wide table is laid out as several tables of the same rows, each repeating the first
  /// `keyColumns` columns: the parts after the first name the first's id here. The page
  /// shows each part on its own; the CSV export joins them into one file of all columns.
  std::string continues;
  std::size_t keyColumns = 0;
  /// The CSV export's own form, when it differs from the page's: numbers a spreadsheet reads
  /// ("0.1934", "0.1819") where the page shows "0.1934 ▼ · [0.1819, 0.2050]". When csvHeader
  /// is non-empty, tableCsv writes csvHeader and csvRows (each as long as csvHeader) instead of
  /// header and rows, and the parts that continue this table add nothing to its CSV: it
  /// carries every column itself.
  std::vector<std::string> csvHeader;
  std::vector<std::vector<std::string>> csvRows;
  /// Explanations under the table ("▲/▼: significantly better/worse than the baseline, paired
  /// t-test, Holm-corrected, alpha 0.05").
  std::vector<std::string> notes;
};

struct Figure {
  std::string id;  ///< stable, file-name safe ("metric-bars", "loss-ease")
  std::string caption;
  Drawing drawing;
};

/// Figures side by side where the page allows (two loss curves per row); the PDF writer
/// places them two per row, the HTML in a wrapping flex row.
struct FigureRow {
  std::vector<Figure> figures;
};

struct Heading {
  std::string text;
  int level = 3;  ///< 3: a sub-heading inside a section (the section title is level 2)
};

using Block = std::variant<Heading, Paragraph, KeyValueCard, Table, Figure, FigureRow>;

struct Section {
  std::string id;  ///< "protocol", "summary", "comparison", "plots", "users", "items"
  std::string title;
  std::vector<Block> blocks;
};

struct Document {
  std::string title;     ///< "Reco Workbench report: ml-100k"
  std::string subtitle;  ///< "random-42 · 5 runs · K = 10 · 2026-12-06 21:40 UTC"
  std::vector<Section> sections;

  /// The section with this id, or null.
  const Section* section(const std::string& id) const;
  /// Every table of the document, in order (sections, then blocks).
  std::vector<const Table*> tables() const;
};

}  // namespace reco::report
