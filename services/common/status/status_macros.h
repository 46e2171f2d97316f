#pragma once
// Debian's Abseil (20220623) ships neither RETURN_IF_ERROR nor ASSIGN_OR_RETURN: these are ours.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define WAHANA_STATUS_CONCAT_INNER(a, b) a##b
#define WAHANA_STATUS_CONCAT(a, b) WAHANA_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function with the status of `expr` when it is not OK.
#define WAHANA_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::absl::Status wahana_status_ = (expr);          \
    if (!wahana_status_.ok()) return wahana_status_; \
  } while (0)

// `WAHANA_ASSIGN_OR_RETURN(auto x, F());` declares x from an absl::StatusOr, or returns its error.
#define WAHANA_ASSIGN_OR_RETURN(lhs, expr) \
  WAHANA_ASSIGN_OR_RETURN_IMPL(WAHANA_STATUS_CONCAT(wahana_statusor_, __LINE__), lhs, expr)
#define WAHANA_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                 \
  if (!statusor.ok()) return statusor.status();           \
  lhs = std::move(statusor).value()
