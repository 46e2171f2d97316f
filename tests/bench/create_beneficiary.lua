-- wrk script: each request POSTs a new, valid beneficiary to /v1/beneficiaries.
-- NIKs: 160601 + DDMMYY (women +40, births from 1970-01-01 on) + a serial. Each wrk thread owns
-- a block of serials in [7500, 10000), so threads never collide, nor with wahana_echo_bench's
-- creates (serials 5000-7499) or the importer's generated rows (serials count up from 0001).
-- Prints the first error body of each thread and how many creates came back with review flags
-- (valid unique rows never get any).

local threads = {}
local serials_per_thread = 1250  -- at most 2 threads (-t2): 7500 + 2 * 1250 = 10000

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  failures = 0
  flagged = 0
  first_failure = nil
  headers = { ["Content-Type"] = "application/json" }
  -- wrk.format's own headers replace the command line's: keep those (-H "Authorization: ...").
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
end

local function name_suffix(n)
  local s = ""
  repeat
    s = s .. string.char(97 + n % 26)
    n = math.floor(n / 26)
  until n == 0
  return s:sub(1, 1):upper() .. s:sub(2)
end

function request()
  local n = counter
  counter = counter + 1
  local female = n % 2 == 1
  local t = os.date("!*t", (math.floor(n / serials_per_thread) % 18000) * 86400)
  local serial = 7500 + tid * serials_per_thread + n % serials_per_thread
  local nik = string.format("160601%02d%02d%02d%04d", t.day + (female and 40 or 0), t.month,
                            t.year % 100, serial)
  local body = string.format(
    '{"nik":"%s","fullName":"%s Bench %s %s","sex":"%s","birthDate":"%04d-%02d-%02d",' ..
    '"villageCode":"16.06.01.2001","ppksCategories":["FAKIR_MISKIN"]}',
    nik, female and "Siti" or "Ahmad", name_suffix(tid), name_suffix(n),
    female and "FEMALE" or "MALE", t.year, t.month, t.day)
  return wrk.format("POST", "/v1/beneficiaries", headers, body)
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    failures = failures + 1
    if first_failure == nil then first_failure = status .. " " .. body end
  elseif body:find('"reviewFlags":%s*%[%s*{') then
    flagged = flagged + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("flagged") end
  io.write("create flagged: ", total, "\n")
  for _, thread in ipairs(threads) do
    local f = thread:get("first_failure")
    if f ~= nil then io.write("create error: ", f, "\n") end
  end
end
