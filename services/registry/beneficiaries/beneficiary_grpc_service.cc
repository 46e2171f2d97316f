#include "registry/beneficiaries/beneficiary_grpc_service.h"

#include <utility>

#include "common/auth/call_authenticator.h"
#include "common/grpc/finished_read_reactor.h"
#include "common/grpc/unary_call.h"
#include "common/status/grpc_status.h"
#include "registry/beneficiaries/import_stream_reactor.h"

namespace wahana::registry {

using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::GetBeneficiaryRequest;
using wahana::registry::v1::ImportBeneficiariesRequest;
using wahana::registry::v1::ImportBeneficiariesResponse;

BeneficiaryGrpcService::BeneficiaryGrpcService(std::unique_ptr<BeneficiaryLogic> logic,
                                               WorkerPool& pool,
                                               std::shared_ptr<const PersonalDataExporter> exporter)
    : logic_(std::move(logic)), pool_(pool), exporter_(std::move(exporter)) {}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::ExportPersonalData(
    grpc::CallbackServerContext* context,
    const wahana::registry::v1::ExportPersonalDataRequest* request,
    wahana::registry::v1::PersonalDataExport* response) {
  return RunUnary(
      context, pool_, response,
      [this, request](
          const Principal& caller) -> absl::StatusOr<wahana::registry::v1::PersonalDataExport> {
        if (exporter_ == nullptr) {
          return absl::UnimplementedError("this registry does not export personal data");
        }
        // The record as the caller may read it: NOT_FOUND outside its scope, as a read.
        GetBeneficiaryRequest get;
        get.set_id(request->id());
        absl::StatusOr<Beneficiary> record = logic_->GetBeneficiary(caller, get);
        if (!record.ok()) return record.status();
        return exporter_->Export(caller, *std::move(record));
      });
}

grpc::ServerReadReactor<ImportBeneficiariesRequest>*
BeneficiaryGrpcService::StreamImportBeneficiaries(grpc::CallbackServerContext* context,
                                                  ImportBeneficiariesResponse* response) {
  absl::StatusOr<Principal> principal = PrincipalOf(*context);
  if (!principal.ok()) {
    return new FinishedReadReactor<ImportBeneficiariesRequest>(ToGrpcStatus(principal.status()));
  }
  return new ImportStreamReactor(logic_->StartImport(*principal), pool_, response);
}

}  // namespace wahana::registry
