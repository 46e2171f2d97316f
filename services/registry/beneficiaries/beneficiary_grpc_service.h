#pragma once
// The gRPC face of the beneficiaries: converts and hands the work to BeneficiaryLogic on the
// worker pool (imports streamed by ImportStreamReactor). No rules here.

#include <memory>

#include "common/grpc/unary_call.h"
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

  WAHANA_UNARY_METHOD(CreateBeneficiary, wahana::registry::v1::CreateBeneficiaryRequest,
                      wahana::registry::v1::Beneficiary)
  WAHANA_UNARY_METHOD(GetBeneficiary, wahana::registry::v1::GetBeneficiaryRequest,
                      wahana::registry::v1::Beneficiary)
  WAHANA_UNARY_METHOD(ListBeneficiaries, wahana::registry::v1::ListBeneficiariesRequest,
                      wahana::registry::v1::ListBeneficiariesResponse)
  WAHANA_UNARY_METHOD(UpdateBeneficiary, wahana::registry::v1::UpdateBeneficiaryRequest,
                      wahana::registry::v1::Beneficiary)
  WAHANA_UNARY_METHOD(ArchiveBeneficiary, wahana::registry::v1::ArchiveRequest,
                      wahana::registry::v1::Beneficiary)
  WAHANA_UNARY_METHOD(LookupBeneficiary, wahana::registry::v1::LookupBeneficiaryRequest,
                      wahana::registry::v1::Beneficiary)
  WAHANA_UNARY_METHOD(ListPossibleDuplicates, wahana::registry::v1::ListPossibleDuplicatesRequest,
                      wahana::registry::v1::ListPossibleDuplicatesResponse)
  WAHANA_UNARY_METHOD(ImportBeneficiaries, wahana::registry::v1::ImportBeneficiariesRequest,
                      wahana::registry::v1::ImportBeneficiariesResponse)
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
