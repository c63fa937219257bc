"""Production monitoring for CFD-XGB."""
