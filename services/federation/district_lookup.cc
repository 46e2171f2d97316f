#include "federation/district_lookup.h"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "common/grpc/service_channel.h"
#include "common/privacy/nik_lookup.h"

namespace wahana {
namespace {

using wahana::federation::v1::BeneficiaryLookup;
using wahana::federation::v1::LookupAnswer;
using wahana::federation::v1::LookupQuery;
using wahana::federation::v1::SignedLookup;

// One district's call in flight: its context, question and answer live until it completes.
struct DistrictCall {
  std::string region;
  grpc::ClientContext context;
  SignedLookup question;
  LookupAnswer answer;
  grpc::Status status;
};

}  // namespace

DistrictLookup::DistrictLookup(std::string province, std::shared_ptr<const Ed25519PrivateKey> key,
                               std::shared_ptr<const RegisteredDistricts> districts,
                               absl::Duration deadline,
                               std::shared_ptr<grpc::ChannelCredentials> credentials)
    : province_(std::move(province)),
      key_(std::move(key)),
      districts_(std::move(districts)),
      deadline_(deadline) {
  for (const auto& [code, district] : districts_->all()) {
    if (district.address.empty()) continue;
    stubs_[code] = wahana::federation::v1::FederationService::NewStub(
        credentials ? CreateServiceChannel(district.address, credentials)
                    : CreateServiceChannel(district.address));
  }
}

absl::StatusOr<BeneficiaryLookup> DistrictLookup::Lookup(
    const Principal& caller, const wahana::federation::v1::LookupBeneficiaryRequest& request) {
  absl::Status allowed = CheckNikLookup(caller, request.nik());
  if (!allowed.ok()) return allowed;
  if (key_ == nullptr) {
    return absl::FailedPreconditionError(
        "this province has no key to sign its questions (WAHANA_FEDERATION_KEY_FILE)");
  }
  BeneficiaryLookup out;
  std::vector<std::unique_ptr<DistrictCall>> calls;
  const absl::Time now = absl::Now();
  for (const auto& [code, district] : districts_->all()) {
    out.add_asked(code);
    auto stub = stubs_.find(code);
    if (stub == stubs_.end()) {
      out.add_unanswered(code);
      continue;
    }
    auto call = std::make_unique<DistrictCall>();
    call->region = code;
    call->context.set_deadline(absl::ToChronoTime(now + deadline_));
    LookupQuery query;
    query.set_province(province_);
    query.set_district(code);
    query.set_nik(request.nik());
    query.set_asked_by(caller.subject);
    query.mutable_issued_at()->set_seconds(absl::ToUnixSeconds(now));
    call->question.set_query(query.SerializeAsString());
    call->question.set_signature(key_->Sign(call->question.query()));
    calls.push_back(std::move(call));
  }
  // Every district at once; each callback counts itself done.
  absl::BlockingCounter pending(static_cast<int>(calls.size()));
  for (const std::unique_ptr<DistrictCall>& call : calls) {
    DistrictCall* c = call.get();
    stubs_.at(c->region)->async()->AnswerLookup(&c->context, &c->question, &c->answer,
                                                [c, &pending](grpc::Status status) {
                                                  c->status = std::move(status);
                                                  pending.DecrementCount();
                                                });
  }
  pending.Wait();
  for (const std::unique_ptr<DistrictCall>& call : calls) {
    if (!call->status.ok()) {
      spdlog::warn("federation: district {} did not answer a look-up: {}", call->region,
                   call->status.error_message());
      out.add_unanswered(call->region);
      continue;
    }
    if (call->answer.has_match()) *out.add_matches() = call->answer.match();
  }
  return out;
}

}  // namespace wahana
