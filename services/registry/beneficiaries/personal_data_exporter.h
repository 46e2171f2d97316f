#pragma once
// What BeneficiaryService.ExportPersonalData needs besides the beneficiaries' own logic: the rest
// of a person's data and its processing trail (UU 27/2022 art. 32). The implementation lives in
// services/registry/export/ (households, the case service, the audit trails); the registry's
// main wires it in. The gRPC method has already read the record as the caller (access checked).

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana::registry {

class PersonalDataExporter {
 public:
  virtual ~PersonalDataExporter() = default;
  // `record`: the beneficiary as `caller` reads it (GetBeneficiary succeeded).
  virtual absl::StatusOr<wahana::registry::v1::PersonalDataExport> Export(
      const Principal& caller, wahana::registry::v1::Beneficiary record) const = 0;
};

}  // namespace wahana::registry
