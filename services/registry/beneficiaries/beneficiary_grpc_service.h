#pragma once
// The gRPC face of the beneficiaries: converts and hands the work to BeneficiaryLogic on the
// worker pool (imports streamed by ImportStreamReactor). No rules here.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "registry/beneficiaries/beneficiary_logic.h"
#include "registry/beneficiaries/personal_data_exporter.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"

namespace wahana::registry {

class BeneficiaryGrpcService final
    : public wahana::registry::v1::BeneficiaryService::CallbackService {
 public:
  // `pool` must outlive the service. Without `exporter` ExportPersonalData is UNIMPLEMENTED.
  BeneficiaryGrpcService(std::unique_ptr<BeneficiaryLogic> logic, WorkerPool& pool,
                         std::shared_ptr<const PersonalDataExporter> exporter = nullptr);

  grpc::ServerUnaryReactor* CreateBeneficiary(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::CreateBeneficiaryRequest* request,
      wahana::registry::v1::Beneficiary* response) override;
  grpc::ServerUnaryReactor* GetBeneficiary(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::GetBeneficiaryRequest* request,
      wahana::registry::v1::Beneficiary* response) override;
  grpc::ServerUnaryReactor* ListBeneficiaries(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::ListBeneficiariesRequest* request,
      wahana::registry::v1::ListBeneficiariesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateBeneficiary(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::UpdateBeneficiaryRequest* request,
      wahana::registry::v1::Beneficiary* response) override;
  grpc::ServerUnaryReactor* ArchiveBeneficiary(
      grpc::CallbackServerContext* context, const wahana::registry::v1::ArchiveRequest* request,
      wahana::registry::v1::Beneficiary* response) override;
  grpc::ServerUnaryReactor* LookupBeneficiary(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::LookupBeneficiaryRequest* request,
      wahana::registry::v1::Beneficiary* response) override;
  grpc::ServerUnaryReactor* ListPossibleDuplicates(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::ListPossibleDuplicatesRequest* request,
      wahana::registry::v1::ListPossibleDuplicatesResponse* response) override;
  grpc::ServerUnaryReactor* ImportBeneficiaries(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::ImportBeneficiariesRequest* request,
      wahana::registry::v1::ImportBeneficiariesResponse* response) override;
  grpc::ServerReadReactor<wahana::registry::v1::ImportBeneficiariesRequest>*
  StreamImportBeneficiaries(grpc::CallbackServerContext* context,
                            wahana::registry::v1::ImportBeneficiariesResponse* response) override;
  grpc::ServerUnaryReactor* ExportPersonalData(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::ExportPersonalDataRequest* request,
      wahana::registry::v1::PersonalDataExport* response) override;

 private:
  std::unique_ptr<BeneficiaryLogic> logic_;
  WorkerPool& pool_;
  std::shared_ptr<const PersonalDataExporter> exporter_;
};

}  // namespace wahana::registry
