if 'transformer' not in globals():
    from mage_ai.data_preparation.decorators import transformer


@transformer
def drop_empty(orders, *args, **kwargs):
    return orders[orders['amount'] > 0]
