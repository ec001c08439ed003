-- wrk script: each request searches the next query of a list, as 50 journalists at once
-- would. The list is the file named by the first script argument (one query a line), or
-- a few fixed queries when none is given. Queries are URL-encoded here.
local queries = {
  "教育", "\"shoot to kill\"", "培训 AND type:docx", "名单", "camera:Canon", "稳定*",
}

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

init = function(args)
  local path = args[1]
  if path then
    local loaded = {}
    for line in io.lines(path) do
      if line ~= "" then
        loaded[#loaded + 1] = line
      end
    end
    if #loaded > 0 then
      queries = loaded
    end
  end
  for i, query in ipairs(queries) do
    queries[i] = urlencode(query)
  end
end

local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/cases/demo/search?q=" .. queries[(n % #queries) + 1])
end
