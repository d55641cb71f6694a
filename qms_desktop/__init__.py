"""QMS Desktop: the product without a screen (no Qt imports here, ever)."""

APP_NAME = "QMS Desktop"
APP_ID = "qms-desktop"
__version__ = "0.1.0"
