#include "ui/widgets/story_presenter.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTextEdit>
#include <QToolBar>
#include <algorithm>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/users_panel.h"
#include "ui/plots/plot_frame.h"
#include "ui/widgets/story_dialog.h"
#include "ui/widgets/story_model.h"
#include "ui/workers/run_queue.h"

namespace reco::ui {

using reco::storage::BookmarkKind;

namespace {

const QString kCompare = QStringLiteral("Compare");
const QString kUsers = QStringLiteral("Users");
const QString kItems = QStringLiteral("Items");

QString panelOf(BookmarkKind kind) {
  switch (kind) {
    case BookmarkKind::Compare: return kCompare;
    case BookmarkKind::User: return kUsers;
    case BookmarkKind::Item: return kItems;
  }
  return kCompare;
}

// The rules of the application style sheet that size fonts ("font-size: N pt"), with each
// size times `factor`: set on the window, they win over the application's fixed sizes, and a
// sheet of a few rules costs far less to apply than the whole sheet again.
QString scaledFontRules(const QString& sheet, double factor) {
  static const QRegularExpression kRule(QStringLiteral(R"(([^{}]+)\{([^{}]*)\})"));
  static const QRegularExpression kSize(QStringLiteral(R"(font-size:\s*([0-9.]+)pt)"));
  static const QRegularExpression kComment(QStringLiteral(R"(/\*.*?\*/)"),
                                           QRegularExpression::DotMatchesEverythingOption);
  QString rules;
  const QString plain = QString(sheet).remove(kComment);
  for (auto it = kRule.globalMatch(plain); it.hasNext();) {
    const auto rule = it.next();
    const auto size = kSize.match(rule.captured(2));
    if (!size.hasMatch()) continue;
    rules += QStringLiteral("%1 { font-size: %2pt; }\n")
                 .arg(rule.captured(1).trimmed())
                 .arg(size.captured(1).toDouble() * factor, 0, 'f', 1);
  }
  return rules;
}

}  // namespace

StoryPresenter::StoryPresenter(QMainWindow* window, JobTracker* jobs, const StoryPanels& panels,
                               std::function<bool(const QString&)> showPanel,
                               std::function<QString()> currentPanel)
    : QObject(window),
      window_(window),
      panels_(panels),
      showPanel_(std::move(showPanel)),
      currentPanel_(std::move(currentPanel)),
      story_(new StoryModel(jobs, this)) {
  add_ = new QAction(QStringLiteral("&Add to story"), this);
  add_->setObjectName(QStringLiteral("addToStoryAction"));
  add_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
  add_->setToolTip(
      QStringLiteral("Bookmark the comparison, customer or product shown as the next step of the "
                     "story"));
  connect(add_, &QAction::triggered, this, &StoryPresenter::addCurrentView);
  storyDialogAction_ = new QAction(QStringLiteral("S&tory…"), this);
  storyDialogAction_->setObjectName(QStringLiteral("storyAction"));
  connect(storyDialogAction_, &QAction::triggered, this, &StoryPresenter::openStoryDialog);
  present_ = new QAction(QStringLiteral("&Presenter mode"), this);
  present_->setObjectName(QStringLiteral("presenterModeAction"));
  present_->setShortcut(QKeySequence(Qt::Key_F11));
  present_->setCheckable(true);
  present_->setToolTip(
      QStringLiteral("Full screen with larger text; Page Down / → steps through the story"));
  connect(present_, &QAction::toggled, this, &StoryPresenter::setPresenting);

  // The banner: a slim, fixed tool bar over the panels, shown only while presenting.
  bannerBar_ = new QToolBar(QStringLiteral("Presenter banner"), window_);
  bannerBar_->setObjectName(QStringLiteral("presenterBanner"));
  bannerBar_->setMovable(false);
  bannerBar_->setFloatable(false);
  bannerBar_->toggleViewAction()->setVisible(false);
  bannerBar_->setStyleSheet(
      QStringLiteral("QToolBar { background: #24303d; border: none; padding: 2px 10px; }"));
  banner_ = new QLabel;
  banner_->setObjectName(QStringLiteral("presenterBannerText"));
  banner_->setTextFormat(Qt::PlainText);
  banner_->setStyleSheet(QStringLiteral("color: #f2f5f8; font-weight: 600;"));
  banner_->setFocusPolicy(Qt::StrongFocus);  // holds the focus, so that the arrows step
  bannerBar_->addWidget(banner_);
  window_->addToolBar(Qt::TopToolBarArea, bannerBar_);
  bannerBar_->hide();

  connect(story_, &StoryModel::storyChanged, this, [this] {
    if (current_ >= story_->count()) current_ = story_->count() - 1;
    updateBanner();
  });
  // What a step's bookmark names and is gone shows in the banner until the next step.
  const auto missing = [this](const QString& what) {
    missing_ = missing_.isEmpty() ? what : missing_ + QStringLiteral("; ") + what;
    window_->statusBar()->showMessage(QStringLiteral("This step: %1").arg(missing_), 8000);
    updateBanner();
  };
  if (panels_.compare) connect(panels_.compare, &ComparePanel::bookmarkMissing, this, missing);
  if (panels_.users) connect(panels_.users, &UsersPanel::bookmarkMissing, this, missing);
  if (panels_.items) connect(panels_.items, &ItemsPanel::bookmarkMissing, this, missing);
  connect(story_, &StoryModel::failed, this,
          [this](const QString& message) { window_->statusBar()->showMessage(message, 8000); });
  if (panels_.experiments)
    connect(panels_.experiments->runQueue(), &RunQueue::drained, this, [this] {
      if (!demoAfterRuns_) return;
      demoAfterRuns_ = false;
      story_->addDemoStoryIfEmpty();
    });
}

StoryPresenter::~StoryPresenter() {
  qApp->removeEventFilter(this);
}

void StoryPresenter::addActionsTo(QMenu* menu) {
  menu->addAction(add_);
  menu->addAction(storyDialogAction_);
  menu->addAction(present_);
}

void StoryPresenter::setWorkspace(const QString& path) {
  current_ = -1;
  story_->setWorkspace(path);
}

QString StoryPresenter::titleFor(BookmarkKind kind, const QJsonObject& state) {
  switch (kind) {
    case BookmarkKind::Compare: {
      const int runs = int(state.value(QStringLiteral("runs")).toArray().size());
      return QStringLiteral("Compare · %1 · %2 run%3")
          .arg(state.value(QStringLiteral("metric")).toString())
          .arg(runs)
          .arg(runs == 1 ? "" : "s");
    }
    case BookmarkKind::User:
      return QStringLiteral("Customer %1").arg(state.value(QStringLiteral("user")).toString());
    case BookmarkKind::Item:
      return QStringLiteral("Product %1").arg(state.value(QStringLiteral("item")).toString());
  }
  return {};
}

bool StoryPresenter::currentView(BookmarkKind* kind, QString* title, QJsonObject* state) const {
  const QString panel = currentPanel_();
  QJsonObject view;
  if (panel == kCompare && panels_.compare) {
    *kind = BookmarkKind::Compare;
    view = panels_.compare->bookmarkState();
  } else if (panel == kUsers && panels_.users) {
    *kind = BookmarkKind::User;
    view = panels_.users->bookmarkState();
  } else if (panel == kItems && panels_.items) {
    *kind = BookmarkKind::Item;
    view = panels_.items->bookmarkState();
  }
  if (view.isEmpty()) return false;
  *state = view;
  *title = titleFor(*kind, view);
  return true;
}

bool StoryPresenter::addCurrentView() {
  BookmarkKind kind = BookmarkKind::Compare;
  QString title;
  QJsonObject state;
  if (story_->workspace().isEmpty() || !currentView(&kind, &title, &state)) {
    window_->statusBar()->showMessage(
        QStringLiteral("Nothing to bookmark here: the story holds a comparison (Compare), a "
                       "customer (Users) or a product (Items)."),
        6000);
    return false;
  }
  story_->add(kind, title, state);
  window_->statusBar()->showMessage(
      QStringLiteral("“%1” added to the story as step %2").arg(title).arg(story_->count() + 1),
      5000);
  return true;
}

void StoryPresenter::showStep(int row) {
  if (row < 0 || row >= story_->count()) return;
  current_ = row;
  const auto& bookmark = story_->bookmarks()[std::size_t(row)];
  const QJsonObject state = story_->state(row);
  showPanel_(panelOf(bookmark.kind));
  missing_.clear();
  switch (bookmark.kind) {
    case BookmarkKind::Compare:
      if (panels_.compare) panels_.compare->showBookmark(state);
      break;
    case BookmarkKind::User:
      if (panels_.users) panels_.users->showBookmark(state);
      break;
    case BookmarkKind::Item:
      if (panels_.items) panels_.items->showBookmark(state);
      break;
  }
  if (dialog_) dialog_->setCurrentRow(row);
  updateBanner();
  if (presenting_) banner_->setFocus(Qt::OtherFocusReason);
  emit stepShown(row);
}

void StoryPresenter::step(int delta) {
  if (story_->count() == 0) return;
  const int next = std::clamp(current_ < 0 ? 0 : current_ + delta, 0, story_->count() - 1);
  if (next != current_ || current_ < 0) showStep(next);
}

void StoryPresenter::setPresenting(bool on) {
  if (on == presenting_) return;
  presenting_ = on;
  QWidget* navigation = window_->findChild<QWidget*>(QStringLiteral("navigation"));
  if (on) {
    savedFont_ = QApplication::font();
    savedWindowState_ = window_->windowState();
    navigationWasVisible_ = navigation && navigation->isVisible();
    statusBarWasVisible_ = window_->statusBar()->isVisible();
    QFont larger = savedFont_;
    if (larger.pointSizeF() > 0)
      larger.setPointSizeF(larger.pointSizeF() * kScale);
    else
      larger.setPixelSize(int(std::lround(larger.pixelSize() * kScale)));
    QApplication::setFont(larger);
    savedStyleSheet_ = window_->styleSheet();
    window_->setStyleSheet(savedStyleSheet_ + scaledFontRules(qApp->styleSheet(), kScale));
    setPlotTextScale(kScale, window_);
    if (navigation) navigation->hide();
    window_->statusBar()->hide();
    bannerBar_->show();
    window_->showFullScreen();
    qApp->installEventFilter(this);
    if (story_->count() > 0) showStep(current_ < 0 ? 0 : current_);
    banner_->setFocus(Qt::OtherFocusReason);
  } else {
    qApp->removeEventFilter(this);
    QApplication::setFont(savedFont_);
    window_->setStyleSheet(savedStyleSheet_);
    setPlotTextScale(1.0, window_);
    if (navigation) navigation->setVisible(navigationWasVisible_);
    window_->statusBar()->setVisible(statusBarWasVisible_);
    bannerBar_->hide();
    window_->setWindowState(savedWindowState_);
    window_->show();
  }
  {
    const QSignalBlocker block(present_);
    present_->setChecked(on);
  }
  updateBanner();
  emit presentingChanged(on);
}

QString StoryPresenter::bannerText() const {
  const QString keys = QStringLiteral("←/→ to step, Esc or F11 to leave");
  if (story_->count() == 0)
    return QStringLiteral("The story is empty: Ctrl+B adds the view shown · %1").arg(keys);
  if (current_ < 0) return QStringLiteral("%1 steps · %2").arg(story_->count()).arg(keys);
  const QString step = QStringLiteral("%1 / %2 · %3")
                           .arg(current_ + 1)
                           .arg(story_->count())
                           .arg(toQString(story_->bookmarks()[std::size_t(current_)].title));
  if (!missing_.isEmpty()) return QStringLiteral("%1 · ⚠ %2 · %3").arg(step, missing_, keys);
  return QStringLiteral("%1 · %2").arg(step, keys);
}

void StoryPresenter::updateBanner() {
  banner_->setText(bannerText());
}

StoryDialog* StoryPresenter::openStoryDialog() {
  if (!dialog_) {
    dialog_ = new StoryDialog(story_, window_);
    connect(dialog_, &StoryDialog::goToRequested, this, &StoryPresenter::showStep);
  }
  if (current_ >= 0) dialog_->setCurrentRow(current_);
  dialog_->show();
  dialog_->raise();
  dialog_->activateWindow();
  return dialog_;
}

void StoryPresenter::createDemoStory(bool afterRuns) {
  if (afterRuns)
    demoAfterRuns_ = true;
  else
    story_->addDemoStoryIfEmpty();
}

bool StoryPresenter::focusUsesKey(int key) {
  QWidget* focus = QApplication::focusWidget();
  if (!focus) return false;
  if (qobject_cast<QLineEdit*>(focus) || qobject_cast<QAbstractSpinBox*>(focus) ||
      qobject_cast<QTextEdit*>(focus) || qobject_cast<QPlainTextEdit*>(focus) ||
      qobject_cast<QComboBox*>(focus) || qobject_cast<QAbstractItemView*>(focus) ||
      qobject_cast<QAbstractSlider*>(focus))
    return true;
  return key == Qt::Key_Space && qobject_cast<QAbstractButton*>(focus);
}

StoryPresenter::EscTarget StoryPresenter::escTarget() {
  QWidget* focus = QApplication::focusWidget();
  if (!focus) return EscTarget::Leave;
  // An open item editor lives in its view's viewport: the view's Esc cancels the edit.
  for (QWidget* up = focus->parentWidget(); up; up = up->parentWidget())
    if (qobject_cast<QAbstractItemView*>(up)) return EscTarget::ItemEditor;
  if (qobject_cast<QLineEdit*>(focus) || qobject_cast<QAbstractSpinBox*>(focus) ||
      qobject_cast<QTextEdit*>(focus) || qobject_cast<QPlainTextEdit*>(focus) ||
      qobject_cast<QComboBox*>(focus) || qobject_cast<QComboBox*>(focus->parentWidget()))
    return EscTarget::Field;
  return EscTarget::Leave;
}

bool StoryPresenter::eventFilter(QObject* watched, QEvent* event) {
  const bool press = event->type() == QEvent::KeyPress;
  if (!presenting_ || (!press && event->type() != QEvent::ShortcutOverride)) return false;
  auto* widget = qobject_cast<QWidget*>(watched);
  // Only the window's own widgets: a dialog or an open popup keeps its keys.
  if (!widget || widget->window() != window_ || QApplication::activePopupWidget()) return false;
  const auto* key = static_cast<QKeyEvent*>(event);
  if (key->modifiers() & ~Qt::KeypadModifier) return false;
  int delta = 0;
  switch (key->key()) {
    case Qt::Key_PageDown: delta = 1; break;
    case Qt::Key_PageUp: delta = -1; break;
    case Qt::Key_Right:
    case Qt::Key_Space: delta = focusUsesKey(key->key()) ? 0 : 1; break;
    case Qt::Key_Left: delta = focusUsesKey(key->key()) ? 0 : -1; break;
    case Qt::Key_Escape:
      // The first Esc belongs to an editor (a second one, from outside it, leaves).
      if (escTarget() == EscTarget::ItemEditor) return false;
      break;
    default: return false;
  }
  if (delta == 0 && key->key() != Qt::Key_Escape) return false;
  if (!press) {
    // Ours: no shortcut of a panel takes it; the key press follows.
    event->accept();
    return true;
  }
  if (key->key() == Qt::Key_Escape) {
    if (escTarget() == EscTarget::Field) {
      // A field has no edit to cancel: Esc takes the keyboard out of it.
      QApplication::focusWidget()->clearFocus();
      window_->setFocus(Qt::OtherFocusReason);
    } else {
      setPresenting(false);
    }
  } else
    step(delta);
  return true;
}

}  // namespace reco::ui
