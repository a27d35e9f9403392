#pragma once
/// What every reco_ui program sets up once, before its first window: the compiled-in
/// resources (icons, style sheet), the organisation and application names that QSettings
/// uses, the Fusion style with the project's light theme, and the window icon.

class QApplication;

namespace reco::ui {

/// Call once, after the QApplication exists and before the first window.
/// `withStyleSheet` false leaves Qt's default look (some tests want that).
void setUpApplication(QApplication& app, bool withStyleSheet = true);

}  // namespace reco::ui
