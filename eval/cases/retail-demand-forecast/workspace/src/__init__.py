"""Weekly store x item demand forecasting."""
