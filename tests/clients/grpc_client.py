#!/usr/bin/python3
"""An outside system's gRPC client, written from the protos alone: what another government system
does to call the registry and the case service directly.

  1. reads the issuer's public key from GET /.well-known/jwks.json;
  2. exchanges its API key for a token: POST /v1/tokens, OAuth 2.0 client credentials (RFC 6749
     4.4), client_id = the key's id, client_secret = the key, as HTTP Basic (and once as form
     fields); checks the answer's shape, that the token is RS256 with the JWKS key's kid and that
     its signature verifies with that key, and the RFC 6749 5.2 errors of a wrong key, a wrong
     grant type and a missing grant type;
  3. with the token, calls wahana.registry.v1.RegistryService/GetRegion and
     wahana.cases.v1.CaseService/CreateCase then GetCase;
  4. checks that a call with the token's signature altered, or with none, is UNAUTHENTICATED.

Message classes are generated now by the system protoc (--python_out) from proto/ and the
googleapis annotation protos; methods are called by path (channel.unary_unary), so no generated
gRPC stubs are needed. Standard library, grpcio, protobuf and python3-cryptography only.

Usage: grpc_client.py --url URL --registry HOST:PORT --case HOST:PORT --key-file FILE
       [--build-dir DIR]
Exit 0 when every check passes; 1 naming the first failure."""
import argparse
import base64
import glob
import importlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import grpc
from google.protobuf import json_format, symbol_database
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

DEADLINE_S = 10


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def googleapis_dir(build_dir):
    cache = os.path.join(build_dir or "", "CMakeCache.txt")
    if build_dir and os.path.exists(cache):
        for line in open(cache, encoding="utf-8"):
            if line.startswith("GOOGLEAPIS_DIR:"):
                return line.split("=", 1)[1].strip()
    return "/usr/share/gocode/src/github.com/gogo/googleapis"


def generate_messages(repo, build_dir, out):
    proto_root = os.path.join(repo, "proto")
    sources = ["google/api/http.proto", "google/api/annotations.proto"] + sorted(
        os.path.relpath(p, proto_root)
        for p in glob.glob(os.path.join(proto_root, "wahana", "**", "*.proto"), recursive=True))
    run = subprocess.run(["protoc", f"-I{proto_root}", f"-I{googleapis_dir(build_dir)}",
                          "-I/usr/include", f"--python_out={out}"] + sources,
                         capture_output=True, text=True)
    expect(run.returncode == 0, f"protoc failed: {run.stderr.strip()}")
    sys.path.insert(0, out)
    for source in sources:
        importlib.import_module(source[:-len(".proto")].replace("/", ".") + "_pb2")


def call(channel, path, request_json, token):
    """Calls "pkg.Service/Method" with the JSON request; the reply as a dict (protobuf JSON)."""
    service_name, method_name = path.split("/")
    pool = symbol_database.Default().pool
    method = pool.FindServiceByName(service_name).FindMethodByName(method_name)
    request_class = symbol_database.Default().GetSymbol(method.input_type.full_name)
    response_class = symbol_database.Default().GetSymbol(method.output_type.full_name)
    request = json_format.Parse(json.dumps(request_json), request_class())
    stub = channel.unary_unary(f"/{path}", request_serializer=request_class.SerializeToString,
                               response_deserializer=response_class.FromString)
    metadata = [("authorization", f"Bearer {token}")] if token is not None else []
    return json_format.MessageToDict(stub(request, metadata=metadata, timeout=DEADLINE_S))


def http(method, url, body=None, headers=None):
    """(status, headers, body text) of an HTTP request; error statuses are answers too."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=DEADLINE_S) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def fetch_jwks(url):
    status, headers, body = http("GET", f"{url}/.well-known/jwks.json")
    expect(status == 200, f"GET /.well-known/jwks.json: HTTP {status} {body}")
    keys = json.loads(body)["keys"]
    expect(len(keys) == 1, f"JWKS: one key expected, got {keys}")
    key = keys[0]
    for name, value in (("kty", "RSA"), ("use", "sig"), ("alg", "RS256")):
        expect(key.get(name) == value, f"JWKS key {name}: {key.get(name)!r}, not {value!r}")
    expect(key.get("kid") and key.get("n") and key.get("e"), f"JWKS key lacks kid/n/e: {key}")
    expect("no-store" not in headers.get("Cache-Control", ""), "the JWKS is not cacheable")
    print(f"ok   JWKS: one RS256 key, kid {key['kid']}")
    return key


FORM = "application/x-www-form-urlencoded"


def token_request(url, form, basic=None):
    headers = {"Content-Type": FORM}
    if basic is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
    return http("POST", f"{url}/v1/tokens", urllib.parse.urlencode(form).encode(), headers)


def fetch_token(url, key, jwk):
    key_id = key.split("_")[1]
    # HTTP Basic (RFC 6749 2.3.1): client_id = the key's id, client_secret = the key.
    status, headers, body = token_request(url, {"grant_type": "client_credentials"},
                                          basic=f"{key_id}:{key}")
    expect(status == 200, f"POST /v1/tokens: HTTP {status} {body}")
    answer = json.loads(body)
    expect(answer.get("token_type") == "Bearer", f"token_type: {answer}")
    expect(isinstance(answer.get("expires_in"), int) and answer["expires_in"] > 0,
           f"expires_in: {answer}")
    expect("no-store" in headers.get("Cache-Control", ""), "the token answer may be cached")
    token = answer["access_token"]
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    payload = json.loads(b64url_decode(payload_b64))
    expect(header.get("alg") == "RS256" and header.get("kid") == jwk["kid"],
           f"token header {header}, JWKS kid {jwk['kid']}")
    expect(payload.get("sub") == f"apikey:{key_id}" and payload.get("role") == "ADMIN",
           f"token claims {payload}")
    # The signature verifies with the published key: a client can check tokens offline.
    public = rsa.RSAPublicNumbers(int.from_bytes(b64url_decode(jwk["e"]), "big"),
                                  int.from_bytes(b64url_decode(jwk["n"]), "big")).public_key()
    public.verify(b64url_decode(signature_b64), f"{header_b64}.{payload_b64}".encode(),
                  padding.PKCS1v15(), hashes.SHA256())
    print(f"ok   POST /v1/tokens (Basic): RS256 token for {payload['sub']} "
          f"({payload['role']}, {payload['scope']}), {answer['expires_in']} s, verified by the JWKS")

    # The same key as form fields.
    status, _, body = token_request(url, {"grant_type": "client_credentials",
                                          "client_id": key_id, "client_secret": key})
    expect(status == 200 and json.loads(body).get("access_token"),
           f"POST /v1/tokens (form fields): HTTP {status} {body}")
    print("ok   POST /v1/tokens (form fields): a token")

    # RFC 6749 5.2 errors.
    wrong = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for form, basic, want_status, want_error in (
            ({"grant_type": "client_credentials"}, f"{key_id}:{wrong}", 401, "invalid_client"),
            ({"grant_type": "client_credentials"}, f"0000:{key}", 401, "invalid_client"),
            ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
            ({"grant_type": "password"}, f"{key_id}:{key}", 400, "unsupported_grant_type"),
            ({}, f"{key_id}:{key}", 400, "invalid_request")):
        status, headers, body = token_request(url, form, basic)
        expect(status == want_status and json.loads(body).get("error") == want_error,
               f"POST /v1/tokens {form} {'with' if basic else 'without'} Basic: "
               f"HTTP {status} {body}, expected {want_status} {want_error}")
        if status == 401:
            expect(headers.get("WWW-Authenticate", "").startswith("Basic"),
                   f"401 without WWW-Authenticate: Basic: {dict(headers)}")
    print("ok   POST /v1/tokens errors: invalid_client, unsupported_grant_type, invalid_request")
    return token


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--key-file", required=True)
    parser.add_argument("--build-dir", default="")
    opts = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    key = open(opts.key_file, encoding="utf-8").read().strip()
    try:
        with tempfile.TemporaryDirectory(prefix="grpc-client-") as out:
            generate_messages(repo, opts.build_dir, out)
            jwk = fetch_jwks(opts.url)
            token = fetch_token(opts.url, key, jwk)

            registry = grpc.insecure_channel(opts.registry)
            region = call(registry, "wahana.registry.v1.RegistryService/GetRegion",
                          {"code": "16.06.01.2001"}, token)
            expect(region.get("code") == "16.06.01.2001" and region.get("name"),
                   f"GetRegion: {region}")
            print(f"ok   registry GetRegion 16.06.01.2001 -> {region['name']}")

            cases = grpc.insecure_channel(opts.case)
            created = call(cases, "wahana.cases.v1.CaseService/CreateCase",
                           {"requestId": "grpc-client-1",
                            "case": {"villageCode": "16.06.01.2002", "category": "FAKIR_MISKIN",
                                     "kind": "FAMILY",
                                     "summary": "Dilaporkan oleh sistem lain lewat gRPC."}},
                           token)
            expect(created.get("id") and created.get("status") == "INTAKE",
                   f"CreateCase: {created}")
            got = call(cases, "wahana.cases.v1.CaseService/GetCase", {"id": created["id"]}, token)
            expect(got.get("id") == created["id"] and got.get("villageCode") == "16.06.01.2002",
                   f"GetCase: {got}")
            print(f"ok   case CreateCase then GetCase -> {got['number']} ({got['status']})")

            # A token whose signature was altered, and no token: UNAUTHENTICATED.
            head, payload, signature = token.split(".")
            flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
            for label, bad in (("altered signature", f"{head}.{payload}.{flipped}"),
                               ("no token", None)):
                for channel, path, request in (
                        (registry, "wahana.registry.v1.RegistryService/GetRegion",
                         {"code": "16.06.01.2001"}),
                        (cases, "wahana.cases.v1.CaseService/GetCase", {"id": created["id"]})):
                    try:
                        call(channel, path, request, bad)
                        raise Failure(f"{path} with {label}: answered")
                    except grpc.RpcError as e:
                        expect(e.code() == grpc.StatusCode.UNAUTHENTICATED,
                               f"{path} with {label}: {e.code().name}, not UNAUTHENTICATED")
            print("ok   a token with an altered signature, and none, are UNAUTHENTICATED")
    except (Failure, grpc.RpcError, InvalidSignature, KeyError, ValueError) as e:
        detail = f"{e.code().name}: {e.details()}" if isinstance(e, grpc.RpcError) else str(e)
        print(f"FAIL {type(e).__name__}: {detail}")
        return 1
    print("grpc_client: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
