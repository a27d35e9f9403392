#include "ui/panels/panel_support.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSizePolicy>
#include <QStyle>
#include <QTableView>
#include <QTextDocument>
#include <exception>

#include "core/common/output_file.h"

namespace reco::ui {

QLabel* createPlaceholderLabel(const QString& objectName, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setObjectName(objectName);
  label->setWordWrap(true);
  label->setAlignment(Qt::AlignCenter);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

void setPlaceholderText(QLabel* placeholder, const QString& text, bool isError) {
  placeholder->setText(text);
  placeholder->setProperty("error", isError);
  placeholder->style()->unpolish(placeholder);
  placeholder->style()->polish(placeholder);
}

void showPlainWarning(QWidget* parent, const QString& title, const QString& text) {
  QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
  box.setTextFormat(Qt::PlainText);
  box.exec();
}

QString dialogStartFolder(const QString& purpose, const QString& workspacePath) {
  const QString remembered =
      QSettings().value(QStringLiteral("dialogs/%1Folder").arg(purpose)).toString();
  if (!remembered.isEmpty() && QFileInfo(remembered).isDir()) return remembered;
  if (!workspacePath.isEmpty()) {
    const QString folder = QFileInfo(workspacePath).absolutePath();
    if (QFileInfo(folder).isDir()) return folder;
  }
  return QDir::homePath();
}

void rememberDialogFolder(const QString& purpose, const QString& chosenPath) {
  if (chosenPath.isEmpty()) return;
  const QFileInfo chosen(chosenPath);
  QSettings().setValue(QStringLiteral("dialogs/%1Folder").arg(purpose),
                       chosen.isDir() ? chosen.absoluteFilePath() : chosen.absolutePath());
}

QString outputTargetProblem(const QString& target, const QString& workspacePath) {
  try {
    reco::checkOutputTarget(target.toStdString(),
                            workspacePath.isEmpty()
                                ? std::vector<std::string>()
                                : reco::workspaceFiles(workspacePath.toStdString()));
  } catch (const std::exception& error) {
    return QString::fromUtf8(error.what());
  }
  return {};
}

QString noWorkspaceOpenText() {
  return QStringLiteral(
      "<p style='font-size:13pt'>No workspace is open.</p>"
      "<p>Open one with <b>File › Open workspace…</b> (Ctrl+O).</p>");
}

QProgressBar* createBusyIndicator(QWidget* parent) {
  auto* bar = new QProgressBar(parent);
  bar->setObjectName(QStringLiteral("busyIndicator"));
  bar->setRange(0, 0);
  bar->setTextVisible(false);
  bar->setFixedSize(110, 8);
  bar->hide();
  return bar;
}

QLabel* createBusyLabel(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setObjectName(QStringLiteral("busyLabel"));
  // Its text ("Summarising 3,000 users…") must never widen the panel past a 1024 px
  // window: it takes the heading row's free room and is cut where that ends.
  // Hidden, it keeps its place, which is the row's stretch.
  QSizePolicy policy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  policy.setRetainSizeWhenHidden(true);
  label->setSizePolicy(policy);
  label->setTextFormat(Qt::PlainText);
  label->hide();
  return label;
}

void addBusyIndicator(QHBoxLayout* headingRow, QProgressBar* busy, QLabel* busyLabel) {
  headingRow->addSpacing(16);
  headingRow->addWidget(busy, 0, Qt::AlignVCenter);
  // The label takes the stretch: the widgets after it keep to the right as before.
  headingRow->addWidget(busyLabel, 1, Qt::AlignVCenter);
}

QPushButton* createCancelButton(const QString& objectName, const QString& toolTip,
                                QWidget* parent) {
  auto* button = new QPushButton(QStringLiteral("Cancel"), parent);
  button->setObjectName(objectName);
  button->setToolTip(toolTip + QStringLiteral(" (Esc)"));
  button->setShortcut(QKeySequence(Qt::Key_Escape));
  // Its place is kept while hidden, so the heading row never jumps when reading starts.
  QSizePolicy policy = button->sizePolicy();
  policy.setRetainSizeWhenHidden(true);
  button->setSizePolicy(policy);
  button->setVisible(false);
  return button;
}

void setUpRecordTable(QTableView* view, int rowPixels) {
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setAlternatingRowColors(true);
  view->setShowGrid(false);
  view->setWordWrap(false);
  view->verticalHeader()->hide();
  view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  view->verticalHeader()->setDefaultSectionSize(rowPixels);
  view->horizontalHeader()->setHighlightSections(false);
}

SideBySideLists createSideBySideLists(const QString& scrollName, const QString& messageName) {
  SideBySideLists lists;
  auto* area = new QWidget;
  lists.scroll = new QScrollArea;
  lists.scroll->setObjectName(scrollName);
  lists.scroll->setWidget(area);
  lists.scroll->setWidgetResizable(true);
  lists.scroll->setFrameShape(QFrame::NoFrame);
  lists.scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  lists.row = new QHBoxLayout(area);
  lists.row->setContentsMargins(0, 0, 0, 0);
  lists.row->setSpacing(10);
  lists.message = new QLabel;
  lists.message->setObjectName(messageName);
  lists.message->setAlignment(Qt::AlignCenter);
  lists.message->setWordWrap(true);
  lists.row->addWidget(lists.message, 1);
  return lists;
}

}  // namespace reco::ui
