"""Streamlit helpers shared by several pages (never imported by core/)."""
