#pragma once
/// Deleting a stored object as the caller last read it. Datasets, splits and runs have
/// INTEGER PRIMARY KEY ids without AUTOINCREMENT, so SQLite gives a deleted highest id to the
/// next object made: a window that listed run 7 minutes ago, while another process deleted
/// it and trained another run (id 7 again), would delete that other run by id alone. A
/// deletion therefore names the id, the name and the creation time it was shown, and deletes
/// nothing when the row no longer has all three.

#include <cstdint>
#include <string>

namespace reco::storage {

class Workspace;

/// What a deletion checks: the table ("runs"), its creation-time column ("started_at"), and
/// the row as shown. `what` names the kind in the message ("run").
struct ShownRow {
  const char* table;
  const char* timeColumn;
  const char* what;
  std::int64_t id = 0;
  std::string name;
  std::int64_t createdAt = 0;
};

/// Deletes the row in one transaction (the schema cascades to what hangs off it). Throws
/// Error(Workspace) naming it, with nothing deleted, when no row has that id, name and time
/// any more ("another process deleted or replaced it: reload the workspace").
void deleteShownRow(Workspace& workspace, const ShownRow& row);

}  // namespace reco::storage
