// Linked into every ui suite (tests/CMakeLists.txt). The window shows numbers in the
// user's locale (QLocale's default), and the suites compare shown text with English
// figures ("1,234,567", "66.67%"). So the suites show numbers as in en_US whatever the
// environment, while tools/test.sh's second pass still runs them with the C library in
// de_DE.UTF-8 (QApplication calls setlocale(LC_ALL, "")): the core, which must read and
// write '.' there, is exercised through the whole window. test_locale_display.cpp checks
// the German display itself.
#include <QLocale>

namespace {
const bool kEnglishDisplay = [] {
  QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
  return true;
}();
}  // namespace
