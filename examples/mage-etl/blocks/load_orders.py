import io

import pandas as pd
import requests

if 'data_loader' not in globals():
    from mage_ai.data_preparation.decorators import data_loader


@data_loader
def load_orders(*args, **kwargs):
    """Orders exported by the shop as CSV; the URL is a pipeline variable."""
    response = requests.get(kwargs['source_url'], timeout=30)
    response.raise_for_status()
    return pd.read_csv(io.StringIO(response.text))
