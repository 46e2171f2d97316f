#include "common/config/settings.h"

#include "absl/strings/str_split.h"

namespace wahana {

const std::vector<SettingSpec>& AllSettings() {
  static const std::vector<SettingSpec> kSettings = {
      {"WAHANA_REGION", "16.06", "all",
       "Region this deployment serves: a regency code (district deployment) or a province code "
       "(province deployment). Records outside it are refused."},
      {"WAHANA_LOG_LEVEL", "info", "all", "trace, debug, info, warn, error or off."},
      {"WAHANA_LOG_FORMAT", "text", "all", "text (human) or json (one object per line)."},
      {"WAHANA_REDIS_HOST", "127.0.0.1", "all", "Redis host (the system of record)."},
      {"WAHANA_REDIS_PORT", "6379", "all", "Redis port."},
      {"WAHANA_REDIS_POOL_SIZE", "8", "all", "Redis connections per process (1-256)."},
      {"WAHANA_REDIS_TIMEOUT_MS", "2000", "all",
       "Connect and command timeout for Redis, in milliseconds."},
      {"WAHANA_REDIS_USER", "", "all",
       "Redis ACL user of the process (registry, case, event, reporting, gateway; audit for "
       "wahana-audit): each may touch only its own keys (deploy/redis/users.acl.in). Empty: "
       "Redis's default user."},
      {"WAHANA_REDIS_PASSWORD_FILE", "", "all",
       "File holding the password of WAHANA_REDIS_USER (required with it); deploy/local/run.sh "
       "makes one per user, compose mounts them as secrets."},
      {"WAHANA_TIME_ZONE", "Asia/Jakarta", "services",
       "The office's time zone, which says what \"today\" and \"this year\" are (dates not in the "
       "future, overdue referrals, the case number's year): Asia/Jakarta (WIB), Asia/Makassar "
       "(WITA) or Asia/Jayapura (WIT)."},
      {"WAHANA_GRPC_HOST", "127.0.0.1", "services",
       "Address a service's gRPC server binds (0.0.0.0 in containers)."},
      {"WAHANA_GRPC_PORT", "", "services",
       "gRPC port of a service; default 20051 registry, 20052 case, 20053 event, 20054 reporting, "
       "20055 federation."},
      {"WAHANA_METRICS_PORT", "", "services",
       "Port of a service's Prometheus endpoint (GET /metrics, bound on WAHANA_GRPC_HOST); default "
       "9451 registry, 9452 case, 9453 event, 9454 reporting, 9455 federation; 0 turns it off."},
      {"WAHANA_WORKER_THREADS", "8", "services",
       "Threads that run Redis work for gRPC calls (1-256)."},
      {"WAHANA_WORKER_QUEUE", "1024", "services",
       "Calls waiting for a worker before new ones get RESOURCE_EXHAUSTED (1-1000000)."},
      {"WAHANA_STREAM_MAXLEN", "1000000", "services",
       "Approximate length each stream is trimmed to (MAXLEN ~); entries not yet consumed by every "
       "group are never trimmed."},
      {"WAHANA_BUS_MAX_DELIVERIES", "5", "services",
       "Deliveries of one message before it is moved to the dead-letter stream (1-100)."},
      {"WAHANA_BUS_CLAIM_IDLE_MS", "30000", "services",
       "A pending message idle this long is reclaimed from a dead consumer (XAUTOCLAIM)."},
      {"WAHANA_TOKEN_SECRET_FILE", "", "all",
       "File holding the HS256 secret (at least 32 bytes) the suite's processes share to sign and "
       "verify their own calls to each other (service:<name> SYSTEM tokens only); required "
       "(deploy/local/run.sh makes one). Keep it mode 0600."},
      {"WAHANA_TOKEN_SIGNING_KEY_FILE", "", "gateway",
       "PEM RSA private key (2048 bits or more) the gateway signs every token it issues with "
       "(RS256, POST /v1/tokens and its calls to the services); required by the gateway, given to "
       "no other process. Keep it mode 0600."},
      {"WAHANA_TOKEN_PUBLIC_KEY_FILE", "", "services",
       "PEM public half of WAHANA_TOKEN_SIGNING_KEY_FILE, verifying the gateway's tokens (also "
       "served at /.well-known/jwks.json); required by the services."},
      {"WAHANA_JWT_PUBLIC_KEY_FILE", "", "all",
       "PEM RSA public key verifying RS256 tokens from an outside identity provider; empty (the "
       "default): RS256 tokens are refused."},
      {"WAHANA_TOKEN_LIFETIME_S", "300", "all",
       "Lifetime in seconds of the tokens a process mints for its calls to services (10-86400)."},
      {"WAHANA_REGIONS_DIR", "", "registry",
       "Folder with the idn-area CSV files; default: the copy installed with the registry."},
      {"WAHANA_REGISTRY_ADDR", "127.0.0.1:20051", "gateway,case,event,reporting,federation",
       "Where the registry's gRPC server is reached: host:port, the replicas' ip:port,ip:port,... "
       "or dns:///name:port (a name resolving to every replica); calls are spread over every "
       "replica that answers (round robin). A district's federation service looks NIKs up there "
       "for its province."},
      {"WAHANA_CASE_ADDR", "127.0.0.1:20052", "gateway,registry,reporting",
       "Where the case service is reached, written as WAHANA_REGISTRY_ADDR (the registry's "
       "personal-data export and `wahana-reporting --rebuild` read cases)."},
      {"WAHANA_CASE_OVERDUE_DAYS", "30", "case,reporting",
       "An open case with no action for this many days is listed (and counted in the KPIs) as "
       "overdue (1-3650)."},
      {"WAHANA_CASE_REGISTRY_DEADLINE_MS", "2000", "case",
       "Deadline of the case service's calls to the registry (subjects, workers) and to the event "
       "service (mediation events), in ms."},
      {"WAHANA_EVENT_ADDR", "127.0.0.1:20053", "gateway,case,reporting",
       "Where the event service is reached, written as WAHANA_REGISTRY_ADDR (the case service "
       "checks mediation events; `wahana-reporting --rebuild` reads events and participants)."},
      {"WAHANA_CHECKIN_KEY_FILE", "", "event",
       "PEM Ed25519 private key signing participants' check-in codes (openssl genpkey -algorithm "
       "ed25519); its public half is served at /.well-known/wahana-check-in-keys.json. Empty: no "
       "codes (their calls answer 400)."},
      {"WAHANA_EVENT_REGISTRY_DEADLINE_MS", "2000", "event",
       "Deadline of the event service's calls to the registry (organiser institutions), in ms."},
      {"WAHANA_REPORTING_ADDR", "127.0.0.1:20054", "gateway",
       "Where the reporting service is reached, written as WAHANA_REGISTRY_ADDR."},
      {"WAHANA_FEDERATION_ADDR", "127.0.0.1:20055", "gateway",
       "Where the federation service is reached (GET /v1/federation/status), written as "
       "WAHANA_REGISTRY_ADDR."},
      {"WAHANA_ROLE", "", "case,reporting,federation",
       "district or province; empty (the default): a province when WAHANA_REGION is a province "
       "code, a district otherwise."},
      {"WAHANA_PROVINCE_ADDR", "", "case,reporting,federation",
       "A district's link to its province: where the province's federation service is reached. "
       "Set, the district's reports are relayed there; empty: the district stands alone."},
      {"WAHANA_FEDERATION_KEY_FILE", "", "federation",
       "PEM Ed25519 private key this deployment signs with (openssl genpkey -algorithm ed25519): "
       "a linked district its batches (required), a province its look-up questions (without it "
       "a province looks no one up). The other side holds the public half."},
      {"WAHANA_PROVINCE_PUBLIC_KEY_FILE", "", "federation",
       "A district's copy of its province's public key (PEM): the only key whose look-up "
       "questions it answers. Empty: it answers none."},
      {"WAHANA_FEDERATION_LOOKUP_DEADLINE_MS", "3000", "federation",
       "How long a province waits for its districts' answers to a NIK look-up, in ms; those not "
       "answering by then are listed as unanswered."},
      {"WAHANA_FEDERATION_DISTRICTS_FILE", "", "federation",
       "A province's registered districts: a JSON list of {\"region\": \"16.06\", "
       "\"publicKey\": <PEM of the district's key>, \"address\": <its federation service>}. "
       "Batches from any other origin are refused."},
      {"WAHANA_FEDERATION_BATCH", "2000", "federation",
       "Most messages a district sends in one batch (1-100000)."},
      {"WAHANA_FEDERATION_DEADLINE_MS", "10000", "federation",
       "Deadline of one batch sent to the province, in ms; a batch that fails is sent again after "
       "a growing delay with jitter (up to 30 s)."},
      {"WAHANA_FEDERATION_TLS_PORT", "0", "federation",
       "A second gRPC port, with TLS, for the other deployments (a district's relay, a "
       "province's look-ups and answers); 0: none. Needs the two files below."},
      {"WAHANA_FEDERATION_TLS_CERT_FILE", "", "federation",
       "PEM certificate (chain) of WAHANA_FEDERATION_TLS_PORT; its names must match the address "
       "the peers use."},
      {"WAHANA_FEDERATION_TLS_KEY_FILE", "", "federation",
       "PEM private key of WAHANA_FEDERATION_TLS_CERT_FILE."},
      {"WAHANA_FEDERATION_TLS_CA_FILE", "", "federation",
       "PEM certificates a peer's TLS certificate must chain to. Set: this deployment calls its "
       "peers (WAHANA_PROVINCE_ADDR, the districts' addresses) with TLS, at their TLS ports; "
       "empty: without."},
      {"WAHANA_HTTP_HOST", "127.0.0.1", "gateway", "Address the HTTP gateway binds."},
      {"WAHANA_HTTP_PORT", "8080", "gateway", "HTTP port of the gateway."},
      {"WAHANA_HTTP_THREADS", "2", "gateway", "Threads serving HTTP connections (1-256)."},
      {"WAHANA_HTTP_MAX_BODY_BYTES", "1048576", "gateway",
       "Largest request body accepted; larger ones get 413."},
      {"WAHANA_HTTP_MAX_CONNECTIONS_PER_CLIENT", "64", "gateway",
       "Open connections one client address may hold; more get 429 and are closed (0: no limit; "
       "behind a reverse proxy every client shares its address: raise it there)."},
      {"WAHANA_RPC_DEADLINE_MS", "5000", "gateway", "Deadline of every call to a service."},
      {"WAHANA_ECHO_ADDR", "", "gateway",
       "Where the benchmark's echo service is reached; empty (the default) leaves /v1/echo "
       "unrouted."},
      {"WAHANA_HTTP_MAX_JSON_DEPTH", "32", "gateway",
       "Deepest nesting of objects and arrays accepted in a JSON request body; deeper gets 400 "
       "(0: unchecked)."},
      {"WAHANA_RATE_LIMIT_PER_SECOND", "50", "gateway",
       "Requests a second each caller (principal, else client address) may make on average; over "
       "the limit 429 with Retry-After (0: no limit)."},
      {"WAHANA_RATE_LIMIT_BURST", "100", "gateway",
       "Requests a caller may make at once before the per-second rate applies (1-1000000)."},
      {"WAHANA_AUTH_FAILURES_PER_MINUTE", "30", "gateway",
       "Failed authentications a client address may make a minute; beyond them 429 with "
       "Retry-After instead of 401, and principals new to the address wait too (0: no limit)."},
      {"WAHANA_HTTP_MAX_IN_FLIGHT", "256", "gateway",
       "Requests the gateway works on at once; beyond it 503 with Retry-After: 1 (0: no cap)."},
      {"WAHANA_CORS_ORIGINS", "", "gateway",
       "Comma list of browser origins allowed cross-origin access (CORS); empty (the default) "
       "turns CORS off."},
      {"WAHANA_ACCESS_LOG", "on", "gateway",
       "on: one JSON line per request on stderr (the access log); off: none."},
  };
  return kSettings;
}

bool SettingUsedBy(const SettingSpec& spec, absl::string_view process) {
  if (spec.used_by == "all") return true;
  if (spec.used_by == "services") return process != "gateway";
  for (absl::string_view name : absl::StrSplit(spec.used_by, ',')) {
    if (name == process) return true;
  }
  return false;
}

void PrintSettingsHelp(absl::string_view process, std::ostream& out) {
  out << "wahana-" << process << ": configured by environment variables\n\n";
  for (const SettingSpec& s : AllSettings()) {
    if (!SettingUsedBy(s, process)) continue;
    out << "  " << s.name << " (default \"" << s.default_value << "\")\n      " << s.description
        << "\n";
  }
}

const SettingSpec* FindSetting(absl::string_view name) {
  for (const SettingSpec& spec : AllSettings()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace wahana
