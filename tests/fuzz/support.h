#pragma once
// What the fuzz targets share: splitting an input into parts, a scratch folder on tmpfs,
// the checks on what a reader hands its sink, and the rule for errors (a reco::Error of an
// allowed kind with a message is an answer; anything else is a crash for libFuzzer).

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/io/import_options.h"
#include "tests/fuzz/target.h"

namespace reco::fuzz {

/// The input cut at NUL bytes into at most `count` parts (the last keeps any further NULs);
/// missing parts are empty. tools/fuzz.sh writes its seeds in this shape.
std::vector<std::string> splitParts(Bytes input, std::size_t count);

/// A folder of this process under /dev/shm (or $TMPDIR), emptied by each call, removed at
/// exit: where a target writes the files a reader opens.
std::string freshScratchFolder();

/// Writes bytes to folder/name and returns the path.
std::string writeScratchFile(const std::string& folder, const std::string& name,
                             std::string_view bytes);

/// Prints what went wrong and aborts, so that libFuzzer keeps the input as a crash.
[[noreturn]] void fail(const std::string& what);

/// Aborts unless `error` is of one of the kinds a user's input may cause here and has a
/// message; `mustName`, when not empty, must occur in the message (errors say where).
void requireAnswer(const Error& error, std::initializer_list<ErrorKind> allowed,
                   const std::string& mustName = {});

/// One import as the user starts it: the path given to `reco import` and its options.
struct ImportCase {
  std::string path;
  io::ImportOptions options;
  std::string folder;  ///< the scratch folder the files are in; messages must name it
};

/// Reads the case through io::readSource into a sink that checks the readers' contract
/// (begin once and first, ids not empty, finite values, lines rising within a file, every
/// view readable), then, when the read succeeds, imports it into a workspace on tmpfs the
/// way `reco import` does and checks the stored dataset against what was read. Returns
/// normally for Io, Data and Config errors that name the input; aborts on anything else.
void checkImport(const ImportCase& importCase);

/// checkImport for a target whose input is one whole file, written as `fileName` and read
/// as `format` (ratings, events, Online Retail).
void checkSingleFile(Bytes input, io::Format format, const std::string& fileName);

}  // namespace reco::fuzz
