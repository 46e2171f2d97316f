#!/usr/bin/env bash
# Loads the demo district (Musi Banyuasin, 16.06) through a running suite's gateway and the bulk
# importer: institutions, a WKSBM network, workers, 300 fictional beneficiaries, cases in several
# states, households and events. Used by deploy/local/run.sh and, in containers, by wahana-demo
# (deploy/demo/compose_demo.sh). Every create carries a requestId, so a repeat (after an interrupted
# load, or a second run) creates nothing twice.
#   load.sh --url URL --token-file FILE --registry HOST:PORT --marker FILE [--importer PATH]
#     URL        the gateway (http://127.0.0.1:8080)
#     FILE       an ADMIN credential for the region: an API key or a token (wahana-api-keys)
#     HOST:PORT  the registry's gRPC address, for wahana-import-beneficiaries (which signs its own
#                token with WAHANA_TOKEN_SECRET_FILE, in WAHANA_REGION)
#     --marker   where the list of what was made goes ("kind requestId id" a line); written as
#                FILE.partial while loading, renamed to FILE at the end
#     --importer wahana-import-beneficiaries (default: the one on PATH)
# Exit 0 when loaded, 3 when the region does not contain the demo's (nothing done), 1 otherwise.
set -euo pipefail

say() { printf 'demo: %s\n' "$*"; }
usage() { sed -n '7,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

url="" token_file="" registry="" demo_marker="" importer="$(command -v wahana-import-beneficiaries || true)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --token-file) token_file="$2"; shift 2 ;;
    --registry) registry="$2"; shift 2 ;;
    --marker) demo_marker="$2"; shift 2 ;;
    --importer) importer="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[[ -n $url && -n $token_file && -n $registry && -n $demo_marker ]] || usage
[[ -s $token_file ]] || { say "cannot read the credential in $token_file" >&2; exit 1; }
auth_header="Authorization: Bearer $(cat "$token_file")"
region="${WAHANA_REGION:-16.06}"
work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

demo_village=16.06.01.2001  # the demo data lies in Musi Banyuasin
case "$demo_village" in
  "$region" | "$region".*) ;;
  *) say "skipped: the demo lies in Musi Banyuasin (16.06), outside region $region"; exit 3 ;;
esac


post_demo() {
  local kind=$1 request_id=$2 path=$3 body=$4 code id
  code="$(curl -sS -o "$work_dir/demo-response" -w '%{http_code}' --max-time 10 -X POST \
    -H "$auth_header" -H 'Content-Type: application/json' --data "$body" \
    "$url$path?requestId=$request_id" || true)"
  if [[ $code != 2?? ]]; then
    say "POST $path ($request_id) answered HTTP $code: $(cat "$work_dir/demo-response" 2>/dev/null)" >&2
    return 1
  fi
  id="$(grep -o '"id"[[:space:]]*:[[:space:]]*"[^"]*"' "$work_dir/demo-response" | head -n 1 |
    sed 's/.*"\([^"]*\)"$/\1/')"
  echo "$kind $request_id $id" >>"$demo_marker.partial"
}

demo_case_person() {  # requestId nik fullName sex birthDate village category: a case's subject
  post_demo beneficiary "$1" /v1/beneficiaries "$(printf \
    '{"nik":"%s","fullName":"%s","sex":"%s","birthDate":"%s","villageCode":"%s","ppksCategories":["%s"]}' \
    "$2" "$3" "$4" "$5" "$6" "$7")"
}

demo_case() {  # requestId village category kind summary [extra JSON fields]
  post_demo case "$1" /v1/cases "$(printf \
    '{"villageCode":"%s","category":"%s","kind":"%s","summary":"%s"%s}' \
    "$2" "$3" "$4" "$5" "${6:+,$6}")" || return 1
  demo_case_etag="$(grep -o '"etag"[[:space:]]*:[[:space:]]*"[^"]*"' "$work_dir/demo-response" |
    head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
  # A repeat gets the case as it is now: past intake, its steps were taken by the earlier load.
  demo_case_replayed=0
  grep -q '"status"[[:space:]]*:[[:space:]]*"INTAKE"' "$work_dir/demo-response" || demo_case_replayed=1
}

# Steps of the case demo_case just made: each "<:step or /notes> <JSON body>" pair is posted with
# the etag of the case as last read (required: a step without it is 400, a stale one 409), taken
# from each answer. A step refused (a repeat after an interrupted load) is reported, not fatal.
demo_case_steps() {
  local id step body code
  id="$(last_demo_id case)"
  ((demo_case_replayed == 0)) || return 0
  while (($# >= 2)); do
    step=$1 body=$2
    shift 2
    body="${body#\{}"
    [[ $body == \} ]] || body=",$body"
    code="$(curl -sS -o "$work_dir/demo-step" -w '%{http_code}' --max-time 10 -X POST \
      -H "$auth_header" -H 'Content-Type: application/json' \
      --data "{\"etag\":\"$demo_case_etag\"$body" "$url/v1/cases/$id$step" || true)"
    if [[ $code == 2?? ]]; then
      demo_case_etag="$(grep -o '"etag"[[:space:]]*:[[:space:]]*"[^"]*"' "$work_dir/demo-step" |
        head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
    else
      say "case $id $step answered HTTP $code: $(cat "$work_dir/demo-step" 2>/dev/null)" >&2
    fi
  done
}

demo_event() {  # requestId kind title region venue start end
  post_demo event "$1" /v1/events "$(printf \
    '{"kind":"%s","title":"%s","regionCode":"%s","venue":"%s","startTime":"%s","endTime":"%s"}' \
    "$2" "$3" "$4" "$5" "$6" "$7")"
}

# The seed article's event, as it happened: the office's socialisation of 7 October 2021 for 35
# participants, opened by the regional secretary, taken through its steps to DONE.
demo_seed_event() {
  local id etag step code
  post_demo event demo-event-1 /v1/events '{"kind":"SOSIALISASI","title":"Sosialisasi Penumbuhan WKSBM","description":"Sosialisasi penumbuhan Wahana Kesejahteraan Sosial Berbasis Masyarakat bagi PKK, pekerja sosial, Karang Taruna, pendamping anak, lansia dan penyandang disabilitas, dan TKSK","regionCode":"16.06","venue":"Auditorium Pemkab Muba, Sekayu","startTime":"2021-10-07T01:00:00Z","endTime":"2021-10-07T05:00:00Z","organisedByOffice":true,"capacity":35,"targetAudience":{"psksKinds":["PSM","PSP","KT","TKSK"],"institutionKinds":["PKK","KARANG_TARUNA"]},"speakers":[{"fullName":"Sekretaris Daerah Kabupaten Musi Banyuasin","role":"membuka acara"}]}' || return 1
  id="$(last_demo_id event)"
  # A repeat gets the event as it is now: its steps were taken by the earlier load.
  grep -q '"status"[[:space:]]*:[[:space:]]*"PLANNED"' "$work_dir/demo-response" || return 0
  etag="$(grep -o '"etag"[[:space:]]*:[[:space:]]*"[^"]*"' "$work_dir/demo-response" |
    head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
  for step in :open participants :start :finish; do
    if [[ $step == participants ]]; then
      demo_seed_participants "$id" || return 1
      continue
    fi
    code="$(curl -sS -o "$work_dir/demo-step" -w '%{http_code}' --max-time 10 -X POST \
      -H "$auth_header" -H 'Content-Type: application/json' \
      --data "{\"etag\":\"$etag\"}" "$url/v1/events/$id$step" || true)"
    if [[ $code != 2?? ]]; then
      say "event $id $step answered HTTP $code: $(cat "$work_dir/demo-step" 2>/dev/null)" >&2
      return 0
    fi
    etag="$(grep -o '"etag"[[:space:]]*:[[:space:]]*"[^"]*"' "$work_dir/demo-step" |
      head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
  done
}

# The seed's 35 participants (fictional people): the demo's workers, the chairs of its PKK and
# Karang Taruna, and walk-ins with the article's mix of affiliations, registered while the event
# is OPEN; all but every eighth checked in.
demo_seed_participants() {  # event id
  local event=$1 path="/v1/events/$1/participants" n=0 id who code
  local -a names=("Sri Wahyuni" "Nurhayati" "Bambang Sutrisno" "Dewi Kartika" "Hendra Saputra"
    "Rina Marlina" "Agus Salim" "Yuliana" "Fitri Handayani" "Joko Susilo" "Lestari Ningsih"
    "Muhammad Rizki" "Ani Suryani" "Dedi Kurniawan" "Wulan Sari" "Irfan Hakim" "Eka Putri"
    "Suparman" "Rosmala Dewi" "Taufik Hidayat" "Maya Anggraini" "Heri Gunawan" "Siti Zubaidah"
    "Andi Pratama" "Kurniasih" "Zainal Arifin" "Novita Sari" "Sulastri" "Gilang Ramadhan"
    "Purnamasari" "Yudi Setiawan" "Hasanah")
  local -a affiliations=("PKK Kecamatan Sekayu" "Karang Taruna Kecamatan Sekayu"
    "Pendamping anak" "Pendamping lanjut usia" "Pendamping penyandang disabilitas"
    "Pekerja sosial masyarakat" "TKSK")
  for who in $(awk '$1 == "worker" { print $3 }' "$demo_marker.partial"); do
    n=$((n + 1))
    post_demo participant "demo-participant-$n" "$path" "{\"workerId\":\"$who\"}" || return 1
  done
  for who in "demo-inst-1 Ketua TP PKK Desa Sukarami" "demo-inst-2 Ketua Karang Taruna Bina Muda"; do
    n=$((n + 1))
    post_demo participant "demo-participant-$n" "$path" "$(printf \
      '{"institution":{"institutionId":"%s","fullName":"%s"}}' \
      "$(awk -v r="${who%% *}" '$2 == r { print $3 }' "$demo_marker.partial")" "${who#* }")" ||
      return 1
  done
  while ((n < 35)); do
    n=$((n + 1))
    post_demo participant "demo-participant-$n" "$path" "$(printf \
      '{"walkIn":{"fullName":"%s","nik":"160601%02d%02d%02d%04d","affiliation":"%s"}}' \
      "${names[n % ${#names[@]}]}" $((n % 28 + 1)) $((n % 12 + 1)) $((70 + n % 30)) "$n" \
      "${affiliations[n % ${#affiliations[@]}]}")" || return 1
  done
  n=0
  for id in $(awk '$1 == "participant" { print $3 }' "$demo_marker.partial"); do
    n=$((n + 1))
    ((n % 8 == 0)) && continue
    code="$(curl -sS -o "$work_dir/demo-step" -w '%{http_code}' --max-time 10 -X POST \
      -H "$auth_header" -H 'Content-Type: application/json' --data '{}' \
      "$url$path/$id:checkIn" || true)"
    [[ $code == 2?? ]] || say "participant $id :checkIn answered HTTP $code" >&2
  done
}

demo_institution() {  # requestId kind name village
  post_demo institution "$1" /v1/institutions "$(printf \
    '{"kind":"%s","name":"%s","villageCode":"%s","status":"ACTIVE"}' "$2" "$3" "$4")"
}

demo_worker() {  # requestId kind specialty nik fullName subdistrict
  post_demo worker "$1" /v1/workers "$(printf \
    '{"kind":"%s","specialty":"%s","nik":"%s","fullName":"%s","subdistrictCodes":["%s"],"caseloadCap":25}' \
    "$2" "$3" "$4" "$5" "$6")"
}

# The last id post_demo recorded for `kind`.
last_demo_id() { awk -v k="$1" '$1 == k { id = $3 } END { print id }' "$demo_marker.partial"; }

# A WKSBM network in Sukarami with the village's institutions as members. Each custom method needs
# the current etag: a fresh network is at "1" and each step adds one. A repeat after an interrupted
# load finds members already there (409), which is fine.
demo_network() {
  post_demo network demo-network-1 /v1/networks \
    '{"kind":"VILLAGE","name":"WKSBM Desa Sukarami","villageCode":"16.06.01.2001"}' || return 1
  local network etag=1 institution code
  network="$(last_demo_id network)"
  for institution in $(awk '$1 == "institution" { print $3 }' "$demo_marker.partial" | head -n 4); do
    code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST \
      -H "$auth_header" -H 'Content-Type: application/json' \
      --data "{\"etag\":\"$etag\",\"institutionId\":\"$institution\"}" \
      "$url/v1/networks/$network:addMember" || true)"
    if [[ $code == 2?? ]]; then etag=$((etag + 1)); fi
  done
}

# A few hundred fictional beneficiaries with valid NIKs, through the bulk importer (gRPC).
demo_beneficiaries() {
  [[ -n $importer && -x $importer ]] || { say "wahana-import-beneficiaries not found (--importer)" >&2; return 1; }
  "$importer" --generate=300 --region=16.06 --seed=2021 --out="$work_dir/demo-beneficiaries.csv" &&
    "$importer" --quiet --target="$registry" "$work_dir/demo-beneficiaries.csv" \
      >"$work_dir/demo-import.log" 2>&1 ||
    { say "beneficiary import failed: $(tail -n 5 "$work_dir/demo-import.log")" >&2; return 1; }
}

# Cases in several states across the demo villages, their subjects made in the registry first:
# one in intervention, one referred to the province, one at intake, one social conflict in
# mediation, one closed.
demo_cases() {
  local worker1 worker2 worker3 p1 p2 p3 p4a p4b p5
  worker1="$(awk '$2 == "demo-worker-1" { print $3 }' "$demo_marker.partial")"
  worker2="$(awk '$2 == "demo-worker-2" { print $3 }' "$demo_marker.partial")"
  worker3="$(awk '$2 == "demo-worker-3" { print $3 }' "$demo_marker.partial")"
  demo_case_person demo-case-person-1 1606014703480001 "Mak Ijah" FEMALE 1948-03-07 16.06.01.2001 LANJUT_USIA_TELANTAR &&
    p1="$(last_demo_id beneficiary)" &&
  demo_case_person demo-case-person-2 1606010912150002 "Rizki Pratama" MALE 2015-12-09 16.06.01.2003 ANAK_TELANTAR &&
    p2="$(last_demo_id beneficiary)" &&
  demo_case_person demo-case-person-3 1606022104900003 "Deni Saputra" MALE 1990-04-21 16.06.02.2004 PENYANDANG_DISABILITAS &&
    p3="$(last_demo_id beneficiary)" &&
  demo_case_person demo-case-person-4 1606051506700004 "Sukri bin Amat" MALE 1970-06-15 16.06.05.2002 KORBAN_BENCANA_SOSIAL &&
    p4a="$(last_demo_id beneficiary)" &&
  demo_case_person demo-case-person-5 1606052208680005 "Jamil bin Hasan" MALE 1968-08-22 16.06.05.2002 KORBAN_BENCANA_SOSIAL &&
    p4b="$(last_demo_id beneficiary)" &&
  demo_case_person demo-case-person-6 1606024510820006 "Yuliana" FEMALE 1982-10-05 16.06.02.2006 KORBAN_BENCANA_ALAM &&
    p5="$(last_demo_id beneficiary)" || return 1

  demo_case demo-case-1 16.06.01.2001 LANJUT_USIA_TELANTAR INDIVIDUAL \
    "Lansia 78 tahun di Desa Sukarami tinggal sendiri tanpa keluarga yang merawat; dilaporkan kader PKK." \
    "\"beneficiaryId\":\"$p1\",\"reporter\":{\"kind\":\"PUBLIC\",\"name\":\"Kader PKK Sukarami\"}" &&
    demo_case_steps \
      :assign "{\"workerId\":\"$worker1\"}" \
      :assess '{"problem":"Tidak ada yang merawat; makan tidak teratur","needs":"Permakanan, pendampingan","strengths":"Tetangga peduli","riskScore":70,"needsOutsidePantiRehabilitation":true}' \
      :plan '{"goals":[{"goal":"Makan teratur setiap hari","services":"Permakanan","responsible":"TKSK Sekayu"}]}' \
      :approvePlan '{"reason":"Disetujui kepala bidang"}' \
      :recordService '{"service":{"spmService":"SPM_LANJUT_USIA_TELANTAR","component":"permakanan","date":"2021-10-20","provider":"Dinas Sosial Muba"}}' &&
  demo_case demo-case-2 16.06.01.2003 ANAK_TELANTAR FAMILY \
    "Tiga anak di Desa Bailangu putus sekolah setelah orang tua merantau; diasuh nenek tanpa penghasilan tetap." \
    "\"beneficiaryId\":\"$p2\"" &&
    demo_case_steps \
      :assign "{\"workerId\":\"$worker1\"}" \
      :assess '{"problem":"Anak putus sekolah, pengasuh lanjut usia","needs":"Pengasuhan, akses sekolah","riskScore":85}' \
      :refer '{"target":"REFERRAL_PROVINCE","reason":"Membutuhkan pengasuhan dalam panti (kewenangan provinsi)","dueDate":"2021-12-01"}' &&
  demo_case demo-case-3 16.06.02.2004 PENYANDANG_DISABILITAS INDIVIDUAL \
    "Penyandang disabilitas fisik di Desa Petaling belum memiliki kursi roda dan belum terdaftar NIK." \
    "\"beneficiaryId\":\"$p3\",\"urgency\":\"HIGH\"" &&
    demo_case_steps :assign "{\"workerId\":\"$worker2\"}" &&
  demo_case demo-case-4 16.06.05.2002 KORBAN_BENCANA_SOSIAL SOCIAL_CONFLICT \
    "Sengketa batas kebun antarwarga dua dusun di Desa Nganti; WKSBM desa meminta mediasi Dinas Sosial." \
    "\"parties\":[{\"beneficiaryId\":\"$p4a\",\"role\":\"warga Dusun I\"},{\"beneficiaryId\":\"$p4b\",\"role\":\"warga Dusun II\"}]" &&
    demo_case_steps \
      :assign "{\"workerId\":\"$worker3\"}" \
      :recordSession "{\"mediatorWorkerId\":\"$worker3\",\"session\":{\"date\":\"2021-11-04\",\"place\":\"Balai Desa Nganti\",\"attendees\":[\"Kepala Desa\",\"kedua pihak\"],\"outcome\":\"Kedua pihak sepakat mengukur ulang batas\"}}" \
      :recordAgreement '{"agreement":"Batas kebun ditandai bersama disaksikan perangkat desa","followUpDate":"2021-12-04"}' &&
  demo_case demo-case-5 16.06.02.2006 KORBAN_BENCANA_ALAM DISASTER \
    "Rumah keluarga di Desa Teluk terendam banjir luapan sungai; keluarga mengungsi ke rumah kerabat." \
    "\"beneficiaryId\":\"$p5\",\"urgency\":\"EMERGENCY\"" &&
    demo_case_steps \
      :assign "{\"workerId\":\"$worker2\"}" \
      :assess '{"problem":"Rumah terendam, kehilangan perabot","needs":"Logistik, hunian sementara","riskScore":60}' \
      :plan '{"goals":[{"goal":"Kebutuhan dasar terpenuhi selama tanggap darurat","services":"Logistik","responsible":"Tagana"}]}' \
      :approvePlan '{}' \
      :recordService '{"service":{"spmService":"SPM_KORBAN_BENCANA","component":"logistik","date":"2021-11-10","provider":"Tagana Muba"}}' \
      :terminate '{"terminationReason":"GOAL_REACHED"}' \
      :close '{"reason":"Keluarga kembali ke rumah"}'
}

# Families of the case subjects (fictional KK numbers), one of which changed its KK number after
# the flood (a move), so that a household shows its KK history. The change is based on the etag
# the create returned ("1"); a repeat after an interrupted load is refused (409) and reported.
demo_households() {
  local p1 p2 p5 household code
  p1="$(awk '$2 == "demo-case-person-1" { print $3 }' "$demo_marker.partial")"
  p2="$(awk '$2 == "demo-case-person-2" { print $3 }' "$demo_marker.partial")"
  p5="$(awk '$2 == "demo-case-person-6" { print $3 }' "$demo_marker.partial")"
  post_demo household demo-household-1 /v1/households \
    "{\"kkNumber\":\"1606010703090001\",\"villageCode\":\"16.06.01.2001\",\"address\":\"Dusun II RT 03, Sukarami\",\"members\":[{\"beneficiaryId\":\"$p1\",\"relation\":\"HEAD\"}]}" &&
  post_demo household demo-household-2 /v1/households \
    "{\"kkNumber\":\"1606011201160002\",\"villageCode\":\"16.06.01.2003\",\"address\":\"RT 01, Bailangu\",\"members\":[{\"beneficiaryId\":\"$p2\",\"relation\":\"GRANDCHILD\"}]}" &&
  post_demo household demo-household-3 /v1/households \
    "{\"kkNumber\":\"1606020510100003\",\"villageCode\":\"16.06.02.2006\",\"address\":\"Tepian sungai RT 02, Teluk\",\"members\":[{\"beneficiaryId\":\"$p5\",\"relation\":\"HEAD\"}]}" ||
    return 1
  household="$(last_demo_id household)"
  code="$(curl -sS -o "$work_dir/demo-step" -w '%{http_code}' --max-time 10 -X PATCH \
    -H "$auth_header" -H 'Content-Type: application/json' \
    --data '{"etag":"1","kkNumber":"1606021511210004","kkChangeReason":"pindah setelah banjir"}' \
    "$url/v1/households/$household" || true)"
  [[ $code == 2?? ]] ||
    say "household $household KK change answered HTTP $code: $(cat "$work_dir/demo-step" 2>/dev/null)" >&2
}

load_demo() {
  rm -f "$demo_marker.partial"
  demo_institution demo-inst-1 PKK "TP PKK Desa Sukarami" 16.06.01.2001 &&
  demo_institution demo-inst-2 KARANG_TARUNA "Karang Taruna Bina Muda Sukarami" 16.06.01.2001 &&
  demo_institution demo-inst-3 MAJELIS_TAKLIM "Majelis Taklim Nurul Huda" 16.06.01.2001 &&
  demo_institution demo-inst-4 LUMBUNG_DESA "Lumbung Desa Sukarami Makmur" 16.06.01.2001 &&
  demo_institution demo-inst-5 KUBE "KUBE Ternak Kambing Sejahtera" 16.06.01.2003 &&
  demo_network &&
  demo_worker demo-worker-1 TKSK GENERAL 1606011505800001 "Ahmad Fauzi" 16.06.01 &&
  demo_worker demo-worker-2 PENDAMPING_SOSIAL ELDERLY 1606025203850002 "Siti Rahmawati" 16.06.02 &&
  demo_worker demo-worker-3 PSM GENERAL 1606051002900003 "Rudi Hartono" 16.06.05 &&
  demo_beneficiaries &&
  demo_cases &&
  demo_households &&
  demo_seed_event &&
  demo_event demo-event-2 MEDIASI "Mediasi sengketa batas kebun Desa Nganti" 16.06.05.2002 \
    "Balai Desa Nganti" 2021-11-04T02:00:00Z 2021-11-04T04:00:00Z
}

if load_demo; then
  mv "$demo_marker.partial" "$demo_marker"
  say "loaded (see $demo_marker)"
else
  say "NOT loaded: run it again (what was made is kept, nothing is made twice)" >&2
  exit 1
fi
