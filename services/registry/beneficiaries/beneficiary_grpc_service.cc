#include "registry/beneficiaries/beneficiary_grpc_service.h"

#include <utility>

#include "common/auth/call_authenticator.h"
#include "common/grpc/finished_read_reactor.h"
#include "common/grpc/unary_call.h"
#include "common/status/grpc_status.h"
#include "registry/beneficiaries/import_stream_reactor.h"

namespace wahana::registry {

using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::Beneficiary;
using wahana::registry::v1::CreateBeneficiaryRequest;
using wahana::registry::v1::GetBeneficiaryRequest;
using wahana::registry::v1::ImportBeneficiariesRequest;
using wahana::registry::v1::ImportBeneficiariesResponse;
using wahana::registry::v1::ListBeneficiariesRequest;
using wahana::registry::v1::ListBeneficiariesResponse;
using wahana::registry::v1::ListPossibleDuplicatesRequest;
using wahana::registry::v1::ListPossibleDuplicatesResponse;
using wahana::registry::v1::LookupBeneficiaryRequest;
using wahana::registry::v1::UpdateBeneficiaryRequest;

BeneficiaryGrpcService::BeneficiaryGrpcService(
    std::unique_ptr<BeneficiaryLogic> logic, WorkerPool& pool,
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

grpc::ServerUnaryReactor* BeneficiaryGrpcService::CreateBeneficiary(
    grpc::CallbackServerContext* context, const CreateBeneficiaryRequest* request,
    Beneficiary* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->CreateBeneficiary(caller, *request);
  });
}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::GetBeneficiary(
    grpc::CallbackServerContext* context, const GetBeneficiaryRequest* request,
    Beneficiary* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetBeneficiary(caller, *request);
  });
}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::ListBeneficiaries(
    grpc::CallbackServerContext* context, const ListBeneficiariesRequest* request,
    ListBeneficiariesResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ListBeneficiaries(caller, *request);
  });
}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::UpdateBeneficiary(
    grpc::CallbackServerContext* context, const UpdateBeneficiaryRequest* request,
    Beneficiary* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->UpdateBeneficiary(caller, *request);
  });
}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::ArchiveBeneficiary(
    grpc::CallbackServerContext* context, const ArchiveRequest* request, Beneficiary* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ArchiveBeneficiary(caller, *request);
  });
}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::LookupBeneficiary(
    grpc::CallbackServerContext* context, const LookupBeneficiaryRequest* request,
    Beneficiary* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->LookupBeneficiary(caller, *request);
  });
}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::ListPossibleDuplicates(
    grpc::CallbackServerContext* context, const ListPossibleDuplicatesRequest* request,
    ListPossibleDuplicatesResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ListPossibleDuplicates(caller, *request);
  });
}

grpc::ServerUnaryReactor* BeneficiaryGrpcService::ImportBeneficiaries(
    grpc::CallbackServerContext* context, const ImportBeneficiariesRequest* request,
    ImportBeneficiariesResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ImportBeneficiaries(caller, *request);
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
