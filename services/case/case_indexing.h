#pragma once
// How cases are listed and found (common/storage/record_indexing.h): by village code, with views
// for the list filters status and assignee and one for the caseload check (a worker's open
// cases), and lookups by beneficiary (the case's subject and every person among a conflict's
// parties: the registry consumer finds a person's cases, the personal-data export too) and by
// household (a FAMILY case's household). Category
// and kind are filters on the cases read, not views: every view costs each create and step a
// chunked-index write (~20 µs of Redis time) and each case ~50 bytes, and those two are asked
// mostly together with a region, a status or an assignee. Cases are never archived: a closed
// case stays listed (status=CLOSED).

#include <string>

#include "common/storage/record_indexing.h"
#include "wahana/cases/v1/case.pb.h"

namespace wahana {

inline constexpr char kBeneficiaryLookup[] = "beneficiary";
inline constexpr char kHouseholdLookup[] = "household";
// Names the lookups CaseIndexing derives; a new name makes the service add the lookup entries
// of the cases written before (AddMissingLookups, common/storage/lookup_reindex.h).
inline constexpr char kCaseLookupsVersion[] = "2026-11-28 parties+household";

std::string CaseStatusView(wahana::cases::v1::CaseStatus status);
// Not views: the names of the category and kind filters in a list's filter key.
std::string CaseCategoryView(wahana::common::v1::PpksCategory category);
std::string CaseKindView(wahana::cases::v1::CaseKind kind);
std::string CaseAssigneeView(const std::string& worker_id);
// The open cases (IsOpenStatus) assigned to `worker_id`: its caseload.
std::string CaseOpenAssigneeView(const std::string& worker_id);

RecordIndexing<wahana::cases::v1::Case> CaseIndexing();

}  // namespace wahana
