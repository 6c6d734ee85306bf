from mage_ai.data_preparation.shared.secrets import get_secret_value

if 'data_loader' not in globals():
    from mage_ai.data_preparation.decorators import data_loader


@data_loader
def load_orders(*args, **kwargs):
    # Mage's secrets store (the `secrets:` entry), never the block's code or configuration.
    password = get_secret_value('warehouse_password')
    return {'connected': bool(password), 'user': kwargs.get('warehouse_user')}
