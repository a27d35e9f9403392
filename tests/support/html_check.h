#pragma once
// A small well-formedness check for the report's HTML (core and cli suites; no Qt, no
// parser library). The report promises XHTML-style output that an XML parser also reads and
// that references nothing outside itself; this checks exactly that:
//
// - every element is closed, in order (<p>...</p>, or self-closed <line/>); HTML's void
//   elements (meta, br, hr, img, col, wbr, ...) may also stand alone;
// - every attribute has a quoted value (name="value" or name='value');
// - every & starts an entity (&amp; &lt; &#38; &#x26;), and < only starts a tag, a comment or
//   the doctype;
// - no <script>, and nothing that could reach outside the file: no "src=", "href=", "url(",
//   "@import", "http:", "https:" or "file:" anywhere (case-insensitive), except the SVG
//   namespace's value in an xmlns attribute.
//
// htmlProblem returns the first problem found ("line 12: </div> closes <span>"), or nothing.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reco::testing {

namespace html_check_detail {

inline std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

inline std::size_t lineOf(const std::string& html, std::size_t offset) {
  return std::size_t(std::count(html.begin(), html.begin() + std::ptrdiff_t(offset), '\n')) + 1;
}

inline std::string at(const std::string& html, std::size_t offset, const std::string& problem) {
  return "line " + std::to_string(lineOf(html, offset)) + ": " + problem;
}

inline bool isNameChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '_' || c == ':' || c == '.';
}

inline bool isVoidElement(const std::string& name) {
  static const char* const kVoid[] = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                      "input", "link", "meta", "param", "source", "track", "wbr"};
  return std::any_of(std::begin(kVoid), std::end(kVoid), [&](const char* v) { return name == v; });
}

// The one place an external-looking string is allowed: xmlns="http://www.w3.org/2000/svg"
// (and the xlink namespace), which names a namespace and is never fetched.
inline std::string withoutNamespaces(std::string text) {
  for (const char* allowed :
       {"xmlns=\"http://www.w3.org/2000/svg\"", "xmlns:xlink=\"http://www.w3.org/1999/xlink\""}) {
    const std::string needle(allowed);
    for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p))
      text.replace(p, needle.size(), std::string(needle.size(), ' '));
  }
  return text;
}

inline std::optional<std::string> externalReference(const std::string& html) {
  const std::string text = lower(withoutNamespaces(html));
  for (const char* needle :
       {"<script", "src=", "href=", "url(", "@import", "http:", "https:", "file:"}) {
    if (const std::size_t p = text.find(needle); p != std::string::npos) {
      return at(html, p,
                "\"" + std::string(needle) +
                    "\" (no script and no external reference allowed): " + html.substr(p, 60));
    }
  }
  return std::nullopt;
}

inline std::optional<std::string> badEntity(const std::string& html, std::size_t amp) {
  std::size_t p = amp + 1;
  if (p < html.size() && html[p] == '#') {
    ++p;
    const bool hex = p < html.size() && (html[p] == 'x' || html[p] == 'X');
    if (hex) ++p;
    const std::size_t digits = p;
    while (p < html.size() && (hex ? std::isxdigit(static_cast<unsigned char>(html[p]))
                                   : std::isdigit(static_cast<unsigned char>(html[p]))))
      ++p;
    if (p == digits || p >= html.size() || html[p] != ';')
      return at(html, amp, "a bad character reference: " + html.substr(amp, 12));
    return std::nullopt;
  }
  const std::size_t name = p;
  while (p < html.size() && std::isalnum(static_cast<unsigned char>(html[p]))) ++p;
  if (p == name || p >= html.size() || html[p] != ';')
    return at(html, amp, "an unescaped '&': " + html.substr(amp, 12));
  return std::nullopt;
}

}  // namespace html_check_detail

inline std::optional<std::string> htmlProblem(const std::string& html) {
  namespace d = html_check_detail;
  if (auto problem = d::externalReference(html)) return problem;
  std::vector<std::pair<std::string, std::size_t>> open;  // element name, offset
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      if (auto problem = d::badEntity(html, i)) return problem;
      ++i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      const std::size_t end = html.find("-->", i + 4);
      if (end == std::string::npos) return d::at(html, i, "a comment that never ends");
      i = end + 3;
      continue;
    }
    if (html.compare(i, 2, "<!") == 0) {
      if (d::lower(html.substr(i, 15)) != "<!doctype html>")
        return d::at(html, i, "an unexpected declaration: " + html.substr(i, 20));
      i += 15;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t p = i + (closing ? 2 : 1);
    const std::size_t nameStart = p;
    while (p < html.size() && d::isNameChar(html[p])) ++p;
    const std::string name = d::lower(html.substr(nameStart, p - nameStart));
    if (name.empty()) return d::at(html, i, "a '<' that starts no tag: " + html.substr(i, 20));
    if (closing) {
      while (p < html.size() && std::isspace(static_cast<unsigned char>(html[p]))) ++p;
      if (p >= html.size() || html[p] != '>')
        return d::at(html, i, "a malformed end tag: " + html.substr(i, 20));
      if (open.empty()) return d::at(html, i, "</" + name + "> closes nothing");
      if (open.back().first != name) {
        return d::at(html, i,
                     "</" + name + "> closes <" + open.back().first + "> (opened on line " +
                         std::to_string(d::lineOf(html, open.back().second)) + ")");
      }
      open.pop_back();
      i = p + 1;
      continue;
    }
    // Attributes: name="value" or name='value', separated by white space.
    bool selfClosed = false;
    for (;;) {
      const std::size_t before = p;
      while (p < html.size() && std::isspace(static_cast<unsigned char>(html[p]))) ++p;
      if (p >= html.size()) return d::at(html, i, "<" + name + " never ends");
      if (html[p] == '>') break;
      if (html.compare(p, 2, "/>") == 0) {
        selfClosed = true;
        ++p;
        break;
      }
      if (p == before) return d::at(html, p, "no space before an attribute of <" + name + ">");
      const std::size_t attrStart = p;
      while (p < html.size() && d::isNameChar(html[p])) ++p;
      if (p == attrStart) return d::at(html, p, "a bad attribute in <" + name + ">");
      const std::string attr = html.substr(attrStart, p - attrStart);
      if (p >= html.size() || html[p] != '=' || p + 1 >= html.size() ||
          (html[p + 1] != '"' && html[p + 1] != '\'')) {
        return d::at(html, attrStart,
                     "attribute " + attr + " of <" + name + "> has no quoted value");
      }
      const char quote = html[p + 1];
      const std::size_t valueEnd = html.find(quote, p + 2);
      if (valueEnd == std::string::npos)
        return d::at(html, attrStart, "attribute " + attr + " is never closed");
      for (std::size_t v = p + 2; v < valueEnd; ++v) {
        if (html[v] == '<') return d::at(html, v, "a '<' in attribute " + attr);
        if (html[v] == '&') {
          if (auto problem = d::badEntity(html, v)) return problem;
        }
      }
      p = valueEnd + 1;
    }
    if (!selfClosed && !d::isVoidElement(name)) open.emplace_back(name, i);
    i = p + 1;
  }
  if (!open.empty())
    return d::at(html, open.back().second, "<" + open.back().first + "> is never closed");
  return std::nullopt;
}

}  // namespace reco::testing
