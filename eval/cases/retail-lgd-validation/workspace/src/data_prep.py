"""Loading and target construction for the mortgage panel."""
import pandas as pd


def load_panel(path):
    """Read the monthly account panel and parse dates."""
    df = pd.read_parquet(path)
    df["obs_date"] = pd.to_datetime(df["obs_date"])
    return df


def flag_default(df, dpd_threshold=90, horizon_months=12):
    """1 if the account reaches `dpd_threshold` days past due within the horizon."""
    col = f"max_dpd_next_{horizon_months}m"
    return (df[col] >= dpd_threshold).astype(int)
