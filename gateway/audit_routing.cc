#include "gateway/audit_routing.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wahana {
namespace {

struct TrailKeeper {
  absl::string_view collection;
  absl::string_view service;  // a gRPC service of the process keeping the trail
};

constexpr TrailKeeper kKeepers[] = {
    {"cases", "wahana.cases.v1.CaseService"},
    {"beneficiaries", "wahana.registry.v1.BeneficiaryService"},
    {"households", "wahana.registry.v1.BeneficiaryService"},
    {"workers", "wahana.registry.v1.BeneficiaryService"},
    {"institutions", "wahana.registry.v1.BeneficiaryService"},
    {"networks", "wahana.registry.v1.BeneficiaryService"},
    {"events", "wahana.event.v1.EventService"},
    // The gateway's own trail, served by its in-process API-key server.
    {"apiKeys", "wahana.auth.v1.ApiKeyService"},
};

}  // namespace

bool RoutesAudit(const std::vector<std::string>& services) {
  for (const std::string& service : services) {
    for (const TrailKeeper& keeper : kKeepers) {
      if (service == keeper.service) return true;
    }
  }
  return false;
}

absl::StatusOr<size_t> AuditBackendFor(const google::protobuf::Message& request,
                                       const std::vector<std::unique_ptr<Backend>>& backends) {
  const auto* field = request.GetDescriptor()->FindFieldByName("subject");
  const std::string subject =
      field == nullptr ? "" : request.GetReflection()->GetString(request, field);
  const absl::string_view collection = absl::string_view(subject).substr(0, subject.find('/'));
  for (const TrailKeeper& keeper : kKeepers) {
    if (collection != keeper.collection || collection.size() == subject.size()) continue;
    for (size_t i = 0; i < backends.size(); ++i) {
      if (backends[i]->service() == keeper.service) return i;
    }
    return absl::UnavailableError(
        absl::StrCat("the service keeping the audit trail of ", collection, " is not configured"));
  }
  return absl::InvalidArgumentError(
      "subject: a record name: cases/<id>, beneficiaries/<id>, households/<id>, workers/<id>, "
      "institutions/<id>, networks/<id>, events/<id> or apiKeys/<id>");
}

}  // namespace wahana
