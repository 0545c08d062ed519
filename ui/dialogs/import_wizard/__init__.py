"""The import wizard, one module per page.

A table file (CSV, Excel, DATEV) goes file → preview → mapping → dry run → run; a folder of
e-invoices or a bank statement goes file → its own check page → done. ``wizard.ImportWizard``
holds what the pages settle on; ``step.WizardStep`` is what every page shares.
"""

from ui.dialogs.import_wizard.step import WizardStep, table_view
from ui.dialogs.import_wizard.wizard import ImportWizard, open_import_wizard

__all__ = ["ImportWizard", "WizardStep", "open_import_wizard", "table_view"]
