if 'data_exporter' not in globals():
    from mage_ai.data_preparation.decorators import data_exporter


@data_exporter
def report_stock(items, *args, **kwargs):
    print(f'{len(items)} items to restock')
