#include "ui/widgets/story_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/convert/qt_convert.h"
#include "ui/widgets/confirm_deletion.h"
#include "ui/widgets/story_model.h"

namespace reco::ui {
namespace {

constexpr int kIdRole = Qt::UserRole + 1;

QString kindLabel(reco::storage::BookmarkKind kind) {
  switch (kind) {
    case reco::storage::BookmarkKind::Compare: return QStringLiteral("Compare");
    case reco::storage::BookmarkKind::User: return QStringLiteral("Users");
    case reco::storage::BookmarkKind::Item: return QStringLiteral("Items");
  }
  return {};
}

}  // namespace

StoryDialog::StoryDialog(StoryModel* story, QWidget* parent) : QDialog(parent), story_(story) {
  setObjectName(QStringLiteral("storyDialog"));
  setWindowTitle(QStringLiteral("Story"));
  list_ = new QListWidget;
  list_->setObjectName(QStringLiteral("storyList"));
  list_->setDragDropMode(QAbstractItemView::InternalMove);
  list_->setDefaultDropAction(Qt::MoveAction);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  hint_ = new QLabel;
  hint_->setWordWrap(true);
  hint_->setObjectName(QStringLiteral("storyHint"));

  const auto button = [](const QString& text, const QString& name) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    b->setAutoDefault(false);
    return b;
  };
  goTo_ = button(QStringLiteral("&Go to"), QStringLiteral("storyGoTo"));
  up_ = button(QStringLiteral("Move &up"), QStringLiteral("storyUp"));
  up_->setToolTip(QStringLiteral("Alt+Up"));
  down_ = button(QStringLiteral("Move &down"), QStringLiteral("storyDown"));
  down_->setToolTip(QStringLiteral("Alt+Down"));
  rename_ = button(QStringLiteral("&Rename…"), QStringLiteral("storyRename"));
  rename_->setToolTip(QStringLiteral("F2"));
  delete_ = button(QStringLiteral("De&lete"), QStringLiteral("storyDelete"));
  delete_->setToolTip(QStringLiteral("Del"));
  auto* buttons = new QVBoxLayout;
  for (QPushButton* b : {goTo_, up_, down_, rename_, delete_}) buttons->addWidget(b);
  buttons->addStretch(1);
  auto* row = new QHBoxLayout;
  row->addWidget(list_, 1);
  row->addLayout(buttons);
  auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(row, 1);
  layout->addWidget(hint_);
  layout->addWidget(close);
  resize(460, 360);

  connect(goTo_, &QPushButton::clicked, this, [this] {
    if (currentRow() >= 0) emit goToRequested(currentRow());
  });
  connect(list_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { emit goToRequested(list_->row(item)); });
  connect(up_, &QPushButton::clicked, this, [this] { moveChosen(-1); });
  connect(down_, &QPushButton::clicked, this, [this] { moveChosen(+1); });
  connect(rename_, &QPushButton::clicked, this, [this] {
    QListWidgetItem* item = list_->currentItem();
    if (!item) return;
    bool ok = false;
    const QString title =
        QInputDialog::getText(this, QStringLiteral("Rename bookmark"), QStringLiteral("Title:"),
                              QLineEdit::Normal, item->text(), &ok);
    if (ok) renameChosen(title);
  });
  connect(delete_, &QPushButton::clicked, this, &StoryDialog::askToDeleteChosen);
  const auto shortcut = [this](const QKeySequence& keys, auto slot) {
    auto* s = new QShortcut(keys, this);
    connect(s, &QShortcut::activated, this, slot);
  };
  shortcut(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { moveChosen(-1); });
  shortcut(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { moveChosen(+1); });
  shortcut(QKeySequence(Qt::Key_F2), [this] { rename_->click(); });
  shortcut(QKeySequence(QKeySequence::Delete), [this] { askToDeleteChosen(); });
  connect(list_, &QListWidget::currentRowChanged, this, &StoryDialog::updateButtons);
  // A drop has moved the row in the list; the store is told once the view has settled.
  connect(list_->model(), &QAbstractItemModel::rowsMoved, this, [this] {
    if (!ignoreMoves_) QTimer::singleShot(0, this, &StoryDialog::onRowsDropped);
  });
  connect(story_, &StoryModel::storyChanged, this, &StoryDialog::refill);
  connect(story_, &StoryModel::failed, this, [this](const QString& message) {
    hint_->setText(message);
    refill();  // a refused move shows the order that is stored
  });
  refill();
}

int StoryDialog::currentRow() const {
  return list_->currentRow();
}

void StoryDialog::setCurrentRow(int row) {
  list_->setCurrentRow(row);
}

void StoryDialog::refill() {
  const std::int64_t keep =
      wantedId_ != 0
          ? wantedId_
          : (list_->currentItem() ? list_->currentItem()->data(kIdRole).toLongLong() : 0);
  wantedId_ = 0;
  const QScopedValueRollback ignore(ignoreMoves_, true);  // the view still hears of the rows
  list_->clear();
  for (const auto& bookmark : story_->bookmarks()) {
    auto* item = new QListWidgetItem(toQString(bookmark.title));
    item->setData(kIdRole, qlonglong(bookmark.id));
    item->setToolTip(kindLabel(bookmark.kind));
    item->setFlags(item->flags() | Qt::ItemIsDragEnabled);
    list_->addItem(item);
    if (bookmark.id == keep) list_->setCurrentItem(item);
  }
  if (!list_->currentItem() && list_->count() > 0) list_->setCurrentRow(0);
  if (list_->count() == 0)
    hint_->setText(
        QStringLiteral("The story is empty. Show a comparison, a customer or a "
                       "product and press Ctrl+B (View › Add to story)."));
  else if (hint_->text().isEmpty() || story_->count() > 0)
    hint_->setText(QStringLiteral("Drag a bookmark to reorder the story. F11 presents it."));
  updateButtons();
}

void StoryDialog::updateButtons() {
  const int row = currentRow();
  const bool chosen = row >= 0;
  goTo_->setEnabled(chosen);
  rename_->setEnabled(chosen);
  delete_->setEnabled(chosen);
  up_->setEnabled(chosen && row > 0);
  down_->setEnabled(chosen && row + 1 < list_->count());
}

void StoryDialog::moveChosen(int step) {
  const int row = currentRow();
  const int to = row + step;
  if (row < 0 || to < 0 || to >= list_->count()) return;
  const std::int64_t id = list_->item(row)->data(kIdRole).toLongLong();
  // Shown moved at once; the store's next read confirms it.
  const QScopedValueRollback ignore(ignoreMoves_, true);  // the view still hears of the rows
  list_->insertItem(to, list_->takeItem(row));
  list_->setCurrentRow(to);
  wantedId_ = id;
  story_->move(id, to);
}

void StoryDialog::renameChosen(const QString& title) {
  QListWidgetItem* item = list_->currentItem();
  if (!item || title.trimmed().isEmpty()) return;
  item->setText(title.trimmed());
  wantedId_ = item->data(kIdRole).toLongLong();
  story_->rename(wantedId_, title.trimmed());
}

void StoryDialog::deleteChosen() {
  const int row = currentRow();
  if (row < 0) return;
  const std::int64_t id = list_->item(row)->data(kIdRole).toLongLong();
  delete list_->takeItem(row);
  story_->remove(id);
}

void StoryDialog::askToDeleteChosen() {
  QListWidgetItem* item = list_->currentItem();
  if (!item) return;
  const std::int64_t id = item->data(kIdRole).toLongLong();
  // As the Datasets screen asks before deleting: a warning box with Delete and Cancel, the
  // default. A step may stand for an afternoon's choosing of the view it shows.
  if (!confirmDeletion(this, QStringLiteral("Delete story step"),
                       QStringLiteral("Delete the step “%1” from the story?\n\n"
                                      "The view it shows stays as it is. This cannot be undone.")
                           .arg(item->text()),
                       QStringLiteral("confirmDeleteStep")))
    return;
  // The list may have been read again while the box was open: the step asked about goes.
  for (int row = 0; row < list_->count(); ++row)
    if (list_->item(row)->data(kIdRole).toLongLong() == id) {
      setCurrentRow(row);
      deleteChosen();
      return;
    }
}

void StoryDialog::onRowsDropped() {
  // The first row whose bookmark is not the stored one at that place is where the dragged
  // one landed (a drag moves one row).
  const auto& stored = story_->bookmarks();
  for (int row = 0; row < list_->count() && row < int(stored.size()); ++row) {
    const std::int64_t id = list_->item(row)->data(kIdRole).toLongLong();
    if (id == stored[std::size_t(row)].id) continue;
    // Either the dragged one landed here (moved up), or the one stored here was dragged
    // down: its new row is where its id is now.
    const std::int64_t storedId = stored[std::size_t(row)].id;
    int storedNow = -1;
    for (int r = 0; r < list_->count(); ++r)
      if (list_->item(r)->data(kIdRole).toLongLong() == storedId) storedNow = r;
    const bool draggedDown =
        storedNow > row && row + 1 < list_->count() &&
        list_->item(row)->data(kIdRole).toLongLong() == stored[std::size_t(row) + 1].id;
    wantedId_ = draggedDown ? storedId : id;
    story_->move(wantedId_, draggedDown ? storedNow : row);
    return;
  }
}

}  // namespace reco::ui
