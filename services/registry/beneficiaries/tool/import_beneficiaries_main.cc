// wahana-import-beneficiaries: imports a CSV file of beneficiaries into the registry over gRPC
// (StreamImportBeneficiaries), with a progress bar on a terminal and a summary; or, with
// --generate=N, writes N fictional rows for demos and benchmarks.
//
// Exit codes: 0 every row stored or already there, 1 some rows rejected, 2 usage, file or
// connection errors (rows sent before such an error stay stored; running the file again is safe).

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/auth/auth_settings.h"
#include "common/auth/bearer_channel.h"
#include "common/config/env_reader.h"
#include "common/region/region_code.h"
#include "registry/beneficiaries/beneficiary_import.h"
#include "registry/beneficiaries/tool/beneficiary_csv.h"
#include "registry/beneficiaries/tool/beneficiary_generator.h"
#include "registry/beneficiaries/tool/csv_file_reader.h"
#include "registry/beneficiaries/tool/progress_bar.h"
#include "registry/regions/region_catalog.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"

namespace wahana::registry {
namespace {

using wahana::registry::v1::BeneficiaryService;
using wahana::registry::v1::ImportBeneficiariesRequest;
using wahana::registry::v1::ImportBeneficiariesResponse;
using wahana::registry::v1::ImportRejection;

constexpr int kExitOk = 0;
constexpr int kExitRejected = 1;
constexpr int kExitError = 2;

constexpr char kUsage[] = R"(Usage:
  wahana-import-beneficiaries [options] FILE.csv
  wahana-import-beneficiaries --generate=N [--region=16.06] [--seed=1] [--regions-dir=DIR] [--out=FILE]

Imports the beneficiaries of a CSV file into the registry. The header names the columns:
  nik, kk_number, full_name, sex, birth_date, village_code, address, ppks_categories, household_id
(full_name, sex, birth_date, village_code and ppks_categories required; other columns ignored).
sex: MALE/FEMALE or L/P; birth_date: YYYY-MM-DD or DD/MM/YYYY; ppks_categories: numbers 1-26 or
names (FAKIR_MISKIN) separated by ';'. Each row is checked alone: valid rows are stored, rejected
rows are listed with their line and reason. Importing the same file again changes nothing.

Options:
  --target=HOST:PORT  the registry's gRPC address (default 127.0.0.1:20051)
  --batch=N           rows per message (default 1000, at most 5000)
  --rejects=FILE      write every rejected row to FILE as CSV (line,field,reason)
  --show=N            rejections printed in the summary (default 10)
  --timeout=SECONDS   give up after this long (default 3600)
  --quiet             no progress bar

Generating (fictional rows with valid NIKs, for demos and benchmarks):
  --generate=N        write N rows (CSV, the header above) and exit
  --region=CODE       villages under this region (default 16.06)
  --seed=S            the same seed gives the same rows (default 1)
  --regions-dir=DIR   the region files (default: the registry's)
  --out=FILE          write there instead of standard output

The registry authenticates its callers: the tool signs its own token (role SYSTEM, scope
WAHANA_REGION) with the deployment's secret, WAHANA_TOKEN_SECRET_FILE (see the README).

Exit codes: 0 all rows stored or already there, 1 some rows rejected, 2 usage, file or connection
errors.
)";

struct Options {
  std::string target = "127.0.0.1:20051";
  int batch = 1000;
  std::string rejects;
  int show = 10;
  int timeout_s = 3600;
  bool quiet = false;
  int64_t generate = -1;
  std::string region = "16.06";
  uint64_t seed = 1;
  std::string regions_dir;
  std::string out;
  std::string file;
};

bool ParseOptions(int argc, char** argv, Options* o, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg, value;
    size_t eq = arg.find('=');
    if (absl::StartsWith(arg, "--") && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    bool ok = true;
    if (name == "--target") {
      o->target = value;
    } else if (name == "--batch") {
      ok = absl::SimpleAtoi(value, &o->batch) && o->batch >= 1 &&
           o->batch <= kMaxImportRowsPerRequest;
    } else if (name == "--rejects") {
      o->rejects = value;
    } else if (name == "--show") {
      ok = absl::SimpleAtoi(value, &o->show) && o->show >= 0;
    } else if (name == "--timeout") {
      ok = absl::SimpleAtoi(value, &o->timeout_s) && o->timeout_s >= 1;
    } else if (arg == "--quiet") {
      o->quiet = true;
    } else if (name == "--generate") {
      ok = absl::SimpleAtoi(value, &o->generate) && o->generate >= 0;
    } else if (name == "--region") {
      o->region = value;
      ok = ParseRegionCode(value, "--region").ok();
    } else if (name == "--seed") {
      ok = absl::SimpleAtoi(value, &o->seed);
    } else if (name == "--regions-dir") {
      o->regions_dir = value;
    } else if (name == "--out") {
      o->out = value;
    } else if (!absl::StartsWith(arg, "--") && o->file.empty()) {
      o->file = arg;
    } else {
      *error = absl::StrCat("unknown argument ", arg);
      return false;
    }
    if (!ok || (absl::StartsWith(arg, "--") && arg != "--quiet" && value.empty())) {
      *error = absl::StrCat("bad value in ", arg);
      return false;
    }
  }
  if (o->generate < 0 && o->file.empty()) {
    *error = "no file to import";
    return false;
  }
  return true;
}

int Generate(const Options& o) {
  std::string dir = o.regions_dir.empty() ? DefaultRegionsDir() : o.regions_dir;
  absl::StatusOr<RegionCatalog> catalog = LoadRegionCatalog(dir);
  if (!catalog.ok()) {
    std::cerr << "regions: " << catalog.status().message() << "\n";
    return kExitError;
  }
  std::vector<std::string> villages;
  for (const auto& region : catalog->regions) {
    absl::StatusOr<RegionLevelKind> level = ParseRegionCode(region.code());
    if (level.ok() && *level == RegionLevelKind::kVillage &&
        RegionWithin(region.code(), o.region)) {
      villages.push_back(region.code());
    }
  }
  if (villages.empty()) {
    std::cerr << "no villages under " << o.region << "\n";
    return kExitError;
  }
  std::ofstream file;
  if (!o.out.empty()) {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << o.out << ": cannot write\n";
      return kExitError;
    }
  }
  std::ostream& out = o.out.empty() ? std::cout : file;
  BeneficiaryGenerator generator(std::move(villages), o.seed);
  std::string buffer = CsvLine(BeneficiaryCsvHeader());
  for (int64_t i = 0; i < o.generate; ++i) {
    buffer += CsvLine(generator.NextRow());
    if (buffer.size() > (1 << 20)) {
      out << buffer;
      buffer.clear();
    }
  }
  out << buffer;
  out.flush();
  if (!out) {
    std::cerr << "write failed\n";
    return kExitError;
  }
  return kExitOk;
}

// What the importer tells at the end.
struct Summary {
  int64_t received = 0;  // data rows read from the file
  int64_t created = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  std::vector<ImportRejection> rejections;  // local and the registry's, by line
  bool rejections_complete = true;
};

void PrintSummary(const Options& o, const Summary& s, double seconds) {
  std::cout << o.file << ": " << WithThousands(s.received) << " rows: " << WithThousands(s.created)
            << " created, " << WithThousands(s.unchanged) << " unchanged, "
            << WithThousands(s.rejected) << " rejected (" << absl::StrFormat("%.1f", seconds)
            << " s, " << WithThousands(static_cast<int64_t>(seconds > 0 ? s.received / seconds : 0))
            << " rows/s)\n";
  const int shown = std::min<int>(o.show, static_cast<int>(s.rejections.size()));
  if (shown > 0) {
    std::cout << (shown < static_cast<int>(s.rejected) ? "first rejections:\n" : "rejections:\n");
    for (int i = 0; i < shown; ++i) {
      const ImportRejection& r = s.rejections[i];
      std::cout << "  line " << r.line() << ": "
                << (r.field().empty() ? "" : absl::StrCat(r.field(), ": ")) << r.reason() << "\n";
    }
  }
  if (!s.rejections_complete) {
    std::cout << "(the registry lists the first " << WithThousands(kMaxImportRejectionsListed)
              << " rejections only)\n";
  }
}

bool WriteRejects(const std::string& path, const Summary& s) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out << CsvLine({"line", "field", "reason"});
  for (const ImportRejection& r : s.rejections) {
    out << CsvLine({std::to_string(r.line()), r.field(), r.reason()});
  }
  return static_cast<bool>(out.flush());
}

int Import(const Options& o) {
  absl::StatusOr<std::unique_ptr<CsvFileReader>> reader = CsvFileReader::Open(o.file);
  if (!reader.ok()) {
    std::cerr << reader.status().message() << "\n";
    return kExitError;
  }
  std::vector<NumberedCsvRow> rows;
  absl::StatusOr<bool> more = (*reader)->Next(&rows);
  if (!more.ok() || !*more) {
    std::cerr << o.file << ": " << (more.ok() ? "empty file" : std::string(more.status().message()))
              << "\n";
    return kExitError;
  }
  absl::StatusOr<BeneficiaryColumns> columns = ParseBeneficiaryHeader(rows.front().fields);
  if (!columns.ok()) {
    std::cerr << o.file << ": " << columns.status().message() << "\n";
    return kExitError;
  }
  rows.erase(rows.begin());
  if (!columns->ignored.empty()) {
    std::cerr << o.file << ": ignoring column(s) " << absl::StrJoin(columns->ignored, ", ") << "\n";
  }

  {
    wahana::EnvReader env;
    std::string region = env.RegionCode("WAHANA_REGION");
    wahana::AuthSettings auth_settings = wahana::ReadAuthSettings(env);
    absl::Status env_ok = env.Finish();
    absl::StatusOr<wahana::AuthKeys> keys = env_ok.ok() ? wahana::LoadAuthKeys(auth_settings)
                                                        : absl::StatusOr<wahana::AuthKeys>(env_ok);
    if (!keys.ok()) {
      std::cerr << keys.status().message() << "\n";
      return kExitError;
    }
    wahana::AuthorizeAllOutgoingCalls(std::make_shared<wahana::TokenSource>(
        keys->minter, wahana::ServicePrincipal("import-beneficiaries", region)));
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);  // up to kMaxImportRejectionsListed rejections
  auto channel = grpc::CreateCustomChannel(o.target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
    std::cerr << "cannot reach the registry at " << o.target << "\n";
    return kExitError;
  }
  auto stub = BeneficiaryService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(o.timeout_s));
  ImportBeneficiariesResponse response;
  std::unique_ptr<grpc::ClientWriter<ImportBeneficiariesRequest>> writer =
      stub->StreamImportBeneficiaries(&context, &response);

  const auto started = std::chrono::steady_clock::now();
  ProgressBar progress(2, !o.quiet);
  Summary summary;
  std::vector<ImportRejection> local;
  ImportBeneficiariesRequest batch;
  bool stream_ok = true;
  std::string file_error;
  auto flush = [&]() {
    if (batch.rows_size() == 0 || !stream_ok) return;
    // Write blocks while the registry is behind (flow control): the bar shows its pace.
    stream_ok = writer->Write(batch);
    batch.Clear();
    progress.Update((*reader)->bytes_read(), (*reader)->size_bytes(), summary.received);
  };
  for (;;) {
    for (NumberedCsvRow& row : rows) {
      ++summary.received;
      auto* import_row = batch.add_rows();
      import_row->set_line(row.line);
      LocalRejection rejection;
      if (!BeneficiaryFromCsv(row.fields, *columns, import_row->mutable_beneficiary(),
                              &rejection)) {
        batch.mutable_rows()->RemoveLast();
        ImportRejection r;
        r.set_line(row.line);
        r.set_field(rejection.field);
        r.set_reason(rejection.reason);
        local.push_back(std::move(r));
        continue;
      }
      if (batch.rows_size() >= o.batch) flush();
    }
    progress.Update((*reader)->bytes_read(), (*reader)->size_bytes(), summary.received);
    if (!stream_ok) break;
    more = (*reader)->Next(&rows);
    if (!more.ok()) {
      file_error = absl::StrCat(o.file, ": ", more.status().message());
      break;
    }
    if (!*more) break;
  }
  flush();
  if (stream_ok) writer->WritesDone();
  grpc::Status status = writer->Finish();
  progress.Clear();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  summary.created = response.created();
  summary.unchanged = response.unchanged();
  summary.rejected = response.rejected() + static_cast<int64_t>(local.size());
  summary.rejections_complete = response.rejections_size() == response.rejected();
  summary.rejections.assign(response.rejections().begin(), response.rejections().end());
  summary.rejections.insert(summary.rejections.end(), local.begin(), local.end());
  std::stable_sort(
      summary.rejections.begin(), summary.rejections.end(),
      [](const ImportRejection& a, const ImportRejection& b) { return a.line() < b.line(); });
  if (!status.ok()) {
    std::cerr << "import failed: " << status.error_message() << " (gRPC code "
              << status.error_code() << "); rows stored before it stay, running the file "
              << "again is safe\n";
    return kExitError;
  }
  PrintSummary(o, summary, seconds);
  if (!o.rejects.empty()) {
    if (!WriteRejects(o.rejects, summary)) {
      std::cerr << o.rejects << ": cannot write\n";
      return kExitError;
    }
    std::cout << "rejections written to " << o.rejects << "\n";
  }
  if (!file_error.empty()) {
    std::cerr << file_error << "; rows before it were imported\n";
    return kExitError;
  }
  return summary.rejected > 0 ? kExitRejected : kExitOk;
}

int Main(int argc, char** argv) {
  Options options;
  std::string error;
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!ParseOptions(argc, argv, &options, &error)) {
    std::cerr << error << "\n\n" << kUsage;
    return kExitError;
  }
  try {
    return options.generate >= 0 ? Generate(options) : Import(options);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitError;
  }
}

}  // namespace
}  // namespace wahana::registry

int main(int argc, char** argv) { return wahana::registry::Main(argc, argv); }
