"""factcheck project package: settings, urls, the Celery app."""

import os

# One BLAS thread per process, set before numpy loads: the related-coverage scan is one
# matrix-vector product beside onnxruntime's query encoding, and BLAS threads spinning
# against it made the 20k-vector scan 6.5 ms instead of 2.6 (processes share the cores).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .celery import app as celery_app  # after the thread setting, on purpose

__all__ = ["celery_app"]
