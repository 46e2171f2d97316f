#include "federation/lookup_answerer.h"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/federation/signed_batch.h"
#include "common/grpc/service_channel.h"
#include "common/privacy/nik_lookup.h"
#include "common/region/region_code.h"
#include "common/status/grpc_status.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"

namespace wahana {
namespace {

using wahana::federation::v1::LookupAnswer;
using wahana::federation::v1::LookupQuery;

// How far a question's issue time may be from the district's clock.
constexpr absl::Duration kFreshness = absl::Minutes(5);

}  // namespace

LookupAnswerer::LookupAnswerer(std::string region, std::optional<Ed25519PublicKey> province_key,
                               FindByNik find, std::function<absl::Time()> now)
    : region_(std::move(region)),
      province_(ParentRegionCode(region_)),
      province_key_(std::move(province_key)),
      find_(std::move(find)),
      now_(now ? std::move(now) : [] { return absl::Now(); }) {}

absl::StatusOr<LookupAnswer> LookupAnswerer::Answer(
    const wahana::federation::v1::SignedLookup& signed_lookup) {
  if (!province_key_.has_value()) {
    return absl::UnauthenticatedError(
        "this district has no province key (WAHANA_PROVINCE_PUBLIC_KEY_FILE): it answers no "
        "look-up");
  }
  LookupQuery query;
  absl::Status opened = OpenSigned(signed_lookup.query(), signed_lookup.signature(), *province_key_,
                                   province_, "query", &query);
  if (!opened.ok()) {
    spdlog::warn("federation: look-up refused: {}", opened.ToString());
    return opened;
  }
  if (query.district() != region_ || query.province() != province_) {
    return absl::PermissionDeniedError(
        absl::StrCat("query.district: this district is ", region_, " of ", province_, ", not ",
                     query.district().substr(0, 16), " of ", query.province().substr(0, 16)));
  }
  const absl::Time issued = absl::FromUnixSeconds(query.issued_at().seconds());
  if (absl::AbsDuration(now_() - issued) > kFreshness) {
    return absl::UnauthenticatedError(
        "query.issued_at: more than five minutes from now (a question is not replayed)");
  }
  if (!IsNikShape(query.nik())) return absl::InvalidArgumentError("query.nik: 16 digits");
  absl::StatusOr<std::optional<wahana::registry::v1::Beneficiary>> found = find_(query.nik());
  if (!found.ok()) return found.status();
  // The NIK is not logged; who asked is (the audit trails hold the call, by request id).
  spdlog::info("federation: province {} ({}) looked up a NIK here: {}", province_,
               query.asked_by().substr(0, 64), found->has_value() ? "found" : "not found");
  LookupAnswer answer;
  if (found->has_value()) {
    const wahana::registry::v1::Beneficiary& b = **found;
    wahana::federation::v1::DistrictMatch* match = answer.mutable_match();
    match->set_region(region_);
    match->set_id(b.id());
    match->set_full_name(b.full_name());
    match->set_village_code(b.village_code());
    *match->mutable_ppks_categories() = b.ppks_categories();
    match->set_archived(b.archived());
  }
  return answer;
}

LookupAnswerer::FindByNik RegistryNikFinder(const std::string& address, absl::Duration deadline) {
  std::shared_ptr<wahana::registry::v1::BeneficiaryService::Stub> stub =
      wahana::registry::v1::BeneficiaryService::NewStub(CreateServiceChannel(address));
  return [stub, deadline](const std::string& nik)
             -> absl::StatusOr<std::optional<wahana::registry::v1::Beneficiary>> {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    wahana::registry::v1::LookupBeneficiaryRequest request;
    request.set_nik(nik);
    wahana::registry::v1::Beneficiary found;
    const grpc::Status status = stub->LookupBeneficiary(&context, request, &found);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::nullopt;
    if (!status.ok()) {
      return absl::UnavailableError(
          absl::StrCat("the registry (WAHANA_REGISTRY_ADDR): ", status.error_message()));
    }
    return found;
  };
}

}  // namespace wahana
