#include "core/report/drawing.h"

#include <array>
#include <cstddef>
#include <string_view>

namespace reco::report {

std::string hexColour(const Colour& colour) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string text = "#";
  for (std::uint8_t channel : {colour.r, colour.g, colour.b}) {
    text += kDigits[channel >> 4];
    text += kDigits[channel & 0xF];
  }
  return text;
}

Colour seriesColour(std::size_t index) {
  // Okabe-Ito, in its usual order; the yellow (#F0E442) is darkened to #C8B400 so that a
  // thin line or a small marker still shows on white paper.
  static constexpr std::array<Colour, 8> kPalette = {{
      {0x00, 0x72, 0xB2, 255},
      {0xE6, 0x9F, 0x00, 255},
      {0x00, 0x9E, 0x73, 255},
      {0xD5, 0x5E, 0x00, 255},
      {0xCC, 0x79, 0xA7, 255},
      {0x56, 0xB4, 0xE9, 255},
      {0xC8, 0xB4, 0x00, 255},
      {0x00, 0x00, 0x00, 255},
  }};
  return kPalette[index % kPalette.size()];
}

namespace {

/// Advance of one ASCII character in em, close to (and never much below) DejaVu Sans, the
/// first font the writers ask for and the one Debian's Chromium and Qt fall back to.
double asciiAdvance(char c) {
  switch (c) {
    case 'i':
    case 'l':
    case 'j':
    case 'I':
    case '.':
    case ',':
    case '\'':
    case ':':
    case ';':
    case '|':
    case '!':
    case ' ': return 0.33;
    case 'f':
    case 't':
    case 'r':
    case '(':
    case ')':
    case '[':
    case ']':
    case '-':
    case '/':
    case '\\':
    case '{':
    case '}':
    case '"':
    case '`': return 0.43;
    case 'm':
    case 'w':
    case 'M':
    case 'W': return 0.99;
    case '@':
    case '%':
    case '&': return 1.0;
    default: break;
  }
  if (c >= '0' && c <= '9') return 0.64;
  if (c >= 'A' && c <= 'Z') return 0.74;
  return 0.63;  // other lower-case letters, + = < > ~ and the rest of the punctuation
}

}  // namespace

double estimateTextWidth(const std::string& text, double size) {
  double ems = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ems += asciiAdvance(static_cast<char>(byte));
      ++i;
      continue;
    }
    // A multi-byte UTF-8 sequence is one character; its length comes from the lead byte
    // (a stray continuation byte counts as a character of its own, on the wide side).
    std::size_t length = 1;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
    }
    // Accented Latin letters (two bytes) are about as wide as their plain forms; everything
    // else (the ellipsis, CJK, symbols, emoji) is taken as a full em.
    ems += length == 2 ? 0.7 : 1.0;
    i += length;
  }
  return ems * size;
}

}  // namespace reco::report
