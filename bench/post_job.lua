-- wrk script: POST the same no-op job as valet_bench_http, as a second opinion on POST/s.
--   wrk -t2 -c32 -d10s -s bench/post_job.lua http://127.0.0.1:PORT/api/jobs
wrk.method = "POST"
wrk.body = '{"name":"b","task_name":"noop"}'
wrk.headers["Content-Type"] = "application/json"
