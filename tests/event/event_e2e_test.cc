// Events end to end: the real processes (Redis, the services, the gateway), called over HTTP as
// a district operator's client would: the seed article's event from create to DONE, its list
// filters, its organiser references, its stream messages and its audit trail.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "support/redis_inspection.h"
#include "support/suite.h"
#include "support/test_auth.h"
#include "wahana/event/v1/event.pb.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

class EventE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
    ASSERT_TRUE(suite_->Start()) << "suite not ready within 60 s";
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  static HttpResponse Call(const std::string& method, const std::string& target,
                           const json& body = nullptr) {
    return suite_->Call(method, target, body.is_null() ? "" : body.dump());
  }
  static json Json(const HttpResponse& r) { return Suite::Json(r); }
  static std::vector<std::string> Ids(const HttpResponse& list) {
    std::vector<std::string> ids;
    for (const auto& e : Json(list).value("events", json::array())) ids.push_back(e["id"]);
    return ids;
  }
  // The seed's event: Thursday 7 October 2021, 08:00-12:00 WIB, in the regency's auditorium.
  static json SeedEvent() {
    return {{"kind", "SOSIALISASI"},
            {"title", "Sosialisasi Penumbuhan WKSBM"},
            {"description", "Dibuka oleh Sekretaris Daerah"},
            {"regionCode", "16.06"},
            {"venue", "Auditorium Pemkab Muba, Sekayu"},
            {"startTime", "2021-10-07T01:00:00Z"},
            {"endTime", "2021-10-07T05:00:00Z"},
            {"capacity", 35},
            {"targetAudience",
             {{"psksKinds", {"PSM", "TKSK"}}, {"institutionKinds", {"PKK", "KARANG_TARUNA"}}}},
            {"speakers", {{{"fullName", "Sekretaris Daerah Kabupaten"}, {"role", "pembuka"}}}}};
  }

  static Suite* suite_;
};

Suite* EventE2eTest::suite_ = nullptr;

TEST_F(EventE2eTest, TheSeedEventFromCreateToDoneWithItsMessagesAndAudit) {
  HttpResponse pkk =
      Call("POST", "/v1/institutions",
           {{"kind", "PKK"}, {"name", "TP PKK Kabupaten"}, {"villageCode", "16.06.01.2001"}});
  ASSERT_EQ(pkk.status, 200) << pkk.body;
  json in = SeedEvent();
  in["organisedByOffice"] = true;
  in["organiserInstitutionIds"] = {Json(pkk)["id"]};
  HttpResponse created = Call("POST", "/v1/events?requestId=e2e-seed", in);
  ASSERT_EQ(created.status, 200) << created.body;
  json event = Json(created);
  const std::string id = event["id"];
  EXPECT_EQ(event["status"], "PLANNED");
  EXPECT_EQ(event["capacity"], 35);
  EXPECT_EQ(event["targetAudience"]["institutionKinds"][1], "KARANG_TARUNA");
  EXPECT_EQ(event["speakers"][0]["fullName"], "Sekretaris Daerah Kabupaten");
  EXPECT_EQ(Json(Call("POST", "/v1/events?requestId=e2e-seed", in))["id"], id) << "a retry";

  for (const char* step : {":open", ":start", ":finish"}) {
    HttpResponse moved =
        Call("POST", "/v1/events/" + id + step, {{"etag", event["etag"]}, {"reason", "sesuai"}});
    ASSERT_EQ(moved.status, 200) << step << ": " << moved.body;
    event = Json(moved);
  }
  EXPECT_EQ(event["status"], "DONE");
  EXPECT_EQ(event["etag"], "4");
  HttpResponse late = Call("POST", "/v1/events/" + id + ":cancel",
                           {{"etag", event["etag"]}, {"reason", "terlambat"}});
  EXPECT_EQ(late.status, 400) << late.body;  // FAILED_PRECONDITION
  EXPECT_NE(late.body.find("is DONE; :cancel needs PLANNED, OPEN or ONGOING"), std::string::npos)
      << late.body;

  // One message per change, on the event service's stream, in Redis.
  auto redis = suite_->redis().Client();
  std::vector<std::string> actions;
  for (const auto& message : StreamMessages(*redis, "event:{16.06}:stream")) {
    if (message.aggregate_id() != id) continue;
    wahana::event::v1::EventChanged changed;
    ASSERT_TRUE(message.payload().UnpackTo(&changed));
    actions.push_back(changed.action());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"created", "opened", "started", "finished"}));

  // Who did what to it: the audit trail of events/<id>.
  HttpResponse audit = Call("GET", "/v1/audit?subject=events/" + id);
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::vector<std::string> audited;
  for (const json& e : Json(audit).value("entries", json::array())) audited.push_back(e["action"]);
  for (const char* action : {"CreateEvent", "OpenEvent", "StartEvent", "FinishEvent"}) {
    EXPECT_NE(std::find(audited.begin(), audited.end(), action), audited.end()) << action;
  }
}

TEST_F(EventE2eTest, ListsByRegionKindStatusAndDay) {
  json village = SeedEvent();
  village["kind"] = "MEDIASI";
  village["title"] = "Mediasi batas kebun";
  village["regionCode"] = "16.06.02.2001";
  village["startTime"] = "2026-11-04T02:00:00Z";
  village.erase("endTime");
  HttpResponse mediation = Call("POST", "/v1/events", village);
  ASSERT_EQ(mediation.status, 200) << mediation.body;
  const std::string mediation_id = Json(mediation)["id"];
  HttpResponse seed = Call("POST", "/v1/events", SeedEvent());
  ASSERT_EQ(seed.status, 200) << seed.body;
  const std::string seed_id = Json(seed)["id"];

  std::vector<std::string> ids = Ids(Call("GET", "/v1/events?kind=MEDIASI&region=16.06.02"));
  EXPECT_EQ(ids, std::vector<std::string>{mediation_id});
  ids = Ids(Call("GET", "/v1/events?from=2021-10-07&to=2021-10-07&status=PLANNED"));
  EXPECT_NE(std::find(ids.begin(), ids.end(), seed_id), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), mediation_id), ids.end());

  HttpResponse bad = Call("GET", "/v1/events?from=7-10-2021");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("from:"), std::string::npos) << bad.body;
}

TEST_F(EventE2eTest, BadInputNamesTheFieldAndAnUnreadableOrganiserIsAnUnknownOne) {
  json backwards = SeedEvent();
  backwards["endTime"] = "2021-10-07T00:00:00Z";
  HttpResponse r = Call("POST", "/v1/events", backwards);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("endTime: must not be before startTime"), std::string::npos) << r.body;

  // An institution of Lais, named by an operator of Sekayu: 404 as an unknown id.
  HttpResponse lais = Call("POST", "/v1/institutions",
                           {{"kind", "KARANG_TARUNA"},
                            {"name", "Karang Taruna Lais"},
                            {"villageCode", "16.06.02.2001"}});
  ASSERT_EQ(lais.status, 200) << lais.body;
  const std::string lais_id = Json(lais)["id"];
  json in = SeedEvent();
  in["regionCode"] = "16.06.01";
  in["organiserInstitutionIds"] = {lais_id};
  const Principal sekayu{"e2e:operator-sekayu", "", Role::kOperator, "16.06.01"};
  HttpResponse hidden = suite_->Call("POST", "/v1/events", in.dump(),
                                     {{"Authorization", "Bearer " + TestToken(sekayu)}});
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_NE(hidden.body.find("organiserInstitutionIds[0]: institution " + lais_id + " not found"),
            std::string::npos)
      << hidden.body;
}

TEST_F(EventE2eTest, AMediationSessionNamesAMediasiEventOfTheCasesRegion) {
  HttpResponse person = Call("POST", "/v1/beneficiaries",
                             {{"nik", "1606015703480091"},
                              {"fullName", "Warga Sengketa"},
                              {"sex", "FEMALE"},
                              {"birthDate", "1948-03-17"},
                              {"villageCode", "16.06.01.2001"},
                              {"ppksCategories", {"KORBAN_TINDAK_KEKERASAN"}}});
  ASSERT_EQ(person.status, 200) << person.body;
  HttpResponse group = Call("POST", "/v1/institutions",
                            {{"kind", "LEMBAGA_ADAT"},
                             {"name", "Lembaga Adat Sukarami"},
                             {"villageCode", "16.06.01.2001"}});
  ASSERT_EQ(group.status, 200) << group.body;
  HttpResponse conflict =
      Call("POST", "/v1/cases",
           {{"villageCode", "16.06.01.2001"},
            {"category", "KORBAN_TINDAK_KEKERASAN"},
            {"kind", "SOCIAL_CONFLICT"},
            {"parties",
             {{{"beneficiaryId", Json(person)["id"]}}, {{"institutionId", Json(group)["id"]}}}},
            {"summary", "Sengketa batas kebun"}});
  ASSERT_EQ(conflict.status, 200) << conflict.body;
  const std::string c = "/v1/cases/" + Json(conflict)["id"].get<std::string>();
  json mediation = SeedEvent();
  mediation["kind"] = "MEDIASI";
  mediation["regionCode"] = "16.06.01";
  HttpResponse meeting = Call("POST", "/v1/events", mediation);
  ASSERT_EQ(meeting.status, 200) << meeting.body;
  HttpResponse talk = Call("POST", "/v1/events", SeedEvent());
  ASSERT_EQ(talk.status, 200) << talk.body;

  auto record = [&](const std::string& event_id) {
    const std::string etag = Json(Call("GET", c))["etag"];
    return Call("POST", c + ":recordSession",
                {{"etag", etag}, {"session", {{"date", "2026-03-02"}, {"eventId", event_id}}}});
  };
  // The case service asks the event service: a socialisation is no mediation meeting.
  HttpResponse wrong = record(Json(talk)["id"]);
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_NE(wrong.body.find("not a MEDIASI meeting"), std::string::npos) << wrong.body;
  HttpResponse ok = record(Json(meeting)["id"]);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok)["mediation"]["sessions"][0]["eventId"], Json(meeting)["id"]);
}

// The other direction: the event service consumes the case stream (its own group, as its own
// Redis user) and lists the cases a MEDIASI event serves in linkedCaseIds, a moment after the
// session is recorded; only to a caller who may read the case, and without moving the etag.
TEST_F(EventE2eTest, AMediasiEventListsTheCasesItsSessionsServeToThoseWhoMayReadThem) {
  HttpResponse person = Call("POST", "/v1/beneficiaries",
                             {{"nik", "1606025703480092"},
                              {"fullName", "Warga Lais"},
                              {"sex", "FEMALE"},
                              {"birthDate", "1948-03-17"},
                              {"villageCode", "16.06.02.2001"},
                              {"ppksCategories", {"KORBAN_TINDAK_KEKERASAN"}}});
  ASSERT_EQ(person.status, 200) << person.body;
  HttpResponse group = Call(
      "POST", "/v1/institutions",
      {{"kind", "LEMBAGA_ADAT"}, {"name", "Lembaga Adat Lais"}, {"villageCode", "16.06.02.2001"}});
  ASSERT_EQ(group.status, 200) << group.body;
  HttpResponse conflict =
      Call("POST", "/v1/cases",
           {{"villageCode", "16.06.02.2001"},
            {"category", "KORBAN_TINDAK_KEKERASAN"},
            {"kind", "SOCIAL_CONFLICT"},
            {"parties",
             {{{"beneficiaryId", Json(person)["id"]}}, {{"institutionId", Json(group)["id"]}}}},
            {"summary", "Sengketa batas kebun di Lais"}});
  ASSERT_EQ(conflict.status, 200) << conflict.body;
  const std::string case_id = Json(conflict)["id"];
  const std::string c = "/v1/cases/" + case_id;
  // Regency-wide: a mediation the district office holds for the whole regency.
  json mediation = SeedEvent();
  mediation["kind"] = "MEDIASI";
  mediation["title"] = "Mediasi sengketa lahan se-kabupaten";
  HttpResponse meeting = Call("POST", "/v1/events", mediation);
  ASSERT_EQ(meeting.status, 200) << meeting.body;
  const std::string event_id = Json(meeting)["id"];
  const std::string e = "/v1/events/" + event_id;
  EXPECT_EQ(Json(meeting).value("linkedCaseIds", json::array()), json::array()) << meeting.body;

  HttpResponse session = Call("POST", c + ":recordSession",
                              {{"etag", Json(conflict)["etag"]},
                               {"session", {{"date", "2026-03-02"}, {"eventId", event_id}}}});
  ASSERT_EQ(session.status, 200) << session.body;
  // The consumer is asynchronous: poll (up to 10 s).
  json read;
  for (int i = 0; i < 100; ++i) {
    HttpResponse got = Call("GET", e);
    ASSERT_EQ(got.status, 200) << got.body;
    read = Json(got);
    if (!read.value("linkedCaseIds", json::array()).empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(read.value("linkedCaseIds", json::array()), json::array({case_id})) << read.dump();
  EXPECT_EQ(read["etag"], Json(meeting)["etag"]) << "a link is no change of the event";
  HttpResponse listed = Call("GET", "/v1/events?region=16.06&kind=MEDIASI");
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool in_list = false;
  const json page = Json(listed);
  for (const auto& ev : page["events"]) {
    if (ev["id"] == event_id) {
      in_list = true;
      EXPECT_EQ(ev.value("linkedCaseIds", json::array()), json::array({case_id})) << ev.dump();
    }
  }
  EXPECT_TRUE(in_list) << listed.body;

  // An operator of Sekayu may not read the regency's event at all.
  const std::map<std::string, std::string> sekayu = {
      {"Authorization",
       "Bearer " + TestToken(Principal{"e2e:operator-sekayu", "", Role::kOperator, "16.06.01"})}};
  EXPECT_EQ(suite_->Call("GET", e, "", sekayu).status, 404);

  // Narrowed to Sekayu, sent back as read (linkedCaseIds included: ignored, not refused), the
  // event is Sekayu's to read, but the Lais case it served stays hidden from Sekayu's operator.
  json narrowed = read;
  narrowed["regionCode"] = "16.06.01";
  HttpResponse patched = Call("PATCH", e, narrowed);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched).value("linkedCaseIds", json::array()), json::array({case_id}));
  HttpResponse as_sekayu = suite_->Call("GET", e, "", sekayu);
  ASSERT_EQ(as_sekayu.status, 200) << as_sekayu.body;
  EXPECT_EQ(Json(as_sekayu).value("linkedCaseIds", json::array()), json::array()) << as_sekayu.body;
  EXPECT_EQ(as_sekayu.body.find(case_id), std::string::npos) << as_sekayu.body;
  // The field is the server's: a mask naming it is refused.
  HttpResponse masked = Call("PATCH", e + "?updateMask=linkedCaseIds", Json(patched));
  EXPECT_EQ(masked.status, 400) << masked.body;
  EXPECT_NE(masked.body.find("linked_case_ids\\\" is set by the server"), std::string::npos)
      << masked.body;
}

// The seed's participants over HTTP: each kind of person, one person once, the capacity, a
// withdrawal, check-ins while the event runs, the attendance, the stream and the audit trail.
TEST_F(EventE2eTest, ParticipantsRegisterOnceWithinTheCapacityAndCheckIn) {
  json in = SeedEvent();
  in["capacity"] = 3;
  // Held today, so its check-in codes are valid (until its end).
  in["startTime"] =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() - absl::Hours(1), absl::UTCTimeZone());
  in["endTime"] =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(8), absl::UTCTimeZone());
  HttpResponse created = Call("POST", "/v1/events", in);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = Json(created)["id"];
  const std::string participants = "/v1/events/" + id + "/participants";
  HttpResponse worker = Call("POST", "/v1/workers",
                             {{"kind", "PSM"},
                              {"nik", "1606011505800071"},
                              {"fullName", "Yusuf Pekerja Sosial"},
                              {"villageCode", "16.06.01.2001"},
                              {"subdistrictCodes", {"16.06.01"}}});
  ASSERT_EQ(worker.status, 200) << worker.body;

  HttpResponse psm =
      Call("POST", participants + "?requestId=psm-1", {{"workerId", Json(worker)["id"]}});
  ASSERT_EQ(psm.status, 200) << psm.body;
  EXPECT_EQ(Json(psm)["fullName"], "Yusuf Pekerja Sosial");
  EXPECT_EQ(Json(psm)["affiliation"], "PSM");
  EXPECT_EQ(Json(psm)["status"], "REGISTERED");
  EXPECT_TRUE(Json(psm).value("personKeys", json::array()).empty()) << psm.body;
  EXPECT_EQ(Json(Call("POST", participants + "?requestId=psm-1",
                      {{"workerId", Json(worker)["id"]}}))["id"],
            Json(psm)["id"])
      << "a retry";
  HttpResponse twice = Call("POST", participants, {{"workerId", Json(worker)["id"]}});
  EXPECT_EQ(twice.status, 409) << twice.body;

  auto walk_in = [&](const std::string& nik) {
    return Call("POST", participants,
                {{"walkIn", {{"fullName", "Sri Wahyuni"}, {"nik", nik}, {"affiliation", "PKK"}}}});
  };
  HttpResponse sri = walk_in("1606014507850003");
  ASSERT_EQ(sri.status, 200) << sri.body;
  ASSERT_EQ(walk_in("1606014507850004").status, 200);
  HttpResponse full = walk_in("1606014507850005");
  EXPECT_EQ(full.status, 400) << full.body;
  EXPECT_NE(full.body.find("is full: no seat left within its capacity"), std::string::npos)
      << full.body;
  HttpResponse bad = walk_in("16060145078500");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("walkIn.nik"), std::string::npos) << bad.body;

  // Withdrawing frees the seat.
  const json sri_record = Json(sri);
  HttpResponse withdrawn =
      Call("POST", participants + "/" + std::string(sri_record["id"]) + ":withdraw",
           {{"etag", sri_record["etag"]}, {"reason", "berhalangan"}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(Json(withdrawn)["status"], "WITHDRAWN");
  ASSERT_EQ(walk_in("1606014507850005").status, 200);

  // Check-ins while the event runs; the second answers the first time.
  const std::string psm_id = Json(psm)["id"];
  HttpResponse early = Call("POST", participants + "/" + psm_id + ":checkIn", json::object());
  EXPECT_EQ(early.status, 400) << early.body;
  json event = Json(Call("GET", "/v1/events/" + id));
  ASSERT_EQ(Call("POST", "/v1/events/" + id + ":open", {{"etag", event["etag"]}}).status, 200);
  HttpResponse in_first = Call("POST", participants + "/" + psm_id + ":checkIn", json::object());
  ASSERT_EQ(in_first.status, 200) << in_first.body;
  HttpResponse in_again = Call("POST", participants + "/" + psm_id + ":checkIn", json::object());
  ASSERT_EQ(in_again.status, 200) << in_again.body;
  EXPECT_EQ(Json(in_again)["checkInTime"], Json(in_first)["checkInTime"]);
  EXPECT_EQ(Json(in_again)["checkInMethod"], "BY_OPERATOR");

  // A walk-in checks in with the code of the invitation; a forged code is refused.
  HttpResponse list_now = Call("GET", participants);
  std::string walk_in_id;
  const json listed_now = Json(list_now);
  for (const json& p : listed_now["participants"]) {
    if (p["affiliationKind"] == "WALK_IN") walk_in_id = p["id"];
  }
  ASSERT_FALSE(walk_in_id.empty()) << list_now.status << list_now.body;
  HttpResponse code = Call("GET", participants + "/" + walk_in_id + "/checkInCode");
  ASSERT_EQ(code.status, 200) << code.body;
  HttpResponse png = Call("GET", participants + "/" + walk_in_id + "/checkInQr?format=png");
  ASSERT_EQ(png.status, 200) << png.body;
  EXPECT_EQ(png.headers["content-type"], "image/png");
  EXPECT_EQ(png.body.substr(0, 4), "\x89PNG");
  HttpResponse keys = Call("GET", "/.well-known/wahana-check-in-keys.json");
  ASSERT_EQ(keys.status, 200) << keys.body;
  EXPECT_EQ(Json(keys)["keys"][0]["kid"], Json(code)["keyId"]);
  std::string forged = Json(code)["code"];
  forged[60] = forged[60] == 'Z' ? 'Y' : 'Z';
  HttpResponse refused = Call("POST", "/v1/events/" + id + ":checkIn", {{"code", forged}});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("code: "), std::string::npos) << refused.body;
  HttpResponse by_code =
      Call("POST", "/v1/events/" + id + ":checkIn", {{"code", Json(code)["code"]}});
  ASSERT_EQ(by_code.status, 200) << by_code.body;
  EXPECT_EQ(Json(by_code)["checkInMethod"], "BY_CODE");
  HttpResponse used_again =
      Call("POST", "/v1/events/" + id + ":checkIn", {{"code", Json(code)["code"]}});
  ASSERT_EQ(used_again.status, 200) << used_again.body;
  EXPECT_EQ(Json(used_again)["checkInTime"], Json(by_code)["checkInTime"]);

  HttpResponse attendance = Call("GET", "/v1/events/" + id + "/attendance");
  ASSERT_EQ(attendance.status, 200) << attendance.body;
  const json a = Json(attendance);
  EXPECT_EQ(a["registered"], "3") << attendance.body;  // int64 is a string in JSON
  EXPECT_EQ(a["checkedIn"], "2") << attendance.body;
  EXPECT_NEAR(a.value("rate", 0.0), 2.0 / 3.0, 1e-9);
  HttpResponse list = Call("GET", participants + "?showWithdrawn=true");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Json(list)["participants"].size(), 4u);
  EXPECT_EQ(list.body.find("1606014507850004"), std::string::npos) << "lists mask NIKs";

  // One message per change on the event service's stream; the calls in the event's trail.
  auto redis = suite_->redis().Client();
  std::vector<std::string> actions;
  for (const auto& message : StreamMessages(*redis, "event:{16.06}:stream")) {
    wahana::event::v1::ParticipantChanged changed;
    if (!message.payload().UnpackTo(&changed) || changed.participant().event_id() != id) continue;
    actions.push_back(changed.action());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"created", "created", "created", "withdrawn",
                                               "created", "checkedIn", "checkedIn"}));
}

}  // namespace
}  // namespace wahana::testing
