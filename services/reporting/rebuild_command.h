#pragma once
// `wahana-reporting --rebuild`: one run of the reports' rebuild (reports_rebuild.h) with the
// service's own settings (WAHANA_REGION, the Redis and token settings, WAHANA_CASE_ADDR,
// WAHANA_REGISTRY_ADDR, WAHANA_EVENT_ADDR), beside a running reporting service or without one.

namespace wahana {

// The process exit code: 0 rebuilt (a summary line on stdout), 1 the rebuild failed (the live
// counters unchanged; the reason on stderr), 2 a bad setting.
int RunRebuildCommand();

}  // namespace wahana
