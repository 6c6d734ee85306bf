if 'data_exporter' not in globals():
    from mage_ai.data_preparation.decorators import data_exporter


@data_exporter
def write(orders, *args, **kwargs):
    orders.to_csv('orders.csv', index=False)
