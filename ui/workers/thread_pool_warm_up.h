#pragma once
/// Starting every thread of a pool before the dynamic loader is busy for long.
///
/// glibc holds its TLS lock (dl_load_tls_lock) through a whole dlopen, and pthread_create
/// takes that lock to set up the new thread's TLS. Loading the LibTorch module takes about a
/// second (libtorch is linked with BIND_NOW): a job started from the GUI thread meanwhile that
/// needs a new pool thread would stall the GUI thread until the load ends (measured: 0.5-1.7
/// s, with the stack in _dl_allocate_tls_init). With every thread of the pool already running
/// and idle (they live QThreadPool::expiryTimeout(), 30 s by default), such a job takes an
/// idle thread or waits in the pool's queue, and the GUI thread goes on.

class QThreadPool;

namespace reco::ui {

/// Starts `pool`'s threads up to its maxThreadCount() from the calling thread: each new one
/// is created before this returns, and holds a no-op until all have started, then idles.
/// When some threads are busy with long jobs, the no-ops left over queue behind the others;
/// every no-op returns at the latest 200 ms after this call (one deadline for all), so the
/// pool's idle threads are free again by then. Returns at once; cost: a thread start each,
/// well under a millisecond.
void startEveryThread(QThreadPool& pool);

}  // namespace reco::ui
