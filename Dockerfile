# The app on a CPU-only server: python 3.11, the CPU build of torch, a non-root user, a health check.
#   docker build -t nn-explainer . && docker run -p 8501:8501 nn-explainer
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    STREAMLIT_SERVER_HEADLESS=true STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

RUN useradd --create-home --uid 1000 app
WORKDIR /home/app/nn-explainer

# CPU torch first, from PyTorch's CPU index, so that nothing pulls the CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"
COPY --chown=app:app pyproject.toml README.md ./
COPY --chown=app:app core ./core
RUN pip install .
COPY --chown=app:app . .

USER app
# the compiled training kernels (numba) are compiled once here and cached beside them in the image
RUN python -c "import core.training.kernels"
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
