if 'data_loader' not in globals():
    from mage_ai.data_preparation.decorators import data_loader


@data_loader
def read_stock(*args, **kwargs):
    return [{'sku': 'A-1', 'level': 3, 'reorder_at': 10}, {'sku': 'B-2', 'level': 40, 'reorder_at': 10}]
