#pragma once
/// The one question the workbench asks before deleting the user's work (a dataset, a split,
/// a what-if scenario, a story step): a warning box with Delete and Cancel, Cancel the
/// default, the text shown plain (names are the user's text).

#include <QString>

class QWidget;

namespace reco::ui {

/// Shows the box modally; true when Delete was chosen. `objectName` lets tests find it.
bool confirmDeletion(QWidget* parent, const QString& title, const QString& question,
                     const QString& objectName = {});

}  // namespace reco::ui
