"""CFD-XGB: card transaction fraud detection."""
