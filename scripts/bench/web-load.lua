-- wrk script: each request searches one of several queries of the demo case, as 50
-- journalists at once would. Queries are URL-encoded here (wrk sends the path as given).
local queries = {
  "%E6%95%99%E8%82%B2",                         -- 教育
  "%22shoot%20to%20kill%22",                    -- "shoot to kill"
  "%E5%9F%B9%E8%AE%AD%20AND%20type%3Adocx",     -- 培训 AND type:docx
  "%E5%90%8D%E5%8D%95",                         -- 名单
  "camera%3ACanon",
  "%E7%A8%B3%E5%AE%9A*",                        -- 稳定*
}
local n = 0
request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  return wrk.format("GET", "/api/cases/demo/search?q=" .. q)
end
