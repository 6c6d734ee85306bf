import pandas as pd

if 'data_exporter' not in globals():
    from mage_ai.data_preparation.decorators import data_exporter


@data_exporter
def export_orders(orders: pd.DataFrame, *args, **kwargs) -> None:
    """Write the day's clean orders next to the project."""
    orders.to_csv('orders_clean.csv', index=False)
