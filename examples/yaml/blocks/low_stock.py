if 'transformer' not in globals():
    from mage_ai.data_preparation.decorators import transformer


@transformer
def low_stock(items, *args, **kwargs):
    return [item for item in items if item['level'] < item['reorder_at']]
