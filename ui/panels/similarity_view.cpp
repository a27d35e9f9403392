#include "ui/panels/similarity_view.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/convert/qt_convert.h"
#include "ui/panels/choice_boxes.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/similarity_heatmap.h"
#include "ui/workers/item_loader.h"
#include "ui/workers/progress_task.h"
#include "ui/workers/run_model_cache.h"

namespace reco::ui {

namespace {
constexpr int kDefaultCount = 50;

QString describeSet(const reco::SimilarityMatrixOptions& options) {
  const auto& s = options.selection;
  using Kind = reco::SimilaritySelection::Kind;
  switch (s.kind) {
    case Kind::TopItems: return QStringLiteral("the %1 most popular items").arg(s.count);
    case Kind::Category: return QStringLiteral("category %1").arg(toQString(s.name));
    case Kind::ItemIds: return QStringLiteral("%1 chosen items").arg(s.ids.size());
    case Kind::UserList:
      return QStringLiteral("user %1's top %2").arg(toQString(s.name)).arg(s.count);
    case Kind::TopUsers: return QStringLiteral("the %1 most active users").arg(s.count);
    case Kind::UserIds: return QStringLiteral("%1 chosen users").arg(s.ids.size());
  }
  return {};
}
}  // namespace

SimilarityView::SimilarityView(JobTracker* jobs, std::shared_ptr<RunModelCache> cache,
                               QWidget* parent)
    : QWidget(parent), cache_(std::move(cache)) {
  setObjectName(QStringLiteral("similarityView"));
  task_ = new ProgressTask(jobs, this);
  buildControls();
  connect(task_, &ProgressTask::progressed, this, [this](const QString& stage, double fraction) {
    progress_->setRange(0, fraction < 0 ? 0 : 1000);
    if (fraction >= 0) progress_->setValue(int(fraction * 1000));
    progress_->setFormat(stage);
    progress_->setToolTip(stage);
  });
  connect(task_, &ProgressTask::runningChanged, this, [this](bool running) {
    progress_->setVisible(running);
    cancelButton_->setVisible(running);
    emit busyChanged(running);
  });
  connect(heatmap_, &SimilarityHeatmap::itemActivated, this, &SimilarityView::itemActivated);
  // A click on a cell of an item matrix opens its column's item too (the panel selects it
  // and stays on the heatmap); a drag pans instead and clicks nothing.
  connect(heatmap_, &SimilarityHeatmap::itemClicked, this,
          [this](std::int32_t, std::int32_t column) {
            if (heatmap_->matrix() && !heatmap_->matrix()->users) emit itemActivated(column);
          });
  connect(heatmap_, &SimilarityHeatmap::userActivated, this, [this](std::int32_t user) {
    const auto matrix = heatmap_->matrix();
    if (!matrix) return;
    for (const auto& label : matrix->labels)
      if (label.index == user) emit userActivated(toQString(label.externalId));
  });
  connect(heatmap_, &SimilarityHeatmap::hoverTextChanged, this, [this](const QString& text) {
    status_->setText(text.isEmpty() ? heatmap_->title() : text);
  });
  updateControls();
}

SimilarityView::~SimilarityView() = default;

void SimilarityView::buildControls() {
  runBox_ = new QComboBox;
  runBox_->setObjectName(QStringLiteral("heatmapRun"));
  runBox_->setToolTip(QStringLiteral("The run whose model defines the similarity"));
  runBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  setBox_ = new QComboBox;
  setBox_->setObjectName(QStringLiteral("heatmapSet"));
  setBox_->addItem(QStringLiteral("Most popular items"));
  setBox_->addItem(QStringLiteral("One category"));
  setBox_->addItem(QStringLiteral("The search result"));
  setBox_->addItem(QStringLiteral("A user's top-N list"));
  setBox_->addItem(QStringLiteral("Items picked on the map"));
  setBox_->addItem(QStringLiteral("Most active users (user × user)"));
  setBox_->setToolTip(QStringLiteral("Which items (or users) the matrix compares"));
  count_ = new QSpinBox;
  count_->setObjectName(QStringLiteral("heatmapCount"));
  count_->setRange(2, reco::kMaxSimilarityEntities);
  count_->setValue(kDefaultCount);
  count_->setToolTip(
      QStringLiteral("How many items or users (up to %1)").arg(reco::kMaxSimilarityEntities));
  countLabel_ = new QLabel(QStringLiteral("N"));
  countLabel_->setBuddy(count_);
  categoryBox_ = new QComboBox;
  categoryBox_->setObjectName(QStringLiteral("heatmapCategory"));
  categoryBox_->setMinimumContentsLength(14);
  categoryBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  userEdit_ = new QLineEdit;
  userEdit_->setObjectName(QStringLiteral("heatmapUser"));
  userEdit_->setPlaceholderText(QStringLiteral("user id, then Enter"));
  userEdit_->setMaximumWidth(160);
  orderBox_ = new QComboBox;
  orderBox_->setObjectName(QStringLiteral("heatmapOrder"));
  orderBox_->addItem(QStringLiteral("As listed"), int(reco::SimilarityOrder::Listed));
  orderBox_->addItem(QStringLiteral("By category"), int(reco::SimilarityOrder::Category));
  orderBox_->addItem(QStringLiteral("Clustered"), int(reco::SimilarityOrder::Cluster));
  orderBox_->setCurrentIndex(2);
  orderBox_->setToolTip(
      QStringLiteral("Clustered: average-linkage clustering of the matrix, so that groups of "
                     "alike items form squares on the diagonal (with a dendrogram)"));
  basisBox_ = new QComboBox;
  basisBox_->setObjectName(QStringLiteral("heatmapBasis"));
  basisBox_->addItem(QStringLiteral("Histories"), int(reco::UserSimilarityBasis::Histories));
  basisBox_->addItem(QStringLiteral("User vectors"), int(reco::UserSimilarityBasis::Vectors));
  basisBox_->setToolTip(QStringLiteral(
      "Users compared by the cosine of their training histories, or of the model's user "
      "vectors (factor and deep models)"));
  basisLabel_ = new QLabel(QStringLiteral("by"));
  computeButton_ = new QPushButton(QStringLiteral("Co&mpute"));
  computeButton_->setObjectName(QStringLiteral("heatmapCompute"));
  computeButton_->setToolTip(QStringLiteral("Compute the matrix again"));
  cancelButton_ = new QPushButton(QStringLiteral("Cancel"));
  cancelButton_->setObjectName(QStringLiteral("heatmapCancel"));
  cancelButton_->setToolTip(QStringLiteral("Stop computing the matrix"));
  cancelButton_->hide();
  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("heatmapProgress"));
  progress_->setMaximumWidth(180);
  progress_->setTextVisible(true);
  progress_->hide();
  pngButton_ = new QPushButton(QStringLiteral("PNG…"));
  pngButton_->setObjectName(QStringLiteral("heatmapExportPng"));
  pngButton_->setToolTip(QStringLiteral("Save the heatmap as a PNG picture"));
  csvButton_ = new QPushButton(QStringLiteral("CSV…"));
  csvButton_->setObjectName(QStringLiteral("heatmapExportCsv"));
  csvButton_->setToolTip(
      QStringLiteral("Save the matrix as CSV (the format of `reco similarity --csv`)"));

  auto* runLabel = new QLabel(QStringLiteral("R&un"));
  runLabel->setBuddy(runBox_);
  auto* setLabel = new QLabel(QStringLiteral("S&et"));
  setLabel->setBuddy(setBox_);
  auto* orderLabel = new QLabel(QStringLiteral("Or&der"));
  orderLabel->setBuddy(orderBox_);
  auto* first = new QHBoxLayout;
  first->addWidget(runLabel);
  first->addWidget(runBox_);
  first->addSpacing(8);
  first->addWidget(setLabel);
  first->addWidget(setBox_);
  first->addWidget(categoryBox_);
  first->addWidget(userEdit_);
  first->addWidget(countLabel_);
  first->addWidget(count_);
  first->addStretch(1);
  auto* second = new QHBoxLayout;
  second->addWidget(orderLabel);
  second->addWidget(orderBox_);
  second->addWidget(basisLabel_);
  second->addWidget(basisBox_);
  second->addSpacing(8);
  second->addWidget(computeButton_);
  second->addWidget(progress_);
  second->addWidget(cancelButton_);
  second->addStretch(1);
  second->addWidget(new QLabel(QStringLiteral("Export")));
  second->addWidget(pngButton_);
  second->addWidget(csvButton_);

  heatmap_ = new SimilarityHeatmap;
  heatmap_->setObjectName(QStringLiteral("similarityHeatmap"));
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("heatmapStatus"));
  status_->setTextFormat(Qt::PlainText);  // titles and ids are the shop's text
  status_->setWordWrap(true);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 6, 0, 0);
  layout->setSpacing(6);
  layout->addLayout(first);
  layout->addLayout(second);
  layout->addWidget(heatmap_, 1);
  layout->addWidget(status_);

  const auto changed = [this] {
    updateControls();
    requestCompute();
  };
  connect(runBox_, &QComboBox::currentIndexChanged, this, changed);
  connect(setBox_, &QComboBox::currentIndexChanged, this, changed);
  connect(orderBox_, &QComboBox::currentIndexChanged, this, changed);
  connect(basisBox_, &QComboBox::currentIndexChanged, this, changed);
  connect(categoryBox_, &QComboBox::currentIndexChanged, this, changed);
  // Typing a count or an id computes once it is complete, not at every keystroke.
  count_->setKeyboardTracking(false);
  connect(count_, &QSpinBox::valueChanged, this, changed);
  connect(userEdit_, &QLineEdit::returnPressed, this, changed);
  connect(computeButton_, &QPushButton::clicked, this, &SimilarityView::compute);
  connect(cancelButton_, &QPushButton::clicked, this, &SimilarityView::cancel);
  connect(pngButton_, &QPushButton::clicked, this, [this] { chooseExport(true); });
  connect(csvButton_, &QPushButton::clicked, this, [this] { chooseExport(false); });
}

void SimilarityView::updateControls() {
  const auto kind = SetKind(setBox_->currentIndex());
  const bool counted = kind == SetKind::Popular || kind == SetKind::Category ||
                       kind == SetKind::UserList || kind == SetKind::ActiveUsers;
  count_->setVisible(counted);
  countLabel_->setVisible(counted);
  countLabel_->setText(kind == SetKind::UserList ? QStringLiteral("Top") : QStringLiteral("N"));
  categoryBox_->setVisible(kind == SetKind::Category);
  userEdit_->setVisible(kind == SetKind::UserList);
  basisBox_->setVisible(kind == SetKind::ActiveUsers);
  basisLabel_->setVisible(kind == SetKind::ActiveUsers);
  const bool hasMatrix = heatmap_ && heatmap_->matrix() != nullptr;
  pngButton_->setEnabled(hasMatrix);
  csvButton_->setEnabled(hasMatrix);
  computeButton_->setEnabled(split_.has_value() && runBox_->count() > 0);
}

void SimilarityView::setContext(const QString& path, std::vector<reco::storage::RunInfo> runs,
                                std::optional<reco::storage::SplitInfo> split) {
  const bool same = path == path_ && split.has_value() == split_.has_value() &&
                    (!split || split->id == split_->id) && sameRuns(runs, runs_);
  if (same) return;
  task_->cancel();
  const QString previous = runBox_->currentText();
  path_ = path;
  runs_ = std::move(runs);
  split_ = std::move(split);
  fillRunBox(runBox_, runs_, previous);
  heatmap_->setMatrix(nullptr);
  updateControls();
  showStatus(runs_.empty() ? QStringLiteral("No finished runs on this split: train a model to see "
                                            "its similarities.")
                           : QString(),
             false);
  requestCompute();
}

void SimilarityView::setCategories(const std::vector<std::string>& categories) {
  const QString previous = categoryBox_->currentText();
  const QSignalBlocker block(categoryBox_);
  categoryBox_->clear();
  for (const auto& name : categories) categoryBox_->addItem(toQString(name));
  categoryBox_->setCurrentIndex(std::max(0, categoryBox_->findText(previous)));
}

void SimilarityView::setSearchResult(const QString& text, const QStringList& itemIds) {
  searchText_ = text;
  searchIds_ = itemIds.mid(0, reco::kMaxSimilarityEntities);
  if (SetKind(setBox_->currentIndex()) == SetKind::SearchResult) requestCompute();
}

void SimilarityView::showPickedItems(const QStringList& itemIds) {
  pickedIds_ = itemIds.mid(0, reco::kMaxSimilarityEntities);
  if (setBox_->currentIndex() == int(SetKind::MapPicks))
    requestCompute();
  else
    setSetKind(SetKind::MapPicks);
}

bool SimilarityView::selectRun(const QString& name) {
  const int index = runBox_->findText(name);
  if (index < 0) return false;
  runBox_->setCurrentIndex(index);
  return true;
}

void SimilarityView::setSetKind(SetKind kind) {
  setBox_->setCurrentIndex(int(kind));
}

void SimilarityView::setCount(int count) {
  count_->setValue(count);
}

void SimilarityView::setOrder(reco::SimilarityOrder order) {
  orderBox_->setCurrentIndex(orderBox_->findData(int(order)));
}

bool SimilarityView::setCategory(const QString& name) {
  const int index = categoryBox_->findText(name);
  if (index < 0) return false;
  categoryBox_->setCurrentIndex(index);
  return true;
}

void SimilarityView::setUserId(const QString& userId) {
  userEdit_->setText(userId);
  if (setBox_->currentIndex() == int(SetKind::UserList)) requestCompute();
}

reco::SimilarityMatrixOptions SimilarityView::options() const {
  reco::SimilarityMatrixOptions options;
  auto& selection = options.selection;
  using Kind = reco::SimilaritySelection::Kind;
  selection.count = count_->value();
  const auto toIds = [](const QStringList& ids) {
    std::vector<std::string> out;
    out.reserve(std::size_t(ids.size()));
    for (const QString& id : ids) out.push_back(toStdString(id));
    return out;
  };
  switch (SetKind(setBox_->currentIndex())) {
    case SetKind::Popular: selection.kind = Kind::TopItems; break;
    case SetKind::Category:
      selection.kind = Kind::Category;
      selection.name = toStdString(categoryBox_->currentText());
      break;
    case SetKind::SearchResult:
      selection.kind = Kind::ItemIds;
      selection.ids = toIds(searchIds_);
      break;
    case SetKind::UserList:
      selection.kind = Kind::UserList;
      selection.name = toStdString(userEdit_->text().trimmed());
      break;
    case SetKind::MapPicks:
      selection.kind = Kind::ItemIds;
      selection.ids = toIds(pickedIds_);
      break;
    case SetKind::ActiveUsers: selection.kind = Kind::TopUsers; break;
  }
  options.order = reco::SimilarityOrder(orderBox_->currentData().toInt());
  options.userBasis = reco::UserSimilarityBasis(basisBox_->currentData().toInt());
  return options;
}

std::optional<reco::storage::RunInfo> SimilarityView::currentRun() const {
  const int index = runBox_->currentIndex();
  if (index < 0 || index >= int(runs_.size())) return std::nullopt;
  return runs_[std::size_t(index)];
}

void SimilarityView::requestCompute() {
  dirty_ = true;
  if (isVisible()) compute();
}

void SimilarityView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (dirty_) compute();
}

void SimilarityView::compute() {
  dirty_ = false;
  const auto run = currentRun();
  if (!run || !split_ || path_.isEmpty()) {
    task_->cancel();
    emit matrixShown();
    return;
  }
  const reco::SimilarityMatrixOptions wanted = options();
  // Sets that need something first say what.
  QString missing;
  const auto kind = SetKind(setBox_->currentIndex());
  if (kind == SetKind::SearchResult && wanted.selection.ids.empty())
    missing = searchText_.isEmpty()
                  ? QStringLiteral("Type a search in the item list first: its result is the set.")
                  : QStringLiteral("No item matches the search \"%1\".").arg(searchText_);
  else if (kind == SetKind::MapPicks && wanted.selection.ids.empty())
    missing = QStringLiteral(
        "Pick items on the map first (drag a rectangle there), then choose \"Heatmap of "
        "selection\".");
  else if (kind == SetKind::UserList && wanted.selection.name.empty())
    missing = QStringLiteral("Type a user id and press Enter: their top-N list is the set.");
  else if (kind == SetKind::Category && wanted.selection.name.empty())
    missing = QStringLiteral("This dataset has no categories.");
  if (!missing.isEmpty()) {
    task_->cancel();
    heatmap_->setMatrix(nullptr);
    updateControls();
    showStatus(missing, false);
    emit matrixShown();
    return;
  }
  showStatus(QStringLiteral("Computing the similarities of %1 by %2…")
                 .arg(describeSet(wanted), toQString(run->name)),
             false);
  const std::string file = toStdString(path_);
  task_->start<reco::SimilarityMatrix>(
      QStringLiteral("Similarity heatmap of %1").arg(toQString(run->name)),
      [file, run = *run, split = *split_, wanted, cache = cache_](reco::JobObserver* observer,
                                                                  std::stop_token stop) {
        return ItemLoader::readMatrix(file, run, split, wanted, cache.get(), observer,
                                      std::move(stop));
      },
      [this](const std::shared_ptr<const reco::SimilarityMatrix>& matrix,
             const std::exception_ptr& error) {
        if (error) {
          heatmap_->setMatrix(nullptr);
          showStatus(ItemLoader::describe(error), true);
        } else if (matrix) {
          heatmap_->setMatrix(matrix);
          QString text = heatmap_->title();
          if (!matrix->skipped.empty())
            text += QStringLiteral("  ·  left out: %1")
                        .arg(toQString(matrix->skipped.front()) +
                             (matrix->skipped.size() > 1
                                  ? QStringLiteral(" and %1 more").arg(matrix->skipped.size() - 1)
                                  : QString()));
          showStatus(text, false);
        }
        updateControls();
        emit matrixShown();
      });
}

void SimilarityView::cancel() {
  if (!task_->isRunning()) return;
  task_->cancel();
  showStatus(QStringLiteral("Computing the matrix was cancelled; press Compute to start again."),
             false);
  emit matrixShown();
}

bool SimilarityView::isComputing() const {
  return task_->isRunning();
}

std::shared_ptr<const reco::SimilarityMatrix> SimilarityView::matrix() const {
  return heatmap_->matrix();
}

QString SimilarityView::statusText() const {
  return status_->text();
}

void SimilarityView::showStatus(const QString& text, bool isError) {
  status_->setText(text);
  status_->setProperty("error", isError);
  status_->style()->unpolish(status_);
  status_->style()->polish(status_);
}

QString SimilarityView::exportPng(const QString& path) {
  const QString problem = outputTargetProblem(path, path_);
  return problem.isEmpty() ? heatmap_->exportPng(path) : problem;
}

QString SimilarityView::exportCsv(const QString& path) {
  const QString problem = outputTargetProblem(path, path_);
  return problem.isEmpty() ? heatmap_->exportCsv(path) : problem;
}

void SimilarityView::chooseExport(bool png) {
  if (!heatmap_->matrix()) return;
  const QString start = dialogStartFolder(QStringLiteral("export"), path_);
  const QString suffix = png ? QStringLiteral(".png") : QStringLiteral(".csv");
  QString path = QFileDialog::getSaveFileName(
      this, png ? QStringLiteral("Export heatmap") : QStringLiteral("Export similarity matrix"),
      QDir(start).filePath(QStringLiteral("similarity-%1%2").arg(runBox_->currentText(), suffix)),
      png ? QStringLiteral("PNG image (*.png)") : QStringLiteral("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("export"), path);
  if (QFileInfo(path).suffix().isEmpty()) path += suffix;
  const QString error = png ? exportPng(path) : exportCsv(path);
  if (!error.isEmpty()) showPlainWarning(this, QStringLiteral("Export"), error);
}

}  // namespace reco::ui
