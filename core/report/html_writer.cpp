#include "core/report/html_writer.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "core/report/svg_writer.h"

namespace reco::report {
namespace {

// One style sheet, inline: no font files, no images, no url() of any kind, so the file
// opens and prints the same offline. Print rules keep table rows, figures and the card in
// one piece and a heading with what follows it; <thead> repeats on every printed page.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; --ink: #1f2328; --muted: #6e7781; --rule: #d0d7de;
  --soft: #f6f8fa; --hit: #dcf5e1; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; background: #ffffff; color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5; }
main, body > header { max-width: 60em; margin: 0 auto; padding: 0 1.5em; }
body > header { padding-top: 2em; padding-bottom: 0.5em; border-bottom: 2px solid var(--ink); }
h1 { font-size: 1.9em; line-height: 1.2; margin: 0 0 0.2em; font-weight: 650; }
.subtitle { color: var(--muted); margin: 0; }
section { margin: 2em 0; }
h2 { font-size: 1.4em; margin: 0 0 0.6em; padding-bottom: 0.2em; border-bottom: 1px solid var(--rule);
  font-weight: 600; }
h3 { font-size: 1.12em; margin: 1.4em 0 0.5em; font-weight: 600; }
h4, h5, h6 { font-size: 1em; margin: 1.2em 0 0.4em; font-weight: 600; }
p { margin: 0.5em 0; }
p.note { font-size: 0.85em; color: var(--muted); }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 0.9em 1.2em; margin: 1em 0;
  background: var(--soft); }
.card h3 { margin: 0 0 0.6em; font-size: 1.05em; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1.5em; margin: 0; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; }
.table-block { margin: 1.2em 0; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; min-width: 50%; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.4em; }
th, td { padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
thead th { border-bottom: 1.5px solid var(--ink); font-weight: 600; white-space: nowrap; }
tbody td { border-bottom: 1px solid var(--rule); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.best { font-weight: 700; }
td.hit { background: var(--hit); }
td.muted { color: var(--muted); }
.detail { display: block; font-size: 0.85em; color: var(--muted); font-weight: 400; }
.table-block p.note { margin: 0.3em 0; }
figure { margin: 1.2em 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.88em; color: var(--muted); margin-top: 0.3em; }
.figure-row { display: flex; flex-wrap: wrap; gap: 1em 1.5em; margin: 1.2em 0; }
.figure-row figure { flex: 1 1 22em; margin: 0; }
@page { size: A4; margin: 16mm; }
@media print {
  html { font-size: 10.5pt; }
  table { font-size: 8.5pt; }
  main, body > header { max-width: none; padding: 0; }
  .table-block { overflow: visible; }
  .card { background: none; }
  thead { display: table-header-group; }
  tr, figure, .card { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  td.hit { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
)css";

void appendEscaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

std::string escaped(std::string_view text) {
  std::string out;
  appendEscaped(out, text);
  return out;
}

// A column is numeric (its header right-aligned too) when every cell that has text is.
bool numericColumn(const Table& table, std::size_t column) {
  bool any = false;
  for (const auto& row : table.rows) {
    if (column >= row.size() || row[column].text.empty()) continue;
    if (!row[column].numeric) return false;
    any = true;
  }
  return any;
}

void writeCell(std::string& out, const TableCell& cell) {
  std::string classes;
  const auto add = [&classes](const char* name) {
    if (!classes.empty()) classes += ' ';
    classes += name;
  };
  if (cell.numeric) add("num");
  if (cell.bold) add("best");
  if (cell.highlight) add("hit");
  if (cell.muted) add("muted");
  out += classes.empty() ? "<td>" : "<td class=\"" + classes + "\">";
  appendEscaped(out, cell.text);
  if (!cell.detail.empty()) {
    out += "<span class=\"detail\">";
    appendEscaped(out, cell.detail);
    out += "</span>";
  }
  out += "</td>";
}

void writeTable(std::string& out, const Table& table) {
  out += "<div class=\"table-block\">\n<table id=\"table-" + escaped(table.id) + "\">\n";
  if (!table.caption.empty()) out += "<caption>" + escaped(table.caption) + "</caption>\n";
  out += "<thead><tr>";
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    out += numericColumn(table, c) ? "<th class=\"num\">" : "<th>";
    appendEscaped(out, table.header[c]);
    out += "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (const auto& cell : row) writeCell(out, cell);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  for (const auto& note : table.notes) out += "<p class=\"note\">" + escaped(note) + "</p>\n";
  out += "</div>\n";
}

void writeFigure(std::string& out, const Figure& figure) {
  out += "<figure id=\"fig-" + escaped(figure.id) + "\">\n";
  out += renderSvg(figure.drawing, figure.caption);
  out += "\n";
  if (!figure.caption.empty()) out += "<figcaption>" + escaped(figure.caption) + "</figcaption>\n";
  out += "</figure>\n";
}

void writeCard(std::string& out, const KeyValueCard& card) {
  out += "<div class=\"card\">\n";
  if (!card.title.empty()) out += "<h3>" + escaped(card.title) + "</h3>\n";
  out += "<dl>\n";
  for (const auto& [label, value] : card.rows)
    out += "<dt>" + escaped(label) + "</dt><dd>" + escaped(value) + "</dd>\n";
  out += "</dl>\n</div>\n";
}

void writeBlock(std::string& out, const Block& block) {
  std::visit(
      [&out](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, Heading>) {
          const std::string tag = "h" + std::to_string(std::clamp(b.level, 3, 6));
          out += "<" + tag + ">" + escaped(b.text) + "</" + tag + ">\n";
        } else if constexpr (std::is_same_v<T, Paragraph>) {
          out += b.small ? "<p class=\"note\">" : "<p>";
          out += escaped(b.text) + "</p>\n";
        } else if constexpr (std::is_same_v<T, KeyValueCard>) {
          writeCard(out, b);
        } else if constexpr (std::is_same_v<T, Table>) {
          writeTable(out, b);
        } else if constexpr (std::is_same_v<T, Figure>) {
          writeFigure(out, b);
        } else if constexpr (std::is_same_v<T, FigureRow>) {
          out += "<div class=\"figure-row\">\n";
          for (const auto& figure : b.figures) writeFigure(out, figure);
          out += "</div>\n";
        }
      },
      block);
}

}  // namespace

std::string escapeHtml(const std::string& text) {
  return escaped(text);
}

std::string renderHtml(const Document& document) {
  std::string out;
  out.reserve(std::size_t{64} * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  out += "<meta name=\"generator\" content=\"Reco Workbench\"/>\n";
  out += "<title>" + escaped(document.title) + "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header>\n<h1>" + escaped(document.title) + "</h1>\n";
  if (!document.subtitle.empty())
    out += "<p class=\"subtitle\">" + escaped(document.subtitle) + "</p>\n";
  out += "</header>\n<main>\n";
  for (const auto& section : document.sections) {
    out +=
        "<section id=\"" + escaped(section.id) + "\">\n<h2>" + escaped(section.title) + "</h2>\n";
    for (const auto& block : section.blocks) writeBlock(out, block);
    out += "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace reco::report
