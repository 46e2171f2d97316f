#!/usr/bin/python3
"""The twins of README.md's grpcurl examples: makes each call of the "### gRPC" block, as printed,
against a running suite, and checks the answer.

grpcurl is not packaged by Debian; Python's grpcio (python3-grpcio) and protobuf
(python3-protobuf) are, so the calls are made with them. The message classes are generated now,
into a temporary directory, by the system protoc (--python_out) from proto/ and the googleapis
annotation protos the build uses; no generated gRPC stubs are needed (each method is called by
its path with channel.unary_unary). Health checks and server reflection (grpcurl's list and
describe) use the wire-compatible subsets of grpc's own protos below, which Debian does not ship.

The block is the one README.md opens with "# Twin: tests/deploy/grpc_examples.py". In it:
  - the `export WAHANA_TOKEN="$(curl ... /v1/tokens ...)"` line is run in bash as printed, with
    `var/` and `build/` pointing at this suite's data and build dirs, the gateway's default
    address 127.0.0.1:8080 at this suite's and no WAHANA_* setting inherited: the token every call
    then carries comes from it (the admin API key exchanged at the gateway);
  - each grpcurl command is parsed (-H, -d, address, list/describe/method); the request body is
    its -d JSON, with the placeholders <beneficiary id 1>, <beneficiary id 2> (the demo's
    conflict parties), <case id> and <event id> (the records made by the calls before) filled
    in; the default ports 20051-20054 become this suite's (run/suite.env);
  - every command must carry the token, except one preceded by a comment saying "Without the
    token", which must be refused UNAUTHENTICATED.
Each method the block calls must have a check here (CHECKS), and each check a command: an
example added without a twin, or a twin whose example is gone, fails.

Usage: grpc_examples.py --readme README.md --data-dir DIR --build-dir DIR
Exit 0 when every call answers as expected; 1 naming each failure."""
import argparse
import glob
import importlib
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

import grpc
from google.protobuf import descriptor_pb2, json_format, symbol_database


TWIN_MARKER = "# Twin: tests/deploy/grpc_examples.py"
DEFAULT_PORTS = {20051: "registry", 20052: "case", 20053: "event", 20054: "reporting"}
DEADLINE_S = 10

# Subsets of grpc/health/v1/health.proto and grpc/reflection/v1alpha/reflection.proto (Apache-2.0,
# github.com/grpc/grpc): the messages grpcurl's Health/Check, list and describe use, with their
# packages, names and field numbers unchanged.
EXTRA_PROTOS = {
    "grpc_twin/health.proto": """syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
""",
    "grpc_twin/reflection.proto": """syntax = "proto3";
package grpc.reflection.v1alpha;
message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    string list_services = 7;
  }
}
message ServerReflectionResponse {
  string valid_host = 1;
  ServerReflectionRequest original_request = 2;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
""",
}
REFLECTION_METHOD = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def twin_block(readme):
    for block in re.findall(r"^```sh\n(.*?)^```", readme, flags=re.S | re.M):
        if block.startswith(TWIN_MARKER):
            return block
    raise Failure(f"README has no ```sh block starting with '{TWIN_MARKER}'")


def bash_reads_whole(text):
    """Whether bash reads `text` to its end: no quote, $( or pipe left open. bash itself is asked,
    since shlex knows no $( ): in "$(curl ... | sed 's/"x"/y/')" it pairs the quotes wrongly."""
    run = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
    return not re.search(r"unexpected (EOF|end of file)", run.stderr)


def commands_with_notes(block):
    """(command, the comment lines just before it) for each command of the block."""
    result, notes, pending = [], [], ""
    for line in block.splitlines():
        if not pending and line.lstrip().startswith("#"):
            notes.append(line.strip())
            continue
        if not pending and not line.strip():
            notes = []
            continue
        pending = f"{pending}\n{line}" if pending else line
        if pending.rstrip().endswith("\\") or not bash_reads_whole(pending):
            continue
        result.append((pending.strip(), notes))
        notes, pending = [], ""
    return result


def googleapis_dir(build_dir):
    cache = os.path.join(build_dir, "CMakeCache.txt")
    if os.path.exists(cache):
        for line in open(cache, encoding="utf-8"):
            if line.startswith("GOOGLEAPIS_DIR:"):
                return line.split("=", 1)[1].strip()
    return "/usr/share/gocode/src/github.com/gogo/googleapis"


def generate_messages(repo, build_dir, out):
    """protoc --python_out for proto/, google/api/*.proto and EXTRA_PROTOS; imports them all."""
    for name, text in EXTRA_PROTOS.items():
        os.makedirs(os.path.join(out, "src", os.path.dirname(name)), exist_ok=True)
        with open(os.path.join(out, "src", name), "w", encoding="utf-8") as f:
            f.write(text)
    proto_root = os.path.join(repo, "proto")
    google = googleapis_dir(build_dir)
    wahana = sorted(os.path.relpath(p, proto_root)
                    for p in glob.glob(os.path.join(proto_root, "wahana", "**", "*.proto"),
                                       recursive=True))
    sources = ["google/api/http.proto", "google/api/annotations.proto"] + wahana + list(EXTRA_PROTOS)
    gen = os.path.join(out, "gen")
    os.makedirs(gen)
    run = subprocess.run(["protoc", f"-I{proto_root}", f"-I{google}", f"-I{out}/src",
                          "-I/usr/include", f"--python_out={gen}"] + sources,
                         capture_output=True, text=True)
    expect(run.returncode == 0, f"protoc failed: {run.stderr.strip()}")
    sys.path.insert(0, gen)
    for source in sources:
        importlib.import_module(source[:-len(".proto")].replace("/", ".") + "_pb2")


def message(full_name):
    return symbol_database.Default().GetSymbol(full_name)


def method_types(path):
    """(request class, response class) of "pkg.Service/Method"."""
    service_name, method_name = path.split("/")
    service = symbol_database.Default().pool.FindServiceByName(service_name)
    method = service.FindMethodByName(method_name)
    expect(method is not None, f"{service_name} has no method {method_name}")
    return message(method.input_type.full_name), message(method.output_type.full_name)


def unary(channel, path, request, metadata):
    request_class, response_class = method_types(path)
    call = channel.unary_unary(f"/{path}", request_serializer=request_class.SerializeToString,
                               response_deserializer=response_class.FromString)
    return call(request, metadata=metadata, timeout=DEADLINE_S)


def reflect(channel, metadata, **request_fields):
    request_class = message("grpc.reflection.v1alpha.ServerReflectionRequest")
    response_class = message("grpc.reflection.v1alpha.ServerReflectionResponse")
    call = channel.stream_stream(REFLECTION_METHOD,
                                 request_serializer=request_class.SerializeToString,
                                 response_deserializer=response_class.FromString)
    answers = list(call(iter([request_class(**request_fields)]), metadata=metadata,
                        timeout=DEADLINE_S))
    expect(len(answers) == 1, f"reflection answered {len(answers)} messages")
    expect(answers[0].WhichOneof("message_response") != "error_response",
           f"reflection error: {answers[0].error_response}")
    return answers[0]


class Grpcurl:
    """One grpcurl command of the block, parsed."""

    def __init__(self, command, token):
        words = shlex.split(command.replace("$WAHANA_TOKEN", token).replace("\\\n", " "))
        expect(words[0] == "grpcurl", f"not a grpcurl command: {command}")
        self.headers, self.body, rest = [], None, []
        i = 1
        while i < len(words):
            if words[i] == "-plaintext":
                i += 1
            elif words[i] == "-H":
                name, value = words[i + 1].split(":", 1)
                self.headers.append((name.strip().lower(), value.strip()))
                i += 2
            elif words[i] == "-d":
                self.body = words[i + 1]
                i += 2
            else:
                expect(not words[i].startswith("-"), f"option {words[i]} unknown to the twin")
                rest.append(words[i])
                i += 1
        self.address, self.verb, self.args = rest[0], rest[1], rest[2:]


class Twins:
    """The calls of the block in order, with what each learnt (the ids later calls name)."""

    def __init__(self, ports, demo):
        self.ports, self.demo, self.ids = ports, demo, {}

    def target(self, address):
        host, port = address.rsplit(":", 1)
        service = DEFAULT_PORTS.get(int(port))
        expect(service is not None, f"{address} is no service's default port")
        return f"{host}:{self.ports[service]}", service

    def fill(self, body):
        values = {"beneficiary id 1": self.demo.get("demo-case-person-4"),
                  "beneficiary id 2": self.demo.get("demo-case-person-5"),
                  "case id": self.ids.get("case"), "event id": self.ids.get("event")}

        def put(m):
            expect(values.get(m.group(1)), f"no value for the placeholder <{m.group(1)}>")
            return values[m.group(1)]
        return re.sub(r"<([a-z0-9 ]+)>", put, body)

    # --- The checks, one per README call ------------------------------------------------------

    def check_list(self, channel, metadata, call):
        answer = reflect(channel, metadata, list_services="")
        names = {s.name for s in answer.list_services_response.service}
        for expected in ("wahana.registry.v1.RegistryService", "grpc.health.v1.Health"):
            expect(expected in names, f"list lacks {expected}: {sorted(names)}")
        return f"{len(names)} services, RegistryService and Health among them"

    def check_describe(self, channel, metadata, call):
        symbol = call.args[0]
        answer = reflect(channel, metadata, file_containing_symbol=symbol)
        package, name = symbol.rsplit(".", 1)
        for raw in answer.file_descriptor_response.file_descriptor_proto:
            file = descriptor_pb2.FileDescriptorProto.FromString(raw)
            for service in file.service:
                if file.package == package and service.name == name:
                    methods = {m.name for m in service.method}
                    expect({"GetRegion", "ListRegions"} <= methods, f"{symbol}: {methods}")
                    return f"{symbol} in {file.name}: {', '.join(sorted(methods))}"
        raise Failure(f"reflection did not describe {symbol}")

    def check_health(self, request, response):
        expect(response.status == response.SERVING, f"status {response.status}")
        return "SERVING"

    def check_get_region(self, request, response):
        expect(response.code == request.code, f"code {response.code}")
        expect(response.name == "Sukarami", f"name {response.name!r}")
        return f"{response.code} {response.name}"

    def check_list_regions(self, request, response):
        codes = [r.code for r in response.regions]
        expect(len(codes) == 15 and response.total_size == 15,
               f"{len(codes)} regions (total_size {response.total_size}), not 15: {codes}")
        expect(all(c.startswith("16.06.") and c.count(".") == 2 for c in codes), f"{codes}")
        expect(not response.next_page_token, "a next page after all 15")
        return f"15 kecamatan of 16.06 ({codes[0]} {response.regions[0].name} ...)"

    def check_create_case(self, request, response):
        expect(response.id, "no id")
        expect(response.kind == request.case.kind and response.village_code == request.case.village_code,
               f"kind {response.kind}, village {response.village_code}")
        parties = [p.beneficiary_id for p in response.parties]
        expect(parties == [p.beneficiary_id for p in request.case.parties], f"parties {parties}")
        self.ids["case"] = response.id
        status = response.DESCRIPTOR.fields_by_name["status"].enum_type.values_by_number
        return f"case {response.id} ({response.number}), status {status[response.status].name}"

    def check_get_case(self, request, response):
        expect(response.id == self.ids["case"], f"id {response.id}, not {self.ids['case']}")
        expect(response.summary == "Sengketa batas kebun antarwarga; perlu mediasi.",
               f"summary {response.summary!r}")
        return f"case {response.id} read back"

    def check_create_event(self, request, response):
        expect(response.id, "no id")
        expect(response.title == request.event.title and response.kind == request.event.kind,
               f"title {response.title!r}, kind {response.kind}")
        self.ids["event"] = response.id
        return f"event {response.id}"

    def check_get_event(self, request, response):
        expect(response.id == self.ids["event"], f"id {response.id}, not {self.ids['event']}")
        expect(response.title == "Mediasi sengketa batas kebun" and response.venue == "Balai Desa",
               f"title {response.title!r}, venue {response.venue!r}")
        expect(response.start_time.ToJsonString() == "2021-11-04T02:00:00Z",
               f"start_time {response.start_time.ToJsonString()}")
        return f"event {response.id} read back"

    def check_case_counts(self, request, response):
        expect(response.region == "16.06", f"region {response.region!r}")
        expect(response.total == sum(s.count for s in response.by_status),
               f"total {response.total} is not the sum of by_status")
        expect(response.total == self.case_total, f"total {response.total}, while the case "
               f"service lists {self.case_total} cases in 16.06")
        return f"total {response.total} = the case service's {self.case_total} cases"

    CHECKS = {
        "list": check_list,
        "describe": check_describe,
        "grpc.health.v1.Health/Check": check_health,
        "wahana.registry.v1.RegistryService/GetRegion": check_get_region,
        "wahana.registry.v1.RegistryService/ListRegions": check_list_regions,
        "wahana.cases.v1.CaseService/CreateCase": check_create_case,
        "wahana.cases.v1.CaseService/GetCase": check_get_case,
        "wahana.event.v1.EventService/CreateEvent": check_create_event,
        "wahana.event.v1.EventService/GetEvent": check_get_event,
        "wahana.reporting.v1.ReportingService/GetCaseCounts": check_case_counts,
    }

    def count_cases(self, metadata):
        """The cases of 16.06 as the case service lists them (reporting's total must match)."""
        request_class, _ = method_types("wahana.cases.v1.CaseService/ListCases")
        total, token = 0, ""
        with grpc.insecure_channel(f"127.0.0.1:{self.ports['case']}") as channel:
            while True:
                page = unary(channel, "wahana.cases.v1.CaseService/ListCases",
                             request_class(region="16.06", page_size=500, page_token=token),
                             metadata)
                total += len(page.cases)
                token = page.next_page_token
                if not token:
                    return total

    def run(self, call, refused):
        address, _ = self.target(call.address)
        key = call.verb
        check = self.CHECKS.get(key)
        expect(check is not None, f"no twin check for {key}: add one to CHECKS")
        metadata = call.headers or None
        with grpc.insecure_channel(address) as channel:
            if key in ("list", "describe"):
                return check(self, channel, metadata, call)
            request_class, _ = method_types(key)
            request = json_format.Parse(self.fill(call.body or "{}"), request_class())
            if key.endswith("/GetCaseCounts"):
                # Reporting follows the case stream: wait until it has counted every case.
                self.case_total = self.count_cases(metadata)
                deadline = time.monotonic() + 30
                while True:
                    try:
                        return check(self, request, unary(channel, key, request, metadata))
                    except Failure:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.5)
            try:
                response = unary(channel, key, request, metadata)
            except grpc.RpcError as e:
                if refused and e.code() == grpc.StatusCode.UNAUTHENTICATED:
                    return f"refused UNAUTHENTICATED: {e.details()}"
                raise Failure(f"{e.code().name}: {e.details()}")
            expect(not refused, f"answered without a token: {json_format.MessageToJson(response)}")
            return check(self, request, response)


def run_token_command(command, data_dir, build_dir, gateway_port):
    """The README's export line, run as printed with var/, build/ and the gateway's default
    address pointing at this suite."""
    local = re.sub(r"(?<![\w/.-])var/", data_dir.rstrip("/") + "/", command)
    local = local.replace("127.0.0.1:8080", f"127.0.0.1:{gateway_port}")
    local = re.sub(r"(?<![\w/.-])build/", build_dir.rstrip("/") + "/", local)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAHANA_")}
    run = subprocess.run(["bash", "-c", f'set -e\n{local}\nprintf %s "$WAHANA_TOKEN"'], env=env,
                         capture_output=True, text=True, timeout=30)
    expect(run.returncode == 0 and run.stdout.count(".") == 2,
           f"exit {run.returncode}, output {run.stdout!r}: {run.stderr.strip()}")
    return run.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--readme", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--build-dir", required=True)
    opts = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    ports = {}
    for line in open(os.path.join(opts.data_dir, "run", "suite.env"), encoding="utf-8"):
        name, _, value = line.strip().partition("=")
        if name.startswith("port_"):
            ports[name[len("port_"):]] = value
    demo = {}
    for line in open(os.path.join(opts.data_dir, "demo-loaded"), encoding="utf-8"):
        parts = line.split()
        if len(parts) == 3:
            demo[parts[1]] = parts[2]

    failures = 0
    try:
        commands = commands_with_notes(twin_block(open(opts.readme, encoding="utf-8").read()))
        with tempfile.TemporaryDirectory(prefix="grpc-examples-") as out:
            generate_messages(repo, opts.build_dir, out)
            expect(commands and commands[0][0].startswith("export WAHANA_TOKEN="),
                   "the block does not start with export WAHANA_TOKEN=...")
            token = run_token_command(commands[0][0], opts.data_dir, opts.build_dir,
                                      ports["gateway"])
            print(f"ok   README gRPC: {' '.join(commands[0][0].split())[:110]}")
            twins = Twins(ports, demo)
            called = set()
            for command, notes in commands[1:]:
                one_line = " ".join(command.split())
                try:
                    call = Grpcurl(command, token)
                    called.add(call.verb)
                    refused = any("without the token" in n.lower() for n in notes)
                    has_token = ("authorization", f"Bearer {token}") in call.headers
                    expect(has_token != refused, "carries the token" if refused else
                           'lacks -H "authorization: Bearer $WAHANA_TOKEN"')
                    result = twins.run(call, refused)
                    print(f"ok   README gRPC: {one_line[:150]}\n       -> {result}")
                except (Failure, grpc.RpcError, json_format.ParseError, IndexError) as e:
                    print(f"FAIL README gRPC: {one_line}\n     {e}")
                    failures += 1
            for missing in sorted(set(Twins.CHECKS) - called):
                print(f"FAIL twin check {missing} has no example in the README block")
                failures += 1
    except Failure as e:
        print(f"FAIL README gRPC: {e}")
        return 1
    print(f"README gRPC: {len(commands)} commands, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
