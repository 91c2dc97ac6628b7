"""Peers (vergelijkingsgemeenten): reference figures of other municipalities, imported as
CSV, beside the own benefits per 1,000 inhabitants and outflow-to-work rate (decisions 78-79)."""
