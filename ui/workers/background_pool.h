#pragma once
/// Where the window's background work runs (ARCHITECTURE.md, Threads).
///
/// Not in QThreadPool::globalInstance(): Qt's raster paint engine hands parts of a large fill
/// or image conversion to the global pool and waits for them on the GUI thread
/// (QSemaphore::acquire under QRasterPaintEngine::fillPolygon, as in QCustomPlot's replot).
/// With the loaders in the global pool, a replot during a long read waited for a loader to
/// end: on a 1M-user workspace the GUI thread stalled 0.2-4.5 s while the Users, Items and
/// Compare screens read. Qt's helpers keep the global pool to themselves.

class QThreadPool;

namespace reco::ui {

/// The pool of the window's loaders, splits and other one-shot background tasks, with as
/// many threads as cores (as the global pool has). Owned by the application, so that it
/// outlives every task. GUI thread only for the first call.
QThreadPool& backgroundPool();

}  // namespace reco::ui
