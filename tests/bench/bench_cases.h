#pragma once
// The cases the load generators create (case_bench's create-case load, reporting_bench's steady
// load): an elderly person living alone in village 16.06.01.2001, reported by a PKK cadre, with
// one of `kBeneficiaries` registry beneficiaries as subject, taken in turn.

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "wahana/cases/v1/case.pb.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"

namespace wahana::bench {

inline constexpr char kBenchSubdistrict[] = "16.06.01";
inline constexpr char kBenchVillage[] = "16.06.01.2001";
// A real beneficiary has a few cases, and the case store's lookup by beneficiary keeps one hash
// field of ids per beneficiary, rewritten whole on every create (so a single subject for every
// case would measure that field's growth, not a create).
inline constexpr int kBeneficiaries = 200;

// One bench's subjects: a request id prefix, a name word and a NIK serial of their own (the
// registry refuses a NIK twice, and a request id is only replayed for the caller that sent it).
struct SubjectSet {
  const char* request_prefix;
  const char* name_word;
  int nik_serial;
};
// Serials 9998-9999 stay clear of echo_bench's (5000-7499) and of the importer's (counting up
// from 0001 per kecamatan and day).
inline constexpr SubjectSet kCaseBenchSubjects{"case-bench-beneficiary-", "Kasus", 9999};
inline constexpr SubjectSet kReportingBenchSubjects{"reporting-bench-beneficiary-", "Laporan",
                                                    9998};

// The `kBeneficiaries` subjects of `set`, created over gRPC (fixed request ids, so a second run
// against the same Redis reuses them): their ids in `ids`. The first failure's status.
grpc::Status EnsureBeneficiaries(wahana::registry::v1::BeneficiaryService::Stub& stub,
                                 const SubjectSet& set, std::vector<std::string>* ids);

// A new INDIVIDUAL case of LANJUT_USIA_TELANTAR in kBenchVillage about `beneficiary_id`.
wahana::cases::v1::CreateCaseRequest ElderlyCase(const std::string& beneficiary_id);

}  // namespace wahana::bench
