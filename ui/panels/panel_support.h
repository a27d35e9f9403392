#pragma once
/// Small pieces the panels (Datasets, Experiments, Compare, Users, Items) build alike: the
/// placeholder page's label, the busy indicator of a heading row, and the look of a
/// record table. GUI thread only.

#include <QString>

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QScrollArea;
class QPushButton;
class QTableView;
class QWidget;

namespace reco::ui {

/// A centred, word-wrapped, mouse-selectable label named `objectName` for a panel's
/// placeholder page ("no workspace", "no runs", an error). `parent` may be null (a layout
/// or a stacked widget adopts it).
QLabel* createPlaceholderLabel(const QString& objectName, QWidget* parent = nullptr);

/// Sets the placeholder's rich text and its "error" property (the style sheet draws errors
/// in red) and re-polishes it so that the new property takes effect.
void setPlaceholderText(QLabel* placeholder, const QString& text, bool isError);

/// plainToolTip(text) lives in ui/convert/qt_convert.h, where the item models reach it too.

/// A modal warning box whose text is shown as plain text (it names files, datasets and
/// runs, which may look like markup). Returns when the user closed it.
void showPlainWarning(QWidget* parent, const QString& title, const QString& text);

/// The folder a file dialog for `purpose` ("export", "import", …) starts in: the folder
/// last chosen in such a dialog (QSettings "dialogs/<purpose>Folder") when it still
/// exists, else the folder of the workspace at `workspacePath`, else the home folder;
/// never the process's working directory.
QString dialogStartFolder(const QString& purpose, const QString& workspacePath);
/// Remembers the folder of `chosenPath` for the next dialog for `purpose`.
void rememberDialogFolder(const QString& purpose, const QString& chosenPath);

/// Empty when an export may write `target`; else why not, for a warning box: the
/// workspace at `workspacePath`, its -wal/-shm/-journal, any SQLite file or a folder
/// (reco::checkOutputTarget).
QString outputTargetProblem(const QString& target, const QString& workspacePath);

/// The placeholder text of the Compare and Users panels while no workspace is open.
QString noWorkspaceOpenText();

/// A hidden, indeterminate, 110x8 progress bar named "busyIndicator" for a heading row.
QProgressBar* createBusyIndicator(QWidget* parent = nullptr);
/// The hidden label named "busyLabel" next to it ("Loading…").
QLabel* createBusyLabel(const QString& text, QWidget* parent = nullptr);
/// Appends to a heading row a gap, `busy` and `busyLabel` (vertically centred). The label
/// (from createBusyLabel) is the row's stretch: it pushes whatever comes next to the right
/// edge, and its text is cut rather than widening the panel.
void addBusyIndicator(QHBoxLayout* headingRow, QProgressBar* busy, QLabel* busyLabel);
/// A hidden "Cancel" button named `objectName` for a heading row, shown while the panel
/// reads in the background; Esc clicks it while it is visible (hidden buttons take no
/// shortcuts, so the panels' buttons never compete). `toolTip` says what it stops.
QPushButton* createCancelButton(const QString& objectName, const QString& toolTip,
                                QWidget* parent = nullptr);

/// The row that shows a few runs' lists side by side (Users' recommendation lists, Items'
/// nearest items and audiences): a frameless scroll area named `scrollName` that scrolls
/// sideways only (below each list's minimum width), holding a row with 10 px between the
/// lists whose first entry is `message`, a centred, word-wrapped label named `messageName`
/// shown instead of the lists. The caller adds the lists' columns to `row`.
struct SideBySideLists {
  QScrollArea* scroll = nullptr;
  QHBoxLayout* row = nullptr;
  QLabel* message = nullptr;
};
SideBySideLists createSideBySideLists(const QString& scrollName, const QString& messageName);

/// The look of a panel's record table: whole rows selected one at a time, read-only,
/// alternating row colours, no grid, no word wrap, no row numbers, rows `rowPixels` tall,
/// header sections never highlighted. Column sizing stays with the caller.
void setUpRecordTable(QTableView* view, int rowPixels);

}  // namespace reco::ui
