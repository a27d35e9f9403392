// The report's page layout: the document's blocks flowed top to bottom onto pages, with the
// rules a printed report keeps (a heading never alone at a page's bottom, a table's header
// repeated on every page it spans, a figure or a card never split, captions with their
// figure). Everything is measured in points with TextMeasure (pdf_report_items.h).
#include <QFontMetricsF>
#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "ui/report/pdf_report_items.h"

namespace reco::ui::pdf {

using namespace reco::report;

// ---- TextMeasure ---------------------------------------------------------------------------

const QFontMetricsF& TextMeasure::metrics(const TextStyle& style) {
  auto& slot = metrics_[style];
  if (!slot) slot = std::make_unique<QFontMetricsF>(reportFont(style));
  return *slot;
}

double TextMeasure::width(const QString& text, const TextStyle& style) {
  return metrics(style).horizontalAdvance(text) / kFontScale;
}

double TextMeasure::ascent(const TextStyle& style) {
  return metrics(style).ascent() / kFontScale;
}

double TextMeasure::lineHeight(const TextStyle& style) {
  return metrics(style).lineSpacing() / kFontScale;
}

QString TextMeasure::elide(const QString& text, const TextStyle& style, double width) {
  return metrics(style).elidedText(text, Qt::ElideRight, width * kFontScale);
}

std::vector<QString> TextMeasure::wrap(const QString& text, const TextStyle& style, double width,
                                       int maxLines) {
  std::vector<QString> lines;
  // A text measured for its natural width must fit that width again, whatever the rounding.
  width += 0.01;
  const QStringList paragraphs = text.split(QLatin1Char('\n'));
  for (const QString& paragraph : paragraphs) {
    QString line;
    const QStringList words = paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QString word : words) {
      const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
      if (this->width(candidate, style) <= width) {
        line = candidate;
        continue;
      }
      if (!line.isEmpty()) lines.push_back(line);
      // A word wider than the line: cut it between characters.
      while (this->width(word, style) > width && word.size() > 1) {
        qsizetype fit = 1;
        while (fit < word.size() && this->width(word.left(fit + 1), style) <= width) ++fit;
        // Metric names ("recall_head@10") read best cut after an underscore or before an @.
        for (qsizetype at = fit; at > 1; --at) {
          if (word[at - 1] == QLatin1Char('_') || word[at] == QLatin1Char('@')) {
            fit = at;
            break;
          }
        }
        lines.push_back(word.left(fit));
        word = word.mid(fit);
      }
      line = word;
    }
    lines.push_back(line);
  }
  if (maxLines > 0 && int(lines.size()) > maxLines) {
    QString last = lines[std::size_t(maxLines - 1)];
    for (std::size_t i = std::size_t(maxLines); i < lines.size(); ++i) last += ' ' + lines[i];
    lines.resize(std::size_t(maxLines));
    lines.back() = elide(last, style, width);
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

// ---- Layout --------------------------------------------------------------------------------

namespace {

const QColor kInk(0x1f, 0x23, 0x28);
const QColor kMuted(0x6e, 0x77, 0x81);
const QColor kRule(0xd0, 0xd7, 0xde);
const QColor kCardFill(0xf6, 0xf8, 0xfa);
const QColor kHit(0xdc, 0xf5, 0xe1);

const TextStyle kTitle{20, true};
const TextStyle kSubtitle{10, false};
const TextStyle kSectionHeading{14, true};
const TextStyle kBody{9.5, false};
const TextStyle kSmall{7.5, false};
const TextStyle kCaption{9, true};
const TextStyle kCell{8.5, false};
const TextStyle kCellBold{8.5, true};
const TextStyle kDetail{7, false};

TextStyle headingStyle(int level) {
  return level <= 3 ? TextStyle{11, true} : TextStyle{10, true};
}

// Line boxes: a little more than the font's own spacing, for reading.
double lineBox(const TextStyle& style) {
  return style.size * 1.38;
}

constexpr double kCellPadX = 4, kCellPadY = 3;
constexpr double kFigureGap = 14;  // between the two figures of a row
constexpr double kCardPad = 8;

class Layouter {
 public:
  Layouter(QSizeF pageSize, double margin)
      : left_(margin),
        top_(margin),
        width_(pageSize.width() - 2 * margin),
        bottom_(pageSize.height() - margin) {
    newPage();
  }

  std::vector<Page> run(const Document& document) {
    titleBlock(document);
    for (const auto& section : document.sections) {
      const double lead = leadOf(section.blocks, 0);
      space(16);
      const auto lines =
          measure_.wrap(QString::fromStdString(section.title), kSectionHeading, width_);
      const double headingHeight = double(lines.size()) * lineBox(kSectionHeading) + 8;
      ensure(headingHeight + lead);
      for (const auto& line : lines) textLine(line, left_, kSectionHeading, kInk);
      y_ += 2;
      add(LineItem{{left_, y_}, {left_ + width_, y_}, kRule, 0.6});
      y_ += 6;
      for (std::size_t b = 0; b < section.blocks.size(); ++b) {
        const Block* next = b + 1 < section.blocks.size() ? &section.blocks[b + 1] : nullptr;
        block(section.blocks[b], next);
      }
    }
    return std::move(pages_);
  }

 private:
  // -- flow ----------------------------------------------------------------------------------
  void newPage() {
    pages_.emplace_back();
    y_ = top_;
  }
  bool atPageTop() const { return y_ <= top_ + 0.01; }
  double pageHeight() const { return bottom_ - top_; }
  // A new page unless `height` more points fit on this one (or this page is still empty).
  void ensure(double height) {
    if (y_ + height > bottom_ && !atPageTop()) newPage();
  }
  void space(double points) {
    if (!atPageTop()) y_ += points;
  }
  void add(Item item) { pages_.back().items.push_back(std::move(item)); }
  // One line of text in a line box at y_; advances y_.
  void textLine(const QString& text, double x, const TextStyle& style, const QColor& colour) {
    ensure(lineBox(style));
    add(TextItem{text, x, y_ + baselineOffset(style), style, colour});
    y_ += lineBox(style);
  }
  double baselineOffset(const TextStyle& style) {
    return (lineBox(style) - measure_.lineHeight(style)) / 2 + measure_.ascent(style);
  }

  // -- blocks --------------------------------------------------------------------------------
  void titleBlock(const Document& document) {
    for (const auto& line : measure_.wrap(QString::fromStdString(document.title), kTitle, width_))
      textLine(line, left_, kTitle, kInk);
    if (!document.subtitle.empty()) {
      y_ += 2;
      for (const auto& line :
           measure_.wrap(QString::fromStdString(document.subtitle), kSubtitle, width_))
        textLine(line, left_, kSubtitle, kMuted);
    }
    y_ += 6;
    add(LineItem{{left_, y_}, {left_ + width_, y_}, kInk, 1.2});
    y_ += 6;
  }

  // How much of blocks[index] must fit under a heading for the heading to stay on this page;
  // a sub-heading brings the lead of the block it introduces (a section title never stays
  // behind with only its first sub-heading).
  double leadOf(const std::vector<Block>& blocks, std::size_t index) {
    if (index >= blocks.size()) return 0;
    double lead = leadHeight(blocks[index]);
    if (std::holds_alternative<Heading>(blocks[index]) && index + 1 < blocks.size())
      lead += leadHeight(blocks[index + 1]);
    return std::min(lead, pageHeight() * 0.8);
  }

  // How much of a block must fit under a heading for the heading to stay on this page.
  double leadHeight(const Block& block) {
    return std::visit(
        [this](const auto& b) -> double {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, Heading>) {
            return lineBox(headingStyle(b.level)) + 11;
          } else if constexpr (std::is_same_v<T, Paragraph>) {
            const auto lines = measure_.wrap(QString::fromStdString(b.text), kBody, width_);
            return double(std::min<std::size_t>(lines.size(), 2)) * lineBox(kBody);
          } else if constexpr (std::is_same_v<T, KeyValueCard>) {
            return std::min(cardHeight(b), pageHeight());
          } else if constexpr (std::is_same_v<T, Table>) {
            return lineBox(kCaption) + 3 * (lineBox(kCell) + 2 * kCellPadY) + 4;
          } else if constexpr (std::is_same_v<T, Figure>) {
            return figureSize(b, width_).height() + captionHeight(b, width_) + 6;
          } else {
            return figureRowHeight(b);
          }
        },
        block);
  }

  void block(const Block& block, const Block* next) {
    std::visit(
        [this, next](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, Heading>) {
            const TextStyle style = headingStyle(b.level);
            space(8);
            const auto lines = measure_.wrap(QString::fromStdString(b.text), style, width_);
            ensure(double(lines.size()) * lineBox(style) + 3 + (next ? leadHeight(*next) : 0));
            for (const auto& line : lines) textLine(line, left_, style, kInk);
            y_ += 3;
          } else if constexpr (std::is_same_v<T, Paragraph>) {
            paragraph(b.text, b.small ? kSmall : kBody, b.small ? kMuted : kInk);
            y_ += 5;
          } else if constexpr (std::is_same_v<T, KeyValueCard>) {
            card(b);
          } else if constexpr (std::is_same_v<T, Table>) {
            table(b);
          } else if constexpr (std::is_same_v<T, Figure>) {
            space(6);
            figure(b, left_, width_, true);
          } else {
            figureRow(b);
          }
        },
        block);
  }

  void paragraph(const std::string& text, const TextStyle& style, const QColor& colour) {
    for (const auto& line : measure_.wrap(QString::fromStdString(text), style, width_))
      textLine(line, left_, style, colour);
  }

  // -- the card ------------------------------------------------------------------------------
  struct CardGeometry {
    double labelWidth = 0, valueX = 0, valueWidth = 0;
  };
  CardGeometry cardGeometry(const KeyValueCard& card) {
    const double inner = width_ - 2 * kCardPad;
    double labels = 0;
    for (const auto& row : card.rows)
      labels = std::max(labels, measure_.width(QString::fromStdString(row.first), kBody));
    CardGeometry g;
    g.labelWidth = std::min(labels, inner * 0.35);
    g.valueX = left_ + kCardPad + g.labelWidth + 14;
    g.valueWidth = left_ + width_ - kCardPad - g.valueX;
    return g;
  }
  double cardRowHeight(const std::pair<std::string, std::string>& row, const CardGeometry& g) {
    const auto label = measure_.wrap(QString::fromStdString(row.first), kBody, g.labelWidth);
    const auto value = measure_.wrap(QString::fromStdString(row.second), kBody, g.valueWidth);
    return double(std::max(label.size(), value.size())) * lineBox(kBody);
  }
  double cardTitleHeight(const KeyValueCard& card) {
    return card.title.empty() ? 0 : lineBox(headingStyle(3)) + 3;
  }
  double cardHeight(const KeyValueCard& card) {
    const CardGeometry g = cardGeometry(card);
    double height = 2 * kCardPad + cardTitleHeight(card);
    for (const auto& row : card.rows) height += cardRowHeight(row, g);
    return height;
  }

  // The box is drawn under its text: its RectItem is inserted where the card's items begin,
  // once the card's height on this page is known. A card taller than a page continues in a
  // box on the next.
  void card(const KeyValueCard& card) {
    space(6);
    ensure(std::min(cardHeight(card), pageHeight()));
    const CardGeometry g = cardGeometry(card);
    std::size_t boxIndex = pages_.back().items.size();
    double boxTop = y_;
    const auto closeBox = [&] {
      const QRectF rect(left_, boxTop, width_, y_ + kCardPad - boxTop);
      auto& items = pages_.back().items;
      items.insert(items.begin() + std::ptrdiff_t(boxIndex), RectItem{rect, kCardFill, kRule, 0.6});
    };
    y_ += kCardPad;
    if (!card.title.empty()) {
      textLine(QString::fromStdString(card.title), left_ + kCardPad, headingStyle(3), kInk);
      y_ += 3;
    }
    for (const auto& row : card.rows) {
      const double height = cardRowHeight(row, g);
      if (y_ + height + kCardPad > bottom_) {
        closeBox();
        newPage();
        boxIndex = 0;
        boxTop = y_;
        y_ += kCardPad;
      }
      const double rowTop = y_;
      for (const auto& line : measure_.wrap(QString::fromStdString(row.first), kBody, g.labelWidth))
        textLine(line, left_ + kCardPad, kBody, kMuted);
      y_ = rowTop;
      for (const auto& line :
           measure_.wrap(QString::fromStdString(row.second), kBody, g.valueWidth))
        textLine(line, g.valueX, kBody, kInk);
      y_ = rowTop + height;
    }
    closeBox();
    y_ += kCardPad + 8;
  }

  // -- tables --------------------------------------------------------------------------------
  struct PlacedCell {
    std::vector<QString> lines;
    std::vector<QString> details;  ///< the detail's lines (at most 2)
    TextStyle style;
    QColor colour;
    bool numeric = false, highlight = false;
  };
  struct PlacedRow {
    std::vector<PlacedCell> cells;
    double height = 0;
  };

  static bool isNumericColumn(const Table& table, std::size_t column) {
    bool any = false;
    for (const auto& row : table.rows) {
      if (column >= row.size() || row[column].text.empty()) continue;
      if (!row[column].numeric) return false;
      any = true;
    }
    return any;
  }

  double longestWord(const QString& text, const TextStyle& style) {
    double longest = 0;
    for (const QString& word :
         text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
      longest = std::max(longest, measure_.width(word, style));
    return longest;
  }

  // Natural widths from the content; squeezed towards each column's narrowest sensible
  // width (numbers never wrap; text down to its longest word, at most 90 pt) to fit.
  std::vector<double> columnWidths(const Table& table) {
    const std::size_t columns = table.header.size();
    std::vector<double> natural(columns, 0), narrow(columns, 0);
    for (std::size_t c = 0; c < columns; ++c) {
      const bool numeric = isNumericColumn(table, c);
      const QString header = QString::fromStdString(table.header[c]);
      double cells = 0, words = 0;
      for (const auto& row : table.rows) {
        if (c >= row.size()) continue;
        const auto& cell = row[c];
        const QString text = QString::fromStdString(cell.text);
        const TextStyle style = cell.bold ? kCellBold : kCell;
        cells = std::max(cells, measure_.width(text, style));
        cells = std::max(
            cells, std::min(measure_.width(QString::fromStdString(cell.detail), kDetail), 160.0));
        words = std::max(words, longestWord(text, style));
      }
      natural[c] = std::max(cells, measure_.width(header, kCellBold)) + 2 * kCellPadX;
      const double headerWord = longestWord(header, kCellBold);
      narrow[c] = std::max(numeric ? cells : std::min(std::max(words, 40.0), std::min(cells, 90.0)),
                           headerWord) +
                  2 * kCellPadX;
      narrow[c] = std::min(narrow[c], natural[c]);
    }
    double sumNatural = 0, sumNarrow = 0;
    for (std::size_t c = 0; c < columns; ++c) {
      sumNatural += natural[c];
      sumNarrow += narrow[c];
    }
    if (sumNatural <= width_) return natural;
    // Numbers and their headers whole where the text columns can make the room.
    double numericNatural = 0, textNarrow = 0, textNatural = 0;
    for (std::size_t c = 0; c < columns; ++c) {
      if (isNumericColumn(table, c)) {
        numericNatural += natural[c];
      } else {
        textNarrow += narrow[c];
        textNatural += natural[c];
      }
    }
    if (numericNatural + textNarrow <= width_ && textNatural > textNarrow) {
      std::vector<double> widths = natural;
      const double share = (width_ - numericNatural - textNarrow) / (textNatural - textNarrow);
      for (std::size_t c = 0; c < columns; ++c) {
        if (!isNumericColumn(table, c)) widths[c] = narrow[c] + (natural[c] - narrow[c]) * share;
      }
      return widths;
    }
    std::vector<double> widths(columns);
    for (std::size_t c = 0; c < columns; ++c) {
      widths[c] = sumNarrow >= width_
                      ? narrow[c] * width_ / sumNarrow
                      : narrow[c] + (natural[c] - narrow[c]) * (width_ - sumNarrow) /
                                        (sumNatural - sumNarrow);
    }
    return widths;
  }

  PlacedRow placeRow(const std::vector<TableCell>& row, const std::vector<double>& widths) {
    PlacedRow placed;
    double content = lineBox(kCell);
    for (std::size_t c = 0; c < widths.size(); ++c) {
      PlacedCell cell;
      const TableCell source = c < row.size() ? row[c] : TableCell{};
      cell.style = source.bold ? kCellBold : kCell;
      cell.colour = source.muted ? kMuted : kInk;
      cell.numeric = source.numeric;
      cell.highlight = source.highlight;
      const double inner = widths[c] - 2 * kCellPadX;
      const QString text = QString::fromStdString(source.text);
      cell.lines = source.numeric ? std::vector<QString>{measure_.elide(text, cell.style, inner)}
                                  : measure_.wrap(text, cell.style, inner, 3);
      // A detail (a category, a model's reason) wraps to a second line before it is cut.
      if (!source.detail.empty())
        cell.details = measure_.wrap(QString::fromStdString(source.detail), kDetail, inner, 2);
      content = std::max(content, double(cell.lines.size()) * lineBox(kCell) +
                                      double(cell.details.size()) * lineBox(kDetail));
      placed.cells.push_back(std::move(cell));
    }
    placed.height = 2 * kCellPadY + content;
    return placed;
  }

  PlacedRow placeHeader(const Table& table, const std::vector<double>& widths) {
    PlacedRow header;
    int lines = 1;
    for (std::size_t c = 0; c < widths.size(); ++c) {
      PlacedCell cell;
      cell.style = kCellBold;
      cell.colour = kInk;
      cell.numeric = isNumericColumn(table, c);
      cell.lines = measure_.wrap(QString::fromStdString(table.header[c]), kCellBold,
                                 widths[c] - 2 * kCellPadX, 3);
      lines = std::max(lines, int(cell.lines.size()));
      header.cells.push_back(std::move(cell));
    }
    header.height = 2 * kCellPadY + lines * lineBox(kCell);
    return header;
  }

  void paintRow(const PlacedRow& row, const std::vector<double>& widths, bool header) {
    double x = left_;
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      const auto& cell = row.cells[c];
      if (cell.highlight) add(RectItem{QRectF(x, y_, widths[c], row.height), kHit, {}, 0});
      double lineY = y_ + kCellPadY;
      for (const auto& line : cell.lines) {
        const double textX = cell.numeric
                                 ? x + widths[c] - kCellPadX - measure_.width(line, cell.style)
                                 : x + kCellPadX;
        add(TextItem{line, textX, lineY + baselineOffset(kCell), cell.style, cell.colour});
        lineY += lineBox(kCell);
      }
      // The detail sits under the cell's last line, whatever the other cells hold.
      for (const auto& line : cell.details) {
        const double textX = cell.numeric
                                 ? x + widths[c] - kCellPadX - measure_.width(line, kDetail)
                                 : x + kCellPadX;
        add(TextItem{line, textX, lineY + baselineOffset(kDetail), kDetail, kMuted});
        lineY += lineBox(kDetail);
      }
      x += widths[c];
    }
    const double right = x;
    y_ += row.height;
    add(LineItem{{left_, y_}, {right, y_}, header ? kInk : kRule, header ? 0.8 : 0.4});
  }

  void table(const Table& table) {
    space(8);
    const std::vector<double> widths = columnWidths(table);
    double tableWidth = 0;
    for (const double w : widths) tableWidth += w;
    const PlacedRow header = placeHeader(table, widths);
    std::vector<PlacedRow> rows;
    rows.reserve(table.rows.size());
    for (const auto& row : table.rows) rows.push_back(placeRow(row, widths));
    const QString caption = QString::fromStdString(table.caption);
    const auto captionLines =
        caption.isEmpty() ? std::vector<QString>{} : measure_.wrap(caption, kCaption, width_);
    const double first = rows.empty() ? 0 : rows.front().height;
    ensure(double(captionLines.size()) * lineBox(kCaption) + 2 + header.height + first);
    for (const auto& line : captionLines) textLine(line, left_, kCaption, kInk);
    const auto startHeader = [&] {
      y_ += 2;
      add(LineItem{{left_, y_}, {left_ + tableWidth, y_}, kInk, 0.8});
      paintRow(header, widths, true);
    };
    startHeader();
    // The notes explain the table's marks: they stay on the page of its last row.
    double notes = 4;
    for (const auto& note : table.notes) {
      notes += double(measure_.wrap(QString::fromStdString(note), kSmall, width_).size()) *
               lineBox(kSmall);
    }
    if (notes > pageHeight() / 3) notes = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const PlacedRow& row = rows[r];
      const double needed = row.height + (r + 1 == rows.size() ? notes : 0);
      if (y_ + needed > bottom_) {
        newPage();
        if (!caption.isEmpty()) {
          textLine(measure_.elide(caption + QStringLiteral(" (continued)"), kSmall, width_), left_,
                   kSmall, kMuted);
        }
        startHeader();
      }
      paintRow(row, widths, false);
    }
    y_ += 4;
    for (const auto& note : table.notes) paragraph(note, kSmall, kMuted);
    y_ += 8;
  }

  // -- figures -------------------------------------------------------------------------------
  // Scaled down to `width` keeping its aspect ratio, and never taller than a page allows;
  // never enlarged: a chart's text sizes are chosen for its own size (and the HTML shows it
  // at that size too).
  QSizeF figureSize(const Figure& figure, double width) {
    const Drawing& d = figure.drawing;
    if (d.width <= 0 || d.height <= 0) return {0, 0};
    double scale = std::min(1.0, width / d.width);
    const double maxHeight = pageHeight() - captionHeight(figure, width) - 12;
    if (d.height * scale > maxHeight) scale = maxHeight / d.height;
    return {d.width * scale, d.height * scale};
  }
  double captionHeight(const Figure& figure, double width) {
    if (figure.caption.empty()) return 0;
    const auto lines = measure_.wrap(QString::fromStdString(figure.caption), kSmall, width);
    return 3 + double(lines.size()) * lineBox(kSmall);
  }

  // Places the figure at y_ in a column [x, x + width); `flow`: advance y_ (a row advances
  // it itself).
  double figure(const Figure& figure, double x, double width, bool flow) {
    const QSizeF size = figureSize(figure, width);
    const double height = size.height() + captionHeight(figure, width);
    if (flow) ensure(height);
    const double top = y_;
    const double figureX = x;  // left-aligned with its caption, as in the HTML
    if (size.width() > 0) {
      add(DrawingItem{&figure.drawing, figureX, top, size.width() / figure.drawing.width});
    }
    double lineY = top + size.height() + 3;
    if (!figure.caption.empty()) {
      for (const auto& line :
           measure_.wrap(QString::fromStdString(figure.caption), kSmall, width)) {
        add(TextItem{line, x, lineY + baselineOffset(kSmall), kSmall, kMuted});
        lineY += lineBox(kSmall);
      }
    }
    if (flow) y_ = top + height + 10;
    return height;
  }

  double columnWidth() const { return (width_ - kFigureGap) / 2; }

  double figureRowHeight(const FigureRow& row) {
    double height = 0;
    for (std::size_t i = 0; i < row.figures.size() && i < 2; ++i) {
      const Figure& f = row.figures[i];
      height =
          std::max(height, figureSize(f, columnWidth()).height() + captionHeight(f, columnWidth()));
    }
    return height + 10;
  }

  void figureRow(const FigureRow& row) {
    space(6);
    for (std::size_t i = 0; i < row.figures.size(); i += 2) {
      double height = 0;
      for (std::size_t j = i; j < std::min(i + 2, row.figures.size()); ++j) {
        const Figure& f = row.figures[j];
        height = std::max(height,
                          figureSize(f, columnWidth()).height() + captionHeight(f, columnWidth()));
      }
      ensure(height);
      figure(row.figures[i], left_, columnWidth(), false);
      if (i + 1 < row.figures.size())
        figure(row.figures[i + 1], left_ + columnWidth() + kFigureGap, columnWidth(), false);
      y_ += height + 10;
    }
  }

  TextMeasure measure_;
  std::vector<Page> pages_;
  double y_ = 0;
  double left_, top_, width_, bottom_;
};

}  // namespace

std::vector<Page> layOut(const Document& document, QSizeF pageSize, double margin) {
  return Layouter(pageSize, margin).run(document);
}

}  // namespace reco::ui::pdf
