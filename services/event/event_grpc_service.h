#pragma once
// The gRPC face of events: hands each call to EventLogic, or ParticipantLogic for an event's
// participants, on the worker pool. No rules here.

#include <memory>

#include "common/grpc/unary_call.h"
#include "common/grpc/worker_pool.h"
#include "event/event_logic.h"
#include "event/participant_logic.h"
#include "wahana/event/v1/event.grpc.pb.h"

namespace wahana {

class EventGrpcService final : public wahana::event::v1::EventService::CallbackService {
 public:
  // `pool` must outlive the service.
  EventGrpcService(std::shared_ptr<EventLogic> logic,
                   std::shared_ptr<ParticipantLogic> participants, WorkerPool& pool);

  WAHANA_UNARY_METHOD(CreateEvent, wahana::event::v1::CreateEventRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(GetEvent, wahana::event::v1::GetEventRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(ListEvents, wahana::event::v1::ListEventsRequest,
                      wahana::event::v1::ListEventsResponse)
  WAHANA_UNARY_METHOD(UpdateEvent, wahana::event::v1::UpdateEventRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(ArchiveEvent, wahana::event::v1::ArchiveEventRequest,
                      wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(OpenEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(StartEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(FinishEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD(CancelEvent, wahana::event::v1::EventStepRequest, wahana::event::v1::Event)
  WAHANA_UNARY_METHOD_TO(RegisterParticipant, participants_->Register,
                         wahana::event::v1::RegisterParticipantRequest,
                         wahana::event::v1::Participant)
  WAHANA_UNARY_METHOD_TO(GetParticipant, participants_->Get,
                         wahana::event::v1::GetParticipantRequest, wahana::event::v1::Participant)
  WAHANA_UNARY_METHOD_TO(ListParticipants, participants_->List,
                         wahana::event::v1::ListParticipantsRequest,
                         wahana::event::v1::ListParticipantsResponse)
  WAHANA_UNARY_METHOD_TO(WithdrawParticipant, participants_->Withdraw,
                         wahana::event::v1::ParticipantStepRequest, wahana::event::v1::Participant)
  WAHANA_UNARY_METHOD_TO(CheckInParticipant, participants_->CheckIn,
                         wahana::event::v1::ParticipantStepRequest, wahana::event::v1::Participant)
  WAHANA_UNARY_METHOD_TO(GetAttendance, participants_->GetAttendance,
                         wahana::event::v1::GetAttendanceRequest, wahana::event::v1::Attendance)
  WAHANA_UNARY_METHOD_TO(GetCheckInCode, participants_->GetCheckInCode,
                         wahana::event::v1::GetCheckInCodeRequest, wahana::event::v1::CheckInCode)
  WAHANA_UNARY_METHOD_TO(GetCheckInQr, participants_->GetCheckInQr,
                         wahana::event::v1::GetCheckInQrRequest, wahana::common::v1::HttpBody)
  WAHANA_UNARY_METHOD_TO(CheckInByCode, participants_->CheckInByCode,
                         wahana::event::v1::CheckInByCodeRequest, wahana::event::v1::Participant)
  WAHANA_UNARY_METHOD_TO(GetCheckInKeys, participants_->GetCheckInKeys,
                         wahana::event::v1::GetCheckInKeysRequest, wahana::event::v1::CheckInKeys)

 private:
  std::shared_ptr<EventLogic> logic_;
  std::shared_ptr<ParticipantLogic> participants_;
  WorkerPool& pool_;
};

}  // namespace wahana
