"""gunicorn's settings for factcheck (`make run`, `make web` and production read this file).

Under load on a 2-core machine (issue 15: 50 simulated editors), 2 threaded workers dropped
13 connections when gunicorn's 2 s keep-alive raced the clients' idle gaps; 4 sync workers,
which close each connection after its response, dropped none. bench/load.py runs the same
load against this file (0 errors). Put a proxy that keeps client connections alive (nginx,
a load balancer) in front in production."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = "sync"
# Requests wait on the database more than on the CPU: two workers per core.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
# An article save re-anchors up to a few thousand claims (0.3 s at 1,000); an export
# streams. 60 s is far above both and still frees a stuck worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Behind an HTTPS proxy (BEHIND_HTTPS_PROXY=1) trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
