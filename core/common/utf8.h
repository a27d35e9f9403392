#pragma once
/// UTF-8 checks and repairs. Everything the workspace stores and everything the workbench
/// writes out (JSON, CSV) is valid UTF-8: input that is not is read as Latin-1 by the
/// importer (and counted in its report), and output passes through replaceInvalidUtf8 as a
/// last guard for workspaces written before that rule.

#include <string>
#include <string_view>

namespace reco {

/// True when text is well-formed UTF-8 (ASCII is checked eight bytes at a time).
bool isValidUtf8(std::string_view text);
/// Appends text, read as ISO-8859-1 (Latin-1), to out as UTF-8.
void appendLatin1AsUtf8(std::string_view text, std::string& out);
/// text with every byte that does not start a well-formed UTF-8 sequence replaced by
/// U+FFFD; text itself when it is valid.
std::string replaceInvalidUtf8(std::string_view text);
/// text itself when it is valid UTF-8 (no copy), else replaceInvalidUtf8(text) kept in
/// `storage`: the guard every writer of JSON and CSV puts in front of its output.
std::string_view validUtf8(std::string_view text, std::string& storage);

}  // namespace reco
