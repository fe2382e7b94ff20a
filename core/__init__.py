"""Framework-free core of the neural-network explainer: specs, models, data, training, inspection.

Nothing in this package imports streamlit; pages call into it and render what it returns.
"""
