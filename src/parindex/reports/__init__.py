"""Excel, PDF, chart and map specifications built from core result objects."""
