#pragma once
// BeneficiaryService.ExportPersonalData's assembly (UU 27/2022 art. 32: the data subject's right
// to a copy of the data and of its processing): the record (read by the gRPC method as the
// caller), the live household the person belongs to (and the one the record names), the cases
// naming the person (its subject, a conflict party) or one of those households (FAMILY cases; from
// the case service), and the processing trail: the registry's audit
// entries about the person's record, then each case's from the case service.
//
// Only for callers who see personal data of beneficiaries (SeesPersonalData): others are
// PERMISSION_DENIED. Cases and households outside the caller's scope are left out. The trails are
// read as the registry itself (SYSTEM), since the export is the person's right, not the
// caller's: an OPERATOR may produce it without reading the audit otherwise. Staff addresses
// (clientAddress, peer) are left out of the exported entries.

#include <memory>
#include <string>

#include "common/audit/audit_reader.h"
#include "common/auth/principal.h"
#include "common/storage/indexed_record_store.h"
#include "registry/beneficiaries/personal_data_exporter.h"
#include "registry/export/case_records.h"
#include "wahana/registry/v1/household.pb.h"

namespace wahana::registry {

class RegistryPersonalDataExporter final : public PersonalDataExporter {
 public:
  // `trail_reader` reads the registry's own trail as `registry_principal`.
  RegistryPersonalDataExporter(
      std::shared_ptr<IndexedRecordStore<wahana::registry::v1::Household>> households,
      std::shared_ptr<CaseRecords> cases, std::shared_ptr<const AuditReader> trail_reader,
      Principal registry_principal);

  absl::StatusOr<wahana::registry::v1::PersonalDataExport> Export(
      const Principal& caller, wahana::registry::v1::Beneficiary record) const override;

 private:
  std::shared_ptr<IndexedRecordStore<wahana::registry::v1::Household>> households_;
  std::shared_ptr<CaseRecords> cases_;
  std::shared_ptr<const AuditReader> trail_reader_;
  const Principal registry_principal_;
};

}  // namespace wahana::registry
