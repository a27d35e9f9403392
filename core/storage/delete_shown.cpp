#include "core/storage/delete_shown.h"

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/workspace.h"

namespace reco::storage {

void deleteShownRow(Workspace& workspace, const ShownRow& row) {
  Database& db = workspace.db();
  Transaction tx(db);
  Statement st(db, std::string("DELETE FROM ") + row.table + " WHERE id = ?1 AND name = ?2 AND " +
                       row.timeColumn + " = ?3");
  st.bind(1, row.id).bind(2, row.name).bind(3, row.createdAt).run();
  if (db.changes() == 0)
    throw Error(ErrorKind::Workspace,
                std::string("the ") + row.what + " '" + row.name + "' is no longer in " +
                    workspace.path() +
                    " as shown (another process deleted or replaced it): nothing was deleted; "
                    "reload the workspace to see what it holds");
  tx.commit();
}

}  // namespace reco::storage
