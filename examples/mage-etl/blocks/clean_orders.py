import pandas as pd

if 'transformer' not in globals():
    from mage_ai.data_preparation.decorators import transformer


@transformer
def clean_orders(orders: pd.DataFrame, *args, **kwargs) -> pd.DataFrame:
    """Drop incomplete rows and orders below the configured minimum."""
    orders = orders.dropna(subset=['order_id', 'amount'])
    orders = orders[orders['amount'] >= float(kwargs.get('min_amount', 0))]
    return orders.drop_duplicates(subset=['order_id'])
