"""Pure figure builders: numpy arrays in, plotly `Figure`s out. Unit-testable without a browser."""
