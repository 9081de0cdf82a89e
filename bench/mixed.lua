-- wrk -s mixed.lua: the front desk's mix, 9 reads for 1 write. Reads POST $BODY_FILE (the
-- week grid); writes book one hour in one of $SPACES (comma-separated ids) at one of 400
-- hours of 2031, so that later writes collide with earlier ones (BOOKING_CONFLICT). Counts
-- answers by kind; non-200 statuses and INTERNAL errors are reported at the end.
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
local read_body = f:read("*a")
f:close()
local spaces = {}
for id in string.gmatch(os.getenv("SPACES") or "", "[^,]+") do spaces[#spaces + 1] = id end
local token = os.getenv("TOKEN")
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  writes, reads, conflicts, refused, internal, bad = 0, 0, 0, 0, 0, 0
  wrk.headers["Content-Type"] = "application/json"
  if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end

local last_kind = "read"

function request()
  if math.random(10) == 1 and #spaces > 0 then
    last_kind = "write"
    local hour = math.random(0, 399)
    local day = math.floor(hour / 10)
    local start_hour = 8 + (hour % 10)
    local date = os.date("!%Y-%m-%d", os.time({year = 2031, month = 1, day = 6, hour = 12}) + day * 86400)
    local body = string.format(
      '{"query":"mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }","variables":{"i":{"spaceId":"%s","start":"%sT%02d:00:00Z","end":"%sT%02d:00:00Z","title":"Mixed load"}}}',
      spaces[math.random(#spaces)], date, start_hour, date, start_hour + 1)
    return wrk.format("POST", nil, nil, body)
  end
  last_kind = "read"
  return wrk.format("POST", nil, nil, read_body)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  if string.find(body, '"INTERNAL"', 1, true) then internal = internal + 1 end
  if string.find(body, "BOOKING_CONFLICT", 1, true) then
    conflicts = conflicts + 1
  elseif string.find(body, '"createBooking":{"id"', 1, true) then
    writes = writes + 1
  elseif string.find(body, '"errors"', 1, true) then
    refused = refused + 1
    if refused == 1 then io.stderr:write("refused: " .. string.sub(body, 1, 300) .. "\n") end
  else
    reads = reads + 1
  end
end

function done(summary, latency, requests)
  local w, r, c, o, i, b = 0, 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    w = w + t:get("writes"); r = r + t:get("reads"); c = c + t:get("conflicts")
    o = o + t:get("refused"); i = i + t:get("internal"); b = b + t:get("bad")
  end
  io.write(string.format("mixed: %d reads, %d bookings made, %d BOOKING_CONFLICT, %d other refusals, %d INTERNAL, %d non-200, max latency %.1f ms\n",
    r, w, c, o, i, b, latency.max / 1000))
end
