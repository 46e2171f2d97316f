#include "bench_cases.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace wahana::bench {
namespace {

namespace reg = wahana::registry::v1;

// The n-th subject of `set`: a man born n days after 1950-01-01 in the bench village.
grpc::Status EnsureBeneficiary(reg::BeneficiaryService::Stub& stub, const SubjectSet& set, int n,
                               std::string* id) {
  std::time_t t = static_cast<std::time_t>(-7305 + n) * 86400;  // 1950-01-01 is day -7305
  std::tm day{};
  gmtime_r(&t, &day);
  char nik[32], birth[16];
  std::snprintf(nik, sizeof nik, "160601%02d%02d%02d%04d", day.tm_mday, day.tm_mon + 1,
                day.tm_year % 100, set.nik_serial);
  std::strftime(birth, sizeof birth, "%Y-%m-%d", &day);
  std::string suffix;  // letters only: a unique name, so no duplicate-candidate flags
  for (int k = n; suffix.empty() || k > 0; k /= 26) suffix += static_cast<char>('a' + k % 26);
  suffix[0] = static_cast<char>(suffix[0] - 'a' + 'A');
  reg::CreateBeneficiaryRequest request;
  request.set_request_id(set.request_prefix + std::to_string(n));
  reg::Beneficiary* b = request.mutable_beneficiary();
  b->set_nik(nik);
  b->set_full_name(std::string("Ahmad ") + set.name_word + " " + suffix);
  b->set_sex(reg::Beneficiary::MALE);
  b->set_birth_date(birth);
  b->set_village_code(kBenchVillage);
  b->add_ppks_categories(wahana::common::v1::LANJUT_USIA_TELANTAR);
  reg::Beneficiary created;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status status = stub.CreateBeneficiary(&context, request, &created);
  *id = created.id();
  return status;
}

}  // namespace

grpc::Status EnsureBeneficiaries(reg::BeneficiaryService::Stub& stub, const SubjectSet& set,
                                 std::vector<std::string>* ids) {
  for (int n = 0; n < kBeneficiaries; ++n) {
    std::string id;
    grpc::Status status = EnsureBeneficiary(stub, set, n, &id);
    if (!status.ok()) return status;
    ids->push_back(std::move(id));
  }
  return grpc::Status::OK;
}

wahana::cases::v1::CreateCaseRequest ElderlyCase(const std::string& beneficiary_id) {
  namespace pb = wahana::cases::v1;
  pb::CreateCaseRequest request;
  pb::Case* c = request.mutable_case_();
  c->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  c->set_kind(pb::INDIVIDUAL);
  c->set_village_code(kBenchVillage);
  c->set_summary("Lansia tinggal sendiri, tidak ada yang merawat; dilaporkan kader PKK.");
  c->set_beneficiary_id(beneficiary_id);
  c->mutable_reporter()->set_kind(pb::Reporter::PUBLIC);
  c->mutable_reporter()->set_name("Kader PKK Dusun II");
  c->set_urgency(pb::HIGH);
  return request;
}

}  // namespace wahana::bench
